"""The ``policyproof`` command: parses arguments, calls the library, turns the outcome into an exit code.

One module a command, each with ``add`` (its options) and ``run`` (the command); ``check``'s options are
the pytest plugin's, from one table (:mod:`policyproof.guarantees.options`).

Exit codes: 0 all good, 1 something checked does not hold (an invalid snapshot, a failing blocking
guarantee, a mutant that survived and is not accepted, a use of member data that breaches the policy) or,
for ``diff``, the versions differ; 2 a usage or input error (bad evidence among them); 3 a bug in policyproof
(with its traceback); 130 interrupted by Ctrl-C. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import TYPE_CHECKING

from policyproof import __version__
from policyproof.cli import (
    audit,
    check,
    compare,
    diff,
    explain,
    export,
    init,
    lint_features,
    mutate,
    steps,
    synth,
    validate,
)
from policyproof.cli.common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE, EXIT_USAGE
from policyproof.exceptions import PolicyproofError
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# In the order `policyproof --help` lists them.
COMMANDS = (validate, explain, diff, compare, steps, check, mutate, audit, synth, export, init, lint_features)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="policyproof",
        description="Check platform data-use policy snapshots against the guarantees members are given.",
    )
    parser.add_argument("--version", action="version", version=f"policyproof {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()  # a reader gone is met here when the whole output fitted in the buffer
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end as a command in a pipe does, quietly, with SIGPIPE's code.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    except PolicyproofError as error:
        for line in str(error).splitlines():
            print(clean(f"policyproof: error: {line}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("policyproof: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # noqa: BLE001 (a bug: its traceback, and a code no outcome of a check has)
        traceback.print_exc()
        print("policyproof: internal error (a bug in policyproof; the traceback is above)", file=sys.stderr)
        return EXIT_INTERNAL
    return code
