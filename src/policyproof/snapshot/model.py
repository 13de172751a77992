"""The policy snapshot as frozen value objects, with the look-ups the engine and steps need."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Protocol, TypeVar

from policyproof.exceptions import UnknownNameError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator
    from pathlib import Path


@lru_cache(maxsize=4096)
def normalise(label: str) -> str:
    """Fold case and white space, so that labels match as a reviewer would expect.

    Cached: every step of every cell looks its labels up, and they are few.
    """
    return " ".join(label.casefold().split())


@dataclass(frozen=True, slots=True)
class Source:
    """A public source, with the quote that supports what cites it."""

    id: str
    title: str
    publisher: str
    date: dt.date | None  # None: the page gives no date
    address: str
    quote: str
    read: dt.date | None = None  # when the quote was read on the page; None: not recorded
    read_at: str | None = None  # the copy, mirror or source text it was read on, when not ``address``
    line: int = 0

    @property
    def dated(self) -> str:
        """The publication date as reports show it: ISO 8601, or "undated"."""
        return self.date.isoformat() if self.date is not None else "undated"


@dataclass(frozen=True, slots=True)
class RegionGroup:
    """Countries the policy treats alike; ``rest_of_world`` holds every country no other group names."""

    id: str
    label: str
    countries: frozenset[str]
    rest_of_world: bool
    line: int = 0


@dataclass(frozen=True, slots=True)
class Category:
    """A data category; a use granted on it covers its descendants."""

    id: str
    label: str
    aliases: tuple[str, ...]
    parent: str | None
    fides: str | None = None  # its data category in fideslang's default taxonomy


@dataclass(frozen=True, slots=True)
class Control:
    """A setting, form, signal or consent by which a member turns a purpose off (or on); ``kind`` names which."""

    id: str
    kind: str
    label: str
    aliases: tuple[str, ...]
    path: str | None
    address: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """The members whose data a rule never uses, as the sources state it.

    ``None`` is silence: no age limit stated, or nothing stated about members believed to be under 18
    (``False`` states that they are not excluded).
    """

    age_below: int | None = None
    believed_under_18: bool | None = None

    @property
    def states_nothing(self) -> bool:
        """Whether the sources say nothing about excluding members."""
        return self.age_below is None and self.believed_under_18 is None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A point on which sources disagree, and what the rule encodes."""

    about: str
    sources: tuple[str, ...]
    resolution: str


@dataclass(frozen=True, slots=True)
class Rule:
    """How one purpose applies in a set of region groups, with the line of the snapshot that states it."""

    purpose: str
    index: int
    regions: tuple[str, ...]
    active_from: dt.date
    default_on: bool
    controls: tuple[str, ...]
    legal_basis: str | None
    uses: tuple[str, ...]
    never_uses: tuple[str, ...]
    excluded: Exclusion
    retroactive: bool | None  # None: the policy does not say what opting out does to data already used
    recipients: tuple[str, ...]
    sources: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]
    line: int
    active_until: dt.date | None = None
    others_not_used: bool = False  # the sources state that no category outside ``uses`` is used
    conditions: tuple[str, ...] = ()
    start_known: bool = True  # False: ``active_from`` is the date the sources show it in use by, not its start

    def active_on(self, on: dt.date) -> bool:
        """Whether the purpose applies under this rule on a date."""
        return self.active_from <= on and (self.active_until is None or on <= self.active_until)


@dataclass(frozen=True, slots=True)
class NotActive:
    """Region groups where the sources state that a purpose does not apply."""

    purpose: str
    regions: tuple[str, ...]
    sources: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Silence:
    """Region groups where the documents read say nothing about a purpose: the policy does not say."""

    purpose: str
    regions: tuple[str, ...]
    documents: tuple[str, ...]
    note: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Purpose:
    """A purpose for which member data is used, with its rules."""

    id: str
    label: str
    aliases: tuple[str, ...]
    rules: tuple[Rule, ...]
    not_active: tuple[NotActive, ...] = ()
    silent: tuple[Silence, ...] = ()
    line: int = 0
    fides: str | None = None  # its data use in fideslang's default taxonomy


@dataclass(frozen=True, slots=True)
class Successor:
    """The version of the same platform that took over from a snapshot, and when."""

    id: str
    effective: dt.date


