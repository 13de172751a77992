"""The checks of a snapshot that its JSON Schema cannot express.

Ids that nothing defines, names that clash, dates that contradict each other, a file name that disagrees
with the snapshot. They read the raw data defensively, so that they run, and report, even where the schema
found problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policyproof.snapshot import raw
from policyproof.snapshot.regions import country_codes, country_name
from policyproof.snapshot.territories import AREAS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from policyproof.exceptions import Problem
    from policyproof.snapshot.raw import Finding
    from policyproof.snapshot.yaml_loader import Document, JsonPath

SUFFIXES = (".yaml", ".yml")


def reference_problems(document: Document) -> list[Problem]:
    """Problems of meaning: undefined ids, a name that disagrees with the file, impossible dates, ..."""
    data = document.data
    if not isinstance(data, dict):
        return []
    checks = (_identity, _duplicate_ids, _groups, _hierarchy, _rules, _control_sources, _documents, _fides)
    return [document.problem(path, message) for check in checks for path, message in check(document, data)]


def _identity(document: Document, data: dict[str, Any]) -> Iterator[Finding]:
    platform, version = data.get("platform"), data.get("version")
    if isinstance(platform, str) and isinstance(version, str):
        expected = f"{platform}@{version}"
        if document.path.stem != expected:
            yield (
                ("version",),
                (
                    f"the file is named '{document.path.name}' but the snapshot is '{expected}'; "
                    f"name it '{expected}{document.path.suffix or '.yaml'}'"
                ),
            )
    effective, announced = raw.date(data.get("effective")), raw.date(data.get("announced"))
    if raw.date(version) and effective and raw.date(version) != effective:
        yield (
            ("effective",),
            f"the version ({version}) must be the effective date ({effective.isoformat()})",
        )
    if effective and announced and announced > effective:
        yield (
            ("announced",),
            f"announced on {announced.isoformat()}, after it took effect on {effective.isoformat()}",
        )
    supersedes = raw.date(data.get("supersedes"))
    if supersedes and isinstance(platform, str):
        if effective and supersedes >= effective:
            yield (
                ("supersedes",),
                (
                    f"supersedes {supersedes.isoformat()}, which is not earlier than this "
                    f"version ({effective.isoformat()})"
                ),
            )
        names = [f"{platform}@{supersedes.isoformat()}{suffix}" for suffix in SUFFIXES]
        if not any((document.path.parent / name).is_file() for name in names):
            yield (
                ("supersedes",),
                (f"supersedes '{platform}@{supersedes.isoformat()}', but there is no {names[0]} beside this file"),
            )


def _duplicate_ids(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    for key in ("sources", "region_groups", "categories", "controls", "purposes"):
        seen: set[str] = set()
        for index, item in raw.items(data, key):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                yield ((key, index, "id"), f"id '{item_id}' is defined twice in {key}")
            seen.add(item_id)
    for key, kind in (("categories", "category"), ("purposes", "purpose"), ("controls", "control")):
        owners: dict[str, str] = {}
        for index, item in raw.items(data, key):
            names = [item.get("label"), *(item.get("aliases") or [])]
            for name in (n for n in names if isinstance(n, str)):
                folded = " ".join(name.casefold().split())
                owner = owners.setdefault(folded, str(item.get("id")))
                if owner != str(item.get("id")):
                    yield (
                        (key, index),
                        f"the {kind} name '{name}' also names '{owner}'; a name must be unique",
                    )


def _groups(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    first_group: dict[str, str] = {}
    rest_of_world = 0
    for index, group in raw.items(data, "region_groups"):
        if group.get("rest_of_world") is True:
            rest_of_world += 1
            if rest_of_world > 1:
                yield (("region_groups", index), "a second rest-of-world group; there can be only one")
        for position, code in raw.strings(group, "countries"):
            at = ("region_groups", index, "countries", position)
            if code not in country_codes():
                yield (at, f"'{code}' is not an ISO 3166-1 alpha-2 country code (nor Kosovo's XK)")
            owner = first_group.setdefault(code, str(group.get("id")))
            if owner != str(group.get("id")):
                yield (at, f"country '{code}' is already in region group '{owner}'")
        yield from _european_group(index, group)
    unplaced = country_codes() - first_group.keys()
    if first_group and not rest_of_world and unplaced:
        examples = ", ".join(f"{code} ({country_name(code)})" for code in sorted(unplaced)[:3])
        yield (
            ("region_groups",),
            (
                f"no region group holds {len(unplaced)} countries of ISO 3166-1 and Kosovo ({examples}, ...); add a "
                "group with 'rest_of_world: true', named in no rule where the sources say nothing of them"
            ),
        )


def _european_group(index: int, group: dict[str, Any]) -> Iterator[Finding]:
    """A group with the id EEA, or labelled the EEA or the EU, holds all of that land, Åland and the rest."""
    label = str(group.get("label")).casefold()
    name = next((name for name in AREAS if name.casefold() == label), None)
    if name is None and group.get("id") == "EEA":
        name = "European Economic Area"
    if name is None or not isinstance(group.get("countries"), list):
        return
    missing = sorted(AREAS[name] - {code for _, code in raw.strings(group, "countries")})
    if missing:
        listed = ", ".join(f"{code} ({country_name(code)})" for code in missing)
        yield (
            ("region_groups", index, "countries"),
            (
                f"region group '{group.get('id')}' is the {name} but lacks {listed}: GDPR applies on all of "
                "its land, the outermost regions and the Åland Islands too (TFEU Art. 355), so all of it belongs here"
            ),
        )


def _hierarchy(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    categories = raw.ids(data, "categories")
    parents = raw.parents(data)
    for index, item in raw.items(data, "categories"):
        parent = item.get("parent")
        if isinstance(parent, str) and parent not in categories:
            yield (("categories", index, "parent"), raw.undefined("category", parent, categories))
            continue
        seen = {item.get("id")}
        while isinstance(parent, str) and parent in parents and parent not in seen:
            seen.add(parent)
            parent = parents[parent]
        if parent == item.get("id"):
            yield (
                ("categories", index, "parent"),
                f"category '{parent}' is its own ancestor (a cycle of parents)",
            )


def _rules(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    parents = raw.parents(data)
    known = {
        "regions": raw.ids(data, "region_groups"),
        "uses": raw.ids(data, "categories"),
        "never_uses": raw.ids(data, "categories"),
        "controls": raw.ids(data, "controls"),
        "sources": raw.ids(data, "sources"),
    }
    for p_index, purpose in raw.items(data, "purposes"):
        governed: dict[str, str] = {}
        entries = [("rules", "rule", *item) for item in raw.items(purpose, "rules")]
        entries += [("not_active_in", "not_active_in entry", *item) for item in raw.items(purpose, "not_active_in")]
        entries += [("silent_in", "silent_in entry", *item) for item in raw.items(purpose, "silent_in")]
        for key, kind, index, entry in entries:
            at: JsonPath = ("purposes", p_index, key, index)
            yield from _rule_references(known, entry, at)
            if key == "silent_in":
                yield from _silence_documents(data, entry, at)
            if key == "rules":
                yield from _rule_overlaps(parents, entry, at)
                yield from _rule_dates(entry, at)
            for position, group in raw.strings(entry, "regions"):
                owner = governed.setdefault(group, f"{kind} {index}")
                if owner != f"{kind} {index}":
                    yield (
                        (*at, "regions", position),
                        f"region group '{group}' is already governed by {owner} of purpose '{purpose.get('id')}'",
                    )


def _rule_dates(rule: dict[str, Any], at: JsonPath) -> Iterator[Finding]:
    start, until = raw.date(rule.get("active_from")), raw.date(rule.get("active_until"))
    if start and until and until < start:
        yield ((*at, "active_until"), f"active until {until.isoformat()}, before it is active from {start.isoformat()}")


_KINDS = {
    "regions": "region group",
    "uses": "category",
    "never_uses": "category",
    "controls": "control",
    "sources": "source",
}


def _rule_references(known: dict[str, set[str]], rule: dict[str, Any], at: JsonPath) -> Iterator[Finding]:
    for key, kind in _KINDS.items():
        for position, name in raw.strings(rule, key):
            if name not in known[key]:
                yield ((*at, key, position), raw.undefined(kind, name, known[key]))
    for d_index, disagreement in raw.items(rule, "disagreements"):
        for position, name in raw.strings(disagreement, "sources"):
            if name not in known["sources"]:
                yield (
                    (*at, "disagreements", d_index, "sources", position),
                    raw.undefined("source", name, known["sources"]),
                )


def _rule_overlaps(parents: dict[str, object], rule: dict[str, Any], at: JsonPath) -> Iterator[Finding]:
    never = {name for _, name in raw.strings(rule, "never_uses")}
    for position, used in raw.strings(rule, "uses"):
        clash = next((c for c in raw.lineage(parents, used) if c in never), None)
        if clash == used:
            yield ((*at, "uses", position), f"category '{used}' is both used and never used in this rule")
        elif clash is not None:
            yield (
                (*at, "uses", position),
                f"category '{used}' is used, but it falls under '{clash}', which is never used",
            )


def _silence_documents(data: dict[str, Any], entry: dict[str, Any], at: JsonPath) -> Iterator[Finding]:
    """Silence is recorded against documents read: the snapshot must name them, and the entry only those."""
    documents = {name for _, name in raw.strings(data, "documents")}
    if not documents:
        yield (
            at,
            (
                "a purpose is recorded as silent, but the snapshot names no 'documents' that were read; "
                "list the documents whose silence this records"
            ),
        )
        return
    for position, name in raw.strings(entry, "documents"):
        if name not in documents:
            yield ((*at, "documents", position), raw.undefined("document", name, documents))


def _documents(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    sources = raw.ids(data, "sources")
    for position, name in raw.strings(data, "documents"):
        if name not in sources:
            yield (("documents", position), raw.undefined("source", name, sources))


def _control_sources(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    sources = raw.ids(data, "sources")
    for index, control in raw.items(data, "controls"):
        for position, name in raw.strings(control, "sources"):
            if name not in sources:
                yield (("controls", index, "sources", position), raw.undefined("source", name, sources))


def _fides(_: Document, data: dict[str, Any]) -> Iterator[Finding]:
    from policyproof.snapshot.fides import key_problems  # noqa: PLC0415 (reads the taxonomy only when named)

    return key_problems(data)
