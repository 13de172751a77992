"""Planted breaches: for each reason, uses ``decide()`` itself judges a breach for it, each of a member of its own.

The candidates are every (region group, purpose, category, date, kind of member) whose use ``decide()`` judges a
breach, drawn at random for each reason; a reason the policy cannot produce is named, and planted zero times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.audit.evidence import STATES
from policyproof.audit.policy import countries
from policyproof.audit.reference import Change, Person, judge
from policyproof.engine.answers import Reason

if TYPE_CHECKING:
    import random

    from policyproof.audit.policy import Policy
    from policyproof.audit.sql import Value
    from policyproof.snapshot.model import Snapshot

BREACH_REASONS = (
    Reason.NOT_ACTIVE,
    Reason.EXCLUDED_CATEGORY,
    Reason.NOT_COVERED,
    Reason.EXCLUDED_MEMBER,
    Reason.OPTED_OUT,
    Reason.CONSENT_WITHDRAWN,
    Reason.NO_CONSENT,
)


@dataclass(frozen=True, slots=True)
class Planted:
    """One planted breach."""

    use_id: str
    member_id: str
    reason: str
    region_group: str
    purpose: str
    category: str
    used_at: dt.datetime


def country_of(snapshot: Snapshot, group: str) -> str | None:
    """A country of this region group in the snapshot (for the rest of the world, one no other group names)."""
    found = snapshot.group(group)
    if found.countries:
        return min(found.countries)
    return next((c for c in countries() if snapshot.group_of_country(c) == found), None)


def plant(
    policy: Policy, rng: random.Random, per_reason: int
) -> tuple[list[Planted], tuple[list[tuple[Value, ...]], ...], tuple[str, ...]]:
    """Planted breaches, their members, settings and uses as rows, and the reasons the policy cannot produce."""
    candidates = _candidates(policy)
    planted: list[Planted] = []
    members: list[tuple[Value, ...]] = []
    settings: list[tuple[Value, ...]] = []
    uses: list[tuple[Value, ...]] = []
    for reason in BREACH_REASONS:
        matching = [c for c in candidates if c[0] == reason]
        for n in range(per_reason if matching else 0):
            _, group, purpose, category, at, person, changes = rng.choice(matching)
            member_id, use_id = f"planted-{reason}-{n}", f"planted-use-{reason}-{n}"
            members.append((member_id, person.country, person.birth_date, person.believed_under_18_since))
            settings.extend((member_id, c.control, c.state, c.changed_at) for c in changes)
            uses.append((use_id, member_id, category, purpose, at))
            planted.append(Planted(use_id, member_id, str(reason), group, purpose, category, at))
    impossible = tuple(str(r) for r in BREACH_REASONS if not any(c[0] == r for c in candidates))
    return planted, (members, settings, uses), impossible


_Candidate = tuple[Reason, str, str, str, dt.datetime, Person, tuple[Change, ...]]


def _candidates(policy: Policy) -> list[_Candidate]:
    """Every (reason, group, purpose, category, instant, member, settings) decide() judges a breach."""
    found: list[_Candidate] = []
    latest = policy.snapshots[-1]
    days = sorted(
        {d for s in policy.snapshots for d in (s.effective - dt.timedelta(days=1), s.effective + dt.timedelta(days=40))}
    )
    for group in (g.id for g in latest.region_groups):
        country = country_of(latest, group)
        if country is None:
            continue
        for day in days:
            at = dt.datetime.combine(day, dt.time(12, 0))
            snapshot = policy.snapshots[policy.index_on(day)]
            for person, changes in _kinds(policy, country, at):
                for purpose in snapshot.purposes:
                    for category in snapshot.categories:
                        verdict = judge(policy, person, changes, category=category.id, purpose=purpose.id, used_at=at)
                        if verdict.status == "breach" and verdict.region_group is not None:
                            reason = Reason(verdict.reason)
                            found.append((reason, verdict.region_group, purpose.id, category.id, at, person, changes))
    return found


def _kinds(policy: Policy, country: str, at: dt.datetime) -> list[tuple[Person, tuple[Change, ...]]]:
    """The members a planted breach may have: adult, minor, believed under 18, opted out, consent withdrawn."""
    adult = dt.date(at.year - 40, 6, 1)
    minor = dt.date(at.year - 15, 1, 1)
    kinds: list[tuple[Person, tuple[Change, ...]]] = [
        (Person(country, adult, None), ()),
        (Person(country, minor, None), ()),
        (Person(country, adult, at - dt.timedelta(days=30)), ()),
    ]
    for control, kind in policy.control_kinds.items():
        off, on = STATES[kind]
        kinds.append((Person(country, adult, None), (Change(control, off, at - dt.timedelta(days=10)),)))
        withdrawn = (Change(control, on, at - dt.timedelta(days=20)), Change(control, off, at - dt.timedelta(days=10)))
        kinds.append((Person(country, adult, None), withdrawn))
    return kinds
