"""A question as the decision table's checks see it: the use, the member, and the rule that governs the purpose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.member import ADULT_AGE, Standing, change_order, instant
from policyproof.snapshot.names import normalise

if TYPE_CHECKING:
    import datetime as dt

    from policyproof.engine.member import Member, SettingChange
    from policyproof.snapshot.model import Category, Snapshot
    from policyproof.snapshot.purposes import Purpose, Rule


@dataclass(frozen=True, slots=True)
class Asked:
    """A question as the table's checks see it: the use, the member, and the rule that governs the purpose."""

    snapshot: Snapshot
    member: Member
    purpose: Purpose
    category: Category
    rule: Rule
    where: str
    day: dt.date
    moment: dt.date  # the date or instant asked

    @property
    def _named(self) -> dict[str, str]:
        """The rule's controls by each of their names (label and aliases, normalised)."""
        controls = [self.snapshot.control(c) for c in self.rule.controls]
        return {normalise(name): c.id for c in controls for name in (c.label, *c.aliases)}

    def control_of(self, change: SettingChange) -> str:
        """The rule's control a change is of, by the label it was made under (a control renamed is one control)."""
        name = normalise(change.control or "")
        return self._named.get(name, name)

    @property
    def changes(self) -> list[SettingChange]:
        """The member's changes of the rule's controls (or of the whole purpose), in timeline order."""
        names = frozenset(self._named)
        return sorted((c for c in self.member.settings if c.concerns(self.purpose, names)), key=change_order)

    @property
    def before(self) -> list[SettingChange]:
        """The changes made by the moment asked (a change at that instant counts as made before it)."""
        at = instant(self.moment)
        return [c for c in self.changes if instant(c.on) <= at]

    @property
    def latest(self) -> SettingChange | None:
        """The member's last change by the moment asked."""
        before = self.before
        return before[-1] if before else None

    @property
    def standing(self) -> Standing:
        """What the member's changes by the moment asked leave standing: their choice and their objections."""
        return Standing.of(self.before, default_on=self.rule.default_on, names=self._named)

    @property
    def off(self) -> SettingChange | None:
        """The latest change that keeps the purpose off at the moment asked (a choice off, a standing objection)."""
        return self.standing.off

    @property
    def later_opt_out(self) -> SettingChange | None:
        """The change that keeps the purpose off after all the member's changes, where it came after the moment."""
        last = Standing.of(self.changes, default_on=self.rule.default_on, names=self._named).off
        return last if last is not None and instant(last.on) > instant(self.moment) else None

    @property
    def minor(self) -> bool:
        """Whether the member is believed to be, or known to be, under 18."""
        age = self.member.age
        return self.member.believed_under_18 or (age is not None and age < ADULT_AGE)

    @property
    def used_labels(self) -> str:
        """The categories the rule uses, by label."""
        return ", ".join(self.snapshot.category(c).label for c in self.rule.uses) or "nothing"
