"""A case's member: where the scenario runs, where the member is, their age and the choices they made."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from policyproof.engine.decisions import region_of
from policyproof.engine.member import Member, SettingChange
from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import findings, labels
from policyproof.guarantees.endings import NotApplicable
from policyproof.snapshot.regions import Place, parse_place

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Case
    from policyproof.wording import When


def pin_snapshot(case: Case, snapshot_id: str) -> None:
    """The scenario is about this snapshot; collection runs it nowhere else, and this checks it."""
    if case.cell.snapshot != snapshot_id:
        raise PolicyproofError(f"this scenario pins {snapshot_id} but runs against {case.cell.snapshot}")


def pin_platform(case: Case, platform: str) -> None:
    """The scenario is about this platform's snapshots; collection runs it nowhere else, and this checks it."""
    if case.snapshot.platform != platform.casefold():
        raise PolicyproofError(f"this scenario pins the platform {platform} but runs against {case.cell.snapshot}")


def new_member(case: Case, place: Place | None = None) -> None:
    """A member in the cell's region group, or at a place (which pins the scenario there)."""
    case.member = Member(place or Place(case.cell.region, None, case.cell.region))


def member_in(case: Case, text: str) -> None:
    """A member at a place as the reviewer wrote it, checked against ISO 3166 and the region groups."""
    new_member(case, parse_place(text, case.scope.group_ids))


def the_member(case: Case) -> Member:
    """The member of the case; steps about them need one first."""
    if case.member is None:
        raise PolicyproofError("no member yet; start the scenario with 'Given a member' or 'Given a member in <place>'")
    return case.member


def set_age(case: Case, age: int) -> None:
    """The member's age, as the platform knows it."""
    case.member = replace(the_member(case), age=age)


def believe_under_18(case: Case) -> None:
    """The platform believes the member could be under 18."""
    case.member = replace(the_member(case), believed_under_18=True)


def change_control(case: Case, label: str, when: When, *, turned_on: bool, kind: str | None = None) -> None:
    """The member turned a control off or on (sent a signal) on a date."""
    on = when.on(case.snapshot.effective)
    control = labels.control(case, label)
    if kind is not None and control.kind != kind:
        raise PolicyproofError(f"'{control.label}' is a {control.kind}, not a {kind}")
    case.member = the_member(case).with_change(SettingChange.of_control(on, turned_on, control))
    case.changed_at.setdefault(control.label, case.step)


def opt_out_of(case: Case, label: str, when: When) -> None:
    """The member opted out of a whole purpose on a date, by whatever control it has.

    Where the rule in the member's region names no control, there is no opt-out to honour: the cell does
    not apply (whether a control should exist is G-CAN-TURN-OFF's promise, not this one's).
    """
    on = when.on(case.snapshot.effective)
    purpose = labels.purpose(case, label)
    group = region_of(case.snapshot, the_member(case))
    rule = case.snapshot.rule_for(purpose.id, group.id)
    if rule is not None and not rule.controls:
        raise NotApplicable(findings.no_opt_out(case.snapshot, purpose, group, rule))
    case.member = the_member(case).with_change(SettingChange(on, False, purpose=purpose.label))
