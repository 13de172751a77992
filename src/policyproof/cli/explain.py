"""``policyproof explain``: decide one question and say why."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from policyproof.cli.common import EXIT_OK, snapshots, snapshots_folder
from policyproof.engine.decisions import decide
from policyproof.engine.explain import render_decision, unrelated_controls
from policyproof.engine.member import Member, SettingChange
from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.regions import parse_place
from policyproof.untrusted import clean
from policyproof.wording import parse_date, parse_dated

if TYPE_CHECKING:
    import argparse

    from policyproof.cli.common import Commands
    from policyproof.snapshot.model import Snapshot


def add(commands: Commands) -> None:
    """The command's options."""
    explain = commands.add_parser("explain", help="decide one question and print why")
    explain.add_argument("--snapshot", required=True, metavar="ID", help="the snapshot, platform@version")
    explain.add_argument("--place", required=True, help="a country name or ISO code, or a region group id")
    explain.add_argument("--data", required=True, metavar="CATEGORY", help="a data category label")
    explain.add_argument("--purpose", required=True, help="a purpose label")
    explain.add_argument("--on", required=True, metavar="DATE", help="the date of the use, YYYY-MM-DD")
    explain.add_argument("--age", type=int, help="the member's age, as the platform knows it")
    explain.add_argument("--believed-under-18", action="store_true", help="the platform believes the member is a minor")
    for flag, metavar, help_text in (
        ("--turned-off", "CONTROL@DATE", "the member turned this control off on this date (repeatable)"),
        ("--turned-on", "CONTROL@DATE", "the member turned this control on on this date (repeatable)"),
        ("--opted-out", "PURPOSE@DATE", "the member opted out of this purpose on this date (repeatable)"),
    ):
        explain.add_argument(flag, action="append", default=[], metavar=metavar, help=help_text)
    snapshots_folder(explain)
    explain.set_defaults(run=run)


def _member(snapshot: Snapshot, args: argparse.Namespace) -> Member:
    """The member the question is about: where they are, their age, and the settings they changed."""
    member = Member(
        parse_place(args.place, frozenset(g.id for g in snapshot.region_groups)), args.age, args.believed_under_18
    )
    for text, turned_on in [(t, False) for t in args.turned_off] + [(t, True) for t in args.turned_on]:
        label, date = parse_dated(text)
        member = member.with_change(SettingChange.of_control(date, turned_on, snapshot.find_control(label)))
    for text in args.opted_out:
        label, date = parse_dated(text)
        member = member.with_change(SettingChange(date, False, purpose=snapshot.find_purpose(label).label))
    return member


def run(args: argparse.Namespace) -> int:
    """Print one decision, why it was made, the rule it came from and the sources that support it."""
    known = {s.id: s for s in snapshots(args)}
    if args.snapshot not in known:
        raise UnknownNameError("snapshot", args.snapshot, sorted(known))
    snapshot = known[args.snapshot]
    member = _member(snapshot, args)
    on = parse_date(args.on)
    decision = decide(snapshot, member, args.data, args.purpose, on)
    question = f"{args.data} for {args.purpose} on {on.isoformat()}"
    print(clean(render_decision(snapshot, decision, question, member.place.shown)))
    changed = [parse_dated(text)[0] for text in (*args.turned_off, *args.turned_on)]
    for warning in unrelated_controls(snapshot, decision, changed):
        print(clean(warning), file=sys.stderr)
    return EXIT_OK
