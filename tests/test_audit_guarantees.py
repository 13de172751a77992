"""Guarantees over evidence in Gherkin: fanned out over region groups, broken cells count and show uses."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest
from evidence_cases import POLICY_DIR, TO_REMOVE, Evidence, edges
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from policyproof.audit.reference import Person
from policyproof.cli import main
from policyproof.report.evidence import evidence_markdown, load_audit

if TYPE_CHECKING:
    from policyproof.report.results import Report

SCHEMAS = Path(__file__).parent.parent / "schemas"
ACME = ["--snapshots", str(POLICY_DIR), "--platform", "acme"]
FEATURE = """@G-EVIDENCE @blocking
Feature: What was done with member data keeps the policy's promises

  Scenario: No use of member data for AI training breaches the policy
    Given the evidence "evidence"
    Then no use of data for AI training breaches the policy

  Scenario: Opting out of AI training is honoured
    Given the evidence "evidence"
    Then no member who opted out has data used for AI training after opting out

  Scenario: Members under 18 are left out of AI training
    Given the evidence "evidence"
    Then no member under 18 has data used for AI training
"""


def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """The Acme test policy's two versions, the named edges as evidence, and the three guarantees."""
    shutil.copytree(POLICY_DIR, pytester.path / "policy_snapshots")
    edges().write(pytester.path / "evidence")
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "evidence.feature").write_text(FEATURE)
    pytester.makepyfile(test_evidence='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return pytester


def test_guarantees_over_evidence_fan_out_and_show_breaching_uses(pytester: pytest.Pytester) -> None:
    """Each guarantee is checked in each region group of each version; a broken cell counts and shows uses."""
    result = project(pytester).runpytest("-v", "--snapshot", "all", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*breaches_the_policy?acme@2024-06-01? FAILED (fail: US; not applicable: EU ROW)*",
            "*breaches_the_policy?acme@2025-01-01? FAILED (fail: EU ROW; not applicable: US)*",
            "*opting_out_of_ai_training_is_honoured?acme@2024-06-01? FAILED (fail: US; not applicable: EU ROW)*",
            "*opting_out_of_ai_training_is_honoured?acme@2025-01-01? PASSED (pass: EU ROW; not applicable: US)*",
            "*under_18_are_left_out_of_ai_training?acme@2024-06-01? FAILED (fail: US; not applicable: EU ROW)*",
            "*under_18_are_left_out_of_ai_training?acme@2025-01-01? FAILED (fail: ROW; pass: EU; not applicable: US)*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "US: Expected: no use of data for AI training breaches the policy. Decided: 3 uses break it, because "
            "3 of 5 uses in the evidence folder evidence break it: use e12: public posts of member edge12, used for "
            "AI training at 2024-01-10 12:00:00 UTC, though the purpose is not active in the region "
            "(policy_snapshots/acme@2024-06-01.yaml:56); *",
            "US: Expected: no member who opted out has data used for AI training after opting out. Decided: 1 use "
            "breaks it, because 1 of 5 uses in the evidence folder evidence breaks it: use e00: public posts of "
            "member edge0, used for AI training at 2024-09-01 10:00:00 UTC, though the member opted out (*",
            "US: Expected: no member under 18 has data used for AI training. Decided: 1 use breaks it, because 1 of 5 "
            "uses in the evidence folder evidence breaks it: use e10: public posts of member edge10, used for AI "
            "training at 2024-08-01 00:00:00 UTC, when the platform believed them to be under 18.",
            "ROW: Expected: no member under 18 has data used for AI training. Decided: 1 use breaks it, because 1 of "
            "2 uses in the evidence folder evidence breaks it: use e03: public posts of member edge3, used for AI "
            "training at 2025-02-28 23:59:59 UTC, when the member was 17.",
        ]
    )
    result.assert_outcomes(passed=1, failed=5)


