"""``policyproof synth``: write synthetic evidence with planted breaches and their truth."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK, policy, which_policy

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    synth = commands.add_parser(
        "synth",
        help="write synthetic evidence with planted breaches and a truth.json",
        description="Write synthetic evidence (tables members, settings and uses, as schemas/evidence.md describes "
        "them) of the policy --snapshot or --platform names, every use one it allows, plus --breaches planted "
        "breaches of each reason it can produce, listed in truth.json: `policyproof audit` with the same --snapshot "
        "or --platform finds exactly those.",
    )
    synth.add_argument("--out", required=True, type=Path, metavar="DIR", help="the evidence folder to write")
    synth.add_argument(
        "--members", required=True, type=int, metavar="N", help="how many members, besides the planted ones"
    )
    synth.add_argument("--uses", required=True, type=int, metavar="M", help="how many uses, besides the planted ones")
    synth.add_argument("--seed", type=int, default=0, metavar="S", help="the random seed (default: 0)")
    synth.add_argument("--breaches", type=int, default=10, metavar="K", help="planted breaches a reason (default: 10)")
    synth.add_argument(
        "--partition-by",
        choices=("day",),
        help="write the uses as uses/date=YYYY-MM-DD/*.parquet, one folder a day (default: one uses.parquet)",
    )
    which_policy(synth, writes=True)
    synth.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write synthetic evidence with planted breaches and their truth."""
    from policyproof.audit.synth import synthesise  # noqa: PLC0415 (keeps `policyproof --help` fast)

    result = synthesise(
        policy(args),
        args.out,
        members=args.members,
        uses=args.uses,
        seed=args.seed,
        per_reason=args.breaches,
        by_day=args.partition_by == "day",
    )
    print(
        f"wrote {result.members} members and {result.uses} uses to {args.out}, {len(result.planted)} planted breaches"
    )
    if result.impossible:
        print(f"the policy cannot be breached for: {', '.join(result.impossible)} (none planted)")
    return EXIT_OK
