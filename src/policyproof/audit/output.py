"""The folder the audit and ``synth`` write into, and writing a file into it whole or not at all.

An unusable folder is found before any work is done; each file is written to a temporary name in its own
folder and renamed into place, so that a failed run never leaves a half-written file under a final name.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

from policyproof import files
from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def check_folder(out: Path, names: tuple[str, ...] = ()) -> None:
    """Refuse an output folder that is a file, or that cannot be created or written, before any work.

    ``names`` are the files to be written into it: a folder of one of those names would stop its file
    after the others were written, so it is refused first too.
    """
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out}: not a folder; give a folder to write into")
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: the folder is not writable")
        for name in names:
            if (out / name).is_dir():
                raise OutputError(f"{out / name}: a folder is where this file is to be written")
        return
    ancestor = next(parent for parent in out.parents if parent.exists())
    if not ancestor.is_dir():
        raise OutputError(f"{out}: cannot create the folder: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot create the folder: {ancestor} is not writable")


def make_folder(out: Path) -> bool:
    """Create the output folder if needed; whether it was created (so that a failed run can remove it)."""
    if out.is_dir():
        return False
    try:
        out.mkdir(parents=True)
    except OSError as error:
        raise OutputError(f"{out}: cannot create the folder: {error.strerror}") from error
    return True


def remove_empty(out: Path) -> None:
    """Remove a folder this run created if nothing was written into it."""
    with contextlib.suppress(OSError):
        out.rmdir()


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure to write ``path`` into one line naming it and the system's reason."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"{path}: cannot write it: {error.strerror or error}") from error


def write_text(path: Path, text: str) -> None:
    """Write a text file whole (temporary file, then rename); a failure is one line naming the file."""
    with writing(path):
        files.write_atomic(path, text)
