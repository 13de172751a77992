"""The ``policyproof`` command's entry point: Ctrl-C handling first, then the command line.

Ctrl-C (SIGINT) ends any command at once, whatever it is doing (importing, running the suite, waiting on
DuckDB or on Spark's JVM): the processes the command started (Spark's JVM, pytest-xdist's and ``mutate``'s
workers) are stopped, then the fresh folders of outputs not yet published are removed, one line is printed
and the command exits 130. No traceback, no partial output, nothing left running. This module imports
nothing of policyproof before the handler is in place, so that an interrupt during the imports is handled
too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command Ctrl-C ended
_GRACE = 0.5  # seconds the processes the command started get to stop before they are killed
# The terminal's error stream as the command found it: pytest points file descriptor 2 elsewhere while the
# guarantees run, and the line must reach the user whenever Ctrl-C comes.
_STDERR: list[int] = []


def main() -> int:
    """Run the command line with Ctrl-C handled; return the exit code."""
    with contextlib.suppress(OSError):
        _STDERR.append(os.dup(2))
    signal.signal(signal.SIGINT, interrupted)
    from policyproof.cli import main as run  # noqa: PLC0415 (imported once the handler is in place)

    return run()


def interrupted(signum: int, frame: FrameType | None) -> None:
    """End the command: remove unpublished outputs, stop the processes it started, say so, exit 130."""
    del signum, frame
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    # Ctrl-C may come while policyproof.files is half imported: it then has no outputs in progress yet.
    # The processes stop first: Spark's JVM would otherwise write on into a folder just removed, making it anew.
    _stop(descendants(os.getpid()))
    in_progress = getattr(sys.modules.get("policyproof.files"), "in_progress", None)
    if in_progress is not None:
        import shutil  # noqa: PLC0415 (loaded by the library anyway when it has outputs in progress)

        for folder in in_progress():
            shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.write(_STDERR[0] if _STDERR else 2, b"policyproof: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


def descendants(pid: int) -> list[int]:
    """The processes below ``pid``, read from /proc.

    Where there is no /proc, none: there Spark's JVM ends itself when the pipe from this process closes, and
    workers get the terminal's Ctrl-C.
    """
    parents: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
                    parents.setdefault(int(stat.rpartition(")")[2].split()[1]), []).append(int(entry.name))
    found, waiting = [], [pid]
    while waiting:
        children = parents.get(waiting.pop(), [])
        found += children
        waiting += children
    return found


def _stop(pids: list[int]) -> None:
    """Ask the processes to stop (Spark's JVM then removes its temporary files); kill those still there."""
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + _GRACE
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _running(pid)]
        time.sleep(0.02)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Whether a process runs still: not gone, and not a zombie waiting for its parent."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
