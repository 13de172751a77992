"""Benchmark: mutants per second in one process against one ``pytest`` process per mutant, and peak memory.

Derives every mutant of the shipped snapshots and runs the shipped suite against each in-process, as
``policyproof mutate`` does; then, in the same run, takes the naive way for a handful of them: each mutant
written as YAML into a temporary snapshot folder (beside copies of the other snapshots, never over one) and
checked by its own ``pytest`` process. Peak memory is measured after the originals' cells and again after
all the mutants, and after running the mutants several times over, so growth with the number of mutants
shows. Prints the figures; asserts nothing.

    .venv/bin/python bench/mutation.py [--naive N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from policyproof.mutation.mutants import choose_operators
from policyproof.mutation.project import derive_all, load_originals
from policyproof.mutation.runner import Executor, run_mutants
from policyproof.mutation.suite import load_suite

if TYPE_CHECKING:
    from policyproof.mutation.mutants import Mutant
    from policyproof.mutation.operators import Data
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.yaml_loader import Document

ROOT = Path(__file__).resolve().parent.parent


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Time both ways and print mutants per second, the speed-up and peak memory."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--naive", type=int, default=5, help="mutants to check one pytest process each")
    parser.add_argument("--rounds", type=int, default=5, help="times to run every mutant in one process")
    args = parser.parse_args()
    os.chdir(ROOT)

    started = time.perf_counter()
    originals = load_originals(ROOT / "policy_snapshots", ROOT)
    derived = derive_all(originals, [], choose_operators([]))
    mutants = [m for found in derived for m in found.mutants]
    executor = Executor(load_suite(ROOT / "features", ROOT), [s for _, s in originals])
    set_up = time.perf_counter() - started
    peak_before = _peak_mib()

    started = time.perf_counter()
    results = run_mutants(executor, mutants)
    in_process = time.perf_counter() - started
    peak_one = _peak_mib()
    for _ in range(args.rounds - 1):
        run_mutants(executor, mutants)
    peak_many = _peak_mib()

    documents = {s.id: d for d, s in originals}
    snapshots = {s.id: s for _, s in originals}
    chosen = mutants[: args.naive]
    started = time.perf_counter()
    for mutant in chosen:
        with tempfile.TemporaryDirectory() as folder:
            for path in (ROOT / "policy_snapshots").glob("*.yaml"):
                shutil.copy(path, folder)
            changed = _mutant_data(mutant, documents, snapshots)
            Path(folder, f"{mutant.original}.yaml").write_text(yaml.safe_dump(changed, sort_keys=False))
            run = subprocess.run(
                [
                    sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "pytest_bdd.plugin",
                    "-p", "policyproof.guarantees.plugin", "features", "--policy-snapshots", folder,
                    "--snapshot", mutant.original, "--no-policy-report",
                ],
                check=False, capture_output=True, text=True, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
            )  # fmt: skip
            if run.returncode not in {0, 1}:  # pytest checked nothing: no figure from a broken run
                sys.exit(f"pytest did not check {mutant.id}:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    naive = time.perf_counter() - started

    fast, slow = len(mutants) / in_process, len(chosen) / naive
    print(f"{len(mutants)} mutants of {len(originals)} snapshots, {sum(r.killed for r in results)} killed")
    print(f"set-up (suite compiled, originals checked): {set_up:.2f}s")
    print(f"in one process: {in_process:.2f}s, {fast:.1f} mutants/s")
    print(f"one pytest process per mutant ({len(chosen)} mutants): {naive:.2f}s, {slow:.2f} mutants/s")
    print(f"speed-up: {fast / slow:.0f}x")
    print(f"peak memory (ru_maxrss): {peak_before:.1f} MiB before the mutants, {peak_one:.1f} MiB after one run of")
    print(
        f"  {len(mutants)} mutants, {peak_many:.1f} MiB after {args.rounds} runs ({args.rounds * len(mutants)} mutants)"
    )


def _mutant_data(mutant: Mutant, documents: dict[str, Document], snapshots: dict[str, Snapshot]) -> Data:
    """The changed data of a mutant, derived again by its operator, for writing out as a snapshot file."""
    operator = choose_operators([mutant.operator])[0]
    number = int(mutant.id.rpartition("-")[2])
    changes = list(operator.derive(snapshots[mutant.original], documents[mutant.original].data))
    return changes[number - 1].data


if __name__ == "__main__":
    main()
