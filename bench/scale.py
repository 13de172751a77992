"""Benchmark: memory and time a scenario costs as a suite grows, to tell a linear cost from a growing one.

Generates projects of N guarantee scenarios each (the scenarios of ``bench/matrix.py``, over every region
group of linkedin@2025-11-03) and runs ``policyproof check`` on each in a child process of its own, writing
the compliance report. For each size it prints the child's peak resident set (the most memory it held at
once, read from the operating system when the child ends) and its processor time (user and system). The
memory a scenario costs is the growth of the peak from the smallest size to each larger one, divided by the
scenarios added: what the run keeps for each scenario until its report is written. The time a scenario
costs is measured alike; if it grows with the size, the run is slower than linear. Each run must pass.
Prints the figures; asserts nothing.

    .venv/bin/python bench/scale.py [--sizes 1000 5000 10000 20000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from matrix import scenario

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = "linkedin@2025-11-03"


# Written into the project: the resident set once every scenario has run, before the report is built.
CONFTEST = """
import pathlib

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    status = pathlib.Path("/proc/self/status").read_text()
    rss = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    pathlib.Path("ran.txt").write_text(rss)
"""


def write_project(folder: Path, count: int) -> None:
    """A policyproof project with ``count`` generated scenarios, 50 to a feature file."""
    (folder / "conftest.py").write_text(CONFTEST)
    shutil.copytree(ROOT / "policy_snapshots", folder / "policy_snapshots")
    (folder / "pytest.ini").write_text("[pytest]\n")
    features = folder / "features"
    features.mkdir()
    (features / "test_bench.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    for start in range(0, count, 50):
        indexes = range(start, min(start + 50, count))
        header = f"@G-BENCH-{start} @blocking\nFeature: Generated guarantees {start}\n\n"
        (features / f"bench_{start}.feature").write_text(header + "\n".join(scenario(i, "a member") for i in indexes))


def run(folder: Path) -> tuple[float, float, float]:
    """The resident set (MB) once every scenario ran, the peak (MB) and the processor time (s) of one check."""
    command = [str(Path(sys.executable).parent / "policyproof"), "check", "--snapshot", SNAPSHOT, "--report", "out"]
    with (folder / "output.txt").open("w") as output:
        child = subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    text = (folder / "output.txt").read_text()
    if os.waitstatus_to_exitcode(status) != 0 or "scenario x region cell" not in text:
        sys.exit(f"benchmark run failed: {' '.join(command)} in {folder}\n{text[-3000:]}")
    # Linux gives both in kilobytes.
    return int((folder / "ran.txt").read_text()) / 1024, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    """Measure each size and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000], metavar="N")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    if len(sizes) < 2 or sizes[0] < 1:  # noqa: PLR2004 (a growth needs two sizes)
        sys.exit("give two sizes or more, each 1 or more")
    print(f"policyproof check --snapshot {SNAPSHOT} --report out, one child process a size")
    print("RSS ran: the resident set once every scenario has run, before the report is built; peak: the most held")
    print(
        f"{'scenarios':>9}  {'RSS ran MB':>10}  {'peak MB':>7}  {'CPU s':>6}  {'KB ran':>6}  {'KB peak':>7}  {'ms':>5}"
    )
    first: tuple[float, float, float] | None = None
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            write_project(Path(tmp), count)
            ran, peak, cpu = run(Path(tmp))
        growth = ""
        if first is None:
            first = (ran, peak, cpu)
        else:
            added = count - sizes[0]
            kb_ran, kb_peak = ((now - then) * 1024 / added for now, then in ((ran, first[0]), (peak, first[1])))
            growth = f"  {kb_ran:>6.1f}  {kb_peak:>7.1f}  {(cpu - first[2]) * 1000 / added:>5.2f}"
        print(f"{count:>9}  {ran:>10.1f}  {peak:>7.1f}  {cpu:>6.2f}{growth}", flush=True)
    print(f"KB ran, KB peak and ms: a scenario's share of the growth from {sizes[0]} scenarios to each size")


if __name__ == "__main__":
    main()
