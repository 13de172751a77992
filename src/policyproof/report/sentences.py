"""A diff in sentences a member can read: where, from when, what is used for what, and how to turn it off."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from policyproof.history.diff import ACTIVE, Change, Diff, Entry, Move
from policyproof.history.facts import NOT_STATED, REST, Fact, Named
from policyproof.snapshot.regions import country_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# Region and country names read with "the" in a sentence ("in the United Kingdom", "in the rest of the world").
_WITH_ARTICLE = ("United ", "European ", "Netherlands", "Philippines", "Czech Republic", "Republic of ", "Bahamas")
REST_OF_THE_WORLD = "the rest of the world"


def when(date: dt.date) -> str:
    """A date as a member reads it: 3 November 2025."""
    return f"{date.day} {date:%B %Y}"


def join(items: Iterable[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``a or b`` with ``word="or"``)."""
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return f"{', '.join(listed[:-1])} {word} {listed[-1]}"


def the(label: str) -> str:
    """A place's label as it reads after "in"."""
    if label.lower().startswith("rest of"):
        return f"the {label[0].lower()}{label[1:]}"
    return f"the {label}" if label.startswith(_WITH_ARTICLE) else label


def _quoted(items: Iterable[Named | str], word: str = "and") -> str:
    return join((f"“{item.label if isinstance(item, Named) else item}”" for item in items), word)


def _labels(items: Iterable[Named | str]) -> str:
    return join(item.label if isinstance(item, Named) else item for item in items)


def places(diff: Diff, countries: Iterable[str]) -> str:
    """Countries named as readers know them.

    Whole region groups go by their label (the newer version's groups first), the other countries by name.
    """
    remaining = set(countries)
    names: list[str] = []
    for side in (diff.new, diff.old):
        for group in side.group_order:
            members = {country for country, named in side.groups if named == group}
            if members and members <= remaining:
                names.append(the(group.label))
                remaining -= members
    names += [REST_OF_THE_WORLD if country == REST else the(country_name(country)) for country in sorted(remaining)]
    return join(names)


def _group(group: Named | None) -> str:
    return f"{group.label} ({group.id})" if group is not None else "no region group"


def move_sentence(move: Move) -> str:
    """A country that changed region group."""
    name = REST_OF_THE_WORLD if move.country == REST else country_name(move.country)
    return f"{name[0].upper()}{name[1:]} moved from {_group(move.before)} to {_group(move.after)}."


def _turning_off(fact: Fact) -> str:
    if fact.default_on:
        return (
            f"unless you turn it off with {_quoted(fact.controls, 'or')}"
            if fact.controls
            else "with no stated way to stop it"
        )
    return f"only if you turn it on with {_quoted(fact.controls, 'or')}" if fact.controls else "only if you agree"


def terms(fact: Fact) -> list[str]:
    """The terms of an active use besides its categories and controls, one sentence each."""
    lines = []
    if fact.active_until is not None:
        lines.append(f"It stops after {when(fact.active_until)}.")
    if fact.never_uses:
        lines.append(f"Never used: {_labels(fact.never_uses)}.")
    if fact.other_categories is not NOT_STATED:
        lines.append(f"Other data: {fact.other_categories}.")
    lines += _exclusions(fact)
    if fact.legal_basis is not NOT_STATED:
        lines.append(f"Legal basis: {fact.legal_basis}.")
    if fact.recipients:
        lines.append(f"Shared with: {join(fact.recipients)}.")
    if fact.opt_out_effect is not NOT_STATED:
        lines.append(_effect(fact.opt_out_effect))
    if fact.notice_days is not None:
        lines.append(f"Announced {_days(fact.notice_days)} ahead.")
    lines += [f"Condition: {condition}" for condition in fact.conditions]
    return lines


def _exclusions(fact: Fact) -> list[str]:
    excluded = []
    if fact.age_below is not NOT_STATED:
        excluded.append(f"members under {fact.age_below}")
    if fact.believed_under_18 is True:
        excluded.append("members believed to be under 18")
    lines = [f"Excluded: {join(excluded)}."] if excluded else []
    if fact.believed_under_18 is False:
        lines.append("Members believed to be under 18 are stated not to be excluded.")
    return lines


def _effect(effect: object) -> str:
    if effect == "retroactive":
        return "Turning it off also removes data already used."
    return "Turning it off stops future use only."


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _uses(fact: Fact) -> str:
    return f"your {_labels(fact.uses)}" if fact.uses else "your data (no category is stated)"


def _are(fact: Fact) -> str:
    return "are" if len(fact.uses) > 1 else "is"


def _inactive(fact: Fact) -> str:
    return "stated not to apply" if fact.active is False else "not stated"


def _since(fact: Fact, *, start: bool = False) -> str:
    """When an active use began: ``from DATE``, or ``by DATE (since when, no source says)``; capitalised to start."""
    assert fact.active_from is not None  # noqa: S101 (an active fact has its start)
    said = (
        f"from {when(fact.active_from)}"
        if fact.start_known
        else f"by {when(fact.active_from)} (since when, no source says)"
    )
    return said[0].upper() + said[1:] if start else said


