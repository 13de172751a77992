"""Loading policy snapshots: safe YAML, then the JSON Schema, then the checks a schema cannot express.

Every problem in a file is reported in one run, each as ``path:line:col: json.path: message``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from policyproof.exceptions import InputError, Problem
from policyproof.snapshot.model import Category, Control, RegionGroup, Snapshot, Source, Successor
from policyproof.snapshot.purposes import Disagreement, Exclusion, NotActive, Purpose, Rule, Silence
from policyproof.snapshot.references import SUFFIXES, reference_problems
from policyproof.snapshot.schema import schema_problems
from policyproof.snapshot.yaml_loader import Document, read_document

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

SCHEMA = "policy-snapshot"


def discover(paths: Iterable[Path]) -> list[Path]:
    """The snapshot files named: files as given, folders expanded to their YAML files, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def load_snapshot(path: Path, root: Path | None = None) -> Snapshot:
    """Load and fully validate one snapshot; raise InputError naming every problem in it.

    With ``root``, the snapshot shows its file relative to it, so reports do not depend on where the
    project lies, and a snapshot that is a symbolic link leading outside it is refused, unread.
    """
    document = read_document(path, root)
    shown = path.as_posix()
    if root is not None and path.is_relative_to(root):
        shown = path.relative_to(root).as_posix()
    return snapshot_from_data(document, document.data, shown)


def snapshot_from_data(document: Document, data: dict[str, Any], shown: str) -> Snapshot:
    """Validate and build a snapshot from data read from ``document``, or changed from what was read.

    Problems and rules are located at the lines of ``document``'s file, so a changed copy of its data (a
    mutant) is checked by the same schema and cross-reference checks and points at the same ``file:line``.
    The file itself is only read, never written.
    """
    checked = Document(document.path, data, document.marks)
    problems = schema_problems(checked, SCHEMA) + reference_problems(checked)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line, p.column)))
    return _build(checked, shown)


def load_snapshots(paths: Iterable[Path], root: Path | None = None) -> list[Snapshot]:
    """Load every snapshot named; raise InputError naming every problem in every file."""
    snapshots: list[Snapshot] = []
    problems: list[Problem] = []
    for path in discover(paths):
        try:
            snapshots.append(load_snapshot(path, root))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return link_versions(snapshots)


