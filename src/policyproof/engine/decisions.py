"""Deciding whether one member's data is used for one purpose on one date, and why.

A decision is one of three kinds of answer: the policy states that the data is used, states that it is not,
or does not say. Silence is never read as a use: where the snapshot states nothing that settles the question,
the answer is "the policy does not say" (reason ``not-stated``), with a sentence saying what is missing.

The questions are asked in a fixed order, and a definite answer outranks "the policy does not say": the
first question that settles the answer gives the reason, and only where none settles it does the first that the
policy leaves open give it (a member who opted out is not used, whatever the policy says of the category). The
rule's questions are one ordered table, ``CHECKS`` (a row a check: its condition in Python and in the audit's
SQL, its answer, its reason and why), from which ``decide()`` runs and the audit's SQL is generated; the
order of a member's setting changes at one instant (``change_order``: the opt-out is the later) is there too:

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
    from collections.abc import Callable

    from policyproof.snapshot.model import Category, Purpose, RegionGroup, Rule, Snapshot


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
        return replace(self, settings=tuple(sorted((*self.settings, change), key=change_order)))


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

    ``on`` is a date or an instant (a datetime); see the module docstring. Before the rule's questions: the
    version in force, then the rule that governs the purpose in the member's region group; then the first
    check of ``CHECKS`` that holds gives the answer.
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
    asked = Asked(snapshot, member, the_purpose, category, rule, where, on, moment)
    check = next(check for check in CHECKS if check.holds(asked))
    used, reason, why = check.used, check.reason, check.why(asked)
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


def _conditions(rule: Rule) -> str:
    """The limits the sources state on a use, said with every decision that the data is used."""
    return "".join(f"; the policy states this limit: {condition}" for condition in rule.conditions)


# --- the decision table -----------------------------------------------------------------------------------
# The tie-break of a settings timeline: changes in order of their instant, and of two changes at one instant
# the opt-out is the later, so that it stands. decide(), Member.with_change, the audit's reference and the
# audit's SQL all order changes by this one rule.


def change_order(change: SettingChange) -> tuple[dt.datetime, bool]:
    """A change's place on a member's timeline: by instant, an opt-out after a change that turns on."""
    return instant(change.on), not change.turned_on


def change_order_sql(at: str, turned_on: str) -> str:
    """The same order as SQL ``ORDER BY`` terms, over a change's instant and whether it turns the purpose on."""
    return f"{at}, CASE WHEN {turned_on} THEN 0 ELSE 1 END"


@dataclass(frozen=True, slots=True)
class Asked:
    """A question as the table's checks see it: the use, the member, and the rule that governs the purpose."""

    snapshot: Snapshot
    member: Member
    purpose: Purpose
    category: Category
    rule: Rule
    where: str
    day: dt.date
    moment: dt.date  # the date or instant asked

    @property
    def changes(self) -> list[SettingChange]:
        """The member's changes of the rule's controls (or of the whole purpose), in timeline order."""
        controls = [self.snapshot.control(c) for c in self.rule.controls]
        names = frozenset(normalise(name) for c in controls for name in (c.label, *c.aliases))
        return sorted((c for c in self.member.settings if c.concerns(self.purpose, names)), key=change_order)

    @property
    def before(self) -> list[SettingChange]:
        """The changes made by the moment asked (a change at that instant counts as made before it)."""
        at = instant(self.moment)
        return [c for c in self.changes if instant(c.on) <= at]

    @property
    def latest(self) -> SettingChange | None:
        """The member's last change by the moment asked."""
        before = self.before
        return before[-1] if before else None

    @property
    def off(self) -> SettingChange | None:
        """The last change by the moment asked, where it turned the purpose off."""
        latest = self.latest
        return latest if latest is not None and not latest.turned_on else None

    @property
    def later_opt_out(self) -> SettingChange | None:
        """The member's last change of all, where it turned the purpose off after the moment asked."""
        changes = self.changes
        last = changes[-1] if changes else None
        return last if last is not None and not last.turned_on and instant(last.on) > instant(self.moment) else None

    @property
    def minor(self) -> bool:
        """Whether the member is believed to be, or known to be, under 18."""
        age = self.member.age
        return self.member.believed_under_18 or (age is not None and age < ADULT_AGE)

    @property
    def used_labels(self) -> str:
        """The categories the rule uses, by label."""
        return ", ".join(self.snapshot.category(c).label for c in self.rule.uses) or "nothing"