def activity_sentence(diff: Diff, entry: Entry, change: Change) -> str:
    """A purpose that became active, stopped, or became stated or unstated, in some places."""
    before, after = change.before, change.after
    assert isinstance(before, Fact)  # noqa: S101 (an activity change holds facts)
    assert isinstance(after, Fact)  # noqa: S101
    where, purpose = places(diff, entry.countries), entry.purpose.label
    if after.active is True:
        since = _since(after, start=True)
        return f"{since}, in {where}, {_uses(after)} {_are(after)} used for {purpose} {_turning_off(after)}."
    if before.active is True:
        were = "were" if len(before.uses) > 1 else "was"
        return (
            f"From {when(diff.new.effective)}, in {where}, {purpose} is {_inactive(after)}; "
            f"before, {_uses(before)} {were} used for it {_since(before)}."
        )
    if after.active is False:
        return f"In {where}, the policy now states that {purpose} does not apply (before, it did not say)."
    return f"In {where}, the policy no longer says whether {purpose} applies (before, it stated that it does not)."


def _scalar(value: object) -> str:
    if value is NOT_STATED or value is None:
        return "not stated"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _set_sentence(change: Change, now: str, no_longer: str) -> str:
    parts = []
    if change.added:
        parts.append(f"{now}: {_labels(change.added)}")
    if change.removed:
        parts.append(f"{no_longer}: {_labels(change.removed)}")
    parts += [f"“{old.label}” is now called “{new.label}”" for old, new in change.renamed]
    text = "; ".join(part[0].lower() + part[1:] for part in parts)
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _dates(change: Change) -> str:
    assert isinstance(change.before, tuple)  # noqa: S101 (dates are a pair)
    assert isinstance(change.after, tuple)  # noqa: S101
    (old_from, old_until), (new_from, new_until) = change.before, change.after
    parts = []
    if old_from != new_from:
        parts.append(f"it now starts on {_date(new_from)} (before: {_date(old_from)})")
    if old_until != new_until:
        if new_until is None:
            parts.append(f"it no longer stops after {_date(old_until)}")
        else:
            parts.append(f"it now stops after {_date(new_until)} (before: {_date(old_until)})")
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _date(value: object) -> str:
    return when(value) if isinstance(value, dt.date) else "no date"


def _default(change: Change) -> str:
    if change.after:
        return (
            "It is now on by default (opt-out): used unless you turn it off; before, it was off until you turned it on."
        )
    return "It is now off by default (opt-in): used only if you turn it on; before, it was on unless you turned it off."


def _stated(change: Change, what: str, values: tuple[str, str] | None = None) -> str:
    before, after = values or (_scalar(change.before), _scalar(change.after))
    if change.before is NOT_STATED:
        return f"{what} is now stated: {after}."
    if change.after is NOT_STATED:
        return f"{what} is no longer stated (before: {before})."
    return f"{what} changed from {before} to {after}."


def _excluded(value: object) -> str:
    if isinstance(value, bool):
        return "excluded" if value else "not excluded"
    return "not stated"


def _effect_word(value: object) -> str:
    return {"retroactive": "it also removes data already used", "prospective": "it stops future use only"}.get(
        str(value), "not stated"
    )


def _notice(change: Change) -> str:
    return f"Announced {_days(int(str(change.after)))} ahead (before: {_days(int(str(change.before)))})."


# How each term's change reads; the keys are the diff's fields (a test checks they match).
SENTENCES: dict[str, Callable[[Change], str]] = {
    "dates": _dates,
    "default": _default,
    "controls": lambda c: _set_sentence(c, "Now turned off with", "No longer turned off with"),
    "uses": lambda c: _set_sentence(c, "Now used", "No longer stated as used"),
    "never_uses": lambda c: _set_sentence(c, "Now stated never to be used", "No longer stated as never used"),
    "other_categories": lambda c: _stated(c, "Whether other data is used"),
    "age_below": lambda c: _stated(c, "The age below which members are excluded"),
    "believed_under_18": lambda c: _stated(
        c, "Whether members believed to be under 18 are excluded", (_excluded(c.before), _excluded(c.after))
    ),
    "legal_basis": lambda c: _stated(c, "The legal basis"),
    "recipients": lambda c: _set_sentence(c, "Now shared with", "No longer shared with"),
    "opt_out_effect": lambda c: _stated(c, "What turning it off does", (_effect_word(c.before), _effect_word(c.after))),
    "notice": _notice,
    "conditions": lambda c: _set_sentence(c, "Newly stated condition", "Condition no longer stated"),
}


def change_sentence(change: Change) -> str:
    """One change of a term of an active use, in a sentence."""
    return SENTENCES[change.field](change)


def entry_lines(diff: Diff, entry: Entry) -> tuple[str, list[str]]:
    """An entry as a headline and its sentences.

    An activity change heads with its own sentence, followed by the terms of the active side; a change of terms
    heads with the places, followed by a sentence a change.
    """
    activity = next((change for change in entry.changes if change.field == ACTIVE), None)
    if activity is not None:
        active = activity.after if isinstance(activity.after, Fact) and activity.after.active is True else None
        return activity_sentence(diff, entry, activity), terms(active) if active is not None else []
    return f"In {places(diff, entry.countries)}:", [change_sentence(change) for change in entry.changes]


def _where(location: str, fact: object) -> str:
    if isinstance(fact, Fact) and fact.active is not True:
        return f"{location} ({_inactive(fact)})"
    return location


def rules_line(entry: Entry) -> str:
    """Where each side states it: ``file:line``, or the file alone where it states nothing about the purpose."""
    activity = next((change for change in entry.changes if change.field == ACTIVE), None)
    before, after = (activity.before, activity.after) if activity is not None else (None, None)
    return f"Rules: {_where(entry.old_location, before)} → {_where(entry.new_location, after)}"
