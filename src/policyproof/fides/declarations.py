"""Fides systems held against a snapshot: every privacy declaration the snapshot does not allow.

A Fides system manifest (``system:``, each system with its ``privacy_declarations``: data categories, a data
use, data subjects) says what a platform's systems do with member data; the snapshot says what the platform
tells its members. Each declared data category is judged for the declared data use in every region group,
as :mod:`policyproof.fides.keys` reads the keys:

- ``breach``: every purpose of that data use is ruled out there: not used in the region group, the category
  is never used, or children's data where the rule excludes minors;
- ``unknown``: some purpose of it may apply, but its rule does not state the category among its uses (and
  does not say that nothing else is used), or the snapshot has no category for the declared key;
- ``unmatched``: no purpose of the snapshot has the declared data use.

Declarations the snapshot allows in every region group are counted, not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyproof.exceptions import InputError, Problem, UnknownNameError, UsageError
from policyproof.fides.keys import CHILDREN, categories_for, minors_excluded, purposes_for, under
from policyproof.snapshot.loader import link_versions
from policyproof.snapshot.yaml_loader import format_path, read_document

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path

    from policyproof.snapshot.model import Category, RegionGroup, Snapshot
    from policyproof.snapshot.purposes import Purpose, Rule
    from policyproof.snapshot.yaml_loader import Document

HEADERS = ("declaration", "data use", "data category", "regions", "status", "rule", "why")


@dataclass(frozen=True, slots=True)
class Declaration:
    """One privacy declaration of a system, with the line of the manifest that states it."""

    system: str
    name: str
    data_use: str
    data_categories: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A declared category for a declared use that the snapshot does not allow in some region groups."""

    declaration: Declaration
    category: str
    regions: tuple[str, ...]
    status: str  # breach, unknown or unmatched
    rule: str  # the snapshot's file:line that says so, or "" where none does
    why: str


@dataclass(frozen=True, slots=True)
class Judged:
    """Every declaration of a manifest judged against one snapshot."""

    manifest: str
    snapshot: str
    declarations: int
    findings: tuple[Finding, ...]

    @property
    def exit_code(self) -> int:
        """0 when the snapshot allows every declaration (or does not say), 1 when one breaches it."""
        return 1 if any(f.status == "breach" for f in self.findings) else 0

    def total(self, status: str) -> int:
        """How many findings have this status."""
        return sum(f.status == status for f in self.findings)

    def table(self) -> list[tuple[str, ...]]:
        """The findings as rows under :data:`HEADERS`."""
        return [
            (
                f"{self.manifest}:{f.declaration.line} {f.declaration.system}: {f.declaration.name}",
                f.declaration.data_use,
                f.category,
                " ".join(f.regions),
                f.status,
                f.rule,
                f.why,
            )
            for f in self.findings
        ]


def load_declarations(path: Path) -> tuple[Declaration, ...]:
    """The privacy declarations of a Fides system manifest, each system checked by fideslang's ``System`` model."""
    from fideslang.models import PrivacyDeclaration, System  # noqa: PLC0415 (pydantic loads only for this command)
    from pydantic import ValidationError  # noqa: PLC0415

    document = read_document(path)
    systems = document.data.get("system") if isinstance(document.data, dict) else None
    if not isinstance(systems, list) or not systems:
        raise InputError([document.problem(("system",), "a Fides system manifest has a list 'system:' of systems")])
    problems: list[Problem] = []
    found: list[Declaration] = []
    for index, data in enumerate(systems):
        try:
            system = System.model_validate(data)
        except ValidationError as error:
            problems.extend(_problems(document, ("system", index), error.errors()))
            continue
        # fideslang's System keeps its declarations sorted by name; each is located by its place in the file.
        for d_index, raw in enumerate(data["privacy_declarations"]):
            declaration = PrivacyDeclaration.model_validate(raw)
            at = ("system", index, "privacy_declarations", d_index)
            name = declaration.name or f"declaration {d_index + 1}"
            categories = tuple(declaration.data_categories)
            line = document.locate(at)[0]
            found.append(Declaration(system.name or system.fides_key, name, declaration.data_use, categories, line))
    if problems:
        raise InputError(problems)
    return tuple(found)


def _problems(document: Document, at: tuple[str | int, ...], errors: list[Any]) -> list[Problem]:
    """The complaints of fideslang about a system, each at the line of the value it is about."""
    problems = []
    for error in errors:
        path = (*at, *error["loc"])
        known = path
        while known not in document.marks and len(known) > len(at):
            known = known[:-1]
        line, column = document.locate(known)
        problems.append(Problem(document.path, line, column, format_path(path), f"fideslang: {error['msg']}"))
    return problems


