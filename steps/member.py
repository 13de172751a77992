"""Steps that describe the member: where they are, their age, and the choices they made."""

from __future__ import annotations

from policyproof.cases import Case, parse_date
from policyproof.catalogue import step


@step("Given", "a member", r"a member", "a member")
def any_member(case: Case) -> None:
    """A member in each region group of the snapshot in turn: the scenario runs once per region group."""
    case.new_member()


@step("Given", "a member in <place>", r"a member in (?P<place>.+)", "a member in Norway")
def member_in(case: Case, place: str) -> None:
    """A member in one place; the scenario runs only in that place's region group.

    The place is a country name ("Norway", "the United Kingdom"), an ISO 3166 code ("NO") or a region
    group id ("EEA").
    """
    case.new_member(case.place(place))


@step(
    "Given", "the member is <n> years old", r"the member is (?P<age>\d{1,3}) years? old", "the member is 17 years old"
)
def member_age(case: Case, age: str) -> None:
    """The member's age, as the platform knows it."""
    case.set_age(int(age))


@step(
    "Given",
    "the member is believed to be under 18",
    r"the member is believed to be under 18",
    "the member is believed to be under 18",
)
def member_believed_minor(case: Case) -> None:
    """The platform believes the member could be under 18 (for example, they are in secondary school)."""
    case.believe_under_18()


@step(
    "Given",
    'the member turned off "<control label>" on <date>',
    r'the member turned off "(?P<control>[^"]+)" on (?P<date>.+)',
    'the member turned off "Data for Generative AI Improvement" on 2025-10-01',
)
def turned_off(case: Case, control: str, date: str) -> None:
    """The member turned off a setting on a date.

    The choice carries across snapshot versions that have a control with the same label.
    """
    case.change_control(control, parse_date(date), turned_on=False)


@step(
    "Given",
    'the member turned on "<control label>" on <date>',
    r'the member turned on "(?P<control>[^"]+)" on (?P<date>.+)',
    'the member turned on "Data for Generative AI Improvement" on 2025-12-15',
)
def turned_on(case: Case, control: str, date: str) -> None:
    """The member turned a setting on (back on, or on for a purpose that is off by default) on a date."""
    case.change_control(control, parse_date(date), turned_on=True)


@step(
    "Given",
    'the member sends the "<signal label>" signal from <date>',
    r'the member sends the "(?P<signal>[^"]+)" signal from (?P<date>.+)',
    'the member sends the "Global Privacy Control" signal from 2025-11-10',
)
def sends_signal(case: Case, signal: str, date: str) -> None:
    """The member's browser or device sends an opt-out signal, such as Global Privacy Control, from a date."""
    case.change_control(signal, parse_date(date), turned_on=False, kind="signal")


@step(
    "Given",
    "the member opted out of <purpose label> on <date>",
    r"the member opted out of (?P<purpose>.+) on (?P<date>[^ ]+( [A-Za-z]+ \d{4})?)",
    "the member opted out of generative AI training on 2025-10-01",
)
def opted_out(case: Case, purpose: str, date: str) -> None:
    """The member opted out of a whole purpose on a date, by whichever control the snapshot offers."""
    case.opt_out_of(purpose, parse_date(date))


@step(
    "Given",
    'the member filed the "<form label>" on <date>',
    r'the member filed the "(?P<form>[^"]+)" on (?P<date>.+)',
    'the member filed the "Data Processing Objection Form" on 2025-11-10',
)
def filed_form(case: Case, form: str, date: str) -> None:
    """The member objected through a form on a date; like turning a setting off, it stops use from then on."""
    case.change_control(form, parse_date(date), turned_on=False, kind="form")
