"""Writing outputs whole or not at all: a file renamed into place, a set of files in a folder swapped in.

A set (the compliance report's four files, the audit's ``audit.json`` and ``breaches.parquet``, synthetic
evidence) is written into a fresh hidden folder beside its target, then published with one atomic exchange
of the two folders (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS): a reader
sees the previous run's set or this one's, never a mix, and a run that stops before the exchange leaves the
target as it was. Files in the target that belong to no set being written (another command's set, a
README) are carried over into the fresh folder by hard links first, while the parent folder is locked
against other publishers. Where the system has no exchange, the old folder is renamed aside and the fresh
one into place: for an instant there is no folder, and a run killed in that instant leaves the old one
aside for the next run to put back.

A fresh folder's name carries the process id of its run: a later run removes those of runs no longer alive
(killed before they could clean up), and leaves those of live runs alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_MARK = ".publishing-"
_SCRATCH = ".scratch"  # the end of a scratch folder's name (``scratch``)
# Fresh folders of a process, each with the folder it is to be published as: removed when the run is
# interrupted, before it exits (see ``in_progress``).
_IN_PROGRESS: dict[Path, Path] = {}


def in_progress() -> frozenset[Path]:
    """The fresh and scratch folders this process is writing now: what an interrupted run removes before it exits."""
    return frozenset(_IN_PROGRESS)


def as_published(path: Path) -> Path:
    """Where a file written into a fresh folder is published: how a message names it (the fresh one is hidden)."""
    for fresh, target in _IN_PROGRESS.items():
        if path.is_relative_to(fresh):
            return target / path.relative_to(fresh)
    return path


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
        os.chmod(temporary, _new_file_mode() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` whole: UTF-8, Unix line ends, on disk before it is renamed into place."""
    with replacing(path, mode) as temporary:
        handle = os.open(temporary, os.O_WRONLY | os.O_TRUNC)
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(handle, data) :]
            os.fsync(handle)
        finally:
            os.close(handle)


def check_folder(out: Path, names: Collection[str] = ()) -> None:
    """Refuse an output folder that is a file, or that cannot be created, written or swapped, before any work.

    ``names`` are the files to be written into it: a folder of one of those names would be lost to the
    new set, so it is refused too. The set is written beside the folder, so its parent must be writable.
    """
    out = _real(out)
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out}: not a folder; give a folder to write into")
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: the folder is not writable")
        for name in names:
            if (out / name).is_dir():
                raise OutputError(f"{out / name}: a folder is where this file is to be written")
        if not os.access(out.parent, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: cannot replace it: {out.parent} is not writable")
        return
    ancestor = next(parent for parent in out.parents if parent.exists())
    if not ancestor.is_dir():
        raise OutputError(f"{out}: cannot create the folder: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot create the folder: {ancestor} is not writable")


@contextlib.contextmanager
def publishing(target: Path, names: Collection[str]) -> Iterator[Path]:
    """A fresh folder beside ``target`` to write the set ``names`` into, published as ``target`` if all goes well.

    The fresh folder is removed whatever happens. The published folder holds this run's files of the set, and
    whatever else ``target`` held besides the set; a file of the set this run did not write is gone from it,
    never left over from an earlier run.
    """
    target = _real(target)
    fresh = _beside(target, "", clean=True)
    _IN_PROGRESS[fresh] = target
    try:
        yield fresh
        with _writing(target), _locked(target.parent):
            _carry_over(target, fresh, names)
            os.chmod(fresh, _folder_mode(target))
            _sync(fresh)
            _swap(fresh, target)
            _sync(target.parent)
    finally:
        # After the swap, the previous run's set; before it, this run's unpublished one.
        shutil.rmtree(fresh, ignore_errors=True)
        _IN_PROGRESS.pop(fresh, None)


@contextlib.contextmanager
def scratch(target: Path) -> Iterator[Path]:
    """A private folder beside ``target`` for an engine's temporary files (DuckDB's spill), removed whatever happens.

    It is named after the target and this run, as the run's fresh folder is, so that a later run removes it if
    this one was killed, and an interrupted run removes it as it removes its fresh folders. The folders made to
    hold it go too unless something was published into them, so that a run that publishes nothing (bad evidence)
    leaves nothing behind.
    """
    target = _real(target)
    made = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]  # deepest first
    folder = _beside(target, _SCRATCH)
    _IN_PROGRESS[folder] = folder
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _IN_PROGRESS.pop(folder, None)
        for parent in made:
            try:
                parent.rmdir()
            except OSError:  # it holds what was published, or another run's files
                break


def _beside(target: Path, suffix: str, *, clean: bool = False) -> Path:
    """A private folder of this run beside ``target``, named after both; ``clean`` first removes dead runs' ones."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if clean:
            remove_leftovers(target)
        folder = target.parent / f".{target.name}{_MARK}{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        os.mkdir(folder, 0o700)
    except OSError as error:
        raise OutputError(f"{target}: cannot create the folder: {error.strerror or error}") from error
    return folder


def remove_leftovers(target: Path) -> None:
    """Remove the fresh folders of ``target`` that runs no longer alive left behind.

    A target such a run left aside (killed between the two renames where the system has no exchange) is put back.
    """
    leftover = re.compile(rf"\.{re.escape(target.name)}{_MARK}(\d+)-[0-9a-f]+(\.old|{re.escape(_SCRATCH)})?")
    with contextlib.suppress(FileNotFoundError):
        for entry in sorted(target.parent.iterdir(), key=lambda path: path.name.endswith(".old"), reverse=True):
            found = leftover.fullmatch(entry.name)
            if found is None or _alive(int(found.group(1))):
                continue
            if found.group(2) == ".old" and not target.exists():
                os.rename(entry, target)
            else:
                shutil.rmtree(entry, ignore_errors=True)


def _real(target: Path) -> Path:
    """The folder a symbolic link leads to, so that the folder is swapped and the link kept."""
    return target.resolve() if target.is_symlink() else target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _carry_over(target: Path, fresh: Path, names: Collection[str]) -> None:
    """Hard-link into ``fresh`` what ``target`` holds besides the set.

    Neither the set's files nor temporary files of one of them that an older writer left are carried over.
    """
    if not target.is_dir():
        return
    ours = re.compile("|".join(rf"\.{re.escape(name)}\.\w+\.tmp" for name in names) or "(?!)")
    for entry in target.iterdir():
        if entry.name in names or ours.fullmatch(entry.name):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, fresh / entry.name, symlinks=True, copy_function=_link)
            else:
                _link(entry, fresh / entry.name)
        except OSError as error:
            # Another user's file that this user may neither link nor read, say: the run publishes nothing
            # rather than drop it, and names it, since the system's reason alone does not say which file.
            raise OutputError(
                f"{target}: cannot publish it: {entry.name}, which it holds besides this run's files, cannot be "
                f"carried over: {_reason(error)}"
            ) from error


def _reason(error: OSError) -> str:
    """The system's reason for a failed carry-over; copytree gathers its failures, each already in words."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        return str(error.args[0][0][-1])
    return error.strerror or str(error)


def _link(source: Path | str, destination: Path | str) -> None:
    """A hard link where the file system allows one, else a copy."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


def _swap(fresh: Path, target: Path) -> None:
    """Put ``fresh`` at ``target`` and the old ``target`` (if any) at ``fresh``."""
    if not target.exists():
        os.rename(fresh, target)
        return
    if _exchange(fresh, target):
        return
    aside = fresh.with_name(fresh.name + ".old")
    os.rename(target, aside)
    os.rename(fresh, target)
    os.rename(aside, fresh)


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths in one atomic step; False where the system or the file system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform == "linux" and hasattr(libc, "renameat2"):
        done = libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        done = libc.renamex_np(os.fsencode(first), os.fsencode(second), _RENAME_SWAP)
    else:
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP}:
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold ``folder`` against other publishers into it, so that none drops what another carried over."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _sync(folder: Path) -> None:
    """Put a folder's entries on disk, so that a crash cannot publish names without their files."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise OutputError(f"{target}: cannot publish it: {error.strerror or error}") from error


def _folder_mode(target: Path) -> int:
    """The old folder's permissions, or those any new folder gets."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o777 & ~_umask()


def _new_file_mode() -> int:
    """The permissions a new file gets: read and write for all, less the process's file-creation mask."""
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's file-creation mask; reading it means setting it, so it is set back at once."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def escapes(path: Path, root: Path) -> bool:
    """Whether reading ``path`` would leave where it seems to lie, through a symbolic link.

    A path inside the project ``root`` must stay inside it; a path elsewhere, inside the folder it is in. So a
    link in a snapshot, feature or evidence folder to a credentials file is never read, and never shown.
    """
    # Absolute as written: Path.resolve() would follow the very links this looks for.
    here = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root))
    if not here.is_relative_to(base):
        base = here.parent
    return not here.resolve().is_relative_to(base.resolve())