@dataclass(frozen=True)
class Snapshot:
    """One platform's data-use policy as in force from one date.

    Not slotted: the look-up tables below are computed once and cached on the instance.
    """

    platform: str
    version: dt.date
    title: str
    effective: dt.date
    announced: dt.date
    supersedes: dt.date | None
    sources: tuple[Source, ...]
    region_groups: tuple[RegionGroup, ...]
    categories: tuple[Category, ...]
    controls: tuple[Control, ...]
    purposes: tuple[Purpose, ...]
    path: Path
    sha256: str
    display_path: str
    successor: Successor | None = None
    documents: tuple[str, ...] = ()  # ids of the sources read in full to write the snapshot

    def in_force_on(self, on: dt.date) -> bool:
        """Whether this version governs questions dated ``on``: none before it, none once superseded."""
        return self.effective <= on and (self.successor is None or on < self.successor.effective)

    def superseded_on(self, on: dt.date) -> Successor | None:
        """The version that had taken over by ``on``, if one had."""
        return self.successor if self.successor is not None and on >= self.successor.effective else None

    @cached_property
    def id(self) -> str:
        """The snapshot's name everywhere: ``platform@version``."""
        return f"{self.platform}@{self.version.isoformat()}"

    @property
    def location(self) -> str:
        """The snapshot file as reports show it: relative to the project root when loaded from one."""
        return self.display_path

    @cached_property
    def _categories(self) -> dict[str, Category]:
        return {category.id: category for category in self.categories}

    @cached_property
    def _rules(self) -> dict[tuple[str, str], Rule]:
        return {(rule.purpose, group): rule for p in self.purposes for rule in p.rules for group in rule.regions}

    def category(self, category_id: str) -> Category:
        """The category with this id."""
        return self._categories[category_id]

    def lineage(self, category_id: str) -> Iterator[str]:
        """The category's id, then its parent's, up to the top of the hierarchy."""
        current: str | None = category_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            yield current
            current = self._categories[current].parent if current in self._categories else None

    def falls_under(self, category_id: str, any_of: Iterable[str]) -> str | None:
        """The first of ``any_of`` that is the category or one of its ancestors, if any."""
        wanted = set(any_of)
        return next((ancestor for ancestor in self.lineage(category_id) if ancestor in wanted), None)

    def group(self, group_id: str) -> RegionGroup:
        """The region group with this id; unknown ids name the known ones."""
        for group in self.region_groups:
            if group.id == group_id:
                return group
        raise UnknownNameError("region group", group_id, [g.id for g in self.region_groups], self.id)

    def group_of_country(self, country: str) -> RegionGroup | None:
        """The group a country belongs to: the one naming it, else the rest of the world, else none."""
        rest = None
        for group in self.region_groups:
            if country in group.countries:
                return group
            if group.rest_of_world:
                rest = group
        return rest

    def rule_for(self, purpose_id: str, group_id: str) -> Rule | None:
        """The rule governing a purpose in a region group, if the purpose applies there at all."""
        return self._rules.get((purpose_id, group_id))

    @cached_property
    def _not_active(self) -> dict[tuple[str, str], NotActive]:
        return {(p.id, group): entry for p in self.purposes for entry in p.not_active for group in entry.regions}

    def not_active_for(self, purpose_id: str, group_id: str) -> NotActive | None:
        """Where the sources state that a purpose does not apply in a region group, the entry that says so."""
        return self._not_active.get((purpose_id, group_id))

    @cached_property
    def _silent(self) -> dict[tuple[str, str], Silence]:
        return {(p.id, group): entry for p in self.purposes for entry in p.silent for group in entry.regions}

    def silent_for(self, purpose_id: str, group_id: str) -> Silence | None:
        """Where the documents read say nothing about a purpose in a region group, the entry that records it."""
        return self._silent.get((purpose_id, group_id))

    def gaps(self) -> Iterator[tuple[Purpose, RegionGroup]]:
        """Each purpose and region group no rule, ``not_active_in`` or ``silent_in`` entry names: not covered."""
        for purpose in self.purposes:
            for group in self.region_groups:
                key = (purpose.id, group.id)
                if key not in self._rules and key not in self._not_active and key not in self._silent:
                    yield purpose, group

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return next(source for source in self.sources if source.id == source_id)

    def control(self, control_id: str) -> Control:
        """The control with this id."""
        return next(control for control in self.controls if control.id == control_id)

    @cached_property
    def _category_names(self) -> dict[str, Category]:
        return _names(self.categories)

    @cached_property
    def _purpose_names(self) -> dict[str, Purpose]:
        return _names(self.purposes)

    @cached_property
    def _control_names(self) -> dict[str, Control]:
        return _names(self.controls)

    def find_category(self, label: str) -> Category:
        """The category a reviewer means by ``label`` (its label or an alias, any case)."""
        return _find("category", label, self._category_names, self.id)

    def find_purpose(self, label: str) -> Purpose:
        """The purpose a reviewer means by ``label`` (its label, an alias or its id, any case)."""
        return _find("purpose", label, self._purpose_names, self.id)

    def find_control(self, label: str) -> Control:
        """The control a reviewer means by ``label`` (its label or an alias, any case)."""
        return _find("control", label, self._control_names, self.id)


class _Labelled(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


_Named = TypeVar("_Named", bound=_Labelled)


def _names(items: Iterable[_Named]) -> dict[str, _Named]:
    """Each item under every name it answers to (label, aliases, id), normalised; the first item wins."""
    names: dict[str, _Named] = {}
    for item in items:
        for name in (item.label, *item.aliases, item.id):
            names.setdefault(normalise(name), item)
    return names


def _find(kind: str, label: str, names: dict[str, _Named], where: str) -> _Named:
    found = names.get(normalise(label))
    if found is None:
        raise UnknownNameError(kind, label, list(dict.fromkeys(item.label for item in names.values())), where)
    return found
