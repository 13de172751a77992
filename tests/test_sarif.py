"""The SARIF report: one result per failing, waived or unknown cell, on the snapshot line, valid SARIF 2.1.0."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarif_kit.validate import validation_errors

if TYPE_CHECKING:
    import pytest

ROOT = Path(__file__).parent.parent
REPORT = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")
# A waiver of G-BASIS in ROW until 2025-12-31, for the Acme suite.
WAIVER = (Path(__file__).parent / "data" / "waivers" / "basis-outside-europe.yaml").read_text()


def sarif(pytester: pytest.Pytester) -> dict[str, Any]:
    """The SARIF log the run wrote, checked against the SARIF 2.1.0 JSON Schema."""
    data: dict[str, Any] = json.loads((pytester.path / "out" / "compliance-report.sarif").read_text())
    assert validation_errors(data) == []
    return data


def test_each_failing_cell_is_a_result_on_its_rule_line(acme_suite: pytest.Pytester) -> None:
    """Each failing cell is one result at the snapshot rule's line, its rule the guarantee, its level the severity."""
    acme_suite.runpytest(*REPORT)
    [run] = sarif(acme_suite)["runs"]
    report = json.loads((acme_suite.path / "out" / "compliance-report.json").read_text())
    assert len(run["results"]) == len(report["details"]) == 3
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["G-BASIS"]["help"]["text"] == (
        "The guarantee “AI training has a legal basis” is stated in features/ai_training_has_a_legal_basis.feature."
    )
    assert rules["G-BASIS"]["defaultConfiguration"] == {"level": "error"}
    assert rules["G-CONSENT"]["defaultConfiguration"] == {"level": "warning"}
    by_cell = {(r["ruleId"], r["properties"]["region"]): r for r in run["results"]}
    basis = by_cell["G-BASIS", "ROW"]
    detail = next(d for d in report["details"] if d["guarantee"] == "G-BASIS")
    path, _, line = detail["rule"].rpartition(":")
    assert basis["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": path},
        "region": {"startLine": int(line)},
    }
    assert basis["level"] == "error"
    assert run["tool"]["driver"]["rules"][basis["ruleIndex"]]["id"] == "G-BASIS"
    assert by_cell["G-CONSENT", "EU"]["level"] == "warning"
    assert basis["message"]["text"].startswith("AI training has a stated legal basis (acme@2025-01-01, ROW): Expected:")
    assert "baselineState" not in basis


def test_a_waived_cell_is_a_suppressed_result(acme_suite: pytest.Pytester) -> None:
    """A waived failure is reported, suppressed with the waiver's justification."""
    (acme_suite.path / "waivers.yaml").write_text(WAIVER)
    acme_suite.runpytest(*REPORT)
    [run] = sarif(acme_suite)["runs"]
    [waived] = [r for r in run["results"] if r["properties"]["status"] == "waived"]
    [suppression] = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["justification"].startswith("The legal basis outside Europe is being confirmed with counsel.")


def test_with_a_baseline_each_result_says_whether_it_is_new(acme_suite: pytest.Pytester) -> None:
    """In baseline mode each result carries baselineState: unchanged for a failure the baseline lists, else new."""
    acme_suite.runpytest(*REPORT)
    previous = json.loads((acme_suite.path / "out" / "compliance-report.json").read_text())
    kept = [d for d in previous["details"] if d["guarantee"] != "G-BASIS"]
    (acme_suite.path / "baseline.json").write_text(json.dumps({"details": kept}))
    acme_suite.runpytest(*REPORT, "--baseline", "baseline.json")
    [run] = sarif(acme_suite)["runs"]
    states = {(r["ruleId"], r["properties"]["region"]): r["baselineState"] for r in run["results"]}
    assert states == {("G-BASIS", "ROW"): "new", ("G-CONSENT", "EU"): "unchanged", ("G-CONSENT", "ROW"): "unchanged"}


def _committed() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The committed report's JSON and its SARIF results."""
    root = Path(__file__).parent.parent / "reports"
    report = json.loads((root / "compliance-report.json").read_text())
    sarif = json.loads((root / "compliance-report.sarif").read_text())
    assert validation_errors(sarif) == []
    return report, sarif["runs"][0]["results"]


