"""Hostile input stays contained: links out of the project, deep or huge files, values of any size or characters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policyproof import jsonfile
from policyproof.audit.evidence import EvidenceError, locate
from policyproof.cli import main
from policyproof.exceptions import InputError, PolicyproofError
from policyproof.report.evidence import load_audit
from policyproof.snapshot.loader import validate
from policyproof.untrusted import clean, cut, shown

ACME = Path(__file__).parent / "data" / "suite" / "policy_snapshots" / "acme@2025-01-01.yaml"
SECRET = "TOKEN=hunter2-do-not-print"  # noqa: S105 (a made-up credential the tests must never see shown)
REFUSED = "a symbolic link to a file outside the project; policyproof does not follow it"
REPORTS = ("md", "html", "json", "sarif")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A credentials file outside the project."""
    path = tmp_path / "credentials"
    path.write_text(SECRET + "\n")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder beside the credentials file."""
    (tmp_path / "project" / "policy_snapshots").mkdir(parents=True)
    return tmp_path / "project"


def test_a_value_is_shown_cut_to_200_characters_with_its_length() -> None:
    """An error message quotes at most 200 characters of a value and says how long it is."""
    assert shown("a" * 1_000_000) == "'" + "a" * 200 + "…' (1000000 characters)"
    assert shown("short") == "'short'"


def test_a_value_is_shown_with_its_control_characters_escaped() -> None:
    """An error message shows a terminal escape as its Python escape, never as the character."""
    assert shown("x\x1b[31my\x9b") == "'x\\x1b[31my\\x9b'"


def test_clean_strips_escape_sequences_and_controls_but_keeps_tabs_and_newlines() -> None:
    """Escape sequences go whole, other C0 and C1 controls and DEL go, tabs and newlines stay."""
    assert clean("\x1b[31mred\x1b[0m \x1b]0;title\x07ok\r\x7f\x9b\ta\nb") == "red ok\ta\nb"


def test_cut_cleans_and_cuts_a_text_for_a_report() -> None:
    """A report shows at most 200 characters of a value, with its length, and no control character."""
    assert cut("\x1b[2J" + "b" * 300) == "b" * 196 + "… (304 characters)"


def test_yaml_nested_100000_deep_is_one_problem(tmp_path: Path) -> None:
    """A snapshot nesting lists 100,000 deep is refused at the 65th level in one line, with no RecursionError."""
    path = tmp_path / "acme@2025-01-01.yaml"
    path.write_text("platform: " + "[" * 100_000 + "]" * 100_000 + "\n")
    [result] = validate([path])
    assert [str(problem) for problem in result.problems] == [f"{path}:1:74: $: values nest more than 64 levels deep"]


def test_a_snapshot_linking_out_of_the_project_is_refused_unread(project: Path, secret: Path) -> None:
    """A snapshot that is a link to a file outside the project is refused, and nothing of the file is shown."""
    link = project / "policy_snapshots" / "acme@2025-01-01.yaml"
    link.symlink_to(secret)
    [result] = validate([project / "policy_snapshots"], project)
    assert [str(problem) for problem in result.problems] == [f"{link}:1:1: $: {REFUSED}"]


def test_validate_refuses_the_link_and_prints_none_of_its_target(
    project: Path, secret: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``policyproof validate`` in the project names the link, says why, and never prints the target's content."""
    (project / "policy_snapshots" / "acme@2025-01-01.yaml").symlink_to(secret)
    monkeypatch.chdir(project)
    assert main(["validate"]) == 1
    captured = capsys.readouterr()
    assert f"policy_snapshots/acme@2025-01-01.yaml:1:1: $: {REFUSED}" in captured.out
    assert "hunter2" not in captured.out + captured.err


def test_a_link_in_a_folder_outside_the_project_may_not_leave_that_folder(project: Path, secret: Path) -> None:
    """A snapshot folder named elsewhere holds a link to a file outside it: refused, as in the project."""
    elsewhere = secret.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "acme@2025-01-01.yaml").symlink_to(secret)
    [result] = validate([elsewhere], project)
    assert [problem.message for problem in result.problems] == [REFUSED]


