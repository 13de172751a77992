"""The results of a run: one record a cell, gathered from pytest's reports into the compliance report."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from policyproof.report.status import PRECEDENCE, Status

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from policyproof.report.baseline import Baseline, BaselineCell
    from policyproof.report.waivers import Waiver
    from policyproof.snapshot.model import Snapshot, Source

SEVERITY_ORDER = {"blocking": 0, "advisory": 1}


@dataclass(frozen=True, slots=True)
class Finding:
    """What was expected in a cell, what the snapshot says, why, and where the policy says it."""

    status: Status
    expected: str
    decided: str
    reason: str
    explanation: str
    rule_location: str | None = None
    sources: tuple[str, ...] = field(default=())

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Finding:
        """The finding back from the plain data of its fields (as a cell record carries it in JSON)."""
        return cls(
            status=Status(data["status"]),
            expected=data["expected"],
            decided=data["decided"],
            reason=data["reason"],
            explanation=data["explanation"],
            rule_location=data["rule_location"],
            sources=tuple(data["sources"]),
        )

    def sentence(self) -> str:
        """The finding for a lawyer: expected, decided, why and where."""
        if self.status is Status.UNKNOWN:
            text = f"Expected: {self.expected}. The policy does not say: {self.explanation}."
        else:
            text = f"Expected: {self.expected}. Decided: {self.decided}, because {self.explanation}."
        if self.rule_location:
            text += f" Rule: {self.rule_location}."
        if self.sources:
            text += f" Sources: {', '.join(self.sources)}."
        return text


@dataclass(frozen=True, slots=True)
class CellRecord:
    """What a report needs of one cell: the guarantee, the scenario, the cell and the outcome."""

    guarantee: str
    title: str
    scenario: str
    severity: str
    feature: str
    snapshot: str
    region: str
    status: Status
    finding: Finding
    waiver: str = ""
    justification: str = ""
    note: str = ""
    baseline: str = ""  # for a failing cell in baseline mode: "new", or "unchanged" when it failed in the baseline

    def to_json(self) -> str:
        """The record as JSON, carried on pytest's report (and so across xdist workers)."""
        # Field by field rather than dataclasses.asdict, which deep-copies every value: a record is made a cell.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["finding"] = {f.name: getattr(self.finding, f.name) for f in fields(self.finding)}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> CellRecord:
        """The record back from its JSON."""
        data = json.loads(text)
        data["finding"] = Finding.from_data(data["finding"])
        data["status"] = Status(data["status"])
        return cls(**data)

    @property
    def sort_key(self) -> tuple[str, ...]:
        """Reports list cells by snapshot, guarantee, scenario and region."""
        return (self.snapshot, self.guarantee, self.scenario, self.feature, self.region)


@dataclass(frozen=True, slots=True)
class Row:
    """One guarantee's line in a snapshot's matrix: its outcome in each region group (None: not run there)."""

    guarantee: str
    title: str
    severity: str
    cells: tuple[Status | None, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """One snapshot in the report: what it is, its sources, and its matrix with counts."""

    snapshot: Snapshot
    regions: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    counts: tuple[Counter[Status], ...]
    overall: Counter[Status]


@dataclass(frozen=True, slots=True)
class Detail:
    """A failing or waived cell with the quotes of the sources its rule cites."""

    record: CellRecord
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """The compliance report of one run."""

    as_of: dt.date
    sections: tuple[Section, ...]
    details: tuple[Detail, ...]
    unused_waivers: tuple[Waiver, ...] = field(default=())
    expired_waivers: tuple[Waiver, ...] = field(default=())
    baseline: Baseline | None = None
    baseline_gone: tuple[BaselineCell, ...] = field(default=())

    @property
    def totals(self) -> Counter[Status]:
        """Cells by outcome over every snapshot."""
        total: Counter[Status] = Counter()
        for section in self.sections:
            total.update(section.overall)
        return total

    @property
    def blocking_failures(self) -> int:
        """Failing or erroring cells of blocking guarantees (waived ones excluded)."""
        return sum(
            1
            for detail in self.details
            if detail.record.severity == "blocking" and detail.record.status in {Status.FAIL, Status.ERROR}
        )


def combine(statuses: Iterable[Status]) -> Status | None:
    """The outcome a matrix cell shows for the scenarios that ran in it."""
    present = set(statuses)
    return next((status for status in PRECEDENCE if status in present), None)


def build_report(
    records: Iterable[CellRecord],
    snapshots: Mapping[str, Snapshot],
    as_of: dt.date,
    waivers: Iterable[Waiver] = (),
    baseline: Baseline | None = None,
) -> Report:
    """Gather cell records into the report: a matrix a snapshot, the failing and waived cells, the waivers."""
    ordered = sorted(records, key=lambda r: r.sort_key)
    sections = []
    for snapshot_id in sorted({r.snapshot for r in ordered}):
        snapshot = snapshots[snapshot_id]
        mine = [r for r in ordered if r.snapshot == snapshot_id]
        regions = tuple((g.id, g.label) for g in snapshot.region_groups)
        guarantees = sorted(
            {(r.guarantee, r.title, r.severity) for r in mine}, key=lambda g: (SEVERITY_ORDER.get(g[2], 9), g[0])
        )
        statuses: defaultdict[tuple[str, str], list[Status]] = defaultdict(list)
        for record in mine:
            statuses[record.guarantee, record.region].append(record.status)
        rows = tuple(
            Row(gid, title, severity, tuple(combine(statuses.get((gid, region), ())) for region, _ in regions))
            for gid, title, severity in guarantees
        )
        counts = tuple(
            Counter(status for row in rows if (status := row.cells[i]) is not None) for i in range(len(regions))
        )
        overall: Counter[Status] = Counter()
        for count in counts:
            overall.update(count)
        sections.append(Section(snapshot, regions, rows, counts, overall))
    # Blocking failures first: they are what a reader must act on.
    failing = sorted(
        (r for r in ordered if r.status in {Status.FAIL, Status.ERROR, Status.WAIVED, Status.UNKNOWN}),
        key=lambda r: (r.snapshot, SEVERITY_ORDER.get(r.severity, 9), *r.sort_key[1:]),
    )
    details = tuple(
        Detail(record, tuple(snapshots[record.snapshot].source(s) for s in record.finding.sources))
        for record in failing
    )
    used = {r.waiver for r in ordered if r.waiver}
    live = [w for w in waivers if not w.expired(as_of)]
    return Report(
        as_of=as_of,
        sections=tuple(sections),
        details=details,
        unused_waivers=tuple(w for w in live if w.describe() not in used),
        expired_waivers=tuple(w for w in waivers if w.expired(as_of)),
        baseline=baseline,
        baseline_gone=baseline.gone(ordered) if baseline is not None else (),
    )
