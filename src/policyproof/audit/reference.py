"""One use judged by ``decide()`` itself, in Python: the reference the SQL audit is held to, use by use.

Slow by design (one engine call a use); tests compare every engine with it, and the benchmark times it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.answers import Reason
from policyproof.engine.decisions import decide
from policyproof.engine.member import Member, SettingChange, change_order
from policyproof.snapshot.regions import Place

if TYPE_CHECKING:
    from collections.abc import Iterable

    from policyproof.audit.policy import Policy


@dataclass(frozen=True, slots=True)
class Verdict:
    """A use's verdict: the snapshot and region group that judged it, its status, reason and rule."""

    snapshot: str
    region_group: str | None
    status: str
    reason: str
    rule: str | None


@dataclass(frozen=True, slots=True)
class Person:
    """A row of ``members``."""

    country: str
    birth_date: dt.date | None
    believed_under_18_since: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Change:
    """A row of ``settings``, without its member."""

    control: str
    state: str
    changed_at: dt.datetime


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on a date; on a birthday the year is complete (29 February turns on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def utc(moment: dt.datetime) -> dt.datetime:
    """An instant as an aware UTC datetime; naive is UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def member_at(policy: Policy, person: Person, changes: Iterable[Change], used_at: dt.datetime) -> Member:
    """The member as ``decide()`` sees them at the instant of a use."""
    at = utc(used_at)
    settings = tuple(
        sorted(
            (
                SettingChange(
                    utc(c.changed_at),
                    policy.turns_on(c.control, c.state),
                    control=policy.control_labels[c.control],
                    objection=policy.objects(c.control),
                )
                for c in changes
            ),
            key=change_order,
        )
    )
    since = person.believed_under_18_since
    return Member(
        place=Place(person.country, person.country, None),
        age=age_on(person.birth_date, at.date()) if person.birth_date is not None else None,
        believed_under_18=since is not None and utc(since) <= at,
        settings=settings,
        age_unknown=person.birth_date is None,
    )


def judge(
    policy: Policy,
    person: Person | None,
    changes: Iterable[Change],
    *,
    category: str,
    purpose: str,
    used_at: dt.datetime,
) -> Verdict:
    """The verdict of ``decide()`` on one use (``person`` None: the member is not in ``members``)."""
    at = utc(used_at)
    snapshot = policy.snapshots[policy.index_on(at.date())]
    if person is None:
        return Verdict(snapshot.id, None, "unmatched", "unmatched", None)
    group = snapshot.group_of_country(person.country)
    known = {c.id: c.label for c in snapshot.categories}, {p.id: p.label for p in snapshot.purposes}
    if group is None or category not in known[0] or purpose not in known[1]:
        return Verdict(snapshot.id, group.id if group else None, "unknown", str(Reason.NOT_STATED), None)
    member = member_at(policy, person, changes, at)
    decision = decide(snapshot, member, known[0][category], known[1][purpose], at)
    status = (
        "to_remove"
        if decision.reason is Reason.TO_REMOVE
        else {True: "allowed", False: "breach", None: "unknown"}[decision.used]
    )
    return Verdict(
        snapshot.id, group.id, status, str(decision.reason), decision.rule_location if decision.stated else None
    )
