"""``policyproof compare``: the platforms side by side, as the versions in force on a date answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK, snapshots, snapshots_folder
from policyproof.untrusted import clean
from policyproof.wording import parse_date

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    side = commands.add_parser(
        "compare",
        help="set the platforms side by side: who uses member data for what, where, and how to stop it",
        description="Each platform's answer as the version in force on the date states it, for a member in each "
        "place, per purpose, each answer with its rule (file:line) and sources. Exit codes: 0, or 2 an error.",
    )
    side.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="PLACE",
        help="a region group id, a country or the EU/EEA (repeatable; default: EEA, UK, US)",
    )
    side.add_argument("--as-of", metavar="DATE", help="the date whose versions answer, YYYY-MM-DD (default: today)")
    side.add_argument("--format", choices=("md", "json", "html"), default="md", help="the output form (default: md)")
    snapshots_folder(side)
    side.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the platforms side by side, as the versions in force on the date answer for each place."""
    from policyproof.report.compare import DEFAULT_PLACES, compare  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.report.comparison import RENDERERS  # noqa: PLC0415

    on = parse_date(args.as_of) if args.as_of else None
    print(clean(RENDERERS[args.format](compare(snapshots(args), args.region or DEFAULT_PLACES, on))), end="")
    return EXIT_OK
