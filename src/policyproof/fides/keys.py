"""What a snapshot's Fides keys say: which categories a Fides data category stands for, which purposes a data use.

Fides keys form a tree written with dots (``user.content.private`` lies under ``user.content``). A declared
data category is read as the snapshot's category with that key or, failing one, with its closest key above
it; a declared data use as the purposes with that key or one above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyproof.snapshot.model import Category, Snapshot
    from policyproof.snapshot.purposes import Exclusion, Purpose

CHILDREN = "user.childrens"  # the default taxonomy's data category for data relating to children


def under(key: str, ancestor: str) -> bool:
    """Whether a Fides key is ``ancestor`` or lies below it."""
    return key == ancestor or key.startswith(f"{ancestor}.")


def categories_for(snapshot: Snapshot, key: str) -> tuple[Category, ...]:
    """The snapshot's categories a declared data category stands for: those of its key, or of the closest above."""
    mapped = [c for c in snapshot.categories if c.fides is not None and under(key, c.fides)]
    if not mapped:
        return ()
    closest = max(len(c.fides or "") for c in mapped)
    return tuple(c for c in mapped if len(c.fides or "") == closest)


def purposes_for(snapshot: Snapshot, key: str) -> tuple[Purpose, ...]:
    """The snapshot's purposes a declared data use stands for: those whose key is it or lies above it."""
    return tuple(p for p in snapshot.purposes if p.fides is not None and under(key, p.fides))


def category_keys(snapshot: Snapshot, ids: tuple[str, ...]) -> list[str]:
    """The Fides keys of these categories and of the categories below them, in the snapshot's order.

    A key below another of the list is left out: Fides matches a key's descendants with it.
    """
    keys = [c.fides for c in snapshot.categories if c.fides is not None and snapshot.falls_under(c.id, ids)]
    return [key for key in dict.fromkeys(keys) if not any(other != key and under(key, other) for other in keys)]


def minors_excluded(excluded: Exclusion) -> str | None:
    """Which minors a rule excludes, in words, or None where it excludes none (or does not say)."""
    if excluded.age_below is not None:
        return f"members under {excluded.age_below}"
    return "members believed to be under 18" if excluded.believed_under_18 else None