def test_the_report_gains_an_evidence_section_from_an_audit(pytester: pytest.Pytester) -> None:
    """With --evidence-audit, each report format shows the audit's counts and examples per snapshot and group."""
    suite = project(pytester)
    out = suite.path / "audit"
    assert main(["audit", "--evidence", str(suite.path / "evidence"), "--out", str(out), *ACME]) == 1
    report = suite.path / "report"
    suite.runpytest("--snapshot", "all", "--evidence-audit", str(out / "audit.json"), "--policy-report", str(report))
    markdown = (report / "compliance-report.md").read_text()
    assert "## Evidence" in markdown
    rows = [
        [cell.strip() for cell in line.split("|")[1:-1]] for line in markdown.splitlines() if line.startswith("| acme")
    ]
    assert [
        "acme@2024-06-01",
        "US",
        "7",
        "2",
        "4",
        "0",
        "1",
        "0",
        "excluded-member 1, not-active 1, opted-out 2",
    ] in rows
    assert (
        "- `e00`: public posts of member `edge0` used for AI training at 2024-09-01T10:00:00 UTC (opted-out, "
        in markdown
    )
    data = json.loads((report / "compliance-report.json").read_text())
    schemas = [json.loads((SCHEMAS / name).read_text()) for name in ("report.schema.json", "diff.schema.json")]
    registry: Registry[Any] = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    Draft202012Validator(schemas[0], registry=registry).validate(data)
    us_2024 = next(
        g for g in data["evidence"][0]["groups"] if (g["snapshot"], g["region_group"]) == ("acme@2024-06-01", "US")
    )
    assert us_2024["counts"] == {"checked": 7, "allowed": 2, "breach": 4, "to_remove": 0, "unknown": 1, "unmatched": 0}
    assert {(e["category"], e["purpose"]) for e in us_2024["examples"]} >= {("posts", "ai_training")}
    html = (report / "compliance-report.html").read_text()
    assert '<section id="evidence">' in html
    assert (
        "<code>e00</code>: public posts of member <code>edge0</code> used for AI training at 2024-09-01T10:00:00 UTC (opted-out, "
        in html
    )


def test_the_evidence_section_counts_the_uses_to_remove_and_names_their_file(pytester: pytest.Pytester) -> None:
    """Uses to remove have their own column in each format, and a sentence counts them and names to-remove.parquet."""
    suite = project(pytester)
    evidence = edges(TO_REMOVE).write(suite.path / "removed")
    out = suite.path / "audit"
    main(["audit", "--evidence", str(evidence), "--out", str(out), *ACME])
    stated = sum(status == "to_remove" for *_, status, _reason in TO_REMOVE)
    written = json.loads((out / "audit.json").read_text())
    assert written["totals"]["to_remove"] == stated
    by_group: dict[tuple[str, str], int] = {}
    for row in written["rows"]:
        key = (row["snapshot"], row["region_group"] or "(member unknown)")
        by_group[key] = by_group.get(key, 0) + row["to_remove"]
    report = suite.path / "report"
    suite.runpytest("--snapshot", "all", "--evidence-audit", str(out / "audit.json"), "--policy-report", str(report))
    markdown = (report / "compliance-report.md").read_text()
    header = next(line for line in markdown.splitlines() if line.startswith("| Snapshot"))
    assert [cell.strip() for cell in header.split("|")[1:-1]] == [
        *("Snapshot", "Region group", "Uses checked", "Allowed", "Breaches", "To remove", "Unknown", "Unmatched"),
        "Reasons",
    ]
    rows = [
        [cell.strip() for cell in line.split("|")[1:-1]] for line in markdown.splitlines() if line.startswith("| acme")
    ]
    assert {(row[0], row[1]): int(row[5]) for row in rows} == by_group
    assert sum(by_group.values()) == stated > max(by_group.values())  # in more than one group
    sentence = (
        f"{stated} uses were not breaches when made (allowed, or left open by the policy), but a later opt-out the rule "
        "makes retroactive requires their data removed: "
        "not breaches, and listed"
    )
    assert f"{sentence} (`{out / 'to-remove.parquet'}`)." in markdown
    data = json.loads((report / "compliance-report.json").read_text())
    assert data["evidence"][0]["to_remove_file"] == str(out / "to-remove.parquet")
    groups = {(g["snapshot"], g["region_group"]): g["counts"]["to_remove"] for g in data["evidence"][0]["groups"]}
    assert groups == by_group
    html = (report / "compliance-report.html").read_text()
    assert "<th>Breaches</th><th>To remove</th><th>Unknown</th>" in html
    assert f"<p>{sentence} (<code>{out / 'to-remove.parquet'}</code>).</p>" in html


