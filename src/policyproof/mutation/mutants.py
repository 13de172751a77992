"""Mutants: valid snapshots, built in memory, that each break one promise; and the ones discarded as invalid."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from policyproof.exceptions import InputError, UnknownNameError
from policyproof.mutation.operators import NAMES, OPERATORS
from policyproof.snapshot.loader import snapshot_from_data

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.mutation.operators import Operator
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.yaml_loader import Document

SEPARATOR = "~"


@dataclass(frozen=True, slots=True)
class Mutant:
    """One deliberate breach of a snapshot, validated and built; it is checked under its original's id."""

    id: str
    original: str
    operator: str
    sentence: str
    regions: tuple[str, ...]
    location: str
    snapshot: Snapshot


@dataclass(frozen=True, slots=True)
class Discarded:
    """A breach that would make the snapshot invalid, so it is no mutant; with the problems that say why."""

    id: str
    operator: str
    sentence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Derived:
    """What the operators made of one snapshot: mutants, discarded breaches, and operators that found nothing."""

    snapshot: str
    mutants: tuple[Mutant, ...]
    discarded: tuple[Discarded, ...]
    empty: tuple[str, ...]


def choose_operators(names: Sequence[str]) -> tuple[Operator, ...]:
    """The operators named (all when none is), in the table's order; an unknown name is refused."""
    for name in names:
        if name not in NAMES:
            raise UnknownNameError("operator", name, list(NAMES))
    return tuple(op for op in OPERATORS if not names or op.name in names)


def derive(document: Document, original: Snapshot, operators: Sequence[Operator]) -> Derived:
    """Every mutant the operators derive from one snapshot; the snapshot file is only read, never written.

    Each mutant keeps its original's successor, so it is in force exactly when its original is.
    """
    mutants: list[Mutant] = []
    discarded: list[Discarded] = []
    empty: list[str] = []
    for operator in operators:
        count = 0
        for count, change in enumerate(operator.derive(original, document.data), start=1):
            mutant_id = f"{original.id}{SEPARATOR}{operator.name}-{count}"
            try:
                built = snapshot_from_data(document, change.data, original.display_path)
            except InputError as error:
                reason = "; ".join(f"line {p.line}: {p.json_path}: {p.message}" for p in error.problems)
                discarded.append(Discarded(mutant_id, operator.name, change.sentence, reason))
                continue
            line = document.locate(change.at)[0]
            mutants.append(
                Mutant(
                    mutant_id,
                    original.id,
                    operator.name,
                    change.sentence,
                    change.regions,
                    f"{original.location}:{line}",
                    replace(built, successor=original.successor),
                )
            )
        if count == 0:
            empty.append(operator.name)
    return Derived(original.id, tuple(mutants), tuple(discarded), tuple(empty))
