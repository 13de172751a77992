"""Labels as reviewers write them, matched to the snapshot's categories, purposes and controls."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, TypeVar

from policyproof.exceptions import UnknownNameError

if TYPE_CHECKING:
    from collections.abc import Iterable


@lru_cache(maxsize=4096)
def normalise(label: str) -> str:
    """Fold case and white space, so that labels match as a reviewer would expect.

    Cached: every step of every cell looks its labels up, and they are few.
    """
    return " ".join(label.casefold().split())


class _Labelled(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


_Named = TypeVar("_Named", bound=_Labelled)


def by_name(items: Iterable[_Named]) -> dict[str, _Named]:
    """Each item under every name it answers to (label, aliases, id), normalised; the first item wins."""
    names: dict[str, _Named] = {}
    for item in items:
        for name in (item.label, *item.aliases, item.id):
            names.setdefault(normalise(name), item)
    return names


def find_named(kind: str, label: str, names: dict[str, _Named], where: str) -> _Named:
    """The item ``label`` names in ``names`` (from ``by_name``); an unknown label is an error naming the known ones."""
    found = names.get(normalise(label))
    if found is None:
        raise UnknownNameError(kind, label, list(dict.fromkeys(item.label for item in names.values())), where)
    return found
