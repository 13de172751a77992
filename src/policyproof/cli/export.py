"""``policyproof export``: write a snapshot in another tool's form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK, one_snapshot, snapshots_folder

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    export = commands.add_parser(
        "export",
        help="write a snapshot in another tool's form: a Fides policy of what it never uses or excludes",
        description="Write SNAPSHOT as a fideslang policy manifest: per region group, rules matching what the "
        "snapshot says is never used or excluded.",
    )
    export.add_argument("format", choices=("fides",), help="the form to write")
    export.add_argument("snapshot", metavar="SNAPSHOT", help="the snapshot, platform@version")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: print it)")
    snapshots_folder(export)
    export.set_defaults(run=run, platform=None)


def run(args: argparse.Namespace) -> int:
    """Write a snapshot as a Fides policy: per region group, what it never uses or excludes."""
    from policyproof.fides.policy import fides_policy, manifest  # noqa: PLC0415 (keeps `policyproof --help` fast)

    text = manifest(fides_policy(one_snapshot(args)))
    if args.out is None:
        print(text, end="")
    else:
        from policyproof.files import write_atomic  # noqa: PLC0415

        write_atomic(args.out, text)
        print(f"wrote {args.out.as_posix()}")
    return EXIT_OK
