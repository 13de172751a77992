"""What one snapshot states about a purpose in a country: the facts a semantic diff compares.

The diff compares facts, never snapshots, so a change of the snapshot format changes only ``fact_of``, which
reads them off a snapshot, and not how they are compared or shown. Each fact is either a value the policy
states or ``NOT_STATED``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from policyproof.snapshot.model import RegionGroup, Snapshot
    from policyproof.snapshot.purposes import Rule

_T = TypeVar("_T")

# Stands for every country that no region group of either snapshot names: both put it in their rest of the world.
REST = "*"


class NotStated(enum.Enum):
    """The policy does not say."""

    NOT_STATED = "not stated"


NOT_STATED = NotStated.NOT_STATED


@dataclass(frozen=True, slots=True, order=True)
class Named:
    """Something a snapshot defines, by its id and the label readers know it by."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Fact:
    """What one snapshot states about one purpose in one country.

    ``active`` is True when a rule governs the purpose there, False when the snapshot states that it does not
    apply there, ``NOT_STATED`` when it says neither; the terms below it are those of the rule, when there is one.
    ``location`` is ``file:line`` of what states it, or the file alone when nothing does.
    """

    active: bool | NotStated
    location: str
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    start_known: bool = True  # False: ``active_from`` is a date the sources show it in use by, not its start
    # Days between the snapshot's announcement and the use's start, when the use starts with this snapshot;
    # None for a use carried over from an earlier version, whose notice this snapshot does not state.
    notice_days: int | None = None
    default_on: bool | None = None
    controls: tuple[Named, ...] = ()
    uses: tuple[Named, ...] = ()
    never_uses: tuple[Named, ...] = ()
    other_categories: str | NotStated = NOT_STATED
    age_below: int | NotStated = NOT_STATED
    believed_under_18: bool | NotStated = NOT_STATED
    legal_basis: str | NotStated = NOT_STATED
    recipients: tuple[str, ...] = ()
    opt_out_effect: str | NotStated = NOT_STATED
    conditions: tuple[str, ...] = ()


def countries_of(*snapshots: Snapshot) -> tuple[str, ...]:
    """Every country a region group of these snapshots names, then ``REST`` for all the others."""
    named = {country for snapshot in snapshots for group in snapshot.region_groups for country in group.countries}
    return (*sorted(named), REST)


def group_of(snapshot: Snapshot, country: str) -> RegionGroup | None:
    """The snapshot's region group for a country (``REST``: its rest of the world), or None when none holds it."""
    if country == REST:
        return next((group for group in snapshot.region_groups if group.rest_of_world), None)
    return snapshot.group_of_country(country)


def fact_of(snapshot: Snapshot, purpose_id: str, country: str) -> Fact:
    """What the snapshot states about the purpose in the country."""
    group = group_of(snapshot, country)
    if group is None:
        return Fact(NOT_STATED, snapshot.location)
    rule = snapshot.rule_for(purpose_id, group.id)
    if rule is not None:
        return _rule_fact(snapshot, rule)
    not_active = snapshot.not_active_for(purpose_id, group.id)
    if not_active is not None:
        return Fact(active=False, location=f"{snapshot.location}:{not_active.line}")
    return Fact(NOT_STATED, snapshot.location)


def _named(items: Iterable[Named]) -> tuple[Named, ...]:
    """Items in the order readers look them up: by label."""
    return tuple(sorted(set(items), key=lambda item: (item.label.casefold(), item.id)))


def _rule_fact(snapshot: Snapshot, rule: Rule) -> Fact:
    starts_here = rule.start_known and rule.active_from >= snapshot.effective
    return Fact(
        active=True,
        location=f"{snapshot.location}:{rule.line}",
        active_from=rule.active_from,
        notice_days=(rule.active_from - snapshot.announced).days if starts_here else None,
        default_on=rule.default_on,
        controls=_named(Named(c, snapshot.control(c).label) for c in rule.controls),
        uses=_named(Named(c, snapshot.category(c).label) for c in rule.uses),
        never_uses=_named(Named(c, snapshot.category(c).label) for c in rule.never_uses),
        other_categories="not used" if rule.others_not_used else NOT_STATED,
        age_below=_stated(rule.excluded.age_below),
        believed_under_18=_stated(rule.excluded.believed_under_18),
        legal_basis=_stated(rule.legal_basis),
        recipients=tuple(sorted(rule.recipients)),
        opt_out_effect=_stated(
            None if rule.retroactive is None else "retroactive" if rule.retroactive else "prospective"
        ),
        conditions=rule.conditions,
        active_until=rule.active_until,
        start_known=rule.start_known,
    )


def _stated(value: _T | None) -> _T | NotStated:
    """A value the snapshot may leave out: None there is silence."""
    return NOT_STATED if value is None else value