def test_a_link_that_stays_in_the_project_is_read(project: Path) -> None:
    """A snapshot linked to another file inside the project is read as the file it links to."""
    (project / "store").mkdir()
    shutil.copy(ACME, project / "store" / ACME.name)
    (project / "policy_snapshots" / ACME.name).symlink_to(project / "store" / ACME.name)
    [result] = validate([project / "policy_snapshots"], project)
    assert (result.problems, result.snapshot_id) == ((), "acme@2025-01-01")


def test_a_snapshot_that_is_not_a_mapping_is_not_shown(tmp_path: Path) -> None:
    """A file that is not a snapshot at all (a credentials file named by mistake) is refused without its content."""
    path = tmp_path / "acme@2025-01-01.yaml"
    path.write_text(SECRET + "\n")
    [result] = validate([path])
    assert [problem.message for problem in result.problems] == [
        "expected a mapping of keys to values, got text; this is not what the file should hold"
    ]


def test_a_feature_file_linking_out_of_the_project_stops_the_run_unread(acme_suite: pytest.Pytester) -> None:
    """A feature file that is a link to outside the project is a usage error naming it; its text is never shown."""
    outside = acme_suite.path.parent / "credentials.feature"
    outside.write_text(SECRET + "\n")
    (acme_suite.path / "features" / "leak.feature").symlink_to(outside)
    result = acme_suite.runpytest("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--no-policy-report")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: policyproof: features/leak.feature: {REFUSED}"])
    assert "hunter2" not in result.stdout.str() + result.stderr.str()


def test_an_evidence_table_linking_out_of_its_folder_is_refused(tmp_path: Path, secret: Path) -> None:
    """An evidence table that is a link out of the evidence folder is refused, unread."""
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for name in ("members", "settings"):
        (evidence / f"{name}.csv").write_text("member_id\n")
    (evidence / "uses.csv").symlink_to(secret)
    with pytest.raises(EvidenceError) as raised:
        locate(evidence)
    assert raised.value.problems == (
        f"{evidence / 'uses.csv'}: a symbolic link to outside the evidence folder; policyproof does not follow it",
    )


def test_a_parquet_file_in_a_table_folder_linking_out_is_refused(tmp_path: Path, secret: Path) -> None:
    """A file of a table given as a folder that links out of the evidence folder is refused too."""
    evidence = tmp_path / "evidence"
    (evidence / "uses").mkdir(parents=True)
    for name in ("members", "settings"):
        (evidence / f"{name}.csv").write_text("member_id\n")
    (evidence / "uses" / "part-0.parquet").symlink_to(secret)
    with pytest.raises(EvidenceError, match=r"part-0\.parquet: a symbolic link to outside the evidence folder"):
        locate(evidence)


def test_an_evidence_audit_nested_100000_deep_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check --evidence-audit`` with JSON nested 100,000 deep exits 2 with one line, before pytest starts."""
    (tmp_path / "features").mkdir()
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--evidence-audit", "deep.json"]) == 2
    assert capsys.readouterr().err == (
        "policyproof: error: deep.json: not an audit.json written by policyproof audit "
        "(the audit.json nests lists and objects more than 64 levels deep)\n"
    )


def test_a_json_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON file larger than the limit is refused with its size, unread."""
    monkeypatch.setattr(jsonfile, "MAX_BYTES", 10)
    (tmp_path / "baseline.json").write_text('{"details": []}')
    with pytest.raises(InputError) as raised:
        jsonfile.read_json(tmp_path / "baseline.json", "baseline")
    assert (
        str(raised.value) == f"{tmp_path / 'baseline.json'}:1:1: $: the baseline is 15 bytes; the limit is 10 (256 MiB)"
    )


