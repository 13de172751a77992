"""Deciding whether one member's data is used for one purpose on one date, and why.

The questions are asked in a fixed order, and the first that settles it gives the reason:

1. the purpose is not active in the member's region group on that date: not used (``not-active``);
2. the category is never used, or falls under one that is: not used (``excluded-category``);
3. the category is not covered by the rule's used categories: not used (``not-covered``);
4. the member is excluded (younger than the rule's age limit, or, where the rule excludes members believed
   to be under 18, believed to be or stated to be under 18): not used (``excluded-member``);
5. the member turned off a control of the purpose on or before that date: not used (``opted-out``); where
   the rule makes opting out retroactive, a later opt-out also removes data used before it;
6. the purpose is off by default and the member never turned it on: not used (``no-consent``);
7. otherwise: used.

A member's settings are a timeline of changes named by control label, so they carry across snapshot
versions: a choice made under one version is honoured by the next one that has the same control.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.model import normalise
from policyproof.snapshot.regions import Place, group_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from policyproof.snapshot.model import Purpose, RegionGroup, Rule, Snapshot

    _Result = Callable[[bool, "Reason", str], "Decision"]

ADULT_AGE = 18


class Reason(enum.StrEnum):
    """Why data is or is not used; the value is the stable code reports and steps use."""

    USED = "used"
    NOT_ACTIVE = "not-active"
    EXCLUDED_CATEGORY = "excluded-category"
    NOT_COVERED = "not-covered"
    EXCLUDED_MEMBER = "excluded-member"
    OPTED_OUT = "opted-out"
    NO_CONSENT = "no-consent"


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A member turning a control (or a whole purpose) off or on, on a date."""

    on: dt.date
    turned_on: bool
    control: str | None = None
    purpose: str | None = None

    def concerns(self, purpose: Purpose, control_names: frozenset[str]) -> bool:
        """Whether this change is about the purpose or one of the controls governing it."""
        if self.control is not None:
            return normalise(self.control) in control_names
        names = {normalise(name) for name in (purpose.label, purpose.id, *purpose.aliases)}
        return self.purpose is not None and normalise(self.purpose) in names


@dataclass(frozen=True, slots=True)
class Member:
    """A member: where they are, what the platform knows of their age, and their settings timeline."""

    place: Place
    age: int | None = None
    believed_under_18: bool = False
    settings: tuple[SettingChange, ...] = field(default=())

    def with_change(self, change: SettingChange) -> Member:
        """The same member with one more setting change on their timeline."""
        return replace(self, settings=tuple(sorted((*self.settings, change), key=lambda c: c.on)))


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether data is used, the reason code, a sentence saying why, and the rule it came from."""

    used: bool
    reason: Reason
    explanation: str
    snapshot: str
    region: str | None
    rule: Rule | None
    rule_location: str | None

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources the deciding rule cites."""
        return self.rule.sources if self.rule is not None else ()


def region_of(snapshot: Snapshot, member: Member) -> RegionGroup:
    """The member's region group in this snapshot; a place the snapshot does not cover is an error."""
    group = group_of(snapshot, member.place)
    if group is None:
        known = [g.id for g in snapshot.region_groups]
        raise UnknownNameError("region", member.place.text, known, f"the region groups of {snapshot.id}")
    return group


def decide(snapshot: Snapshot, member: Member, data: str, purpose: str, on: dt.date) -> Decision:
    """Decide whether the member's ``data`` (a category label) is used for ``purpose`` (a label) on ``on``."""
    the_purpose = snapshot.find_purpose(purpose)
    category = snapshot.find_category(data)
    group = region_of(snapshot, member)
    rule = snapshot.rule_for(the_purpose.id, group.id)
    where = f"{group.label} ({group.id})"

    def result(used: bool, reason: Reason, why: str) -> Decision:
        location = f"{snapshot.location}:{rule.line}" if rule is not None else None
        return Decision(used, reason, why, snapshot.id, group.id, rule, location)

    if rule is None:
        return result(False, Reason.NOT_ACTIVE, f"the policy has no {the_purpose.label} in {where}")
    if on < rule.active_from:
        return result(
            False,
            Reason.NOT_ACTIVE,
            f"{the_purpose.label} applies in {where} only from {rule.active_from.isoformat()}, after {on.isoformat()}",
        )
    never = snapshot.falls_under(category.id, rule.never_uses)
    if never is not None:
        under = "" if never == category.id else f" (part of {snapshot.category(never).label})"
        why = f"the policy never uses {category.label}{under} for {the_purpose.label}"
        return result(False, Reason.EXCLUDED_CATEGORY, why)
    if snapshot.falls_under(category.id, rule.uses) is None:
        used = ", ".join(snapshot.category(c).label for c in rule.uses) or "nothing"
        return result(
            False,
            Reason.NOT_COVERED,
            f"the policy does not use {category.label} for {the_purpose.label} in {where}; it uses {used}",
        )
    excluded = _exclusion(member, rule)
    if excluded is not None:
        return result(False, Reason.EXCLUDED_MEMBER, excluded)
    return _by_settings(snapshot=snapshot, member=member, purpose=the_purpose, rule=rule, on=on, result=result)


def _exclusion(member: Member, rule: Rule) -> str | None:
    limit = rule.excluded.age_below
    if limit is not None and member.age is not None and member.age < limit:
        return f"the member is {member.age}, younger than the age limit of {limit}"
    if rule.excluded.believed_under_18:
        if member.believed_under_18:
            return "the member is believed to be under 18, and such members are excluded"
        if member.age is not None and member.age < ADULT_AGE:
            return f"the member is {member.age}, and members known to be under 18 are excluded"
    return None


def _by_settings(
    *,
    snapshot: Snapshot,
    member: Member,
    purpose: Purpose,
    rule: Rule,
    on: dt.date,
    result: _Result,
) -> Decision:
    controls = [snapshot.control(control_id) for control_id in rule.controls]
    names = frozenset(normalise(name) for c in controls for name in (c.label, *c.aliases))
    changes = [change for change in member.settings if change.concerns(purpose, names)]
    latest = next((c for c in reversed(changes) if c.on <= on), None)
    if rule.retroactive and changes and not changes[-1].turned_on and changes[-1].on > on:
        latest = changes[-1]
    if latest is not None and not latest.turned_on:
        what = f"turned off '{latest.control}'" if latest.control else f"opted out of {purpose.label}"
        when = "later, and opting out also removes data already used" if latest.on > on else f"by {on.isoformat()}"
        return result(False, Reason.OPTED_OUT, f"the member {what} on {latest.on.isoformat()}, {when}")
    if latest is not None:
        what = f"turned on '{latest.control}'" if latest.control else f"opted in to {purpose.label}"
        return result(True, Reason.USED, f"the member {what} on {latest.on.isoformat()}")
    if not rule.default_on:
        return result(False, Reason.NO_CONSENT, f"{purpose.label} is off by default and the member never turned it on")
    labels = " or ".join(f"'{c.label}'" for c in controls) or "any control"
    return result(True, Reason.USED, f"{purpose.label} is on by default and the member has not turned off {labels}")
