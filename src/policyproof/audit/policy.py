"""The policy as small tables the audit query joins with the evidence, given to every engine as data.

The tables answer, ahead of any use, every question of ``decide()`` that depends on the policy alone:

- ``versions``: each snapshot audited, and from when it no longer governs (``not-in-force``);
- ``countries``: each ISO 3166-1 country's region group in each snapshot;
- ``cells``: for each snapshot, region group, purpose and category, what the rule settles on its own (no
  rule, a category never used or not covered) and what is left to the member's facts (the rule's dates, age
  limit, exclusion of members believed to be under 18, default, controls and the effect of opting out);
- ``concerns``: which control ids of the evidence count as turning each rule's purpose off or on, matched
  by label and alias as ``decide()`` matches them, so that a choice carries across versions, and the state in
  which each control's kind logs turning it on (``on`` for a setting, ``stopped`` for a signal, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlglot import exp

from policyproof.audit.evidence import STATES
from policyproof.audit.sql import Rows, Value, render
from policyproof.engine.answers import Reason
from policyproof.engine.member import OBJECTING
from policyproof.engine.table import category_answer
from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.names import normalise
from policyproof.snapshot.regions import country_codes

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule


def countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code and Kosovo's XK, the values a member's country may take."""
    return tuple(sorted(country_codes()))


def choose(snapshots: Sequence[Snapshot], snapshot: str | None = None, platform: str | None = None) -> Policy:
    """The policy an audit judges against: one snapshot by id, or every version of a platform.

    With neither, every version of the first platform (alphabetically) of the snapshots loaded.
    """
    if snapshot is not None:
        found = [s for s in snapshots if s.id == snapshot]
        if not found:
            raise UnknownNameError("snapshot", snapshot, [s.id for s in snapshots])
        others = tuple(s for s in snapshots if s.platform == found[0].platform and s.id != snapshot)
        return Policy(tuple(found), others)
    platforms = sorted({s.platform for s in snapshots})
    if not platforms:
        raise UnknownNameError("platform", platform or "", [])
    wanted = platform.casefold() if platform is not None else platforms[0]
    if wanted not in platforms:
        raise UnknownNameError("platform", platform or "", platforms)
    return Policy(tuple(sorted((s for s in snapshots if s.platform == wanted), key=lambda s: s.effective)))


