"""Writing a file of the audit or of ``synth`` whole or not at all, and saying a failed write in one line.

Their files are written into a fresh folder and published together (``policyproof.files.publishing``).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from policyproof import files
from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure to write ``path`` into one line naming it, as it is to be published, and the system's reason."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"{files.as_published(path)}: cannot write it: {error.strerror or error}") from error


def write_text(path: Path, text: str) -> None:
    """Write a text file whole (temporary file, then rename); a failure is one line naming the file."""
    with writing(path):
        files.write_atomic(path, text)
