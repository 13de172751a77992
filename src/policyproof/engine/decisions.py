"""Deciding whether one member's data is used for one purpose on one date, and why.

A decision is one of three kinds of answer: the policy states that the data is used, states that it is not,
or does not say. Silence is never read as a use: where the snapshot states nothing that settles the question,
the answer is "the policy does not say" (reason ``not-stated``), with a sentence saying what is missing.

The questions are asked in a fixed order, and a definite answer outranks "the policy does not say": the
first question that settles the answer gives the reason, and only where none settles it does the first that the
policy leaves open give it (a member who opted out is not used, whatever the policy says of the category):

0. the snapshot was superseded by that date: it does not govern the question, for any purpose (``not-in-force``);
1. the purpose is stated not to apply in the member's region group, or not on that date (before the rule's
   ``active_from`` or after its ``active_until``): not used (``not-active``); where the snapshot records that
   the documents read say nothing of the purpose in that region, or does not cover it at all: not stated, and
   nothing below is asked; a date before a rule's ``in_use_by`` (the sources show the use by then, not since
   when): left open;
2. the category is never used, or falls under one that is: not used (``excluded-category``);
3. the category is not among those the rule uses: not used (``not-covered``) where the sources state that
   nothing else is used, else left open;
4. the member is excluded (younger than the rule's age limit, or, where the rule excludes members believed
   to be under 18, believed to be or known to be under 18): not used (``excluded-member``); a member under 18
   where the rule states nothing about them, or a member whose age is unknown (``age_unknown``: evidence
   without a birth date) where the rule states an age limit: left open;
5. the member turned off a control of the purpose on or before that date: not used (``opted-out``), or, where
   the purpose is off by default and the member had turned it on before, ``consent-withdrawn``;
6. the purpose is off by default and the member never turned it on: not used (``no-consent``);
7. the member opted out later and the rule makes opting out retroactive: the use was allowed when it was made,
   and its data is to be removed (``to-remove``, ``used`` True); where the rule does not say what opting out
   does to data already used, a later opt-out leaves the answer open;
8. otherwise: used, subject to any conditions the rule states, unless a question above was left open: then
   the first of them gives the answer, "the policy does not say" (``not-stated``).

``to-remove`` is a definite answer too: whatever else the policy leaves open, the data must go.

An answer the policy does not give is one of two kinds (``coverage``): the documents the snapshot was written
from were read and are silent on it (``silent``, a finding about the platform, citing the documents), or the
snapshot has not recorded what they say of the purpose in that region (``not-covered``, a gap in the snapshot).

A member's settings are a timeline of changes named by control label, so they carry across snapshot
versions: a choice made under one version is honoured by the next one that has the same control.

Dates or instants: a question and a setting change may each be dated by a calendar date or by an instant
(a ``datetime``, naive read as UTC). The policy's own dates (when a rule applies, when a version takes over)
are compared with the question's calendar date; settings are compared at the finest precision given, a
date standing for its first instant, so a change at the same instant as the question counts as made
before it. The evidence audit asks at instant precision; reviewers' scenarios ask by date.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.model import normalise
from policyproof.snapshot.regions import Place, group_of

if TYPE_CHECKING:
    from policyproof.snapshot.model import Category, Control, Purpose, RegionGroup, Rule, Snapshot


ADULT_AGE = 18


class Coverage(enum.StrEnum):
    """Why the policy gives no answer: the documents read are silent, or the snapshot has not looked."""

    SILENT = "silent"
    NOT_COVERED = "not-covered"


class Reason(enum.StrEnum):
    """Why data is or is not used; the value is the stable code reports and steps use."""

    USED = "used"
    NOT_IN_FORCE = "not-in-force"
    NOT_ACTIVE = "not-active"
    EXCLUDED_CATEGORY = "excluded-category"
    NOT_COVERED = "not-covered"
    EXCLUDED_MEMBER = "excluded-member"
    OPTED_OUT = "opted-out"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    NO_CONSENT = "no-consent"
    TO_REMOVE = "to-remove"
    NOT_STATED = "not-stated"


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A member turning a control (or a whole purpose) off or on, on a date or at an instant (a datetime)."""

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
        return replace(self, settings=tuple(sorted((*self.settings, change), key=lambda c: instant(c.on))))


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether data is used, the reason code, a sentence saying why, and the statement it came from.

    ``used`` is None where the policy does not say, or where the snapshot does not govern the date.
    """

    used: bool | None
    reason: Reason
    explanation: str
    snapshot: str
    region: str | None
    rule: Rule | None
    rule_location: str | None
    sources: tuple[str, ...] = ()
    coverage: Coverage | None = None  # for an answer the policy does not give: silence, or a gap of the snapshot
    documents: tuple[str, ...] = ()  # for silence: the documents read that say nothing of it

    @property
    def stated(self) -> bool:
        """Whether the policy settles the question (it states a use or states that there is none)."""
        return self.reason not in {Reason.NOT_STATED, Reason.NOT_IN_FORCE}


def instant(when: dt.date) -> dt.datetime:
    """A date or datetime as an aware instant: a date is its first instant, a naive datetime is UTC."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(when, dt.time(), tzinfo=dt.UTC)


