"""Writing reports atomically: a temporary file beside the target, renamed into place when complete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof import files

if TYPE_CHECKING:
    from pathlib import Path

_READABLE = 0o644  # a report is for everyone to read, whatever the process's file-creation mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(path, text, _READABLE)


def append_summary(path: Path, text: str) -> None:
    """Append to a file others write too (GitHub's step summary); never replace it."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)
