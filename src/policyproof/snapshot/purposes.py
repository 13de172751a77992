"""What a snapshot states of each purpose: its rules, where it does not apply, where the documents are silent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt


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
