"""Writing a new project: the pytest settings, one guarantee, one snapshot, waivers, pre-commit and CI.

The files are shipped in this package's ``files/`` folder under plain names (a wheel keeps no dot-files
there) and written to the paths :data:`FILES` gives, all of them or, when one exists already, none.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from policyproof.exceptions import UsageError
from policyproof.files import write_atomic

if TYPE_CHECKING:
    from pathlib import Path

# Each shipped file, and where in the new project it goes.
FILES = (
    ("pyproject.toml", "pyproject.toml"),
    ("test_guarantees.py.txt", "features/test_guarantees.py"),
    (
        "private_messages_are_never_used_for_ai_training.feature",
        "features/private_messages_are_never_used_for_ai_training.feature",
    ),
    ("example-snapshot.yaml", "policy_snapshots/example@2026-01-01.yaml"),
    ("waivers.yaml", "waivers.yaml"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("github-workflow.yml", ".github/workflows/policyproof.yml"),
)


def existing(folder: Path) -> list[Path]:
    """The files of a new project that ``folder`` holds already."""
    return [folder / target for _, target in FILES if (folder / target).exists()]


def write_project(folder: Path, *, force: bool = False) -> list[Path]:
    """Write a new project into ``folder``; return the files written.

    Refuses, writing nothing, when one of the files exists already, unless ``force``.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder.as_posix()} is a file, not a folder")
    found = existing(folder)
    if found and not force:
        names = ", ".join(path.as_posix() for path in found)
        raise UsageError(f"not writing over existing files: {names} (give --force to write over them)")
    shipped = resources.files(__package__).joinpath("files")
    written = []
    for name, target in FILES:
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, shipped.joinpath(name).read_text("utf-8"))
        written.append(path)
    return written
