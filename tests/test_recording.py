"""How an item's cells are told: its failure text, grouped by step and wording, and the count of cells."""

from __future__ import annotations

from policyproof.guarantees.recording import failure_text
from policyproof.report.formats import cell_counts
from policyproof.report.results import CellRecord, Finding
from policyproof.report.status import Status

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


def _record(status: Status, severity: str = "blocking") -> CellRecord:
    finding = Finding(status, "", "", "", "")
    return CellRecord("G-X", "X", "S", severity, "x.feature:3", "acme@2025-01-01", "EU", status, finding)


def test_cells_are_counted_by_outcome_in_pytest_words() -> None:
    """Advisory failures are told apart from blocking ones; outcomes with no cell are left out."""
    records = [
        _record(Status.PASS),
        _record(Status.PASS),
        _record(Status.FAIL),
        _record(Status.FAIL, "advisory"),
        _record(Status.NOT_APPLICABLE),
        _record(Status.ERROR),
    ]
    assert cell_counts(records) == "6 cells: 1 failed, 1 error, 2 passed, 1 advisory failed, 1 not applicable"
    assert cell_counts(records[:1]) == "1 cell: 1 passed"
