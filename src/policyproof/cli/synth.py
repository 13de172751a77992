"""``policyproof synth``: write synthetic evidence with planted breaches and their truth."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK, policy, which_policy
from policyproof.exceptions import UsageError

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    synth = commands.add_parser("synth", help="write synthetic evidence with planted breaches and a truth.json")
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
    which_policy(synth)
    synth.set_defaults(run=run)


def _check_counts(args: argparse.Namespace) -> None:
    """The counts must be able to make evidence the audit reads."""
    if min(args.members, args.uses, args.breaches) < 0:
        raise UsageError("--members, --uses and --breaches count rows: give 0 or more")
    if args.uses and not args.members:
        raise UsageError(f"--uses {args.uses} needs members whose data they use: give --members 1 or more")
    if not args.uses and not args.breaches:
        raise UsageError("--uses 0 and --breaches 0 would write no use, which the audit refuses: give one of them")


def run(args: argparse.Namespace) -> int:
    """Write synthetic evidence with planted breaches and their truth."""
    from policyproof.audit.synth import synthesise  # noqa: PLC0415 (keeps `policyproof --help` fast)

    _check_counts(args)
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