def choose(snapshots: Sequence[Snapshot], snapshot: str | None, platform: str | None, today: dt.date) -> Snapshot:
    """The snapshot with this id, or the version of this platform in force today."""
    if snapshot is not None:
        found = {s.id: s for s in snapshots}
        if snapshot not in found:
            raise UnknownNameError("snapshot", snapshot, sorted(found))
        return found[snapshot]
    platforms = sorted({s.platform for s in snapshots})
    wanted = (platform or "").casefold()
    if wanted not in platforms:
        raise UnknownNameError("platform", platform or "", platforms)
    in_force = [s for s in link_versions(snapshots) if s.platform == wanted and s.in_force_on(today)]
    if not in_force:
        raise UsageError(f"no version of {wanted} is in force on {today.isoformat()}: give --snapshot ID")
    return in_force[0]


def judge(snapshot: Snapshot, declarations: tuple[Declaration, ...], manifest: str) -> Judged:
    """Each declaration held against the snapshot: the findings of every declared category for its use."""
    findings = [
        finding
        for declaration in declarations
        for category in declaration.data_categories
        for finding in _judge(snapshot, declaration, category)
    ]
    return Judged(manifest, snapshot.id, len(declarations), tuple(findings))


def _judge(snapshot: Snapshot, declaration: Declaration, key: str) -> list[Finding]:
    purposes = purposes_for(snapshot, declaration.data_use)
    if not purposes:
        why = f"no purpose of {snapshot.id} has the data use {declaration.data_use}"
        return [Finding(declaration, key, (), "unmatched", "", why)]
    categories = categories_for(snapshot, key)
    by_outcome: dict[tuple[str, str, str], list[str]] = {}
    for group in snapshot.region_groups:
        outcome = _best(snapshot, purposes, categories, key, group)
        if outcome is not None:
            by_outcome.setdefault(outcome, []).append(group.id)
    return [Finding(declaration, key, tuple(groups), *outcome) for outcome, groups in by_outcome.items()]


def _best(
    snapshot: Snapshot, purposes: tuple[Purpose, ...], categories: tuple[Category, ...], key: str, group: RegionGroup
) -> tuple[str, str, str] | None:
    """The outcome in one region group: None where some purpose allows the use; else an unknown, else the breach."""
    outcomes = [_outcome(snapshot, purpose, categories, key, group) for purpose in purposes]
    if any(outcome is None for outcome in outcomes):
        return None
    found = [outcome for outcome in outcomes if outcome is not None]
    return next((o for o in found if o[0] == "unknown"), found[0])


def _outcome(
    snapshot: Snapshot, purpose: Purpose, categories: tuple[Category, ...], key: str, group: RegionGroup
) -> tuple[str, str, str] | None:
    """Whether one purpose allows the declared category in one region group: None, or (status, rule, why)."""
    at = snapshot.display_path
    not_active = snapshot.not_active_for(purpose.id, group.id)
    if not_active is not None:
        return "breach", f"{at}:{not_active.line}", f"{purpose.label} is not used in {group.id}"
    rule = snapshot.rule_for(purpose.id, group.id)
    if rule is None:
        silent = snapshot.silent_for(purpose.id, group.id)
        if silent is not None:
            return "unknown", f"{at}:{silent.line}", f"the documents read say nothing of {purpose.label} there"
        return "unknown", "", f"{snapshot.id} does not cover {purpose.label} there"
    return _under_rule(snapshot, purpose, rule, categories, key)


def _under_rule(
    snapshot: Snapshot, purpose: Purpose, rule: Rule, categories: tuple[Category, ...], key: str
) -> tuple[str, str, str] | None:
    """Whether the rule of a purpose in a region group allows the declared category: None, or (status, rule, why)."""
    where = f"{snapshot.display_path}:{rule.line}"
    if under(key, CHILDREN) and (minors := minors_excluded(rule.excluded)):
        return "breach", where, f"{purpose.label} excludes {minors}"
    if not categories:
        return "unknown", where, f"no category of {snapshot.id} has the Fides key {key} or one above it"
    never = [c.label for c in categories if snapshot.falls_under(c.id, rule.never_uses)]
    if len(never) == len(categories):
        return "breach", where, f"{purpose.label} never uses {', '.join(never)}"
    if any(snapshot.falls_under(c.id, rule.uses) for c in categories):
        return None
    if rule.others_not_used:
        labels = ", ".join(c.label for c in categories)
        return "breach", where, f"{purpose.label} uses no category but those it names, and not {labels}"
    return "unknown", where, f"the rule does not say whether {purpose.label} uses {categories[0].label}"
