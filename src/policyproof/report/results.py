"""The results of a run: one record a cell, gathered from pytest's reports into the compliance report."""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from policyproof.outcomes import PRECEDENCE, STATUSES, UNANSWERED, CellRecord, Severity, Status
from policyproof.report.counts import MATRIX_UNIT, SCENARIO_UNIT, Tally, add, tally
from policyproof.report.details import Detail, RuleDisputes, gather_details, snapshot_disputes
from policyproof.report.silences import SilentPoint, silences

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from policyproof.report.baseline import Baseline, BaselineCell
    from policyproof.report.evidence import EvidenceAudit
    from policyproof.report.waivers import Waiver
    from policyproof.snapshot.model import Snapshot, Successor


@dataclass(frozen=True, slots=True)
class Row:
    """One guarantee's line in a snapshot's matrix: its outcome in each region group (None: not run there).

    ``outcomes`` gives, region group by region group, how many of its scenarios ended each way, in the order
    counts are given: a cell shows its worst outcome, and the mix behind it where its scenarios ended differently.
    """

    guarantee: str
    title: str
    severity: Severity
    outcomes: tuple[tuple[tuple[Status, int], ...], ...]

    @property
    def cells(self) -> tuple[Status | None, ...]:
        """Each region group's worst outcome; None where the guarantee did not run there."""
        return tuple(combine(status for status, _ in outcomes) for outcomes in self.outcomes)

    def mix(self, index: int) -> str:
        """The mix behind one cell (``pass 1, unknown 1``), or nothing where its scenarios all ended alike."""
        outcomes = self.outcomes[index]
        return ", ".join(f"{status.value} {count}" for status, count in outcomes) if len(outcomes) > 1 else ""


class Chosen(enum.StrEnum):
    """How a run chose its snapshots."""

    EVERY = "every"  # --snapshot all
    IN_FORCE = "in-force"  # no --snapshot: the latest of each platform in force on the report's date
    NAMED = "named"  # --snapshot ID


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a run was asked to check: its snapshots, how they were chosen, the region groups it was narrowed to."""

    snapshots: tuple[str, ...]
    chosen: Chosen = Chosen.EVERY
    regions: tuple[str, ...] = ()  # none: every region group
    pinned: tuple[str, ...] = ()  # snapshots outside the scope that scenarios named for themselves
    selection: tuple[str, ...] = ()  # how pytest narrowed the scenarios run (-k, -m, stopping early), in words

    @property
    def narrowed(self) -> bool:
        """Whether options left out snapshots, region groups or scenarios a full run checks."""
        return self.chosen is Chosen.NAMED or bool(self.regions) or bool(self.selection)

    def checks(self, region: str) -> bool:
        """Whether the run checked this region group."""
        return not self.regions or region in self.regions

    def sentence(self, as_of: dt.date) -> str:
        """What the run checked, in words: the snapshots, how they were chosen, and the region groups."""
        ids = ", ".join(self.snapshots)
        snapshots = {
            Chosen.EVERY: f"every snapshot ({ids})",
            Chosen.IN_FORCE: f"the latest snapshot of each platform in force on {as_of.isoformat()} ({ids})",
            Chosen.NAMED: f"only the snapshots named with --snapshot ({ids})",
        }[self.chosen]
        regions = (
            f"only the region groups named with --region ({', '.join(self.regions)})"
            if self.regions
            else "every region group"
        )
        pinned = f"; and, for the scenarios that name them, {', '.join(self.pinned)}" if self.pinned else ""
        selected = "".join(f"; only {words}" for words in self.selection)
        text = f"Checked: {snapshots}{pinned}; {regions}{selected}."
        return f"{text} A narrowed run: this is not a full report." if self.narrowed else text


@dataclass(frozen=True, slots=True)
class Section:
    """One snapshot in the report: what it is, whether it is in force, and its matrix with counts.

    ``checked`` says, region group by region group, whether the run checked it; ``counts`` gives each
    region group's guarantee x region cells by outcome. ``successor`` is the next version of the platform.
    """

    snapshot: Snapshot
    regions: tuple[tuple[str, str], ...]
    checked: tuple[bool, ...]
    rows: tuple[Row, ...]
    counts: tuple[Counter[Status], ...]
    matrix: Tally
    scenarios: Tally
    successor: Successor | None
    in_force: bool
    disputes: tuple[RuleDisputes, ...]
    silences: tuple[SilentPoint, ...] = ()

    def standing(self, as_of: dt.date) -> str:
        """Whether the snapshot is in force on the report's date, and what supersedes it, in a sentence."""
        day = f"{as_of.isoformat()}, the report's date"
        successor = self.successor
        if successor is None:
            return f"In force on {day}." if self.in_force else f"Not yet in force on {day}: {self._starts}."
        superseded = f"superseded by {successor.id} on {successor.effective.isoformat()}"
        if self.in_force:
            return f"In force on {day}; {superseded}."
        if successor.effective <= as_of:
            return f"S{superseded[1:]}: not in force on {day}."
        return f"Not yet in force on {day}: {self._starts}; {superseded}."

    @property
    def _starts(self) -> str:
        return f"it takes effect on {self.snapshot.effective.isoformat()}"