@dataclass(frozen=True, slots=True)
class Check:
    """One row of the decision table: when it settles a question, the answer, its reason, and why.

    ``holds`` is the condition in Python; ``used`` is True, False, or None where the policy does not say.
    ``sql`` is a condition over the audit's judged use: ``j`` (the use and member: ``used_on``, ``used_at``,
    ``age``, ``believed``), ``c`` (its cell: the rule's columns, ``policy.CELL_COLUMNS``) and ``t`` (its
    member's setting interval: ``state``, ``given``, ``last_state``, ``last_at``). Every check cites the rule.
    """

    name: str
    used: bool | None
    reason: Reason
    holds: Callable[[Asked], bool]
    sql: str
    why: Callable[[Asked], str]


def category_answer(snapshot: Snapshot, rule: Rule, category: str) -> Reason | None:
    """What the rule alone says of a category (an id): never used, not covered, not stated; None where it is used.

    The checks of the category ask it, and the audit's policy tables hold its answer for each cell.
    """
    if snapshot.falls_under(category, rule.never_uses) is not None:
        return Reason.EXCLUDED_CATEGORY
    if snapshot.falls_under(category, rule.uses) is not None:
        return None
    return Reason.NOT_COVERED if rule.others_not_used else Reason.NOT_STATED


def _excluded_why(a: Asked) -> str:
    if a.member.believed_under_18:
        return "the member is believed to be under 18, and such members are excluded"
    return f"the member is {a.member.age}, and members known to be under 18 are excluded"


def _minor_unsaid(a: Asked) -> bool:
    stated = a.rule.excluded
    return (
        a.minor
        and stated.believed_under_18 is not False
        and not (a.member.age is not None and stated.age_below is not None)
    )


def _minor_unsaid_why(a: Asked) -> str:
    if a.rule.excluded.age_below is not None:
        return (
            f"the policy excludes members younger than {a.rule.excluded.age_below} from {a.purpose.label} in "
            f"{a.where} but does not say whether it excludes members it believes to be under 18"
        )
    return f"the policy does not say whether members under 18 are excluded from {a.purpose.label} in {a.where}"


def _turned_off_why(a: Asked, change: SettingChange | None) -> str:
    assert change is not None  # noqa: S101 (the check's condition holds only with the change)
    what = f"turned off '{change.control}'" if change.control else f"opted out of {a.purpose.label}"
    return f"the member {what} on {change.on.isoformat()}, by {a.day.isoformat()}"


def _withdrawn_why(a: Asked, change: SettingChange | None) -> str:
    assert change is not None  # noqa: S101 (the check's condition holds only with the change)
    what = f"'{change.control}'" if change.control else a.purpose.label
    return f"the member withdrew the consent they had given to {what} on {change.on.isoformat()}, by {a.day}"


def _later_why(a: Asked, change: SettingChange | None) -> str:
    assert change is not None  # noqa: S101 (the check's condition holds only with the change)
    if a.rule.retroactive:
        return (
            f"the use was allowed on {a.day.isoformat()}; the member opted out on {change.on.isoformat()}, and "
            f"opting out of {a.purpose.label} also removes data already used, so its data is to be removed"
        )
    return (
        f"the member opted out on {change.on.isoformat()}, after {a.day.isoformat()}, and the policy does "
        f"not say whether opting out of {a.purpose.label} removes data already used"
    )


def _used_why(a: Asked) -> str:
    latest = a.latest
    if latest is not None:
        what = f"turned on '{latest.control}'" if latest.control else f"opted in to {a.purpose.label}"
        return f"the member {what} on {latest.on.isoformat()}{_conditions(a.rule)}"
    controls = [a.snapshot.control(c) for c in a.rule.controls]
    labels = " or ".join(f"'{c.label}'" for c in controls) or "any control"
    return f"{a.purpose.label} is on by default and the member has not turned off {labels}{_conditions(a.rule)}"


_MINOR_SQL = f"(j.believed OR j.age < {ADULT_AGE})"
_LATER_OPT_OUT_SQL = "t.last_state = 'off' AND t.last_at > j.used_at"

