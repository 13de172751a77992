"""What the policy does not tell members: the points its documents leave unsaid, region group by region group.

A silence is a finding about the platform, not a gap of the snapshot: the documents the snapshot was written
from were read and say nothing on the point. The report lists, for each snapshot, every such point a
guarantee ran into and every purpose the snapshot records as silent, with the documents read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.decisions import absence
from policyproof.outcomes import Status

if TYPE_CHECKING:
    from collections.abc import Iterable

    from policyproof.outcomes import CellRecord
    from policyproof.snapshot.model import Snapshot, Source


@dataclass(frozen=True, slots=True)
class SilentPoint:
    """One point the documents read leave unsaid in one region group, and where the snapshot records it."""

    region: str
    label: str
    point: str
    documents: tuple[Source, ...]
    location: str | None
    note: str | None = None


def silences(snapshot: Snapshot, records: Iterable[CellRecord]) -> tuple[SilentPoint, ...]:
    """The snapshot's silent points: its ``silent_in`` entries and the silences its unknown cells met.

    One entry a region group and point, in the order of the snapshot's region groups, then of the points.
    """
    labels = {group.id: group.label for group in snapshot.region_groups}
    found: dict[tuple[str, str], SilentPoint] = {}
    for purpose in snapshot.purposes:
        for entry in purpose.silent:
            for region in entry.regions:
                said = absence(snapshot, purpose, region, f"{labels[region]} ({region})")
                found[region, said.explanation] = SilentPoint(
                    region,
                    labels[region],
                    said.explanation,
                    tuple(map(snapshot.source, entry.documents)),
                    said.location,
                    entry.note,
                )
    for record in records:
        finding = record.finding
        if record.status is Status.UNKNOWN and finding.documents and record.region in labels:
            key = (record.region, finding.explanation)
            if key not in found:
                documents = tuple(map(snapshot.source, finding.documents))
                label = labels[record.region]
                found[key] = SilentPoint(record.region, label, finding.explanation, documents, finding.rule_location)
    order = {group.id: index for index, group in enumerate(snapshot.region_groups)}
    return tuple(sorted(found.values(), key=lambda s: (order[s.region], s.point)))


INTRODUCTION = (
    "The documents this snapshot was written from were read and say nothing on these points: each is a finding "
    "about what the platform tells its members, not a gap in the snapshot."
)
NONE = "No point is recorded on which the documents read are silent."