def day_of(when: dt.date) -> dt.date:
    """The calendar date (in UTC) of a date or datetime."""
    return instant(when).date() if isinstance(when, dt.datetime) else when


def region_of(snapshot: Snapshot, member: Member) -> RegionGroup:
    """The member's region group in this snapshot; a place the snapshot does not cover is an error."""
    group = group_of(snapshot, member.place)
    if group is None:
        known = [g.id for g in snapshot.region_groups]
        raise UnknownNameError("region", member.place.text, known, f"the region groups of {snapshot.id}")
    return group


def not_in_force(snapshot: Snapshot, on: dt.date) -> str | None:
    """Why the snapshot does not govern questions dated ``on`` (a later version had taken over), if it does not."""
    successor = snapshot.superseded_on(on)
    if successor is None:
        return None
    return (
        f"{snapshot.id} is not in force on {on.isoformat()}: superseded by {successor.id} "
        f"on {successor.effective.isoformat()}"
    )


def decide(snapshot: Snapshot, member: Member, data: str, purpose: str, on: dt.date) -> Decision:
    """Decide whether the member's ``data`` (a category label) is used for ``purpose`` (a label) on ``on``.

    ``on`` is a date or an instant (a datetime); see the module docstring.
    """
    moment, on = on, day_of(on)
    group = region_of(snapshot, member)
    superseded = not_in_force(snapshot, on)
    if superseded is not None:
        return Decision(None, Reason.NOT_IN_FORCE, superseded, snapshot.id, group.id, None, None)
    the_purpose = snapshot.find_purpose(purpose)
    category = snapshot.find_category(data)
    rule = snapshot.rule_for(the_purpose.id, group.id)
    where = f"{group.label} ({group.id})"
    if rule is None:
        return _not_governed(snapshot, the_purpose, group.id, where)
    answers = (
        _when(rule, the_purpose, where, on),
        _category(snapshot, rule, category, the_purpose, where),
        _exclusion(member, rule, the_purpose, where),
        _by_settings(
            member=member,
            purpose=the_purpose,
            controls=[snapshot.control(c) for c in rule.controls],
            rule=rule,
            on=moment,
        ),
    )
    used, reason, why = next(
        (a for a in answers if a is not None and (a[0] is False or a[1] is Reason.TO_REMOVE)),
        next((a for a in answers if a is not None and a[0] is None), answers[-1]),
    )
    location = f"{snapshot.location}:{rule.line}"
    under = snapshot.falls_under(category.id, rule.uses)
    if used and under is not None and under != category.id:
        # A use reached only through a wider category: say so, since no source names this category itself.
        why += f"; the policy states a use of {snapshot.category(under).label}, which covers {category.label}"
    if used is None:
        documents = snapshot.documents or rule.sources
        return Decision(
            used, reason, why, snapshot.id, group.id, rule, location, rule.sources, Coverage.SILENT, documents
        )
    return Decision(used, reason, why, snapshot.id, group.id, rule, location, rule.sources)


_Settled = tuple[bool | None, Reason, str]


