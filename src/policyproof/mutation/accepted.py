"""Accepted mutants: survivors a reviewer has signed off, with a justification and an owner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.exceptions import InputError
from policyproof.snapshot.schema import schema_problems
from policyproof.snapshot.yaml_loader import read_document

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = "mutants-accepted"


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One accepted mutant, with the line of the file that accepts it."""

    mutant: str
    justification: str
    owner: str
    location: str


def load_accepted(path: Path, shown: str | None = None) -> dict[str, Acceptance]:
    """The accepted mutants by id; a missing file accepts none, a malformed one is an InputError."""
    if not path.exists():
        return {}
    document = read_document(path)
    problems = schema_problems(document, SCHEMA)
    if problems:
        raise InputError(problems)
    where = shown or path.as_posix()
    accepted: dict[str, Acceptance] = {}
    for index, item in enumerate(document.data["accepted"]):
        line = document.locate(("accepted", index))[0]
        if item["mutant"] in accepted:
            first = accepted[item["mutant"]].location
            raise InputError([document.problem(("accepted", index, "mutant"), f"accepted twice (first at {first})")])
        accepted[item["mutant"]] = Acceptance(item["mutant"], item["justification"], item["owner"], f"{where}:{line}")
    return accepted
