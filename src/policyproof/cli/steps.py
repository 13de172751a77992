"""``policyproof steps``: the step catalogue for writing guarantees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    steps = commands.add_parser("steps", help="print the step catalogue for writing guarantees, as Markdown")
    steps.set_defaults(run=run)


def run(_: argparse.Namespace) -> int:
    """Print the step catalogue as Markdown."""
    from policyproof.guarantees import catalogue  # noqa: PLC0415 (imports pytest-bdd, which `check` must let pytest load)

    catalogue.load()
    print(catalogue.markdown(), end="")
    return EXIT_OK
