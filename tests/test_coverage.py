"""Silence of the documents and gaps of the snapshot, told apart in every format, and the mix behind a cell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from policyproof.audit.judged import UNDECIDED, Tally
from policyproof.guarantees.findings import of_tally
from policyproof.outcomes import Breaks, Status

ROOT = Path(__file__).parent.parent
REPORT = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")
SNAPSHOT = Path("policy_snapshots") / "acme@2025-01-01.yaml"
# Profiling: the documents read are silent on it in Europe; nothing says what they state elsewhere.
PROFILING = """  - id: profiling
    label: profiling
    rules: []
    silent_in:
      - regions: [EU]
        note: The notice speaks of AI training and ad sharing only.
"""
MIXED = """@G-MIX @blocking
Feature: Opting out is honoured, and profiling does not use posts

  Scenario: A member who turned the setting off is not used
    Given a member
    And the member turned off "Use my data for AI" on 2025-02-01
    When their public posts are considered for AI training on 2025-03-01
    Then it is not used because the member opted out

  Scenario: Public posts are not used for profiling
    Given a member
    When their public posts are considered for profiling on 2025-03-01
    Then it is not used
"""


@pytest.fixture
def mixed(acme_suite: pytest.Pytester) -> pytest.Pytester:
    """The Acme project with a purpose silent in Europe and not covered elsewhere, and a guarantee asking of it."""
    path = acme_suite.path / SNAPSHOT
    path.write_text(path.read_text() + PROFILING)
    (acme_suite.path / "features" / "mixed.feature").write_text(MIXED)
    return acme_suite


def read(pytester: pytest.Pytester, suffix: str) -> str:
    """One of the report files the run wrote."""
    return (pytester.path / "out" / f"compliance-report.{suffix}").read_text(encoding="utf-8")


def test_json_tells_silence_from_a_gap_and_shows_the_mix(mixed: pytest.Pytester) -> None:
    """A cell shows its worst outcome and, in ``outcomes``, how its scenarios ended; silence cites the documents."""
    mixed.runpytest(*REPORT)
    data = json.loads(read(mixed, "json"))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
    [snapshot] = data["snapshots"]
    row = next(row for row in snapshot["guarantees"] if row["id"] == "G-MIX")
    assert row["cells"] == {"EU": "unknown", "ROW": "not-covered"}
    assert row["outcomes"] == {"EU": {"pass": 1, "unknown": 1}, "ROW": {"pass": 1, "not-covered": 1}}
    assert snapshot["counts"]["EU"]["unknown"] == 1
    assert snapshot["counts"]["ROW"]["not-covered"] == 1
    [silence] = snapshot["silences"]
    assert silence["region"] == "EU"
    assert silence["point"] == "the policy does not say whether profiling applies in Europe (EU)"
    assert silence["note"] == "The notice speaks of AI training and ad sharing only."
    assert [d["id"] for d in silence["documents"]] == ["acme-notice"]
    assert silence["location"].startswith("policy_snapshots/acme@2025-01-01.yaml:")
    kinds = {(d["status"], tuple(d["regions"])): d for d in data["details"] if d["guarantee"] == "G-MIX"}
    assert [d["id"] for d in kinds["unknown", ("EU",)]["documents"]] == ["acme-notice"]
    gap = kinds["not-covered", ("ROW",)]
    assert gap["documents"] == []
    assert gap["explanation"] == (
        "this snapshot does not record what the policy says of profiling in Rest of the world (ROW) (not covered)"
    )


def test_a_missing_legal_basis_is_a_gap_where_no_document_read_in_full_is_named(acme_suite: pytest.Pytester) -> None:
    """With no documents named as read in full, a rule's missing legal basis is not covered rather than a failure."""
    path = acme_suite.path / SNAPSHOT
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True) if "documents:" not in line))
    acme_suite.runpytest(*REPORT)
    data = json.loads(read(acme_suite, "json"))
    [snapshot] = data["snapshots"]
    row = next(row for row in snapshot["guarantees"] if row["id"] == "G-BASIS")
    assert row["cells"] == {"EU": "pass", "ROW": "not-covered"}
    [gap] = [detail for detail in data["details"] if detail["guarantee"] == "G-BASIS"]
    assert (gap["status"], gap["regions"], gap["documents"]) == ("not-covered", ["ROW"], [])
    assert gap["explanation"] == (
        "this snapshot names no documents read in full, so it does not record whether the policy states a legal "
        "basis for AI training in Rest of the world (ROW) (not covered)"
    )
    assert gap["rule"] == "policy_snapshots/acme@2025-01-01.yaml:57"


def test_markdown_and_html_show_each_kind_and_the_mix(mixed: pytest.Pytester) -> None:
    """The Markdown matrix and the HTML page mark silence and a gap differently, with the mix behind each cell."""
    mixed.runpytest(*REPORT)
    markdown = read(mixed, "md")
    line = next(line for line in markdown.splitlines() if line.startswith("| `G-MIX`"))
    assert "❔ unknown (pass 1, unknown 1)" in line
    assert "⬜ not covered (pass 1, not-covered 1)" in line
    assert "### What the policy does not tell members" in markdown
    assert (
        "- **EU** (Europe): the policy does not say whether profiling applies in Europe (EU). The notice speaks of "
        "AI training and ad sharing only. Documents read: `acme-notice` (Acme)."
    ) in markdown
    html = read(mixed, "html")
    assert 'data-status="not-covered">□ not covered<br><small class="mix">pass 1, not-covered 1</small>' in html
    assert 'data-status="unknown">? unknown<br><small class="mix">pass 1, unknown 1</small>' in html
    assert "<h3>What the policy does not tell members</h3>" in html