def _current(report: dict[str, Any]) -> set[str]:
    """The snapshots of a report that no later version had superseded by the report's date."""
    return {
        s["id"] for s in report["snapshots"] if not s["superseded_by"] or s["superseded_by"]["on"] > report["as_of"]
    }


def test_the_committed_sarif_has_one_result_a_cell_even_where_the_report_merges_them() -> None:
    """Alike cells are one entry in the report but one SARIF result each, every region group named."""
    report, results = _committed()
    current = _current(report)
    merged = [
        (d["snapshot"], d["guarantee"], d["scenario"], r)
        for d in report["details"]
        if d["snapshot"] in current
        for r in d["regions"]
    ]
    cells = [
        (r["properties"]["snapshot"], r["ruleId"], r["properties"]["scenario"], r["properties"]["region"])
        for r in results
    ]
    assert sorted(cells) == sorted(merged)


def test_the_committed_sarif_levels_count_the_report_cells_by_severity_and_outcome() -> None:
    """Error counts blocking failing cells, warning advisory ones, note unknown and not covered cells, in force only."""
    report, results = _committed()
    current = _current(report)
    assert "linkedin@2025-11-03" in current
    assert "linkedin@2024-09-18" not in current
    expected: Counter[str] = Counter()
    for detail in report["details"]:
        if detail["snapshot"] not in current:
            continue
        if detail["status"] in {"unknown", "not-covered"}:
            level = "note"
        else:
            level = "error" if detail["severity"] == "blocking" else "warning"
        expected[level] += len(detail["regions"])
    assert Counter(r["level"] for r in results) == expected
    assert min(expected[level] for level in ("error", "warning", "note")) > 0
    blocking = [r for r in results if r["level"] == "error" and "suppressions" not in r]
    assert all(r["properties"]["status"] in {"fail", "error"} for r in blocking)
    assert {r["properties"]["snapshot"] for r in results} <= current


def test_every_committed_sarif_result_is_on_a_snapshot_line() -> None:
    """Each result points at a line of its snapshot file: the rule, the statement of silence or the region group."""
    _, results = _committed()
    for result in results:
        [location] = result["locations"]
        physical = location["physicalLocation"]
        snapshot = result["properties"]["snapshot"]
        assert physical["artifactLocation"]["uri"] == f"policy_snapshots/{snapshot}.yaml"
        lines = (Path(__file__).parent.parent / physical["artifactLocation"]["uri"]).read_text().splitlines()
        assert 1 <= physical["region"]["startLine"] <= len(lines)
    report, _ = _committed()
    ruleless = {(d["snapshot"], d["guarantee"], d["scenario"]) for d in report["details"] if d["rule"] is None}
    at_groups = [
        r for r in results if (r["properties"]["snapshot"], r["ruleId"], r["properties"]["scenario"]) in ruleless
    ]
    assert at_groups
    for result in at_groups:
        physical = result["locations"][0]["physicalLocation"]
        text = (ROOT / physical["artifactLocation"]["uri"]).read_text().splitlines()
        line = text[physical["region"]["startLine"] - 1].strip()
        region = result["properties"]["region"]
        # The region group's own line, or the statement that the documents read are silent there.
        assert line == f"- id: {region}" or (line.startswith("- regions: [") and region in line), line


def test_a_superseded_snapshot_named_with_snapshot_is_in_the_sarif(tmp_path: Path) -> None:
    """A run that names a superseded snapshot with --snapshot lists its cells in the SARIF log."""
    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "check", "--snapshot", "linkedin@2024-09-18", "--report", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in {0, 1}, result.stderr
    data = json.loads((tmp_path / "compliance-report.sarif").read_text())
    assert validation_errors(data) == []
    results = data["runs"][0]["results"]
    assert results
    named = {r["properties"]["snapshot"] for r in results}
    assert "linkedin@2024-09-18" in named
    # Besides the snapshot named, only those a scenario pins with 'Given the policy snapshot "..."' run.
    pinned = {
        line.split('"')[1]
        for feature in (ROOT / "features").glob("*.feature")
        for line in feature.read_text().splitlines()
        if 'the policy snapshot "' in line
    }
    assert named - {"linkedin@2024-09-18"} <= pinned
