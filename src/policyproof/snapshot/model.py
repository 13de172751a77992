"""The policy snapshot as frozen value objects, with the look-ups the engine and steps need."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.names import by_name, find_named

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from policyproof.snapshot.purposes import NotActive, Purpose, Rule, Silence


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
        return by_name(self.categories)

    @cached_property
    def _purpose_names(self) -> dict[str, Purpose]:
        return by_name(self.purposes)

    @cached_property
    def _control_names(self) -> dict[str, Control]:
        return by_name(self.controls)

    def find_category(self, label: str) -> Category:
        """The category a reviewer means by ``label`` (its label or an alias, any case)."""
        return find_named("category", label, self._category_names, self.id)

    def find_purpose(self, label: str) -> Purpose:
        """The purpose a reviewer means by ``label`` (its label, an alias or its id, any case)."""
        return find_named("purpose", label, self._purpose_names, self.id)

    def find_control(self, label: str) -> Control:
        """The control a reviewer means by ``label`` (its label or an alias, any case)."""
        return find_named("control", label, self._control_names, self.id)
