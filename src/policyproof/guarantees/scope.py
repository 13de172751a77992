"""Which snapshots and region groups a run covers, and the cells a guarantee fans out to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError, UsageError
from policyproof.snapshot.regions import Place, group_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Sequence

    from policyproof.snapshot.model import Snapshot

ALL = "all"


@dataclass(frozen=True, slots=True)
class Cell:
    """One snapshot in one region group: where a guarantee is checked once."""

    snapshot: str
    region: str


@dataclass(frozen=True, slots=True)
class CellGroup:
    """The cells of one snapshot a scenario runs in, checked together by one test item."""

    snapshot: str
    regions: tuple[str, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """One cell a region group."""
        return tuple(Cell(self.snapshot, region) for region in self.regions)

    def within(self, cells: Iterable[Cell]) -> CellGroup:
        """The group keeping only the given cells (an outline example may fix a place)."""
        allowed = {cell.region for cell in cells if cell.snapshot == self.snapshot}
        return CellGroup(self.snapshot, tuple(region for region in self.regions if region in allowed))


def group_cells(cells: Iterable[Cell]) -> list[CellGroup]:
    """Cells grouped by snapshot, in the order they come."""
    regions: dict[str, list[str]] = {}
    for cell in cells:
        regions.setdefault(cell.snapshot, []).append(cell.region)
    return [CellGroup(snapshot, tuple(dict.fromkeys(found))) for snapshot, found in regions.items()]


@dataclass(frozen=True, slots=True)
class Pins:
    """What a scenario fixes for itself: a snapshot, a platform, a place."""

    snapshot: str | None = None
    platform: str | None = None
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """The snapshots a run covers and the region groups it is narrowed to (empty: all)."""

    snapshots: tuple[Snapshot, ...]
    regions: frozenset[str]
    every: dict[str, Snapshot]

    def cells(self, pins: Pins) -> list[Cell]:
        """The cells a scenario with these pins runs in; a pinned snapshot runs whatever the scope."""
        if pins.snapshot is not None:
            chosen: Iterable[Snapshot] = [self.snapshot(pins.snapshot)]
        else:
            chosen = self.snapshots
        if pins.platform is not None:
            chosen = [s for s in chosen if s.platform == pins.platform.casefold()]
        cells: list[Cell] = []
        for snapshot in chosen:
            groups = [g.id for g in snapshot.region_groups]
            if pins.place is not None:
                group = group_of(snapshot, pins.place)
                groups = [group.id] if group is not None else []
            cells.extend(Cell(snapshot.id, g) for g in groups if not self.regions or g in self.regions)
        return cells

    @property
    def group_ids(self) -> frozenset[str]:
        """The ids of every region group of every loaded snapshot."""
        return frozenset(g.id for s in self.every.values() for g in s.region_groups)

    def snapshot(self, snapshot_id: str) -> Snapshot:
        """Any loaded snapshot by id, in scope or not."""
        try:
            return self.every[snapshot_id]
        except KeyError:
            raise UnknownNameError("snapshot", snapshot_id, sorted(self.every)) from None


def in_force(snapshots: Iterable[Snapshot], as_of: dt.date) -> list[Snapshot]:
    """The snapshot of each platform in force on ``as_of`` (snapshots as loaded, each knowing its successor)."""
    return sorted((s for s in snapshots if s.in_force_on(as_of)), key=lambda s: s.platform)


def build_scope(
    snapshots: Sequence[Snapshot], as_of: dt.date, chosen: Sequence[str] = (), regions: Sequence[str] = ()
) -> Scope:
    """The scope of a run: the snapshots chosen (``all``, ids, or by default those in force) and regions."""
    every = {s.id: s for s in snapshots}
    if not chosen:
        picked = in_force(snapshots, as_of)
        if not picked:
            raise UsageError(f"no snapshot is in force on {as_of.isoformat()}; name one with --snapshot")
    elif ALL in chosen:
        picked = list(snapshots)
    else:
        picked = []
        for snapshot_id in dict.fromkeys(chosen):
            if snapshot_id not in every:
                raise UnknownNameError("snapshot", snapshot_id, sorted(every))
            picked.append(every[snapshot_id])
    known_regions = {g.id for s in picked for g in s.region_groups}
    for region in regions:
        if region not in known_regions:
            raise UnknownNameError("region group", region, sorted(known_regions), "the snapshots in scope")
    ordered = tuple(sorted(picked, key=lambda s: (s.platform, s.version)))
    return Scope(ordered, frozenset(regions), every)
