"""Counting cells by outcome, each count in a named unit, so that every format and pytest's line agree.

A matrix cell (guarantee x region) shows the worst outcome of the guarantee's scenarios in that region
group; each scenario in each region group is a scenario x region cell, as pytest's run checks them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.outcomes import STATUSES, Severity, Status

if TYPE_CHECKING:
    from collections.abc import Iterable

MATRIX_UNIT = "guarantee x region"
SCENARIO_UNIT = "scenario x region"
# What each unit is, said once for every format.
MATRIX_CELL = "Each shows the worst outcome of its guarantee's scenarios in one region group."
SCENARIO_CELL = "Each is one scenario checked in one region group, as pytest's run counts them."
DETAILS = (
    "Scenario x region cells; cells of one scenario whose findings are alike but for the region group's name "
    "are one entry naming their region groups."
)


@dataclass(frozen=True, slots=True)
class Tally:
    """Cells of one unit by outcome, with how many of the failing ones belong to blocking guarantees."""

    unit: str
    outcomes: Counter[Status]
    blocking: int

    @property
    def total(self) -> int:
        """Every cell counted."""
        return sum(self.outcomes.values())

    @property
    def advisory(self) -> int:
        """Failing cells of advisory guarantees."""
        return self.outcomes[Status.FAIL] - self.blocking

    def sentence(self) -> str:
        """``4 guarantee x region cells: 2 pass, 2 fail (1 blocking, 1 advisory)``; outcomes with no cell left out."""
        parts = []
        for status in STATUSES:
            count = self.outcomes[status]
            if not count:
                continue
            part = f"{count} {status.value}"
            if status is Status.FAIL:
                split = [
                    f"{n} {severity}" for n, severity in ((self.blocking, "blocking"), (self.advisory, "advisory"))
                ]
                part += f" ({', '.join(s for s in split if not s.startswith('0 '))})"
            parts.append(part)
        text = f"{self.total} {self.unit} cell{'' if self.total == 1 else 's'}"
        return f"{text}: {', '.join(parts)}" if parts else text


def tally(unit: str, cells: Iterable[tuple[Status, str]]) -> Tally:
    """Count cells given as (outcome, severity)."""
    outcomes: Counter[Status] = Counter()
    blocking = 0
    for status, severity in cells:
        outcomes[status] += 1
        blocking += status is Status.FAIL and severity is Severity.BLOCKING
    return Tally(unit, outcomes, blocking)


def add(unit: str, tallies: Iterable[Tally]) -> Tally:
    """Several tallies of one unit as one."""
    outcomes: Counter[Status] = Counter()
    blocking = 0
    for one in tallies:
        outcomes.update(one.outcomes)
        blocking += one.blocking
    return Tally(unit, outcomes, blocking)