def test_pytest_names_each_kind(mixed: pytest.Pytester) -> None:
    """An item with a gap shows as not covered, naming each region group's kind, and pytest counts it so."""
    result = mixed.runpytest(*REPORT, "-v", "-k", "profiling")
    result.stdout.fnmatch_lines(
        [
            "*NOT COVERED (not covered: ROW; unknown: EU)*",
            "2 scenario x region cells: 1 unknown, 1 not-covered",
            "*5 deselected, 1 not covered*",
        ]
    )


def validate(project: Path) -> subprocess.CompletedProcess[str]:
    """``policyproof validate`` of the project's snapshot, which passes (warnings are no failure)."""
    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "validate", str(SNAPSHOT)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_validate_warns_of_a_gap_and_of_a_quote_with_no_date_read(mixed: pytest.Pytester) -> None:
    """A current snapshot that leaves a purpose uncovered in a region group, or a source unread, is warned about."""
    result = validate(mixed.path)
    lines = result.stdout.splitlines()
    text = mixed.path.joinpath(SNAPSHOT).read_text().splitlines()
    purpose = text.index("  - id: profiling") + 1
    source = text.index("  - id: acme-notice") + 1
    assert (
        f"{SNAPSHOT.as_posix()}:{purpose}: warning: profiling in region group ROW is not covered: no rule, "
        "not_active_in or silent_in entry says what the documents state of it there"
    ) in lines
    assert (
        f"{SNAPSHOT.as_posix()}:{source}: warning: source 'acme-notice' does not say when its quote was read ('read')"
    ) in lines


def test_validate_warns_of_a_current_snapshot_that_names_no_document_read_in_full(acme_suite: pytest.Pytester) -> None:
    """Without ``documents``, what its rules leave out is a gap, and validate says so once, at the file's start."""
    path = acme_suite.path / SNAPSHOT
    lines = path.read_text().splitlines()
    kept = [line for line in lines if not line.startswith("documents:")]
    assert len(kept) == len(lines) - 1, "the fixture names its documents on one line"
    path.write_text("\n".join(kept) + "\n")
    result = validate(acme_suite.path)
    warning = (
        f"{SNAPSHOT.as_posix()}:1: warning: no 'documents' read in full are named, so what a rule leaves out (a "
        "category, an exclusion, an opt-out effect, a start, a legal basis) is not covered rather than the "
        "platform's silence"
    )
    assert result.stdout.splitlines().count(warning) == 1


def explain(project: Path, place: str) -> str:
    """``policyproof explain`` of public posts for profiling in the mixed project, at a place."""
    result = subprocess.run(  # noqa: S603 (our own command)
        [
            *(sys.executable, "-m", "policyproof", "explain", "--snapshot", "acme@2025-01-01", "--place", place),
            *("--data", "public posts", "--purpose", "profiling", "--on", "2025-03-01"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_explain_tells_silence_from_a_gap(mixed: pytest.Pytester) -> None:
    """Explain says the policy does not say, with the documents read, or that the snapshot does not cover it."""
    silent = explain(mixed.path, "Germany")
    assert "Decision:  THE POLICY DOES NOT SAY (not-stated)" in silent
    assert "(the documents read say nothing of this purpose here)" in silent
    assert "Documents read, silent on this:\n  [acme-notice] Acme, 2024-11-01: Acme notice" in silent
    gap = explain(mixed.path, "Brazil")
    assert "Decision:  NOT COVERED BY THE SNAPSHOT (not-stated)" in gap
    assert "Rule:      none: the snapshot does not record what the documents say of this purpose in this region" in gap


@pytest.mark.parametrize(
    ("name", "status", "explanation"),
    [
        (
            "linkedin_2025",
            Status.UNKNOWN,
            "the policy does not say whether 2 of 3 uses in the evidence folder ev are allowed",
        ),
        (
            "linkedin_2024",
            Status.NOT_COVERED,
            "the sources cited do not say whether 2 of 3 uses in the evidence folder ev are allowed; this snapshot "
            "names no document read in full, so whether the policy says is not recorded",
        ),
    ],
)
def test_uses_the_policy_leaves_open_are_a_gap_where_no_document_was_read_in_full(
    request: pytest.FixtureRequest, name: str, status: Status, explanation: str
) -> None:
    """Evidence whose uses a snapshot of excerpts cannot settle is not covered there, not the platform's silence."""
    snapshot = request.getfixturevalue(name)
    purpose = snapshot.find_purpose("generative AI training")
    tally = Tally(uses=3, breaking=0, unknown=2, examples=(), undecided=UNDECIDED[Breaks.BREACH])
    finding = of_tally(snapshot, purpose, tally, breaks=Breaks.BREACH, expected="no breach", folder="ev")
    assert (finding.status, finding.explanation) == (status, explanation)
