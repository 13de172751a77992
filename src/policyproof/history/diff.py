"""The semantic diff of two snapshots: per purpose and country, what the newer one states differently.

Countries are compared one by one, so region groups that differ between the versions compare as they should,
and countries with the same changes under the same rules are gathered into one entry for reading. A country
that moved from one region group to another is a change of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.history.facts import NOT_STATED, Fact, Named, NotStated, countries_of, fact_of, group_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from policyproof.snapshot.model import Snapshot

Scalar = str | int | bool | NotStated | None
Dates = tuple["dt.date | None", "dt.date | None"]
Value = Scalar | Dates | tuple[Named, ...] | tuple[str, ...] | Fact


@dataclass(frozen=True, slots=True)
class Field:
    """One term of a rule the diff compares: its name in JSON, how to read it from a fact, and its shape."""

    name: str
    read: Callable[[Fact], Value]
    is_set: bool = False
    # None on either side means the snapshot does not state the term on its own (a notice given by an earlier
    # version), so there is nothing to compare.
    none_is_silence: bool = False


# The terms compared when a purpose is active on both sides, in the order changes are listed.
FIELDS = (
    Field("dates", lambda f: (f.active_from, f.active_until)),
    Field("default", lambda f: f.default_on),
    Field("controls", lambda f: f.controls, is_set=True),
    Field("uses", lambda f: f.uses, is_set=True),
    Field("never_uses", lambda f: f.never_uses, is_set=True),
    Field("other_categories", lambda f: f.other_categories),
    Field("age_below", lambda f: f.age_below),
    Field("believed_under_18", lambda f: f.believed_under_18),
    Field("legal_basis", lambda f: f.legal_basis),
    Field("recipients", lambda f: f.recipients, is_set=True),
    Field("opt_out_effect", lambda f: f.opt_out_effect),
    Field("notice", lambda f: f.notice_days, none_is_silence=True),
    Field("conditions", lambda f: f.conditions, is_set=True),
)
SET_FIELDS = frozenset(field.name for field in FIELDS if field.is_set)
ACTIVE = "active"


def _key(item: Named | str) -> str:
    return item.id if isinstance(item, Named) else item


@dataclass(frozen=True, slots=True)
class Change:
    """One term that differs: its field, its value before and after.

    For ``active`` (the purpose became active or stopped, or what is stated about it changed) the values are
    the whole facts, so that the terms of the active side can be shown.
    """

    field: str
    before: Value
    after: Value

    def mirrored(self) -> Change:
        """The same change seen from the other version."""
        return Change(self.field, self.after, self.before)

    def _items(self) -> tuple[dict[str, Named | str], dict[str, Named | str]]:
        assert isinstance(self.before, tuple)  # noqa: S101 (a set field's values are tuples)
        assert isinstance(self.after, tuple)  # noqa: S101
        before: dict[str, Named | str] = {_key(item): item for item in self.before if isinstance(item, Named | str)}
        after: dict[str, Named | str] = {_key(item): item for item in self.after if isinstance(item, Named | str)}
        return before, after

    @property
    def added(self) -> tuple[Named | str, ...]:
        """Of a set field, the items only the newer side has."""
        before, after = self._items()
        return tuple(item for key, item in after.items() if key not in before)

    @property
    def removed(self) -> tuple[Named | str, ...]:
        """Of a set field, the items only the older side has."""
        before, after = self._items()
        return tuple(item for key, item in before.items() if key not in after)

    @property
    def renamed(self) -> tuple[tuple[Named, Named], ...]:
        """Of a set field, the items both sides have under different labels: (before, after)."""
        before, after = self._items()
        return tuple(
            (old, new)
            for key, old in before.items()
            if isinstance(old, Named) and isinstance(new := after.get(key), Named) and new.label != old.label
        )

    @property
    def kind(self) -> str:
        """What happened, in one word.

        One of newly-active, no-longer-active, newly-stated, no-longer-stated, added, removed, renamed, changed.
        """
        if self.field == ACTIVE:
            return self._activity()
        if self.field in SET_FIELDS:
            kinds = [
                kind
                for kind, items in (("added", self.added), ("removed", self.removed), ("renamed", self.renamed))
                if items
            ]
            return kinds[0] if len(kinds) == 1 else "changed"
        if self.before is NOT_STATED:
            return "newly-stated"
        if self.after is NOT_STATED:
            return "no-longer-stated"
        return "changed"

    def _activity(self) -> str:
        assert isinstance(self.before, Fact)  # noqa: S101 (an activity change holds facts)
        assert isinstance(self.after, Fact)  # noqa: S101
        if self.after.active is True:
            return "newly-active"
        if self.before.active is True:
            return "no-longer-active"
        return "no-longer-stated" if self.after.active is NOT_STATED else "newly-stated"


def compare(old: Fact, new: Fact) -> tuple[Change, ...]:
    """What differs between two facts about one purpose in one country.

    When the purpose is active on one side only, that is the one change (its terms are in the facts); when it
    is active on both, each term that differs is a change.
    """
    if old.active is not True or new.active is not True:
        return (Change(ACTIVE, old, new),) if old.active != new.active else ()
    changes = []
    for field in FIELDS:
        before, after = field.read(old), field.read(new)
        if field.none_is_silence and (before is None or after is None):
            continue
        if field.is_set:
            assert isinstance(before, tuple)  # noqa: S101 (a set field's values are tuples)
            assert isinstance(after, tuple)  # noqa: S101
            same = set(before) == set(after)
        else:
            same = before == after
        if not same:
            changes.append(Change(field.name, before, after))
    return tuple(changes)


@dataclass(frozen=True, slots=True)
class Entry:
    """A purpose's changes in some countries, with what states them on each side (``file:line``)."""

    purpose: Named
    countries: tuple[str, ...]
    old_location: str
    new_location: str
    changes: tuple[Change, ...]

    def mirrored(self) -> Entry:
        """The same entry seen from the other version."""
        return Entry(
            self.purpose,
            self.countries,
            self.new_location,
            self.old_location,
            tuple(c.mirrored() for c in self.changes),
        )


