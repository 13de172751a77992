"""Reading a snapshot's raw data defensively: what is malformed is skipped, so that checks run even on a broken file."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from policyproof.snapshot.yaml_loader import JsonPath

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# A problem found: where in the data, and the message.
Finding = tuple[JsonPath, str]


def items(data: object, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings in the list at ``data[key]``, with their indexes; anything malformed is skipped."""
    found = data.get(key) if isinstance(data, dict) else None
    if isinstance(found, list):
        for index, item in enumerate(found):
            if isinstance(item, dict):
                yield index, item


def strings(item: dict[str, Any], key: str) -> Iterator[tuple[int, str]]:
    """The strings in the list at ``item[key]``, with their indexes."""
    values = item.get(key)
    if isinstance(values, list):
        for index, value in enumerate(values):
            if isinstance(value, str):
                yield index, value


def date(value: object) -> dt.date | None:
    """An ISO 8601 date, or None where the value is not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def ids(data: object, key: str) -> set[str]:
    """The ids of the mappings in the list at ``data[key]``."""
    return {item["id"] for _, item in items(data, key) if isinstance(item.get("id"), str)}


def undefined(kind: str, name: str, known: Iterable[str]) -> str:
    """The message for a name nothing defines, with the names that are defined."""
    return f"undefined {kind} '{name}'; defined: {', '.join(sorted(known)) or 'none'}"


def parents(data: dict[str, Any]) -> dict[str, object]:
    """Each category's parent, by id."""
    return {item["id"]: item.get("parent") for _, item in items(data, "categories") if isinstance(item.get("id"), str)}


def lineage(parent_of: dict[str, object], category: str) -> list[str]:
    """The category, then its parent, up to the top or to a cycle."""
    chain: list[str] = []
    current: object = category
    while isinstance(current, str) and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain
