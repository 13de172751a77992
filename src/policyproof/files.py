"""Writing a file whole or not at all: a temporary file beside it, renamed into place when complete.

Readers of the path see the old file or the new one, never half of one, and a failed write leaves no
temporary file behind. Reports, ``audit.json``, ``breaches.parquet`` and synthetic evidence are all written
this way.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed to ``path`` when the block ends without error.

    The file gets ``mode``, or else the permissions any new file gets: ``mkstemp`` makes it private.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(_new_file_mode() if mode is None else mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` whole: UTF-8, Unix line ends, on disk before it is renamed into place."""
    with replacing(path, mode) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _new_file_mode() -> int:
    """The permissions a new file gets: read and write for all, less the process's file-creation mask.

    Reading the mask means setting it, so it is set back at once.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def escapes(path: Path, root: Path) -> bool:
    """Whether reading ``path`` would leave where it seems to lie, through a symbolic link.

    A path inside the project ``root`` must stay inside it; a path elsewhere, inside the folder it is in. So a
    link in a snapshot, feature or evidence folder to a credentials file is never read, and never shown.
    """
    # Absolute as written: Path.resolve() would follow the very links this looks for.
    here = Path(os.path.abspath(path))  # noqa: PTH100
    base = Path(os.path.abspath(root))  # noqa: PTH100
    if not here.is_relative_to(base):
        base = here.parent
    return not here.resolve().is_relative_to(base.resolve())
