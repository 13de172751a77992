"""Writing a report's files as one set: all published together, or none of them (see ``policyproof.files``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof import files
from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

_READABLE = 0o644  # a report is for everyone to read, whatever the process's file-creation mask


def publish_set(directory: Path, texts: Mapping[str, str]) -> list[Path]:
    """Write the files ``name: text`` into ``directory`` together, published as one set.

    Readers see all of the previous set or all of this one, never a mix; a failed write leaves the previous set.
    """
    with files.publishing(directory, texts.keys()) as fresh:
        for name, text in texts.items():
            try:
                files.write_atomic(fresh / name, text, _READABLE)
            except OSError as error:
                raise OutputError(f"{directory / name}: cannot write it: {error.strerror or error}") from error
    return [directory / name for name in texts]


def append_summary(path: Path, text: str) -> None:
    """Append to a file others write too (GitHub's step summary); never replace it."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)