# The rule's questions in the order they are asked: every definite answer first (the purpose not active on the
# date, the category, the member's exclusion, their settings), then what the policy leaves open, in the same
# order; the first check that holds gives the answer. A new check is one row here: decide() runs it, and the
# audit's SQL is generated from it.
CHECKS: tuple[Check, ...] = (
    Check(
        "before the rule applies", False, Reason.NOT_ACTIVE,
        lambda a: a.day < a.rule.active_from and a.rule.start_known,
        "j.used_on < c.active_from AND c.start_known",
        lambda a: f"{a.purpose.label} applies in {a.where} only from {a.rule.active_from.isoformat()}, after {a.day}",
    ),
    Check(
        "after the rule ended", False, Reason.NOT_ACTIVE,
        lambda a: a.rule.active_until is not None and a.day > a.rule.active_until,
        "j.used_on > c.active_until",
        lambda a: f"{a.purpose.label} applies in {a.where} only until {a.rule.active_until}, before {a.day}",
    ),
    Check(
        "a category never used", False, Reason.EXCLUDED_CATEGORY,
        lambda a: category_answer(a.snapshot, a.rule, a.category.id) is Reason.EXCLUDED_CATEGORY,
        "c.category_reason = 'excluded-category'",
        lambda a: f"the policy never uses {a.category.label}{_part_of(a)} for {a.purpose.label}",
    ),
    Check(
        "a category not among those used", False, Reason.NOT_COVERED,
        lambda a: category_answer(a.snapshot, a.rule, a.category.id) is Reason.NOT_COVERED,
        "c.category_reason = 'not-covered'",
        lambda a: (
            f"the policy uses only {a.used_labels} for {a.purpose.label} in {a.where}, not {a.category.label}"
        ),
    ),
    Check(
        "younger than the age limit", False, Reason.EXCLUDED_MEMBER,
        lambda a: (
            a.rule.excluded.age_below is not None
            and a.member.age is not None
            and a.member.age < a.rule.excluded.age_below
        ),
        "j.age < c.age_below",
        lambda a: f"the member is {a.member.age}, younger than the age limit of {a.rule.excluded.age_below}",
    ),
    Check(
        "a minor, where minors are excluded", False, Reason.EXCLUDED_MEMBER,
        lambda a: bool(a.rule.excluded.believed_under_18) and a.minor,
        f"{_MINOR_SQL} AND c.believed_under_18",
        _excluded_why,
    ),
    Check(
        "consent withdrawn after being given", False, Reason.CONSENT_WITHDRAWN,
        lambda a: a.off is not None and not a.rule.default_on and any(c.turned_on for c in a.before),
        "t.state = 'off' AND t.given AND NOT c.default_on",
        lambda a: _withdrawn_why(a, a.off),
    ),
    Check(
        "turned off by the date", False, Reason.OPTED_OUT,
        lambda a: a.off is not None,
        "t.state = 'off'",
        lambda a: _turned_off_why(a, a.off),
    ),
    Check(
        "off by default, never turned on", False, Reason.NO_CONSENT,
        lambda a: a.latest is None and not a.rule.default_on,
        "t.state IS NULL AND NOT c.default_on",
        lambda a: f"{a.purpose.label} is off by default and the member never turned it on",
    ),
    Check(
        "turned off later, retroactively", True, Reason.TO_REMOVE,
        lambda a: a.later_opt_out is not None and bool(a.rule.retroactive),
        f"{_LATER_OPT_OUT_SQL} AND c.retroactive",
        lambda a: _later_why(a, a.later_opt_out),
    ),
    Check(
        "before the sources show the use", None, Reason.NOT_STATED,
        lambda a: a.day < a.rule.active_from,
        "j.used_on < c.active_from",
        lambda a: (
            f"the policy does not say since when {a.purpose.label} applies in {a.where}; the sources show it in "
            f"use by {a.rule.active_from.isoformat()}, after {a.day.isoformat()}"
        ),
    ),
    Check(
        "a category the rule does not state", None, Reason.NOT_STATED,
        lambda a: category_answer(a.snapshot, a.rule, a.category.id) is Reason.NOT_STATED,
        "c.category_reason IS NOT NULL",
        lambda a: (
            f"the policy does not say whether it uses {a.category.label} for {a.purpose.label} in {a.where}"
            + (f"; it states that it uses {a.used_labels}" if a.rule.uses else "")
        ),
    ),
    Check(
        "an unknown age under an age limit", None, Reason.NOT_STATED,
        lambda a: a.rule.excluded.age_below is not None and a.member.age is None and a.member.age_unknown,
        "j.age IS NULL AND c.age_below IS NOT NULL",
        lambda a: (
            f"the member's age is not known, and the policy excludes members younger than "
            f"{a.rule.excluded.age_below} from {a.purpose.label} in {a.where}"
        ),
    ),
    Check(
        "a minor the rule says nothing of", None, Reason.NOT_STATED,
        _minor_unsaid,
        f"{_MINOR_SQL} AND NOT (COALESCE(c.believed_under_18 = FALSE, FALSE) "
        "OR (j.age IS NOT NULL AND c.age_below IS NOT NULL))",
        _minor_unsaid_why,
    ),
    Check(
        "turned off later, the effect not stated", None, Reason.NOT_STATED,
        lambda a: a.later_opt_out is not None and a.rule.retroactive is None,
        f"{_LATER_OPT_OUT_SQL} AND c.retroactive IS NULL",
        lambda a: _later_why(a, a.later_opt_out),
    ),
    Check("otherwise", True, Reason.USED, lambda _: True, "TRUE", _used_why),
)  # fmt: skip


def _part_of(a: Asked) -> str:
    never = a.snapshot.falls_under(a.category.id, a.rule.never_uses)
    return "" if never in {None, a.category.id} else f" (part of {a.snapshot.category(str(never)).label})"