@dataclass(frozen=True)
class Policy:
    """The snapshots an audit judges against: one (``--snapshot``) or a platform's versions (``--platform``).

    With several versions, a use is judged against the version in force on its date, and a use dated
    before the first version against the first.
    """

    snapshots: tuple[Snapshot, ...]
    # The platform's other versions, which judge nothing here: the evidence may name their ids, as the
    # platform's records do across versions, and a use of one the judging version does not describe is unknown.
    others: tuple[Snapshot, ...] = ()

    @cached_property
    def _versions(self) -> tuple[Snapshot, ...]:
        return tuple(sorted((*self.snapshots, *self.others), key=lambda s: s.effective))

    @cached_property
    def control_labels(self) -> dict[str, str]:
        """Each control id any version defines, with its label in the latest version that defines it."""
        return {control.id: control.label for snapshot in self._versions for control in snapshot.controls}

    @cached_property
    def purpose_labels(self) -> dict[str, str]:
        """Each purpose id any version defines, with its label in the latest version that defines it."""
        return {purpose.id: purpose.label for snapshot in self._versions for purpose in snapshot.purposes}

    @cached_property
    def control_kinds(self) -> dict[str, str]:
        """Each control id any version defines, with its kind in the latest version that defines it."""
        return {control.id: control.kind for snapshot in self._versions for control in snapshot.controls}

    def turns_on(self, control: str, state: str) -> bool:
        """Whether a row of ``settings`` turns the purpose on, in the words of its control's kind."""
        return state == STATES[self.control_kinds[control]][1]

    def objects(self, control: str) -> bool:
        """Whether a control's rows raise and lift an objection of their own (a signal, a form) (``OBJECTING``)."""
        return self.control_kinds[control] in OBJECTING

    @cached_property
    def category_ids(self) -> tuple[str, ...]:
        """Every category id any version defines."""
        return tuple(dict.fromkeys(c.id for s in self._versions for c in s.categories))

    @cached_property
    def purpose_ids(self) -> tuple[str, ...]:
        """Every purpose id any version defines."""
        return tuple(dict.fromkeys(p.id for s in self._versions for p in s.purposes))

    def index_on(self, day: dt.date) -> int:
        """The index of the version that judges a use on this date."""
        index = 0
        for k, snapshot in enumerate(self.snapshots):
            if snapshot.effective <= day:
                index = k
        return index

    def version_sql(self, day: str) -> str:
        """An SQL expression of the index of the version that judges a use on the date column ``day``."""
        if len(self.snapshots) == 1:
            return "0"
        case = exp.Case(default=exp.convert(len(self.snapshots) - 1))
        for k, later in enumerate(self.snapshots[1:]):
            case = case.when(exp.condition(day, dialect="duckdb") < exp.convert(later.effective), exp.convert(k))
        return render(case)

    def tables(self) -> dict[str, Rows]:
        """The policy's tables by name, as data: ``versions``, ``countries``, ``cells`` and ``concerns``."""
        return {
            "versions": self._versions_table(),
            "countries": self._countries_table(),
            "cells": self._cells_table(),
            "concerns": self._concerns_table(),
        }

    def _versions_table(self) -> Rows:
        rows = tuple(
            (k, s.id, s.successor.effective if s.successor is not None else None) for k, s in enumerate(self.snapshots)
        )
        return Rows((("snap", "INTEGER"), ("snapshot", "VARCHAR"), ("superseded_from", "DATE")), rows)

    def _countries_table(self) -> Rows:
        rows: list[tuple[Value, ...]] = []
        for k, snapshot in enumerate(self.snapshots):
            for code in countries():
                group = snapshot.group_of_country(code)
                if group is not None:
                    rows.append((k, code, group.id))
        return Rows((("snap", "INTEGER"), ("country", "VARCHAR"), ("grp", "VARCHAR")), tuple(rows))

    @cached_property
    def _concerned(self) -> dict[tuple[int, str, int], tuple[frozenset[tuple[str, str]], bool]]:
        """The evidence control ids each rule (by snapshot, purpose and index) concerns, by label and alias.

        Each id comes with the rule's control it is matched to (by that control's label or an alias), so that a
        control renamed between versions is one control: an objection raised under its old name is lifted under
        its new one (``member.Standing``). With them, where one of them objects (a signal, a form), whether the
        purpose is on by default: an objection raised under a purpose off by default withdraws consent too.
        """
        concerned: dict[tuple[int, str, int], tuple[frozenset[tuple[str, str]], bool]] = {}
        for k, snapshot in enumerate(self.snapshots):
            for purpose in snapshot.purposes:
                for rule in purpose.rules:
                    named = {normalise(n): c for c in rule.controls for n in _names(snapshot, c)}
                    pairs = frozenset(
                        (cid, named[normalise(label)])
                        for cid, label in self.control_labels.items()
                        if normalise(label) in named
                    )
                    default_on = rule.default_on or not any(self.objects(cid) for cid, _ in pairs)
                    concerned[(k, purpose.id, rule.index)] = (pairs, default_on)
        return concerned

    @cached_property
    def _control_sets(self) -> dict[tuple[frozenset[tuple[str, str]], bool], int]:
        """A number for each set of controls some rule concerns: rules that share one share a setting timeline.

        A member's timeline is built once for each set, not once for each rule, so that a setting that governs
        a purpose in every version and region group is not repeated for each of their rules. A set with a control
        that objects is one set under purposes on by default, another under those off by default.
        """
        return {key: number for number, key in enumerate(dict.fromkeys(self._concerned.values()))}

    def _concerns_table(self) -> Rows:
        """Each control set's controls: id, the state that turns it on, whether it objects, control, default.

        The control is the rule's control the id is matched to, as ``decide()`` names it, so that an objection
        raised under one version's id (or name) is lifted under another's. The default is whether the purpose is
        on by default (``_concerned``).
        """
        rows = tuple(
            (number, cid, STATES[self.control_kinds[cid]][1], self.objects(cid), control, on)
            for (pairs, on), number in self._control_sets.items()
            for cid, control in sorted(pairs)
        )
        columns = (
            ("cset", "INTEGER"),
            ("control", "VARCHAR"),
            ("on_state", "VARCHAR"),
            ("objection", "BOOLEAN"),
            ("rule_control", "VARCHAR"),
            ("default_on", "BOOLEAN"),
        )
        return Rows(columns, rows)

    def _cells_table(self) -> Rows:
        """What each (snapshot, group, purpose, category) leaves to the member's facts.

        Every purpose and category of any version has a row in every version (a version that does not define
        one says nothing of it), so that a use of known ids always finds its cell; each row has a number.
        """
        rows: list[tuple[Value, ...]] = []
        for k, snapshot in enumerate(self.snapshots):
            purposes = {purpose.id for purpose in snapshot.purposes}
            categories = {category.id for category in snapshot.categories}
            for group in snapshot.region_groups:
                for purpose in self.purpose_ids:
                    rule = snapshot.rule_for(purpose, group.id)
                    for category in self.category_ids:
                        head: tuple[Value, ...] = (len(rows), k, group.id, purpose, category)
                        if purpose in purposes and category in categories:
                            rows.append((*head, *self._cell(k, (purpose, group.id, category), rule)))
                        else:
                            rows.append((*head, str(Reason.NOT_STATED), *_NOTHING))
        return Rows(CELL_COLUMNS, tuple(rows))

    def _cell(self, k: int, cell: tuple[str, str, str], rule: Rule | None) -> tuple[Value, ...]:
        """The columns of a cell after its key."""
        snapshot = self.snapshots[k]
        purpose, group, category = cell
        if rule is None:
            entry = snapshot.not_active_for(purpose, group)
            if entry is None:
                return (str(Reason.NOT_STATED), *_NOTHING)
            return (str(Reason.NOT_ACTIVE), f"{snapshot.location}:{entry.line}", *_NOTHING[1:])
        return (
            None,
            None,
            rule.active_from,
            rule.start_known,
            rule.active_until,
            _category_reason(snapshot, rule, category),
            rule.excluded.age_below,
            rule.excluded.believed_under_18,
            rule.default_on,
            rule.retroactive,
            self._control_sets[self._concerned[(k, purpose, rule.index)]],
            f"{snapshot.location}:{rule.line}",
        )