@dataclass(frozen=True, slots=True)
class Move:
    """A country whose region group differs between the versions (None: no group holds it)."""

    country: str
    before: Named | None
    after: Named | None

    def mirrored(self) -> Move:
        """The same move seen from the other version."""
        return Move(self.country, self.after, self.before)


@dataclass(frozen=True, slots=True)
class Side:
    """One of the two snapshots compared, and the region group of each country compared, in it."""

    id: str
    location: str
    version: dt.date
    effective: dt.date
    announced: dt.date
    groups: tuple[tuple[str, Named | None], ...]
    group_order: tuple[Named, ...]

    def group(self, country: str) -> Named | None:
        """The region group holding the country in this snapshot."""
        return dict(self.groups).get(country)


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed from the old snapshot to the new one."""

    old: Side
    new: Side
    moves: tuple[Move, ...]
    entries: tuple[Entry, ...]

    @property
    def identical(self) -> bool:
        """Whether the two snapshots state the same thing everywhere."""
        return not self.moves and not self.entries

    def mirrored(self) -> Diff:
        """The diff the other way round: from the new snapshot to the old one."""
        return Diff(
            self.new,
            self.old,
            tuple(move.mirrored() for move in self.moves),
            tuple(entry.mirrored() for entry in self.entries),
        )


def _side(snapshot: Snapshot, countries: tuple[str, ...]) -> Side:
    groups = []
    for country in countries:
        group = group_of(snapshot, country)
        groups.append((country, Named(group.id, group.label) if group is not None else None))
    order = tuple(Named(group.id, group.label) for group in snapshot.region_groups)
    return Side(
        snapshot.id, snapshot.location, snapshot.version, snapshot.effective, snapshot.announced, tuple(groups), order
    )


def _purposes(old: Snapshot, new: Snapshot) -> list[Named]:
    """Every purpose either snapshot defines, labelled as the later version labels it."""
    earlier, later = sorted((old, new), key=lambda s: s.version)
    labels = {p.id: p.label for p in earlier.purposes} | {p.id: p.label for p in later.purposes}
    return sorted(Named(pid, label) for pid, label in labels.items())


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """The semantic diff from ``old`` to ``new``."""
    countries = countries_of(old, new)
    old_side, new_side = _side(old, countries), _side(new, countries)
    moves = tuple(
        Move(country, before, after)
        for country in countries
        if (before := old_side.group(country)) != (after := new_side.group(country))
        and (before is None or after is None or before.id != after.id)
    )
    gathered: dict[tuple[Named, str, str, tuple[Change, ...]], list[str]] = {}
    for purpose in _purposes(old, new):
        for country in countries:
            was, now = fact_of(old, purpose.id, country), fact_of(new, purpose.id, country)
            changes = compare(was, now)
            if changes:
                gathered.setdefault((purpose, was.location, now.location, changes), []).append(country)
    entries = tuple(
        sorted(
            (
                Entry(purpose, tuple(where), old_at, new_at, changes)
                for (purpose, old_at, new_at, changes), where in gathered.items()
            ),
            key=lambda e: (e.purpose.id, e.countries),
        )
    )
    return Diff(old_side, new_side, moves, entries)
