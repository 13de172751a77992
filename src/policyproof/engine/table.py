"""The decision table: the rule's checks in the order they are asked, each a row.

A row holds its condition in Python and in the audit's SQL, its answer, its reason and why; ``decide()`` runs
the rows in order, and the audit's SQL is generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.answers import Reason
from policyproof.engine.member import ADULT_AGE

if TYPE_CHECKING:
    from collections.abc import Callable

    from policyproof.engine.asked import Asked
    from policyproof.engine.member import SettingChange
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule


@dataclass(frozen=True, slots=True)
class Check:
    """One row of the decision table: when it settles a question, the answer, its reason, and why.

    ``holds`` is the condition in Python; ``used`` is True, False, or None where the policy does not say.
    ``sql`` is a condition over the audit's judged use: ``j`` (the use and member: ``used_on``, ``used_at``,
    ``age``, ``believed``), ``c`` (its cell: the rule's columns, ``policy.CELL_COLUMNS``) and ``t`` (its
    member's setting interval: ``state``, ``given``, ``last_state``). Every check cites the rule.
    ``of_member`` marks an answer left open by a fact of the member the question lacks, not by the policy.
    """

    name: str
    used: bool | None
    reason: Reason
    holds: Callable[[Asked], bool]
    sql: str
    why: Callable[[Asked], str]
    of_member: bool = False


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
    if change.objection:
        what = f"objected by '{change.control}'"
    else:
        what = f"turned off '{change.control}'" if change.control else f"opted out of {a.purpose.label}"
    return f"the member {what} on {change.on.isoformat()}, by {a.day.isoformat()}{_lifted_since(a, change)}"


def _withdrawn_why(a: Asked, change: SettingChange | None) -> str:
    assert change is not None  # noqa: S101 (the check's condition holds only with the change)
    if change.objection:  # an objection withdraws the consent given by other controls
        return (
            f"the member objected by '{change.control}' on {change.on.isoformat()}, which withdrew the consent they "
            f"had given, by {a.day}{_lifted_since(a, change)}"
        )
    what = f"'{change.control}'" if change.control else a.purpose.label
    return f"the member withdrew the consent they had given to {what} on {change.on.isoformat()}, by {a.day}"


def _later_why(a: Asked, change: SettingChange | None) -> str:
    assert change is not None  # noqa: S101 (the check's condition holds only with the change)
    if a.rule.retroactive:
        return (
            f"the use on {a.day.isoformat()} was no breach then; the member opted out on {change.on.isoformat()}, and "
            f"opting out of {a.purpose.label} also removes data already used, so its data is to be removed"
        )
    return (
        f"the member opted out on {change.on.isoformat()}, after {a.day.isoformat()}, and the policy does "
        f"not say whether opting out of {a.purpose.label} removes data already used"
    )


def _used_why(a: Asked) -> str:
    latest = a.latest
    if latest is not None and latest.objection and not _lifts(a, latest):
        latest = a.standing.choice  # a signal stopped or a form withdrawn that lifted nothing: the choice says why
    if latest is not None:
        if latest.objection:
            what = f"lifted their objection by '{latest.control}'"
        else:
            what = f"turned on '{latest.control}'" if latest.control else f"opted in to {a.purpose.label}"
        return f"the member {what} on {latest.on.isoformat()}{_conditions(a.rule)}"
    controls = [a.snapshot.control(c) for c in a.rule.controls]
    labels = " or ".join(f"'{c.label}'" for c in controls) or "any control"
    return f"{a.purpose.label} is on by default and the member has not turned off {labels}{_conditions(a.rule)}"


def _lifted_since(a: Asked, change: SettingChange) -> str:
    """Of an objection that keeps a purpose off by default off though lifted since: lifting it gave no consent."""
    lifted = change.objection and change not in a.standing.objections
    return ", and lifting that objection since gave no consent back" if lifted else ""


def _lifts(a: Asked, latest: SettingChange) -> bool:
    """Whether the latest change, lifting an objection, lifted one: its control's change before it raised one."""
    key = a.control_of(latest)
    earlier = [c for c in a.before[:-1] if c.objection and a.control_of(c) == key]
    return bool(earlier) and not earlier[-1].turned_on


def _conditions(rule: Rule) -> str:
    """The limits the sources state on a use, said with every decision that the data is used."""
    return "".join(f"; the policy states this limit: {condition}" for condition in rule.conditions)


_MINOR_SQL = f"(j.believed OR j.age < {ADULT_AGE})"
# Off after all the member's changes: reached only by a use the changes by its instant left on, so turned off after it.
_LATER_OPT_OUT_SQL = "t.last_state = 'off'"

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
        lambda a: a.off is not None and not a.rule.default_on and a.standing.given,
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
        lambda a: a.standing.choice is None and not a.rule.default_on,
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
        of_member=True,
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
