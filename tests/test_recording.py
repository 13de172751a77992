"""How an item's cells are told: its failure text, grouped by step and wording, and the count of cells."""

from __future__ import annotations

from policyproof.guarantees.recording import failure_text
from policyproof.outcomes import CellRecord, Finding, Severity, Status
from policyproof.report.counts import SCENARIO_UNIT, tally

STEP = "features/x.feature:5: Then it is used"
OTHER = "features/x.feature:7: Then every rule cites a source"


def test_cells_failing_alike_are_named_together() -> None:
    """Regions with the same words at the same step share one line; the step is said once."""
    messages = [(STEP, "US", "Expected: used."), (STEP, "ROW", "Expected: used."), (STEP, "CA", "Expected: other.")]
    assert failure_text(messages, cells=7) == f"{STEP}\nUS, ROW: Expected: used.\nCA: Expected: other."


def test_cells_failing_at_different_steps_are_told_step_by_step() -> None:
    """Each step a cell failed at heads its own lines, in the order they first failed."""
    messages = [(OTHER, "EEA", "no source."), (STEP, "US", "Expected: used."), (OTHER, "GB", "no source.")]
    assert failure_text(messages, cells=3) == f"{OTHER}\nEEA, GB: no source.\n{STEP}\nUS: Expected: used."


def test_a_mistake_every_cell_shares_is_said_once_without_regions() -> None:
    """A reviewer's mistake (an unknown label) is the same in every cell, so no region is named."""
    messages = [(STEP, "EU", "unknown category 'x'"), (STEP, "ROW", "unknown category 'x'")]
    assert failure_text(messages, cells=2) == f"{STEP}\nunknown category 'x'"
    assert failure_text(messages[:1], cells=2) == f"{STEP}\nEU: unknown category 'x'"


def _record(status: Status, severity: Severity = Severity.BLOCKING) -> CellRecord:
    finding = Finding(status=status, expected="", decided="", reason="", explanation="")
    return CellRecord(
        guarantee="G-X",
        title="X",
        scenario="S",
        severity=severity,
        feature="x.feature:3",
        snapshot="acme@2025-01-01",
        region="EU",
        status=status,
        finding=finding,
    )


def test_cells_are_counted_by_outcome_in_their_unit() -> None:
    """The unit is named, advisory failures are told apart from blocking ones, outcomes with no cell are left out."""
    records = [
        _record(Status.PASS),
        _record(Status.PASS),
        _record(Status.FAIL),
        _record(Status.FAIL, Severity.ADVISORY),
        _record(Status.NOT_APPLICABLE),
        _record(Status.ERROR),
    ]
    cells = [(r.status, r.severity) for r in records]
    assert tally(SCENARIO_UNIT, cells).sentence() == (
        "6 scenario x region cells: 2 pass, 2 fail (1 blocking, 1 advisory), 1 not-applicable, 1 error"
    )
    assert tally(SCENARIO_UNIT, cells[:1]).sentence() == "1 scenario x region cell: 1 pass"
    assert tally(SCENARIO_UNIT, []).sentence() == "0 scenario x region cells"


def test_a_cell_record_comes_back_from_its_json_as_it_was() -> None:
    """The JSON a record travels in on pytest's report holds every field, the finding's too, in field order."""
    finding = Finding(
        status=Status.FAIL,
        expected="not used",
        decided="used",
        reason="no-opt-out",
        explanation="no control",
        rule_location="x.yaml:12",
        sources=("a", "b"),
    )
    record = CellRecord(
        guarantee="G-X",
        title="X",
        scenario="S",
        severity=Severity.BLOCKING,
        feature="x.feature:3",
        snapshot="acme@2025-01-01",
        region="EU",
        status=Status.FAIL,
        finding=finding,
        note="n",
    )
    text = record.to_json()
    assert CellRecord.from_json(text) == record
    assert text.startswith('{"guarantee": "G-X", "title": "X", "scenario": "S", "severity": "blocking"')
    assert '"finding": {"status": "fail", "expected": "not used"' in text
    assert text.endswith(
        '"sources": ["a", "b"], "documents": []}, "waiver": "", "justification": "", "note": "n", "baseline": ""}'
    )