def test_the_promise_about_minors_is_decided_by_ages_not_by_what_the_policy_says(pytester: pytest.Pytester) -> None:
    """An adult's use passes it where the policy is silent; a use of a member of no known age is unknown."""
    evidence = Evidence()
    evidence.members["adult"] = Person("DE", dt.date(1980, 1, 1), None)
    evidence.members["ageless"] = Person("JP", None, None)
    at = dt.datetime(2024, 9, 1, 12)  # noqa: DTZ001 (evidence timestamps are naive UTC)
    evidence.uses += [("u1", "adult", "posts", "ai_training", at), ("u2", "ageless", "member_data", "ai_training", at)]
    evidence.write(pytester.path / "evidence")
    shutil.copytree(POLICY_DIR, pytester.path / "policy_snapshots")
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "minors.feature").write_text(
        "@G-MINORS @blocking\nFeature: Members under 18 are left out\n\n"
        "  Scenario: Members under 18 are left out of AI training\n"
        '    Given the evidence "evidence"\n'
        "    Then no member under 18 has data used for AI training\n"
    )
    pytester.makepyfile(test_minors='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    result = pytester.runpytest("-v", "--snapshot", "acme@2024-06-01", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*left_out_of_ai_training* UNKNOWN (unknown: ROW; pass: EU; not applicable: US)*"])
    report = (pytester.path / "build" / "policy-report" / "compliance-report.md").read_text()  # a narrowed run's
    assert (
        "- Decided: the evidence does not say, because the evidence folder evidence gives no birth date for the "
        "members of 1 of 1 uses, and the platform did not believe them to be under 18 then" in report
    )


def test_a_bad_evidence_audit_file_is_a_usage_error_before_anything_runs(pytester: pytest.Pytester) -> None:
    """Pytest --evidence-audit with a missing file stops at once with one line naming it, and runs nothing."""
    suite = project(pytester)
    missing = suite.path / "nope.json"
    result = suite.runpytest("--evidence-audit", str(missing), "--policy-report", str(suite.path / "report"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: policyproof: {missing}: not an audit.json written by policyproof audit (*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert not (suite.path / "report").exists()


def test_an_error_in_a_scenarios_first_step_names_that_step(pytester: pytest.Pytester) -> None:
    """A missing evidence folder in the first step, with no Background, is told at that step's line."""
    suite = project(pytester)
    (suite.path / "features" / "evidence.feature").write_text(
        "@G-EVIDENCE @blocking\nFeature: What was done with member data keeps the policy's promises\n\n"
        "  Scenario: No use of member data for AI training breaches the policy\n"
        '    Given the evidence "nowhere"\n'
        "    Then no use of data for AI training breaches the policy\n"
    )
    result = suite.runpytest("--snapshot", "acme@2025-01-01", "-p", "no:cacheprovider")
    output = result.stdout.str()
    assert 'features/evidence.feature:5: Given the evidence "nowhere"' in output
    assert "features/evidence.feature:6" not in output


def test_ids_from_the_evidence_are_shown_as_they_are_in_the_markdown_report(tmp_path: Path) -> None:
    """A member id with backticks and markup stays inside its code span in the Evidence section."""
    example = {
        "use_id": "u1",
        "member_id": "m`<script>alert(1)</script>",
        "snapshot": "acme@2025-01-01",
        "region_group": "US",
        "purpose": "ai_training",
        "category": "posts",
        "used_at": "2025-03-01T12:00:00",
        "reason": "no-consent",
        "rule": "acme@2025-01-01.yaml:56",
    }
    counts = {"checked": 1, "allowed": 0, "breach": 1, "to_remove": 0, "unknown": 0, "unmatched": 0}
    row = {"snapshot": "acme@2025-01-01", "region_group": "US", "purpose": "ai_training", **counts}
    audit = {
        "evidence": "evidence",
        "engine": "duckdb",
        "to_remove_file": "out/to-remove.parquet",
        "rows": [{**row, "breaches_by_reason": {"no-consent": 1}}],
        "examples": [example],
    }
    (tmp_path / "audit.json").write_text(json.dumps(audit))
    report = cast("Report", SimpleNamespace(evidence=[load_audit(tmp_path / "audit.json")], sections=()))
    # A code span fenced by more backticks than any run inside it shows its text literally (CommonMark 6.1).
    shown = "\n".join(evidence_markdown(report))
    assert "- `u1`: posts of member ``m`<script>alert(1)</script>`` used for ai_training at " in shown
