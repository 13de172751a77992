"""The report's entries for failing, erroring and waived cells, and what it says of the rules behind them.

Cells of one scenario whose findings are alike in every word but the name of their region group are one
entry naming those region groups, in the matrix's order; each entry carries its rule's recipients and the
points on which the rule's sources disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from policyproof.outcomes import CellRecord, Finding
    from policyproof.snapshot.model import Snapshot, Source
    from policyproof.snapshot.purposes import Rule

# Stands for the region group's own name while findings are compared; no snapshot or feature text holds it.
_HERE = "\x00"


@dataclass(frozen=True, slots=True)
class Dispute:
    """A point on which a rule's sources disagree, the sources themselves, and what the rule encodes."""

    about: str
    sources: tuple[Source, ...]
    resolution: str


@dataclass(frozen=True, slots=True)
class RuleDisputes:
    """The disagreements recorded on one rule of a snapshot: its purpose, region groups and line."""

    purpose: str
    regions: tuple[str, ...]
    location: str
    disputes: tuple[Dispute, ...]


@dataclass(frozen=True, slots=True)
class Detail:
    """Failing, erroring or waived cells of one scenario with the same finding: one entry for all of them.

    ``record`` is the first of the cells; ``finding`` names every one of ``regions`` (id, label), which are
    in the matrix's order. ``rule`` is the snapshot rule the finding cites, if any; ``cells`` are the records of
    every cell the entry stands for, for formats that list cells one by one.
    """

    record: CellRecord
    regions: tuple[tuple[str, str], ...]
    finding: Finding
    sources: tuple[Source, ...]
    rule: Rule | None
    disputes: tuple[Dispute, ...]
    cells: tuple[CellRecord, ...] = ()
    documents: tuple[Source, ...] = ()  # where the policy does not say: the documents read

    @property
    def region_ids(self) -> tuple[str, ...]:
        """The region groups' ids, in the matrix's order."""
        return tuple(rid for rid, _ in self.regions)


def _label(snapshot: Snapshot, region: str) -> str:
    return next((g.label for g in snapshot.region_groups if g.id == region), region)


def _mention(snapshot: Snapshot, region: str) -> str:
    """How findings name a region group: ``United States (US)``."""
    return f"{_label(snapshot, region)} ({region})"


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _replace(finding: Finding, old: str, new: str) -> Finding:
    return dataclasses.replace(
        finding,
        expected=finding.expected.replace(old, new),
        decided=finding.decided.replace(old, new),
        explanation=finding.explanation.replace(old, new),
    )


def rule_at(snapshot: Snapshot, location: str | None) -> Rule | None:
    """The rule a finding's ``file:line`` points at, if it points into this snapshot."""
    if location is None:
        return None
    path, _, line = location.rpartition(":")
    if path != snapshot.location or not line.isdigit():
        return None
    return next((rule for purpose in snapshot.purposes for rule in purpose.rules if rule.line == int(line)), None)


def disputes_of(snapshot: Snapshot, rule: Rule) -> tuple[Dispute, ...]:
    """The rule's disagreements with their sources looked up."""
    return tuple(
        Dispute(d.about, tuple(snapshot.source(s) for s in d.sources), d.resolution) for d in rule.disagreements
    )


def snapshot_disputes(snapshot: Snapshot) -> tuple[RuleDisputes, ...]:
    """Every rule of the snapshot on which sources disagree, in the snapshot's order."""
    return tuple(
        RuleDisputes(purpose.label, rule.regions, f"{snapshot.location}:{rule.line}", disputes_of(snapshot, rule))
        for purpose in snapshot.purposes
        for rule in purpose.rules
        if rule.disagreements
    )


def gather_details(records: Iterable[CellRecord], snapshots: Mapping[str, Snapshot]) -> tuple[Detail, ...]:
    """One entry per scenario and finding, in the order of each entry's first cell."""
    alike: dict[tuple[object, ...], tuple[Finding, list[CellRecord]]] = {}
    for record in records:
        general = _replace(record.finding, _mention(snapshots[record.snapshot], record.region), _HERE)
        key = (
            record.snapshot,
            record.guarantee,
            record.scenario,
            record.feature,
            record.severity,
            record.status,
            general,
            record.waiver,
            record.justification,
            record.note,
            record.baseline,
        )
        alike.setdefault(key, (general, []))[1].append(record)
    details = []
    for general, cells in alike.values():
        snapshot = snapshots[cells[0].snapshot]
        order = {g.id: index for index, g in enumerate(snapshot.region_groups)}
        regions = sorted({r.region for r in cells}, key=lambda rid: (order.get(rid, len(order)), rid))
        finding = _replace(general, _HERE, _joined([_mention(snapshot, rid) for rid in regions]))
        rule = rule_at(snapshot, finding.rule_location)
        details.append(
            Detail(
                record=cells[0],
                regions=tuple((rid, _label(snapshot, rid)) for rid in regions),
                finding=finding,
                sources=tuple(snapshot.source(s) for s in finding.sources),
                rule=rule,
                disputes=disputes_of(snapshot, rule) if rule else (),
                cells=tuple(sorted(cells, key=lambda r: (order.get(r.region, len(order)), r.region))),
                documents=tuple(snapshot.source(s) for s in finding.documents),
            )
        )
    return tuple(details)
