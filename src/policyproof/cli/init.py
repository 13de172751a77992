"""``policyproof init``: start a project that checks guarantees."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    init = commands.add_parser(
        "init",
        help="start a project that checks guarantees: pytest settings, a guarantee, a snapshot, pre-commit, CI",
        description="Write a working project into DIR. Exit codes: 0 written, 2 a file exists already "
        "(nothing is written) or another usage error.",
    )
    init.add_argument("folder", nargs="?", type=Path, default=Path(), metavar="DIR", help="where (default: here)")
    init.add_argument("--force", action="store_true", help="write over files that exist already")
    init.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write a new project: pytest settings, a guarantee, a snapshot, waivers, pre-commit and CI."""
    from policyproof.starter.project import write_project  # noqa: PLC0415 (keeps `policyproof --help` fast)

    for path in write_project(args.folder, force=args.force):
        print(f"wrote {path.as_posix()}")
    here = args.folder.resolve() == Path.cwd().resolve()
    print("next: pytest" if here else f"next: cd {args.folder.as_posix()} && pytest")
    return EXIT_OK
