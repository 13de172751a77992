"""``policyproof validate``: check snapshot files against the schema and each other."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import DEFAULT_SNAPSHOTS, EXIT_FAILED, EXIT_OK, existing
from policyproof.exceptions import UsageError
from policyproof.untrusted import clean

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    validate = commands.add_parser("validate", help="validate policy snapshots against the schema and each other")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="snapshot files or folders (default: policy_snapshots/)",
    )
    validate.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate snapshot files; print each problem on its own line and a summary."""
    from policyproof.snapshot.loader import validate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    paths = existing(args.paths or [DEFAULT_SNAPSHOTS])
    results = validate(paths, Path.cwd())
    if not results:
        raise UsageError(f"no snapshot files (*.yaml, *.yml) in {', '.join(map(str, paths))}")
    invalid = 0
    for result in results:
        if result.problems:
            invalid += 1
            for problem in result.problems:
                print(problem)
        elif not args.quiet:
            print(clean(f"ok: {result.snapshot_id} ({result.path.as_posix()})"))
        for warning in result.warnings:
            print(clean(warning))
    problems = sum(len(result.problems) for result in results)
    if invalid:
        print(f"{invalid} of {len(results)} snapshot file(s) invalid, {problems} problem(s)", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        print(f"{len(results)} snapshot file(s) valid")
    return EXIT_OK
