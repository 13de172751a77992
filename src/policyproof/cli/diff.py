"""``policyproof diff``: what changed between two versions of a platform's policy."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_FAILED, EXIT_OK, snapshots, snapshots_folder
from policyproof.untrusted import clean

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    diff = commands.add_parser(
        "diff",
        help="say what changed between two versions of a platform's policy (exit 1 when they differ)",
        description="What changed, per purpose and region: a semantic diff, not a text diff. "
        "Exit codes: 0 the versions state the same, 1 they differ, 2 an error.",
    )
    diff.add_argument(
        "versions",
        nargs="+",
        metavar="VERSION",
        help="two snapshots (platform@version platform@version), or a platform for its latest two versions",
    )
    diff.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="the output form (default: text)"
    )
    snapshots_folder(diff)
    diff.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print what changed between two versions; exit 0 when they state the same, 1 when they differ."""
    from policyproof.history.diff import diff  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.history.versions import backwards, pick  # noqa: PLC0415
    from policyproof.report.diff import RENDERERS  # noqa: PLC0415

    old, new = pick(snapshots(args), args.versions)
    if warning := backwards(old, new):
        print(warning, file=sys.stderr)
    changes = diff(old, new)
    print(clean(RENDERERS[args.format](changes)), end="")
    return EXIT_OK if changes.identical else EXIT_FAILED