def link_versions(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The snapshots by platform and version, each knowing the next version of its platform, if loaded.

    A version is in force from its effective date until the next version of the same platform takes effect.
    """
    ordered = sorted(snapshots, key=lambda s: (s.platform, s.effective))
    linked: list[Snapshot] = []
    for index, snapshot in enumerate(ordered):
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        successor = None
        if after is not None and after.platform == snapshot.platform:
            successor = Successor(after.id, after.effective)
        linked.append(replace(snapshot, successor=successor))
    return linked


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome of validating one file: its problems, and what it leaves untraced or uncovered."""

    path: Path
    problems: tuple[Problem, ...]
    snapshot_id: str | None
    warnings: tuple[str, ...] = ()


def validate(paths: Sequence[Path], root: Path | None = None) -> list[FileResult]:
    """Validate each file, recording its problems instead of stopping at the first bad file.

    A valid snapshot that is the latest version of its platform among the files is warned about for each
    purpose and region group it does not cover, and for each source that does not say when its quote was read.
    With the project's ``root``, a symbolic link that leads outside it is refused, unread.
    """
    results: list[FileResult] = []
    loaded: list[Snapshot] = []
    for path in discover(paths):
        try:
            snapshot = load_snapshot(path, root)
        except InputError as error:
            results.append(FileResult(path, error.problems, None))
        else:
            loaded.append(snapshot)
            results.append(FileResult(path, (), snapshot.id))
    latest = {s.id: s for s in link_versions(loaded) if s.successor is None}
    return [replace(r, warnings=_warnings(latest[r.snapshot_id])) if r.snapshot_id in latest else r for r in results]


def _warnings(snapshot: Snapshot) -> tuple[str, ...]:
    """What a current snapshot leaves a reader unable to trace.

    Purposes it does not cover, sources with no date read, and the want of any document read in full.
    """
    at = snapshot.location
    gaps = [
        f"{at}:{purpose.line}: warning: {purpose.id} in region group {group.id} is not covered: no rule, "
        "not_active_in or silent_in entry says what the documents state of it there"
        for purpose, group in snapshot.gaps()
    ]
    unread = [
        f"{at}:{source.line}: warning: source '{source.id}' does not say when its quote was read ('read')"
        for source in snapshot.sources
        if source.read is None
    ]
    excerpts = (
        f"{at}:1: warning: no 'documents' read in full are named, so what a rule leaves out (a category, an "
        "exclusion, an opt-out effect, a start, a legal basis) is not covered rather than the platform's silence"
    )
    return (*gaps, *unread, *(() if snapshot.documents else (excerpts,)))


# --- building the model ---------------------------------------------------------------------------


def _build(document: Document, shown: str) -> Snapshot:
    data = document.data
    return Snapshot(
        platform=data["platform"],
        version=dt.date.fromisoformat(data["version"]),
        title=data["title"],
        effective=dt.date.fromisoformat(data["effective"]),
        announced=dt.date.fromisoformat(data["announced"]),
        supersedes=dt.date.fromisoformat(data["supersedes"]) if data["supersedes"] else None,
        sources=tuple(
            Source(
                s["id"],
                s["title"],
                s["publisher"],
                dt.date.fromisoformat(s["date"]) if "date" in s else None,
                s["address"],
                s["quote"],
                dt.date.fromisoformat(s["read"]) if "read" in s else None,
                s.get("read_at"),
                document.locate(("sources", index))[0],
            )
            for index, s in enumerate(data["sources"])
        ),
        region_groups=tuple(
            RegionGroup(
                g["id"],
                g["label"],
                frozenset(g.get("countries", ())),
                bool(g.get("rest_of_world")),
                document.locate(("region_groups", index))[0],
            )
            for index, g in enumerate(data["region_groups"])
        ),
        categories=tuple(
            Category(c["id"], c["label"], tuple(c.get("aliases", ())), c.get("parent"), c.get("fides"))
            for c in data["categories"]
        ),
        controls=tuple(
            Control(
                c["id"],
                c["kind"],
                c["label"],
                tuple(c.get("aliases", ())),
                c.get("path"),
                c.get("address"),
                tuple(c["sources"]),
            )
            for c in data["controls"]
        ),
        purposes=tuple(
            _purpose(document, index, p, data.get("documents", ())) for index, p in enumerate(data["purposes"])
        ),
        path=document.path,
        sha256=hashlib.sha256(document.path.read_bytes()).hexdigest(),
        display_path=shown,
        documents=tuple(data.get("documents", ())),
    )


def _purpose(document: Document, p_index: int, data: dict[str, Any], documents: Sequence[str]) -> Purpose:
    rules = tuple(
        Rule(
            purpose=data["id"],
            index=r_index,
            regions=tuple(r["regions"]),
            active_from=dt.date.fromisoformat(r.get("active_from") or r["in_use_by"]),
            default_on=r["default"] == "on",
            controls=tuple(r["controls"]),
            legal_basis=r.get("legal_basis"),
            uses=tuple(r["uses"]),
            never_uses=tuple(r["never_uses"]),
            excluded=Exclusion(
                r.get("excluded_members", {}).get("age_below"), r.get("excluded_members", {}).get("believed_under_18")
            ),
            retroactive=None if "opt_out_effect" not in r else r["opt_out_effect"] == "retroactive",
            recipients=tuple(r.get("recipients", ())),
            sources=tuple(r["sources"]),
            disagreements=_disagreements(r),
            line=document.locate(("purposes", p_index, "rules", r_index))[0],
            active_until=dt.date.fromisoformat(r["active_until"]) if "active_until" in r else None,
            others_not_used=r.get("other_categories") == "not-used",
            conditions=tuple(r.get("conditions", ())),
            start_known="active_from" in r,
        )
        for r_index, r in enumerate(data["rules"])
    )
    not_active = tuple(
        NotActive(
            purpose=data["id"],
            regions=tuple(n["regions"]),
            sources=tuple(n["sources"]),
            disagreements=_disagreements(n),
            line=document.locate(("purposes", p_index, "not_active_in", n_index))[0],
        )
        for n_index, n in enumerate(data.get("not_active_in", ()))
    )
    silent = tuple(
        Silence(
            purpose=data["id"],
            regions=tuple(s["regions"]),
            documents=tuple(s.get("documents", ())) or tuple(documents),
            note=s.get("note"),
            line=document.locate(("purposes", p_index, "silent_in", s_index))[0],
        )
        for s_index, s in enumerate(data.get("silent_in", ()))
    )
    line = document.locate(("purposes", p_index))[0]
    aliases = tuple(data.get("aliases", ()))
    return Purpose(data["id"], data["label"], aliases, rules, not_active, silent, line, data.get("fides"))


def _disagreements(data: dict[str, Any]) -> tuple[Disagreement, ...]:
    return tuple(Disagreement(d["about"], tuple(d["sources"]), d["resolution"]) for d in data.get("disagreements", ()))
