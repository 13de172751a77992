"""Baseline mode: a previous ``compliance-report.json`` whose failing cells are known, so only new ones fail a run.

A cell is one scenario of a guarantee in one region group of one snapshot. A failing cell (fail or error) that
was failing (fail, error or waived) in the baseline is unchanged; any other failing cell is new. Baseline
failures whose cell now holds are listed as gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyproof.exceptions import InputError, Problem
from policyproof.jsonfile import read_json
from policyproof.outcomes import Against, Status

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from policyproof.outcomes import CellRecord
    from policyproof.report.results import Report

FAILING = frozenset({Status.FAIL, Status.ERROR})
_WAS_FAILING = frozenset({Status.FAIL.value, Status.ERROR.value, Status.WAIVED.value})
_KEYS = ("snapshot", "guarantee", "scenario", "status")


@dataclass(frozen=True, slots=True, order=True)
class BaselineCell:
    """A cell that was failing in the baseline."""

    snapshot: str
    guarantee: str
    scenario: str
    region: str
    status: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the cell across runs."""
        return (self.snapshot, self.guarantee, self.scenario, self.region)

    def describe(self) -> str:
        """The cell in one line, for reports."""
        return f"{self.guarantee} {self.scenario}, {self.snapshot}, {self.region} (was {self.status})"


def cell_key(record: CellRecord) -> tuple[str, str, str, str]:
    """What identifies a cell of this run across runs."""
    return (record.snapshot, record.guarantee, record.scenario, record.region)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The failing cells of a previous report, and where it was read from."""

    location: str
    failing: tuple[BaselineCell, ...]

    def state(self, status: Status, key: tuple[str, str, str, str]) -> Against:
        """New or unchanged for a failing cell; not compared for one that is not failing."""
        if status not in FAILING:
            return Against.NOT_COMPARED
        return Against.UNCHANGED if key in {cell.key for cell in self.failing} else Against.NEW

    def gone(self, records: Iterable[CellRecord]) -> tuple[BaselineCell, ...]:
        """Baseline failures whose cell ran in this run and is no longer failing (or waived)."""
        ran: dict[tuple[str, str, str, str], Status] = {}
        for record in records:
            ran[cell_key(record)] = record.status
        return tuple(
            cell for cell in self.failing if cell.key in ran and ran[cell.key] not in {*FAILING, Status.WAIVED}
        )


def _problem(path: Path, json_path: str, message: str) -> InputError:
    return InputError([Problem(path.as_posix(), 1, 1, json_path, message)])


def load_baseline(path: Path, shown: str | None = None) -> Baseline:
    """Read the failing cells of a previous ``compliance-report.json``; a file that is not one is an InputError."""
    data: Any = read_json(path, "baseline")
    if not isinstance(data, dict) or not isinstance(data.get("details"), list):
        raise _problem(path, "$.details", "not a compliance-report.json: it has no list of details")
    failing = []
    for index, detail in enumerate(data["details"]):
        regions = _regions(detail)
        if regions is None or not all(isinstance(detail.get(key), str) for key in _KEYS):
            raise _problem(
                path, f"$.details[{index}]", f"a detail needs the texts {', '.join(_KEYS)} and a list of regions"
            )
        if detail["status"] in _WAS_FAILING:
            failing += [
                BaselineCell(detail["snapshot"], detail["guarantee"], detail["scenario"], region, detail["status"])
                for region in regions
            ]
    return Baseline(shown or path.as_posix(), tuple(sorted(failing)))


def _regions(detail: object) -> list[str] | None:
    """The region groups a detail names: its list of regions (one entry may name several), or one region."""
    if not isinstance(detail, dict):
        return None
    regions = detail.get("regions", [detail.get("region")])
    if not isinstance(regions, list) or not regions or not all(isinstance(r, str) for r in regions):
        return None
    return regions


def baseline_markdown(report: Report) -> list[str]:
    """The baseline's section of the Markdown report (none without a baseline)."""
    if report.baseline is None:
        return []
    details = [d.record for d in report.details if d.record.baseline]
    new = sum(1 for record in details if record.baseline is Against.NEW)
    lines = [
        "## Baseline",
        "",
        (
            f"Compared with `{report.baseline.location}`: {new} new failing cell(s), "
            f"{len(details) - new} unchanged; {len(report.baseline_gone)} baseline failure(s) gone."
        ),
        "",
    ]
    lines += [f"- Gone: {cell.describe()}" for cell in report.baseline_gone]
    return [*lines, ""] if report.baseline_gone else lines


def baseline_data(report: Report) -> dict[str, Any] | None:
    """The baseline's part of the JSON report: where it came from and its failures that are gone."""
    if report.baseline is None:
        return None
    return {
        "file": report.baseline.location,
        "gone": [
            {
                "snapshot": c.snapshot,
                "guarantee": c.guarantee,
                "scenario": c.scenario,
                "region": c.region,
                "was": c.status,
            }
            for c in report.baseline_gone
        ],
    }
