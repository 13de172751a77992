"""Steps that describe the member: where they are, their age, and the choices they made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees import members
from policyproof.guarantees.catalogue import step
from policyproof.wording import parse_when

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Cases


@step("Given", "a member", "a member")
def any_member(cases: Cases) -> None:
    """A member in each region group of the snapshot: the scenario is checked once for each region group."""
    cases.each(members.new_member)


@step("Given", "a member in <place>", "a member in Norway")
def member_in(cases: Cases, place: str) -> None:
    """A member in one place; the scenario runs only in that place's region group.

    The place is a country name ("Norway", "the United Kingdom"), an ISO 3166 code ("NO") or a region
    group id ("EEA").
    """
    cases.each(members.member_in, place)


@step("Given", "the member is <n> [years|year] old", "the member is 17 years old")
def member_age(cases: Cases, age: str) -> None:
    """The member's age, as the platform knows it."""
    cases.each(members.set_age, int(age))


@step("Given", "the member is believed to be under 18", "the member is believed to be under 18")
def member_believed_minor(cases: Cases) -> None:
    """The platform believes the member could be under 18 (for example, they are in secondary school)."""
    cases.each(members.believe_under_18)


@step(
    "Given",
    'the member turned off "<control label>" <when>',
    'the member turned off "Data for Generative AI Improvement" on 2025-10-01',
)
def turned_off(cases: Cases, control: str, date: str) -> None:
    """The member turned off a setting on a date.

    The choice carries across snapshot versions that have a control with the same label.
    """
    cases.each(members.change_control, control, parse_when(date), turned_on=False)


@step(
    "Given",
    'the member turned on "<control label>" <when>',
    'the member turned on "Data for Generative AI Improvement" on 2025-12-15',
)
def turned_on(cases: Cases, control: str, date: str) -> None:
    """The member turned a setting on (back on, or on for a purpose that is off by default) on a date."""
    cases.each(members.change_control, control, parse_when(date), turned_on=True)


@step(
    "Given",
    'the member sends the "<signal label>" signal from <date>',
    'the member sends the "Global Privacy Control" signal from 2025-11-10',
)
def sends_signal(cases: Cases, signal: str, date: str) -> None:
    """The member's browser or device sends an opt-out signal, such as Global Privacy Control, from a date."""
    cases.each(members.change_control, signal, parse_when(date), turned_on=False, kind="signal")


@step(
    "Given",
    "the member opted out of <purpose label> <when>",
    "the member opted out of generative AI training on 2025-10-01",
)
def opted_out(cases: Cases, purpose: str, date: str) -> None:
    """The member opted out of a whole purpose on a date, by whichever control the snapshot offers."""
    cases.each(members.opt_out_of, purpose, parse_when(date))


@step(
    "Given",
    'the member filed the "<form label>" <when>',
    'the member filed the "Data Processing Objection Form" on 2025-11-10',
)
def filed_form(cases: Cases, form: str, date: str) -> None:
    """The member objected through a form on a date; like turning a setting off, it stops use from then on."""
    cases.each(members.change_control, form, parse_when(date), turned_on=False, kind="form")