@dataclass(frozen=True, slots=True)
class Absence:
    """What a snapshot says of a purpose in a region group no rule governs.

    That it does not apply (``stated``), that the documents read say nothing of it (``coverage`` silent, with
    the documents), or nothing at all: the snapshot has not covered it (``coverage`` not covered).
    """

    stated: bool
    explanation: str
    location: str | None
    sources: tuple[str, ...]
    coverage: Coverage | None = None
    documents: tuple[str, ...] = ()


def absence(snapshot: Snapshot, purpose: Purpose, group: str, where: str) -> Absence:
    """No rule governs the purpose here: stated not to apply, recorded as silence, or not covered."""
    entry = snapshot.not_active_for(purpose.id, group)
    if entry is not None:
        why = f"the policy states that {purpose.label} does not apply in {where}"
        return Absence(True, why, f"{snapshot.location}:{entry.line}", entry.sources)
    silence = snapshot.silent_for(purpose.id, group)
    if silence is not None:
        why = f"the policy does not say whether {purpose.label} applies in {where}"
        location = f"{snapshot.location}:{silence.line}"
        return Absence(False, why, location, (), Coverage.SILENT, silence.documents)
    why = f"this snapshot does not record what the policy says of {purpose.label} in {where} (not covered)"
    return Absence(False, why, None, (), Coverage.NOT_COVERED)


def _not_governed(snapshot: Snapshot, purpose: Purpose, group: str, where: str) -> Decision:
    """No rule governs the purpose here: not active where the sources say so, else not stated, of its kind."""
    found = absence(snapshot, purpose, group, where)
    used, reason = (False, Reason.NOT_ACTIVE) if found.stated else (None, Reason.NOT_STATED)
    return Decision(
        used,
        reason,
        found.explanation,
        snapshot.id,
        group,
        None,
        found.location,
        found.sources,
        found.coverage,
        found.documents,
    )


def _when(rule: Rule, purpose: Purpose, where: str, on: dt.date) -> _Settled | None:
    """Not used where the date falls before the rule applies or after it ended; open before ``in_use_by``."""
    if rule.active_on(on):
        return None
    if on < rule.active_from and not rule.start_known:
        why = (
            f"the policy does not say since when {purpose.label} applies in {where}; the sources show it in use "
            f"by {rule.active_from.isoformat()}, after {on.isoformat()}"
        )
        return None, Reason.NOT_STATED, why
    if on < rule.active_from:
        return (
            False,
            Reason.NOT_ACTIVE,
            (f"{purpose.label} applies in {where} only from {rule.active_from.isoformat()}, after {on.isoformat()}"),
        )
    return (
        False,
        Reason.NOT_ACTIVE,
        (f"{purpose.label} applies in {where} only until {rule.active_until}, before {on.isoformat()}"),
    )


def _category(snapshot: Snapshot, rule: Rule, category: Category, purpose: Purpose, where: str) -> _Settled | None:
    """Never used, not covered, or not stated; None where the rule uses the category."""
    never = snapshot.falls_under(category.id, rule.never_uses)
    if never is not None:
        under = "" if never == category.id else f" (part of {snapshot.category(never).label})"
        return False, Reason.EXCLUDED_CATEGORY, f"the policy never uses {category.label}{under} for {purpose.label}"
    if snapshot.falls_under(category.id, rule.uses) is not None:
        return None
    used = ", ".join(snapshot.category(c).label for c in rule.uses) or "nothing"
    if rule.others_not_used:
        why = f"the policy uses only {used} for {purpose.label} in {where}, not {category.label}"
        return False, Reason.NOT_COVERED, why
    stated = f"; it states that it uses {used}" if rule.uses else ""
    why = f"the policy does not say whether it uses {category.label} for {purpose.label} in {where}{stated}"
    return None, Reason.NOT_STATED, why


