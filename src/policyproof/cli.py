"""The ``policyproof`` command: parses arguments, calls the library, turns the outcome into an exit code.

Exit codes: 0 all good, 1 something checked does not hold (an invalid snapshot, a failing blocking
guarantee), 2 a usage or input error. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof import __version__
from policyproof.exceptions import PolicyproofError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_SNAPSHOTS = Path("policy_snapshots")


def _existing(paths: Sequence[Path]) -> list[Path]:
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return list(paths)


def run_validate(args: argparse.Namespace) -> int:
    """Validate snapshot files; print each problem on its own line and a summary."""
    from policyproof.snapshots import validate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    paths = _existing(args.paths or [DEFAULT_SNAPSHOTS])
    results = validate(paths)
    if not results:
        raise UsageError(f"no snapshot files (*.yaml, *.yml) in {', '.join(map(str, paths))}")
    invalid = 0
    for result in results:
        if result.problems:
            invalid += 1
            for problem in result.problems:
                print(problem)
        elif not args.quiet:
            print(f"ok: {result.snapshot_id} ({result.path.as_posix()})")
    problems = sum(len(result.problems) for result in results)
    if invalid:
        print(f"{invalid} of {len(results)} snapshot file(s) invalid, {problems} problem(s)", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        print(f"{len(results)} snapshot file(s) valid")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="policyproof",
        description="Check platform data-use policy snapshots against the guarantees members are given.",
    )
    parser.add_argument("--version", action="version", version=f"policyproof {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="validate policy snapshots against the schema and each other")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="snapshot files or folders (default: policy_snapshots/)",
    )
    validate.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    validate.set_defaults(run=run_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except PolicyproofError as error:
        for line in str(error).splitlines():
            print(f"policyproof: error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
