"""A platform's policy history as data: when each purpose was active in each region group, and how.

Each use is a bar from the day it is active to the day it stops (or past the report's date, when no end is
stated), under one version's rule; each version is marked by its announcement and its taking effect. The
report draws it (``report/timeline.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.history.facts import Named

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.snapshot.model import Snapshot

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Bar:
    """A purpose active in a region group for a span of days under one version's rule."""

    purpose: Named
    group: str
    start: dt.date
    end: dt.date
    default_on: bool
    version: str
    location: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """A platform's bars, region groups, purposes and version marks, between two dates."""

    platform: str
    groups: tuple[Named, ...]
    purposes: tuple[Named, ...]
    bars: tuple[Bar, ...]
    versions: tuple[tuple[str, dt.date, dt.date], ...]  # id, announced, effective
    start: dt.date
    end: dt.date


def timeline(versions: Sequence[Snapshot], until: dt.date) -> Timeline:
    """The timeline of one platform's versions (oldest first), drawn up to ``until``.

    Each version governs from its effective date to the day before the next one's; the first version's rules
    are drawn from their own start, which may precede it.
    """
    ordered = sorted(versions, key=lambda s: s.version)
    groups: dict[str, Named] = {}
    purposes: dict[str, Named] = {}
    for snapshot in reversed(ordered):  # the latest version's order and labels first
        for group in snapshot.region_groups:
            groups.setdefault(group.id, Named(group.id, group.label))
        for purpose in snapshot.purposes:
            purposes.setdefault(purpose.id, Named(purpose.id, purpose.label))
    # Open-ended uses run on past the report's date to the picture's edge, for they are stated with no end.
    first = min(
        [*(r.active_from for s in ordered[:1] for p in s.purposes for r in p.rules), *(s.announced for s in ordered)]
    )
    seen = max([until, *(s.effective for s in ordered)])
    last = seen + max(dt.timedelta(days=180), (seen - first) / 4)
    bars = []
    stops = [following.effective - ONE_DAY for following in ordered[1:]] + [last]
    for index, (snapshot, stop) in enumerate(zip(ordered, stops, strict=True)):
        for purpose in snapshot.purposes:
            for rule in purpose.rules:
                start = rule.active_from if index == 0 else max(rule.active_from, snapshot.effective)
                end = min(stop, rule.active_until) if rule.active_until is not None else stop
                if start > end:
                    continue
                bars += [
                    Bar(
                        purposes[purpose.id],
                        g,
                        start,
                        end,
                        rule.default_on,
                        snapshot.id,
                        f"{snapshot.location}:{rule.line}",
                    )
                    for g in rule.regions
                ]
    marks = tuple((s.id, s.announced, s.effective) for s in ordered)
    return Timeline(
        ordered[0].platform,
        tuple(groups.values()),
        tuple(purposes.values()),
        tuple(bars),
        marks,
        first - dt.timedelta(days=30),
        last,
    )
