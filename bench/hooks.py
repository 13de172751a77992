"""Benchmark: how long the pre-commit hooks' commands take on the shipped project.

Runs ``policyproof validate --quiet`` and ``policyproof lint-features --quiet`` as pre-commit would, from the
root of the repository, a few times each, and prints the fastest and the median wall-clock seconds, the CPU
seconds of the fastest run and the machine's load (on a busy machine the CPU seconds are the steadier
figure). Asserts nothing.

    .venv/bin/python bench/hooks.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
POLICYPROOF = ROOT / ".venv" / "bin" / "policyproof"
COMMANDS = (("policyproof-validate", ["validate", "--quiet"]), ("policyproof-lint-features", ["lint-features", "-q"]))


def timed(args: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of the command, which must succeed."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run([POLICYPROOF, *args], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    """Time each hook's command and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default: 5)")
    runs = parser.parse_args().runs
    print(f"load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for hook, args in COMMANDS:
        times = sorted(timed(args) for _ in range(runs))
        wall = [w for w, _ in times]
        print(
            f"{hook}: fastest {wall[0]:.2f}s (cpu {times[0][1]:.2f}s), median {statistics.median(wall):.2f}s "
            f"over {runs} runs"
        )


if __name__ == "__main__":
    main()