def _exclusion(member: Member, rule: Rule, purpose: Purpose, where: str) -> _Settled | None:
    """Whether the rule excludes the member: excluded, not said, or None when it lets the question go on."""
    stated = rule.excluded
    if stated.age_below is not None and member.age is not None and member.age < stated.age_below:
        return (
            False,
            Reason.EXCLUDED_MEMBER,
            f"the member is {member.age}, younger than the age limit of {stated.age_below}",
        )
    known_minor = member.age is not None and member.age < ADULT_AGE
    if stated.believed_under_18 and (member.believed_under_18 or known_minor):
        why = (
            "the member is believed to be under 18, and such members are excluded"
            if member.believed_under_18
            else f"the member is {member.age}, and members known to be under 18 are excluded"
        )
        return False, Reason.EXCLUDED_MEMBER, why
    if stated.age_below is not None and member.age is None and member.age_unknown:
        why = (
            f"the member's age is not known, and the policy excludes members younger than {stated.age_below} from "
            f"{purpose.label} in {where}"
        )
        return None, Reason.NOT_STATED, why
    if not (member.believed_under_18 or known_minor):
        return None
    if stated.believed_under_18 is False or (member.age is not None and stated.age_below is not None):
        return None
    if stated.age_below is not None:
        why = (
            f"the policy excludes members younger than {stated.age_below} from {purpose.label} in {where} but does "
            "not say whether it excludes members it believes to be under 18"
        )
    else:
        why = f"the policy does not say whether members under 18 are excluded from {purpose.label} in {where}"
    return None, Reason.NOT_STATED, why


def _by_settings(*, member: Member, purpose: Purpose, controls: list[Control], rule: Rule, on: dt.date) -> _Settled:
    """What the member's settings make of the use: opted out, consent withdrawn, no consent, to remove, used, open."""
    names = frozenset(normalise(name) for c in controls for name in (c.label, *c.aliases))
    changes = [change for change in member.settings if change.concerns(purpose, names)]
    at = instant(on)
    before = [c for c in changes if instant(c.on) <= at]
    latest = before[-1] if before else None
    last = changes[-1] if changes else None
    later_opt_out = last if last is not None and not last.turned_on and instant(last.on) > at else None
    if latest is not None and not latest.turned_on:
        return _turned_off(latest, given=any(c.turned_on for c in before), purpose=purpose, rule=rule, on=on)
    if latest is None and not rule.default_on:
        return False, Reason.NO_CONSENT, f"{purpose.label} is off by default and the member never turned it on"
    if later_opt_out is not None and rule.retroactive is not False:
        return _opted_out_later(later_opt_out, purpose=purpose, rule=rule, on=on)
    if latest is not None:
        what = f"turned on '{latest.control}'" if latest.control else f"opted in to {purpose.label}"
        return True, Reason.USED, f"the member {what} on {latest.on.isoformat()}{_conditions(rule)}"
    labels = " or ".join(f"'{c.label}'" for c in controls) or "any control"
    why = f"{purpose.label} is on by default and the member has not turned off {labels}"
    return True, Reason.USED, why + _conditions(rule)


def _turned_off(latest: SettingChange, *, given: bool, purpose: Purpose, rule: Rule, on: dt.date) -> _Settled:
    """Off by the date: consent withdrawn where the purpose is off by default and it had been given, else opted out."""
    if not rule.default_on and given:
        what = f"'{latest.control}'" if latest.control else purpose.label
        why = (
            f"the member withdrew the consent they had given to {what} on {latest.on.isoformat()}, by {on.isoformat()}"
        )
        return False, Reason.CONSENT_WITHDRAWN, why
    what = f"turned off '{latest.control}'" if latest.control else f"opted out of {purpose.label}"
    return False, Reason.OPTED_OUT, f"the member {what} on {latest.on.isoformat()}, by {on.isoformat()}"


def _opted_out_later(later: SettingChange, *, purpose: Purpose, rule: Rule, on: dt.date) -> _Settled:
    """An opt-out after an allowed use: its data is to be removed where the rule says so, else open."""
    if rule.retroactive:
        why = (
            f"the use was allowed on {on.isoformat()}; the member opted out on {later.on.isoformat()}, and opting "
            f"out of {purpose.label} also removes data already used, so its data is to be removed"
        )
        return True, Reason.TO_REMOVE, why
    why = (
        f"the member opted out on {later.on.isoformat()}, after {on.isoformat()}, and the policy does "
        f"not say whether opting out of {purpose.label} removes data already used"
    )
    return None, Reason.NOT_STATED, why


def _conditions(rule: Rule) -> str:
    """The limits the sources state on a use, said with every decision that the data is used."""
    return "".join(f"; the policy states this limit: {condition}" for condition in rule.conditions)
