"""Waivers: accepted failures of a guarantee in some snapshots and regions, until an expiry date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.exceptions import InputError
from policyproof.snapshot.schema import schema_problems
from policyproof.snapshot.yaml_loader import read_document

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = "waivers"


@dataclass(frozen=True, slots=True)
class Waiver:
    """One waiver, with the line of the waivers file that states it."""

    guarantee: str
    snapshots: tuple[str, ...]
    regions: tuple[str, ...]
    justification: str
    owner: str
    expires: dt.date
    location: str

    def covers(self, guarantee: str, snapshot: str, region: str) -> bool:
        """Whether the waiver names this guarantee, snapshot and region."""
        return guarantee == self.guarantee and snapshot in self.snapshots and region in self.regions

    def expired(self, as_of: dt.date) -> bool:
        """Whether the waiver no longer applies on ``as_of`` (it applies through its expiry day)."""
        return as_of > self.expires

    def describe(self) -> str:
        """The waiver in one line, for messages and reports."""
        return (
            f"{self.guarantee} in {', '.join(self.snapshots)} for {', '.join(self.regions)}, owned by {self.owner}, "
            f"expires {self.expires.isoformat()} ({self.location})"
        )


def load_waivers(path: Path, shown: str | None = None) -> tuple[Waiver, ...]:
    """Read a waivers file; a missing file means no waivers; a malformed one is an InputError."""
    if not path.exists():
        return ()
    document = read_document(path)
    problems = schema_problems(document, SCHEMA)
    if problems:
        raise InputError(problems)
    where = shown or path.as_posix()
    return tuple(
        Waiver(
            guarantee=item["guarantee"],
            snapshots=tuple(item["snapshots"]),
            regions=tuple(item["regions"]),
            justification=item["justification"],
            owner=item["owner"],
            expires=dt.date.fromisoformat(item["expires"]),
            location=f"{where}:{document.locate(('waivers', index))[0]}",
        )
        for index, item in enumerate(document.data["waivers"])
    )


def find_waiver(
    waivers: tuple[Waiver, ...], guarantee: str, snapshot: str, region: str, as_of: dt.date
) -> tuple[Waiver | None, Waiver | None]:
    """The waiver in force for a cell, and else an expired one that would have covered it."""
    covering = [w for w in waivers if w.covers(guarantee, snapshot, region)]
    live = next((w for w in covering if not w.expired(as_of)), None)
    expired = next((w for w in covering if w.expired(as_of)), None)
    return live, expired
