"""``policyproof check``: run the guarantee suite with pytest, with the options the pytest plugin has."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import (
    DEFAULT_FEATURES,
    DEFAULT_REPORT,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    existing,
    no_guarantees,
    own_plugins,
    suite_options,
)
from policyproof.guarantees.options import FILES, OPTIONS, SCOPE

if TYPE_CHECKING:
    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options: the plugin's (one table), and the folder of guarantees and the workers."""
    check = commands.add_parser("check", help="run the guarantee suite")
    for option in SCOPE:
        option.add_to_check(check)
    check.add_argument(
        "--features",
        type=Path,
        default=DEFAULT_FEATURES,
        metavar="DIR",
        help="the folder of guarantees (default: features/)",
    )
    for option in FILES:
        option.add_to_check(check)
    check.add_argument("-n", "--workers", type=int, metavar="N", help="run on N processes (pytest-xdist)")
    check.add_argument(
        "pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS", help="further pytest options, after --"
    )
    check.set_defaults(run=run)


def _check_inputs(args: argparse.Namespace) -> Path:
    """The folder of guarantees; it and the files named must exist, and the audits be readable, before pytest."""
    from policyproof.report.evidence import load_audit  # noqa: PLC0415 (only with --evidence-audit)

    features = existing([args.features])[0]
    if args.policy_waivers is not None:
        existing([args.policy_waivers])
    for path in existing(args.policy_evidence_audit):
        load_audit(path)
    return features


def pytest_options(args: argparse.Namespace) -> list[str]:
    """The pytest options a ``check`` stands for: the plugins it needs and the suite's own options."""
    options = suite_options(args.features)
    # Where the report goes, when --report does not say, is the plugin's to decide: only it knows whether
    # pytest's own options narrow the run. The committed folder is reports/, whatever the project's pytest
    # settings name for plain pytest runs.
    options += ["-o", f"policy_report={DEFAULT_REPORT}"]
    options += [word for option in OPTIONS for word in option.for_pytest(args)]
    if args.workers:
        options += ["-p", "xdist", "-n", str(args.workers)]
    return options


def run(args: argparse.Namespace) -> int:
    """Run the guarantee suite with pytest; exit 0 when every blocking guarantee holds, 1 when one fails."""
    import pytest  # noqa: PLC0415 (only this command runs pytest)

    features = _check_inputs(args)
    with own_plugins():
        code = int(pytest.main([*pytest_options(args), *args.pytest_args]))
    if code in {EXIT_OK, EXIT_FAILED}:
        return code
    # pytest's own codes for interrupted runs (2), internal errors (3) and usage errors (4) are all input or
    # usage errors here.
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print(f"policyproof: error: {no_guarantees(features)}", file=sys.stderr)
    return EXIT_USAGE
