"""Platforms side by side: each one's answer in force on a date, for the places a member picks.

For each place (a region group id, a country, or the EU or the EEA, read as ``explain`` reads a place) and each
platform, the version in force on the date answers purpose by purpose: whether a member's data is used by
default, only with consent, not at all, or whether the policy does not say; the control that turns it off;
whether opting out reaches data already used; whether members under 18 are excluded; whether private messages
are used; and the notice given. Every answer is the engine's (``decide()`` and the checks, on the snapshot
model), never a rule of this module's own, and carries the statement it rests on (``file:line``) and the
addresses of its sources, or of the documents read where they are silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from policyproof.engine import checks
from policyproof.engine.answers import Coverage, Decision, Reason
from policyproof.engine.decisions import decide
from policyproof.engine.member import Member, SettingChange
from policyproof.exceptions import UnknownNameError
from policyproof.history.versions import versions_of
from policyproof.report.answers import (
    ASPECTS,
    NOT_APPLICABLE,
    NOT_COVERED,
    NOT_STATED,
    SHARED,
    Answer,
    Cited,
    Comparison,
    PlaceComparison,
    PlatformAnswers,
    PurposeAnswers,
)
from policyproof.snapshot.names import normalise
from policyproof.snapshot.regions import Place, group_of, parse_place

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.snapshot.model import RegionGroup, Snapshot
    from policyproof.snapshot.purposes import Purpose

DEFAULT_PLACES = ("EEA", "UK", "US")
PRIVATE = "private messages"
MINOR_AGE = 17  # a member known to be under 18, as the guarantees ask


def compare(snapshots: Sequence[Snapshot], places: Sequence[str], on: dt.date | None = None) -> Comparison:
    """The platforms of ``snapshots`` side by side at each place, as the versions in force on ``on`` answer.

    ``on`` defaults to today (UTC).
    """
    on = on if on is not None else dt.datetime.now(tz=dt.UTC).date()
    group_ids = frozenset(group.id for snapshot in snapshots for group in snapshot.region_groups)
    read = [parse_place(text, group_ids) for text in dict.fromkeys(places)]
    platforms = sorted({snapshot.platform for snapshot in snapshots})
    return Comparison(on, tuple(_place(snapshots, platforms, place, on) for place in read))


def _in_force(snapshots: Sequence[Snapshot], platform: str, on: dt.date) -> tuple[Snapshot | None, str | None]:
    versions = versions_of(snapshots, platform)
    snapshot = next((version for version in versions if version.in_force_on(on)), None)
    if snapshot is not None:
        return snapshot, None
    first = versions[0]
    return None, (
        f"no version of {platform} is in force on {on.isoformat()}: the first, {first.id}, takes effect on "
        f"{first.effective.isoformat()}"
    )


def _place(snapshots: Sequence[Snapshot], platforms: Sequence[str], place: Place, on: dt.date) -> PlaceComparison:
    versions = {platform: _in_force(snapshots, platform, on) for platform in platforms}
    rows = _rows([snapshot for snapshot, _ in versions.values() if snapshot is not None])
    columns = []
    for platform, (snapshot, absent) in versions.items():
        if snapshot is None:
            columns.append(PlatformAnswers(platform, None, None, absent, ()))
            continue
        group = group_of(snapshot, place)
        if group is None:
            split = f"{snapshot.id} puts {place.shown} in more than one region group; name a country"
            columns.append(PlatformAnswers(platform, snapshot.id, None, split, ()))
            continue
        answers = tuple(
            _answers(snapshot, group, place=place, purpose=purpose, on=on, row=rows[snapshot.id, purpose.id])
            for purpose in snapshot.purposes
        )
        columns.append(PlatformAnswers(platform, snapshot.id, group, None, answers))
    return PlaceComparison(place.shown, tuple(dict.fromkeys(rows.values())), tuple(columns))


def _names(purpose: Purpose) -> list[str]:
    return [normalise(name) for name in (purpose.label, *purpose.aliases)]


def _rows(snapshots: Sequence[Snapshot]) -> dict[tuple[str, str], str]:
    """The comparison's row of each purpose (by snapshot id and purpose id), purposes in the order given.

    Purposes of different platforms share a row where one's label or alias is another's, and the row is named
    by a label or alias every one of them answers to (the first purpose's label where that one does).
    """
    groups: list[list[tuple[str, Purpose]]] = []
    for snapshot in snapshots:
        for purpose in snapshot.purposes:
            names = set(_names(purpose))
            joined = next((g for g in groups if any(names & set(_names(other)) for _, other in g)), None)
            if joined is None:
                groups.append([(snapshot.id, purpose)])
            else:
                joined.append((snapshot.id, purpose))
    rows: dict[tuple[str, str], str] = {}
    for group in groups:
        first = group[0][1]
        shared = set.intersection(*(set(_names(purpose)) for _, purpose in group))
        name = next((n for n in (first.label, *first.aliases) if normalise(n) in shared), first.label)
        rows.update({(snapshot_id, purpose.id): name for snapshot_id, purpose in group})
    return rows


def _cited(snapshot: Snapshot, ids: Sequence[str]) -> tuple[Cited, ...]:
    return tuple(Cited(s.id, s.publisher, s.address) for s in map(snapshot.source, dict.fromkeys(ids)))


def _of(snapshot: Snapshot, decision: Decision, value: str, text: str) -> Answer:
    """An answer resting on a decision: its sentence, its statement, and its sources or the silent documents."""
    return _resting(snapshot, decision, value, text, said=decision.used is not None)


def _from_verdict(snapshot: Snapshot, verdict: checks.Verdict, value: str, text: str) -> Answer:
    """An answer resting on a verdict, as on a decision."""
    return _resting(snapshot, verdict, value, text, said=verdict.stated)


def _resting(snapshot: Snapshot, basis: Decision | checks.Verdict, value: str, text: str, *, said: bool) -> Answer:
    """The answer ``value`` where the policy said it, else what it leaves unsaid: silence or a gap of the snapshot."""
    if not said:
        value = NOT_COVERED if basis.coverage is Coverage.NOT_COVERED else NOT_STATED
        text = SHARED[value]
    ids = basis.sources if said else basis.documents
    return Answer(value, text, basis.explanation, basis.rule_location, _cited(snapshot, ids))


def _words(aspect: str, value: str) -> str:
    return ASPECTS[aspect][1].get(value) or SHARED[value]


def _answers(
    snapshot: Snapshot, group: RegionGroup, *, place: Place, purpose: Purpose, on: dt.date, row: str
) -> PurposeAnswers:
    rule = snapshot.rule_for(purpose.id, group.id)
    # Data the rule uses, so that the answer is about the purpose, not about one kind of data.
    data = checks.data_used(snapshot, purpose, group.id).label
    decision = decide(snapshot, Member(place), data, purpose.label, on)
    value = {Reason.USED: "used-by-default", Reason.NO_CONSENT: "only-with-consent"}.get(decision.reason, "not-used")
    use = _of(snapshot, decision, value, _words("use", value))
    applies = use.value in {"used-by-default", "only-with-consent"} or (rule is not None and rule.active_on(on))
    if not applies:
        # Not used there on that date, or not said: nothing else about the purpose arises, or is said.
        moot = use if use.value != "not-used" else Answer(NOT_APPLICABLE, SHARED[NOT_APPLICABLE], *_rest(use))
        return PurposeAnswers(row, purpose.label, use, moot, moot, moot, moot, moot)
    return PurposeAnswers(
        row,
        purpose.label,
        use,
        _control(snapshot, purpose, group),
        _retroactive(snapshot, purpose, group),
        _minors(snapshot, place, data, purpose, on),
        _private(snapshot, purpose, group),
        _notice(snapshot, purpose, group),
    )


def _rest(answer: Answer) -> tuple[str, str | None, tuple[Cited, ...]]:
    return answer.explanation, answer.rule, answer.sources


def _control(snapshot: Snapshot, purpose: Purpose, group: RegionGroup) -> Answer:
    verdict = checks.can_be_turned_off(snapshot, purpose, group.id)
    if not verdict.holds or verdict.rule is None:
        return _from_verdict(snapshot, verdict, "none", _words("control", "none"))
    controls = [snapshot.control(control) for control in verdict.rule.controls]
    text = "; ".join(f"{c.kind} “{c.label}”" + (f" ({c.path})" if c.path else "") for c in controls)
    ids = [source for control in controls for source in control.sources] or verdict.sources
    return Answer("offered", text, verdict.explanation, verdict.rule_location, _cited(snapshot, ids))


def _retroactive(snapshot: Snapshot, purpose: Purpose, group: RegionGroup) -> Answer:
    verdict = checks.opt_out_is_retroactive(snapshot, purpose, group.id)
    value = "yes" if verdict.holds else "no"
    return _from_verdict(snapshot, verdict, value, _words("retroactive", value))


def _minors(snapshot: Snapshot, place: Place, data: str, purpose: Purpose, on: dt.date) -> Answer:
    """Whether a member known to be under 18, and one believed to be, are left out: the engine asked of each."""
    # The member turned the purpose on, so that consent does not settle what only the exclusion should.
    consenting = Member(place).with_change(SettingChange(on, turned_on=True, purpose=purpose.label))
    known = decide(snapshot, replace(consenting, age=MINOR_AGE), data, purpose.label, on)
    believed = decide(snapshot, replace(consenting, believed_under_18=True), data, purpose.label, on)
    excluded = [d.reason is Reason.EXCLUDED_MEMBER for d in (known, believed)]
    if excluded[0] and not excluded[1]:
        # Left out when the platform knows the age; of those it only believes to be under 18 the policy says
        # otherwise, or nothing.
        gap = believed.coverage is Coverage.NOT_COVERED  # the snapshot's sources are excerpts
        others = (
            "not those only believed to be"
            if believed.used is not None
            else f"the {'sources cited do' if gap else 'policy does'} not say of those believed to be"
        )
        text = f"{_words('minors', 'excluded-when-age-known')}; {others}"
        said = (
            believed.explanation if believed.used is None else "members only believed to be under 18 are not excluded"
        )
        why = f"{known.explanation}; {said}"
        ids = known.sources if believed.used is not None else (*known.sources, *believed.documents)
        return Answer("excluded-when-age-known", text, why, known.rule_location, _cited(snapshot, ids))
    if all(excluded):
        value = "excluded"
    elif known.reason is Reason.USED:
        value = "not-excluded"
    else:
        value = NOT_STATED
    decision = known
    return _of(snapshot, decision, value, _words("minors", value))


def _private(snapshot: Snapshot, purpose: Purpose, group: RegionGroup) -> Answer:
    """Whether the policy never uses private messages for the purpose here, states a use of them, or is silent."""
    try:
        category = snapshot.find_category(PRIVATE)
    except UnknownNameError:
        if snapshot.documents:
            why = f"{snapshot.id} does not describe {PRIVATE}: the documents read say nothing of them"
            return Answer(NOT_STATED, SHARED[NOT_STATED], why, None, _cited(snapshot, snapshot.documents))
        why = f"{snapshot.id} does not describe {PRIVATE} (not covered)"
        return Answer(NOT_COVERED, SHARED[NOT_COVERED], why, None, ())
    verdict = checks.never_used(snapshot, purpose, group.id, [category])
    value = "never-used" if verdict.holds else "used"
    return _from_verdict(snapshot, verdict, value, _words("private", value))


def _notice(snapshot: Snapshot, purpose: Purpose, group: RegionGroup) -> Answer:
    verdict = checks.announced_ahead(snapshot, purpose, group.id, 0)
    rule = verdict.rule
    if rule is None or not verdict.stated:
        return _from_verdict(snapshot, verdict, NOT_STATED, SHARED[NOT_STATED])
    if verdict.holds is None:
        return _from_verdict(snapshot, verdict, "earlier-version", _words("notice", "earlier-version"))
    days = checks.notice_days(snapshot, rule)
    text = f"{days} days" if days != 1 else "1 day"
    why = (
        f"{snapshot.id} was announced on {snapshot.announced.isoformat()}, and {purpose.label} applies in "
        f"{group.label} ({group.id}) from {rule.active_from.isoformat()}"
    )
    return Answer("days", text, why, verdict.rule_location, _cited(snapshot, rule.sources), days)
