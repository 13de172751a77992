"""``policyproof mutate``: break each snapshot on purpose, one promise at a time, and see which guarantees notice."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import (
    DEFAULT_FEATURES,
    DEFAULT_REPORT,
    EXIT_FAILED,
    EXIT_OK,
    NARROWED_REPORT,
    existing,
    snapshots_folder,
)
from policyproof.untrusted import clean

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from policyproof.cli.common import Commands
    from policyproof.mutation.mutants import Derived
    from policyproof.mutation.summary import Summary


def add(commands: Commands) -> None:
    """The command's options."""
    mutate = commands.add_parser(
        "mutate",
        help="break each snapshot on purpose, one promise at a time, and show which guarantees notice",
        description="Derive mutants (one deliberate breach each) from every snapshot, run the guarantee suite on "
        "each, and print which guarantees killed it. Exit codes: 0 every mutant killed or accepted, 1 a mutant "
        "survived that mutants-accepted.yaml does not accept, 2 a usage or input error.",
    )
    mutate.add_argument(
        "--snapshot",
        action="append",
        default=[],
        metavar="ID",
        help="derive mutants of this snapshot (repeatable; default: every snapshot)",
    )
    mutate.add_argument(
        "--operator", action="append", default=[], metavar="NAME", help="use only this operator (repeatable)"
    )
    mutate.add_argument(
        "--features", type=Path, default=DEFAULT_FEATURES, metavar="DIR", help="the folder of guarantees"
    )
    snapshots_folder(mutate)
    mutate.add_argument(
        "--accepted",
        type=Path,
        default=Path("mutants-accepted.yaml"),
        metavar="FILE",
        help="the accepted survivors (default: mutants-accepted.yaml; none if it does not exist)",
    )
    mutate.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write the section 'How strong is this suite' here (default: reports/; build/policy-report/ when "
        "--snapshot or --operator narrows the run)",
    )
    mutate.add_argument("--no-report", action="store_true", help="do not write the section")
    mutate.add_argument("-n", "--workers", type=int, default=1, metavar="N", help="run on N worker processes")
    mutate.set_defaults(run=run)


class _Progress:
    """A progress bar on a terminal; nothing in CI or when the output is not a terminal."""

    WIDTH = 30

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} mutants", end=end, file=sys.stderr)


def _narrowing(args: argparse.Namespace) -> list[str]:
    """The options that narrow the run to some snapshots or operators, as the user gave them."""
    narrowing = [f"--snapshot {snapshot}" for snapshot in args.snapshot if "all" not in args.snapshot]
    return narrowing + [f"--operator {operator}" for operator in args.operator]


def _report_folder(args: argparse.Namespace, *, narrowed: bool) -> Path | None:
    """Where the section goes (checked it can be written), or None with --no-report."""
    from policyproof.files import check_folder  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.report.strength import NAMES  # noqa: PLC0415

    folder = None if args.no_report else args.report or (NARROWED_REPORT if narrowed else DEFAULT_REPORT)
    if folder is not None:
        check_folder(folder, NAMES)
    return folder


def _print_derived(derived: Sequence[Derived]) -> None:
    """Operators that found nothing to break, and mutants discarded as invalid, with the reason."""
    for found in derived:
        for name in found.empty:
            print(clean(f"{found.snapshot}: operator {name} yields no mutant (nothing it could break is stated)"))
        for discarded in found.discarded:
            print(
                clean(
                    f"{discarded.id}: discarded, the mutant would be invalid ({discarded.sentence}): {discarded.reason}"
                )
            )


def _print_strength(summary: Summary, *, narrowed: bool) -> None:
    """The scores, the stale acceptances, and the guarantees that killed nothing."""
    for score in summary.strength.scores:
        print(f"mutation score {score.sentence()}")
    for line in summary.strength.stale:
        print(f"stale: {line}")
    idle = "killed nothing in this narrowed run" if narrowed else "killed nothing"
    for guarantee in summary.strength.idle_guarantees:
        print(f"{idle}: {guarantee}")


def run(args: argparse.Namespace) -> int:
    """Derive mutants of the snapshots, run the suite on each, print who killed what; exit 1 on a survivor."""
    from policyproof.mutation.accepted import load_accepted  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.mutation.mutants import choose_operators  # noqa: PLC0415
    from policyproof.mutation.project import derive_all, load_originals  # noqa: PLC0415
    from policyproof.mutation.runner import Executor, run_mutants  # noqa: PLC0415
    from policyproof.mutation.suite import load_suite  # noqa: PLC0415
    from policyproof.mutation.summary import summarise, table  # noqa: PLC0415
    from policyproof.report.strength import write_strength  # noqa: PLC0415

    started, root = time.perf_counter(), Path.cwd()
    features = existing([args.features])[0]
    narrowing = _narrowing(args)
    folder = _report_folder(args, narrowed=bool(narrowing))
    operators = choose_operators(args.operator)
    originals = load_originals(existing([args.snapshots])[0], root)
    accepted = load_accepted(args.accepted, args.accepted.as_posix())
    derived = derive_all(originals, args.snapshot, operators)
    executor = Executor(load_suite(features, root), [snapshot for _, snapshot in originals])
    mutants = [mutant for found in derived for mutant in found.mutants]
    results = run_mutants(executor, mutants, workers=args.workers, source=(features, root), progress=_Progress())
    _print_derived(derived)
    if results:
        print(clean(table(results, accepted)))
    names = [op.name for op in operators]
    summary = summarise(derived, results, accepted, executor.guarantees, names, narrowed=narrowing)
    _print_strength(summary, narrowed=bool(narrowing))
    for path in write_strength(summary.strength, folder) if folder is not None else []:
        print(f"report written: {path.as_posix()}")
    elapsed = time.perf_counter() - started
    print(f"{len(results)} mutant(s) checked in {elapsed:.1f}s on {max(args.workers, 1)} process(es)")
    for mutant in summary.unaccepted:
        print(clean(f"survived and not accepted in {args.accepted.as_posix()}: {mutant}"), file=sys.stderr)
    return EXIT_FAILED if summary.unaccepted else EXIT_OK
