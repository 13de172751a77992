"""Deciding whether one member's data is used for one purpose on one date, and why.

A decision is one of three kinds of answer: the policy states that the data is used, states that it is not,
or does not say. Silence is never read as a use: where the snapshot states nothing that settles the question,
the answer is "the policy does not say" (reason ``not-stated``), with a sentence saying what is missing.

The questions are asked in a fixed order, and a definite answer outranks "the policy does not say": the
first question that settles the answer gives the reason, and only where none settles it does the first that the
policy leaves open give it (a member who opted out is not used, whatever the policy says of the category). The
rule's questions are one ordered table, ``table.CHECKS`` (a row a check: its condition in Python and in the
audit's SQL, its answer, its reason and why), from which ``decide()`` runs and the audit's SQL is generated; the
order of a member's setting changes at one instant (``member.change_order``: the opt-out is the later) is
beside the member:

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
7. the member opted out later and the rule makes opting out retroactive: the use was not a breach when it was
   made, and its data is to be removed whatever else the policy left open (``to-remove``, ``used`` True); where
   the rule does not say what opting out does to data already used, a later opt-out leaves the answer open;
8. otherwise: used, subject to any conditions the rule states, unless a question above was left open: then
   the first of them gives the answer, "the policy does not say" (``not-stated``).

``to-remove`` is a definite answer too: whatever else the policy leaves open, the data must go.

An answer the policy does not give is one of two kinds (``coverage``): the documents the snapshot was written
from were read and are silent on it (``silent``, a finding about the platform, citing the documents), or the
snapshot has not recorded what they say of the purpose in that region (``not-covered``, a gap in the snapshot).

A member's settings are a timeline of changes named by control label, so they carry across snapshot
versions: a choice made under one version is honoured by the next one that has the same control. What the
timeline leaves standing is ``member.Standing``: the latest change of a setting or consent is the member's
choice; a signal or a form is an objection that stands until that control lifts it, whatever other controls do.

Dates or instants: a question and a setting change may each be dated by a calendar date or by an instant
(a ``datetime``, naive read as UTC). The policy's own dates (when a rule applies, when a version takes over)
are compared with the question's calendar date; settings are compared at the finest precision given, a
date standing for its first instant, so a change at the same instant as the question counts as made
before it. The evidence audit asks at instant precision; reviewers' scenarios ask by date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.answers import Coverage, Decision, Reason
from policyproof.engine.asked import Asked
from policyproof.engine.member import day_of
from policyproof.engine.table import CHECKS
from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.regions import group_of

if TYPE_CHECKING:
    import datetime as dt

    from policyproof.engine.member import Member
    from policyproof.snapshot.model import RegionGroup, Snapshot
    from policyproof.snapshot.purposes import Purpose


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
    if used is None and check.of_member:
        # The policy states what settles it; the question lacks the member's fact: no silence, no gap of the snapshot.
        return Decision(used, reason, why, snapshot.id, group.id, rule, location, rule.sources)
    if used is None:
        coverage, documents, why = unsaid(snapshot, why)
        return Decision(used, reason, why, snapshot.id, group.id, rule, location, rule.sources, coverage, documents)
    return Decision(used, reason, why, snapshot.id, group.id, rule, location, rule.sources)


# What a rule leaves open, said of the policy: as the sentence's subject, or after what the policy states ("the
# policy excludes members younger than 16 ... but does not say whether ...").
_UNSAID = re.compile(r"(?:the policy )?does not say")


def unsaid(snapshot: Snapshot, why: str) -> tuple[Coverage, tuple[str, ...], str]:
    """What the policy does not say (``why``): the documents' silence as it is, or a gap said of the sources cited.

    The coverage and documents are ``left_open``'s; in a snapshot that names no document read in full, ``why``
    is said of the sources cited rather than of the policy, and names the gap.
    """
    coverage, documents = left_open(snapshot)
    if coverage is Coverage.SILENT:
        return coverage, documents, why
    said = _UNSAID.sub("the sources cited do not say", why, count=1)
    gap = f"{said}; this snapshot names no document read in full, so whether the policy says is not recorded"
    return coverage, documents, gap


def left_open(snapshot: Snapshot) -> tuple[Coverage, tuple[str, ...]]:
    """What a question the snapshot does not settle is: the silence of the documents it read in full, or a gap.

    Only documents read whole can be silent; where the snapshot names none, its sources are excerpts, and
    what they do not say is a gap of the snapshot, not a finding that the platform says nothing.
    """
    documents = snapshot.documents
    return (Coverage.SILENT, documents) if documents else (Coverage.NOT_COVERED, ())


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
