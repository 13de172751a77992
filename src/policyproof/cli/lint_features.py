"""``policyproof lint-features``: collect the guarantees without running them, and name each mistake."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import (
    DEFAULT_FEATURES,
    EXIT_FAILED,
    EXIT_OK,
    existing,
    no_guarantees,
    own_plugins,
    snapshots_folder,
    suite_options,
)
from policyproof.exceptions import UsageError
from policyproof.untrusted import clean

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    lint_features = commands.add_parser(
        "lint-features",
        help="check the guarantees without running them: undefined steps, unknown labels and places, tags, ids",
        description="Collect the guarantee suite against every snapshot, running no scenario. Exit codes: 0 no "
        "mistake, 1 a mistake (each printed with its file:line), 2 a usage or input error.",
    )
    lint_features.add_argument(
        "--features", type=Path, default=DEFAULT_FEATURES, metavar="DIR", help="the folder of guarantees"
    )
    snapshots_folder(lint_features)
    lint_features.add_argument("-q", "--quiet", action="store_true", help="print mistakes only")
    lint_features.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Collect the guarantees without running them; print each mistake; exit 1 when there is one."""
    from policyproof.guarantees.lint import lint  # noqa: PLC0415 (imports pytest, which only this needs here)

    features = existing([args.features])[0]
    existing([args.snapshots])
    options = [*suite_options(features), f"--policy-snapshots={args.snapshots}", "--snapshot=all", "--no-policy-report"]
    with own_plugins():
        linted = lint(options)
    for problem in linted.problems:
        print(clean(problem))
    if linted.problems:
        print(f"{len(linted.problems)} module(s) of guarantees refused", file=sys.stderr)
        return EXIT_FAILED
    if not linted.collected:
        raise UsageError(no_guarantees(features))
    if not args.quiet:
        print(f"{linted.collected} scenario run(s) collected from {features}, no mistake found")
    return EXIT_OK