CELL_COLUMNS = (
    ("cell", "INTEGER"),
    ("snap", "INTEGER"),
    ("grp", "VARCHAR"),
    ("purpose", "VARCHAR"),
    ("category", "VARCHAR"),
    ("no_rule_reason", "VARCHAR"),
    ("no_rule_location", "VARCHAR"),
    ("active_from", "DATE"),
    ("start_known", "BOOLEAN"),
    ("active_until", "DATE"),
    ("category_reason", "VARCHAR"),
    ("age_below", "INTEGER"),
    ("believed_under_18", "BOOLEAN"),
    ("default_on", "BOOLEAN"),
    ("retroactive", "BOOLEAN"),
    ("cset", "INTEGER"),
    ("rule_location", "VARCHAR"),
)


_NOTHING: tuple[Value, ...] = (None,) * 11  # the columns after no_rule_reason of a cell no rule governs


def _names(snapshot: Snapshot, control_id: str) -> tuple[str, ...]:
    control = snapshot.control(control_id)
    return (control.label, *control.aliases)


def _category_reason(snapshot: Snapshot, rule: Rule, category: str) -> str | None:
    """What the rule alone says of the category, as ``decide()``'s checks ask it."""
    answer = category_answer(snapshot, rule, category)
    return None if answer is None else str(answer)
