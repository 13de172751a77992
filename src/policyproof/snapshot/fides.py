"""The Fides keys a snapshot's categories and purposes may name: those of fideslang's default taxonomy.

A category names its fideslang data category (``fides: user.content.private``), a purpose its data use
(``fides: train_ai_system``). The taxonomy is the one the installed ``fideslang`` package ships; it is read
only when a snapshot names a key, since loading it takes a noticeable part of a second.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from policyproof.exceptions import suggestions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from policyproof.snapshot.yaml_loader import JsonPath

# The taxonomy's kinds, by the snapshot's list that names them.
KINDS = {"categories": "data_category", "purposes": "data_use"}
WORDS = {"data_category": "data category", "data_use": "data use", "data_subject": "data subject"}


@functools.cache
def default_keys(kind: str) -> frozenset[str]:
    """The keys of one kind (``data_category``, ``data_use``, ``data_subject``) of the default taxonomy."""
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY  # noqa: PLC0415 (only where a key is named)

    items: list[Any] = getattr(DEFAULT_TAXONOMY, kind)
    return frozenset(str(item.fides_key) for item in items)


def unknown_key(kind: str, key: str) -> str | None:
    """Why ``key`` is no key of this kind in the default taxonomy, with the closest keys; None when it is one."""
    known = default_keys(kind)
    if key in known:
        return None
    hint = suggestions(key, sorted(known), listed=False)
    return f"'{key}' is no {WORDS[kind]} of fideslang's default taxonomy" + (f"; {hint[0]}" if hint else "")


def key_problems(data: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Each ``fides`` key of a category or purpose that the default taxonomy does not have."""
    for key, kind in KINDS.items():
        items = data.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            value = item.get("fides") if isinstance(item, dict) else None
            if isinstance(value, str) and (problem := unknown_key(kind, value)) is not None:
                yield (key, index, "fides"), problem
