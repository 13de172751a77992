"""The snapshots a mutation run derives mutants from, read so that each mutant keeps its file's lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.exceptions import InputError, Problem, UnknownNameError
from policyproof.guarantees.scope import ALL
from policyproof.mutation.mutants import Derived, derive
from policyproof.snapshot.loader import discover, link_versions, snapshot_from_data
from policyproof.snapshot.yaml_loader import Document, read_document

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from policyproof.mutation.operators import Operator
    from policyproof.snapshot.model import Snapshot


def load_originals(directory: Path, root: Path) -> list[tuple[Document, Snapshot]]:
    """Every snapshot of the folder with the document it was read from, linked to its successor."""
    read: dict[str, tuple[Document, Snapshot]] = {}
    problems: list[Problem] = []
    for path in discover([directory]):
        try:
            document = read_document(path, root)
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
            snapshot = snapshot_from_data(document, document.data, shown)
        except InputError as error:
            problems.extend(error.problems)
            continue
        read[snapshot.id] = (document, snapshot)
    if problems:
        raise InputError(problems)
    return [(read[s.id][0], s) for s in link_versions(s for _, s in read.values())]


def derive_all(
    originals: Sequence[tuple[Document, Snapshot]], chosen: Sequence[str], operators: Sequence[Operator]
) -> list[Derived]:
    """The mutants of each chosen snapshot (every one when none is chosen, or ``all``), in id order."""
    known = {snapshot.id for _, snapshot in originals}
    for snapshot_id in chosen:
        if snapshot_id != ALL and snapshot_id not in known:
            raise UnknownNameError("snapshot", snapshot_id, sorted(known))
    every = not chosen or ALL in chosen
    return [derive(document, s, operators) for document, s in originals if every or s.id in chosen]
