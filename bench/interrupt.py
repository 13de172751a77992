"""Benchmark: how long each command takes to end after Ctrl-C, and what it leaves.

Starts each command in its own process group, presses Ctrl-C there (SIGINT to the group, as a terminal
does) once the command is at work, and times the wait until it has exited, on the clock. Prints, for each,
the seconds, the exit code, the last line of its error stream and how many of the processes it had started
were still running a second later. Asserts nothing.

    .venv/bin/python bench/interrupt.py [--uses M]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from policyproof.entry import descendants

ROOT = Path(__file__).parent.parent
SNAPSHOT = "linkedin@2025-11-03"


@dataclass(frozen=True)
class Workers:
    """Ready once the command has started this many processes."""

    count: int


def running(pid: int) -> bool:
    """Whether a process is there and not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def measure(name: str, args: list[str], cwd: Path, ready: float | Path | Workers) -> None:
    """Interrupt one command once ``ready`` and print the figures.

    ``ready`` is seconds after the start, a glob that appears, or a number of processes the command started.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "policyproof", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    started = time.monotonic()
    while process.poll() is None:
        if isinstance(ready, float) and time.monotonic() - started >= ready:
            break
        if isinstance(ready, Path) and any(ready.parent.glob(ready.name)):
            break
        if isinstance(ready, Workers) and len(descendants(process.pid)) >= ready.count:
            break
        time.sleep(0.005)
    children = set(descendants(process.pid))
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate()
    took = time.monotonic() - pressed
    time.sleep(1)
    left = sum(running(pid) for pid in children)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    print(f"{name:<18} {took:6.3f} s  exit {process.returncode:<4} left {left}/{len(children)}  {last!r}")


def main() -> None:
    """Interrupt each command once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uses", type=int, default=600_000, help="uses in the evidence the audits judge")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        evidence = ["--out", str(work / "evidence"), "--members", "20000", "--uses", str(options.uses)]
        subprocess.run(
            [sys.executable, "-m", "policyproof", "synth", *evidence, "--snapshot", SNAPSHOT],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        project = work / "project"
        for folder in ("features", "policy_snapshots", "reports"):
            shutil.copytree(ROOT / folder, project / folder)
        shutil.copy(ROOT / "pyproject.toml", project)
        (project / "conftest.py").write_text(
            "import time\nimport pytest\n\n\n@pytest.fixture(autouse=True)\ndef _slowly():\n    time.sleep(0.05)\n"
        )
        print(f"{'command':<18} {'exit after':>8}  code      processes left  last line")
        measure("validate (import)", ["validate"], ROOT, 0.25)
        measure("diff (import)", ["diff", "linkedin"], ROOT, 0.25)
        measure("check", ["check", "--snapshot", "all", "--report", str(work / "r")], project, 2.0)
        measure("check -n 2", ["check", "--snapshot", "all", "-n", "2", "--report", str(work / "r")], project, 4.0)
        measure("mutate -n 2", ["mutate", "-n", "2", "--no-report"], project, Workers(2))
        audit = ["audit", "--evidence", str(work / "evidence"), "--snapshot", SNAPSHOT]
        measure("audit duckdb", [*audit, "--out", str(work / "a"), "--threads", "1"], ROOT, work / ".a.publishing-*")
        measure("audit spark", [*audit, "--out", str(work / "s"), "--engine", "spark"], ROOT, work / ".s.publishing-*")
        synth = ["synth", "--out", str(work / "e2"), "--members", "100000", "--uses", "3000000"]
        measure("synth", [*synth, "--snapshot", SNAPSHOT], ROOT, work / ".e2.publishing-*")


if __name__ == "__main__":
    main()