@dataclass(frozen=True, slots=True)
class Report:
    """The compliance report of one run.

    ``waivers_file`` is the waivers file as reports name it, or None when there is none.
    """

    as_of: dt.date
    coverage: Coverage
    sections: tuple[Section, ...]
    details: tuple[Detail, ...]
    in_force: tuple[str, ...] = field(default=())
    waivers_file: str | None = None
    unused_waivers: tuple[Waiver, ...] = field(default=())
    expired_waivers: tuple[Waiver, ...] = field(default=())
    baseline: Baseline | None = None
    baseline_gone: tuple[BaselineCell, ...] = field(default=())
    evidence: tuple[EvidenceAudit, ...] = field(default=())

    @property
    def totals(self) -> Tally:
        """Guarantee x region cells (the matrices' cells) by outcome over every snapshot."""
        return add(MATRIX_UNIT, (section.matrix for section in self.sections))

    @property
    def scenarios(self) -> Tally:
        """Scenario x region cells (each scenario in each region group) by outcome over every snapshot."""
        return add(SCENARIO_UNIT, (section.scenarios for section in self.sections))

    @property
    def blocking_failures(self) -> int:
        """Failing matrix cells of blocking guarantees (waived ones excluded)."""
        return self.totals.blocking

    @property
    def unchecked(self) -> bool:
        """Whether some matrix shows a region group the run did not check."""
        return any(not checked for section in self.sections for checked in section.checked)


def combine(statuses: Iterable[Status]) -> Status | None:
    """The outcome a matrix cell shows for the scenarios that ran in it."""
    present = set(statuses)
    return next((status for status in PRECEDENCE if status in present), None)


def _outcomes(statuses: Iterable[Status]) -> tuple[tuple[Status, int], ...]:
    """How many scenarios ended each way, in the order counts are given; outcomes that did not occur left out."""
    counted = Counter(statuses)
    return tuple((status, counted[status]) for status in STATUSES if counted[status])


def _section(snapshot: Snapshot, records: list[CellRecord], coverage: Coverage, as_of: dt.date) -> Section:
    regions = tuple((g.id, g.label) for g in snapshot.region_groups)
    guarantees = sorted({(r.guarantee, r.title, r.severity) for r in records}, key=lambda g: (g[2].rank, g[0]))
    statuses: defaultdict[tuple[str, str], list[Status]] = defaultdict(list)
    for record in records:
        statuses[record.guarantee, record.region].append(record.status)
    rows = tuple(
        Row(
            gid,
            title,
            severity,
            tuple(_outcomes(statuses.get((gid, region), ())) for region, _ in regions),
        )
        for gid, title, severity in guarantees
    )
    counts = tuple(Counter(status for row in rows if (status := row.cells[i]) is not None) for i in range(len(regions)))
    return Section(
        snapshot=snapshot,
        regions=regions,
        checked=tuple(coverage.checks(rid) for rid, _ in regions),
        rows=rows,
        counts=counts,
        matrix=tally(MATRIX_UNIT, ((s, row.severity) for row in rows for s in row.cells if s is not None)),
        scenarios=tally(SCENARIO_UNIT, ((r.status, r.severity) for r in records)),
        successor=snapshot.successor,
        in_force=snapshot.in_force_on(as_of),
        disputes=snapshot_disputes(snapshot),
        silences=silences(snapshot, records),
    )


def build_report(
    records: Iterable[CellRecord],
    snapshots: Mapping[str, Snapshot],
    as_of: dt.date,
    coverage: Coverage,
    *,
    waivers: Iterable[Waiver] = (),
    waivers_file: str | None = None,
    baseline: Baseline | None = None,
    evidence: Iterable[EvidenceAudit] = (),
) -> Report:
    """Gather cell records into the report: a matrix a snapshot, the failing and waived cells, the waivers.

    ``snapshots`` are every snapshot loaded, so that the report can say which supersedes which; ``coverage``
    is what the run was asked to check; ``waivers_file`` names the waivers file, None when there is none.
    """
    ordered = sorted(records, key=lambda r: r.sort_key)
    pinned = sorted({r.snapshot for r in ordered} - set(coverage.snapshots))
    coverage = replace(coverage, pinned=tuple(pinned))
    sections = tuple(
        _section(snapshots[sid], [r for r in ordered if r.snapshot == sid], coverage, as_of)
        for sid in sorted({r.snapshot for r in ordered})
    )
    order = {(s.snapshot.id, rid): index for s in sections for index, (rid, _) in enumerate(s.regions)}
    # Blocking failures first: they are what a reader must act on. Region groups in the matrix's order.
    failing = sorted(
        (r for r in ordered if r.status in {Status.FAIL, Status.ERROR, Status.WAIVED, *UNANSWERED}),
        key=lambda r: (
            r.snapshot,
            r.severity.rank,
            *r.sort_key[1:-1],
            order.get((r.snapshot, r.region), len(order)),
        ),
    )
    waivers = tuple(waivers)
    used = {r.waiver for r in ordered if r.waiver}
    live = [w for w in waivers if not w.expired(as_of)]
    in_force = [s.id for s in sorted(snapshots.values(), key=lambda s: (s.platform, s.version)) if s.in_force_on(as_of)]
    return Report(
        as_of=as_of,
        coverage=coverage,
        sections=sections,
        details=gather_details(failing, snapshots),
        in_force=tuple(in_force),
        waivers_file=waivers_file,
        unused_waivers=tuple(w for w in live if w.describe() not in used),
        expired_waivers=tuple(w for w in waivers if w.expired(as_of)),
        baseline=baseline,
        baseline_gone=baseline.gone(ordered) if baseline is not None else (),
        evidence=tuple(evidence),
    )
