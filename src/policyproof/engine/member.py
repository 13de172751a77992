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
    from policyproof.snapshot.model import Control
    from policyproof.snapshot.purposes import Purpose
    from policyproof.snapshot.regions import Place


ADULT_AGE = 18
# The kinds of control whose turning on only lifts an opt-out the member made: a signal stopped, an objection
# withdrawn. It consents to nothing, so under a purpose off by default it is no consent given (a setting turned
# on, consent given are).
LIFTING = frozenset({"signal", "form"})


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A member turning a control (or a whole purpose) off or on, on a date or at an instant (a datetime).

    ``lifts`` marks a turning on that only lifts an opt-out the member made (a privacy signal stopped, an
    objection withdrawn): it consents to nothing, so a purpose off by default stays off.
    """

    on: dt.date
    turned_on: bool
    control: str | None = None
    purpose: str | None = None
    lifts: bool = False

    @classmethod
    def of_control(cls, on: dt.date, turned_on: bool, control: Control) -> SettingChange:
        """A change of a control, lifting an opt-out where its kind's turning on does no more (``LIFTING``)."""
        return cls(on, turned_on, control=control.label, lifts=turned_on and control.kind in LIFTING)

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