def _audit(example: dict[str, Any], count: object = 1) -> dict[str, Any]:
    counts = {"checked": count, "allowed": 0, "breach": 1, "to_remove": 0, "unknown": 0, "unmatched": 0}
    row = {"snapshot": "acme@2025-01-01", "region_group": "EU", "purpose": "ai_training", **counts}
    return {
        "evidence": "evidence",
        "engine": "duckdb",
        "to_remove_file": "out/to-remove.parquet",
        "rows": [{**row, "breaches_by_reason": {"no-consent": 1}}],
        "examples": [example],
    }


EXAMPLE = {
    "use_id": "u1",
    "member_id": "\x1b]0;pwned\x07" + "m" * 10_000,
    "snapshot": "acme@2025-01-01",
    "region_group": "EU",
    "purpose": "ai_training",
    "category": "posts",
    "used_at": "2025-03-01T12:00:00",
    "reason": "no-consent",
    "rule": "acme@2025-01-01.yaml:56",
}


def test_an_audit_value_it_cannot_use_is_not_shown(tmp_path: Path) -> None:
    """An audit.json whose count is text says so without showing the text."""
    (tmp_path / "audit.json").write_text(json.dumps(_audit(EXAMPLE, count=SECRET)))
    with pytest.raises(PolicyproofError) as raised:
        load_audit(tmp_path / "audit.json")
    assert str(raised.value) == (
        f"{tmp_path / 'audit.json'}: not an audit.json written by policyproof audit "
        "(a value is not of the kind the audit writes)"
    )


def test_reports_cut_huge_values_and_strip_terminal_controls(acme_suite: pytest.Pytester) -> None:
    """Escapes in a title and a scenario, and a 10,000-character id in evidence, reach no report or terminal raw."""
    feature = acme_suite.path / "features" / "ai_training_has_a_legal_basis.feature"
    text = feature.read_text()
    text = text.replace("Feature: AI training", "Feature: \x1b[31mAI training\x1b[0m")
    text = text.replace("Scenario: AI training has", "Scenario: AI training\x9b2J has")
    feature.write_text(text)
    (acme_suite.path / "audit.json").write_text(json.dumps(_audit(EXAMPLE)))
    options = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")
    result = acme_suite.runpytest(*options, "--evidence-audit", "audit.json", "-rA")
    assert "\x1b" not in result.stdout.str() + result.stderr.str()
    for suffix in REPORTS:
        report = (acme_suite.path / "out" / f"compliance-report.{suffix}").read_text()
        assert [part for part in ("\x1b", "\\u001b", "\x9b") if part in report] == []
        assert "m" * 201 not in report
        assert "AI training has a legal basis" in report
    for suffix in ("md", "html", "json"):
        report = (acme_suite.path / "out" / f"compliance-report.{suffix}").read_text()
        assert "m" * 190 + "… (10010 characters)" in report


def test_a_huge_bad_value_in_evidence_is_shown_cut_in_its_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad timestamp of a million characters is quoted cut to 200, with its length, in a one-line error."""
    case = Path(__file__).parent / "data" / "audit" / "invalid" / "not_a_timestamp"
    evidence = tmp_path / "evidence"
    shutil.copytree(case, evidence)
    (evidence / "members.csv").write_text((evidence / "members.csv").read_text().replace("2001-02-30", "2001-02-28"))
    uses = evidence / "uses.csv"
    uses.write_text(uses.read_text().replace("yesterday", "\x1b[2J" + "y" * 1_000_000))
    policy = ["--snapshots", str(Path(__file__).parent / "data" / "audit" / "policy_snapshots"), "--platform", "acme"]
    assert main(["audit", "--evidence", str(evidence), "--out", str(tmp_path / "out"), *policy]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {uses}:3: column 'used_at': not a timestamp (ISO 8601, YYYY-MM-DD hh:mm:ss): 1 bad "
        f"value; first: '\\x1b[2J{'y' * 196}…' (1000004 characters) (line 3)\n"
    )
