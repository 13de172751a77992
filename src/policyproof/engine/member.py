"""A member as a question sees them: where they are, their age, and the timeline of their settings.

The timeline has one order, ``change_order``: changes by instant, and of two at one instant the opt-out is
the later, so that it stands. ``decide()``, ``Member.with_change``, the audit's reference and the audit's SQL
(``change_order_sql``) all order changes by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from policyproof.snapshot.names import normalise

if TYPE_CHECKING:
    from collections.abc import Mapping

    from policyproof.snapshot.model import Control
    from policyproof.snapshot.purposes import Purpose
    from policyproof.snapshot.regions import Place


ADULT_AGE = 18
# The kinds of control that object: a privacy signal the member's browser sends, an objection the member files.
# Each stands on its own until it is stopped or withdrawn, whatever the member does with other controls, and
# lifting it lifts that objection only: it consents to nothing. A setting or a consent is the member's choice
# instead, and of those the latest change stands.
OBJECTING = frozenset({"signal", "form"})


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A member turning a control (or a whole purpose) off or on, on a date or at an instant (a datetime).

    ``objection`` marks a change of a control that objects (``OBJECTING``): turned off, it raises an objection
    that stands until the same control is turned on; turned on, it lifts that objection and gives no consent.
    """

    on: dt.date
    turned_on: bool
    control: str | None = None
    purpose: str | None = None
    objection: bool = False

    @classmethod
    def of_control(cls, on: dt.date, turned_on: bool, control: Control) -> SettingChange:
        """A change of a control, an objection's where the control's kind objects (``OBJECTING``)."""
        return cls(on, turned_on, control=control.label, objection=control.kind in OBJECTING)

    def concerns(self, purpose: Purpose, control_names: frozenset[str]) -> bool:
        """Whether this change is about the purpose or one of the controls governing it."""
        if self.control is not None:
            return normalise(self.control) in control_names
        names = {normalise(name) for name in (purpose.label, purpose.id, *purpose.aliases)}
        return self.purpose is not None and normalise(self.purpose) in names


@dataclass(frozen=True, slots=True)
class Member:
    """A member: where they are, what the platform knows of their age, and their settings timeline.

    ``age`` None is an adult of unstated age, as reviewers' scenarios describe a member, unless ``age_unknown``:
    then nothing is known of the age (evidence without a birth date), and a rule's age limit leaves it open.
    """

    place: Place
    age: int | None = None
    believed_under_18: bool = False
    settings: tuple[SettingChange, ...] = field(default=())
    age_unknown: bool = False

    def with_change(self, change: SettingChange) -> Member:
        """The same member with one more setting change on their timeline."""
        return replace(self, settings=tuple(sorted((*self.settings, change), key=change_order)))


@dataclass(frozen=True, slots=True)
class Standing:
    """What a member's changes of a purpose's controls leave standing, read in timeline order.

    ``choice`` is the latest change of a setting or consent (or of the whole purpose): the member's choice, on
    or off. ``objections`` are the objections raised and not lifted, one a control. The purpose is off while
    the choice is off or an objection stands (``off`` is then the latest of the changes that keep it off); it
    is on while the choice is on; with neither, it has its default. Under a purpose off by default, raising an
    objection also withdraws any consent given: lifting it gives none back. ``given`` is whether the member ever
    chose the purpose on.
    """

    choice: SettingChange | None = None
    objections: tuple[SettingChange, ...] = ()
    given: bool = False

    @classmethod
    def of(cls, changes: list[SettingChange], *, default_on: bool, names: Mapping[str, str]) -> Standing:
        """What the changes, in timeline order, leave standing under a purpose on or off by default.

        ``names`` gives the rule's control by each of its names (normalised), so that one control under two
        names (renamed between versions, its old label an alias) is one; a change under no name keeps its own.
        """
        choice = None
        raised: dict[str, SettingChange] = {}
        given = False
        for change in changes:
            if change.objection:
                name = normalise(change.control or "")
                key = names.get(name, name)
                if change.turned_on:
                    raised.pop(key, None)
                    continue
                raised.setdefault(key, change)
                if default_on:
                    continue
            choice = change
            given = given or change.turned_on
        return cls(choice, tuple(raised.values()), given)

    @property
    def off(self) -> SettingChange | None:
        """The latest of the changes that keep the purpose off, or None when nothing keeps it off."""
        keeping = [*self.objections, *([self.choice] if self.choice and not self.choice.turned_on else [])]
        return max(keeping, key=change_order) if keeping else None


def instant(when: dt.date) -> dt.datetime:
    """A date or datetime as an aware instant: a date is its first instant, a naive datetime is UTC."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(when, dt.time(), tzinfo=dt.UTC)


def day_of(when: dt.date) -> dt.date:
    """The calendar date (in UTC) of a date or datetime."""
    return instant(when).date() if isinstance(when, dt.datetime) else when


def change_order(change: SettingChange) -> tuple[dt.datetime, bool]:
    """A change's place on a member's timeline: by instant, an opt-out after a change that turns on."""
    return instant(change.on), not change.turned_on


def change_order_sql(at: str, turned_on: str) -> str:
    """The same order as SQL ``ORDER BY`` terms, over a change's instant and whether it turns the purpose on."""
    return f"{at}, CASE WHEN {turned_on} THEN 0 ELSE 1 END"
