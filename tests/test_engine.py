"""The decision engine: every reason code, its order, boundary dates, the hierarchy and setting timelines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyproof.engine.answers import Coverage, Reason
from policyproof.engine.decisions import decide
from policyproof.engine.member import Member, SettingChange
from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.regions import parse_place

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

GENAI = "generative AI training"
GENAI_SETTING = "Data for Generative AI Improvement"
DAY = dt.timedelta(days=1)
START = dt.date(2025, 11, 3)


def member_in(snapshot: Snapshot, place: str, **kwargs: object) -> Member:
    """A member at a place known to the snapshot."""
    return Member(parse_place(place, frozenset(g.id for g in snapshot.region_groups)), **kwargs)  # type: ignore[arg-type]


def off(control: str, on: dt.date) -> SettingChange:
    """Turning a control off on a date."""
    return SettingChange(on, False, control=control)


def test_default_on_purpose_uses_covered_data(linkedin_2025: Snapshot) -> None:
    """With nothing set, an opt-out purpose uses covered data, citing the rule and its sources."""
    decision = decide(linkedin_2025, member_in(linkedin_2025, "Norway"), "public posts", GENAI, START)
    assert decision.used
    assert decision.reason is Reason.USED
    assert decision.region == "EEA"
    lines = linkedin_2025.path.read_text().splitlines()
    line = lines.index("      - regions: [EEA]") + 1
    assert decision.rule_location == f"policy_snapshots/linkedin@2025-11-03.yaml:{line}"
    assert "irishlegalnews-2025" in decision.sources
    assert decision.explanation == (
        f"{GENAI} is on by default and the member has not turned off '{GENAI_SETTING}'; "
        "the policy states this limit: a reduction in the scope of the personal data it will use to train its "
        "models, both in terms of the personal data to be used and the time period from which it proposed to draw "
        "the data; the policy states this limit: filters to avoid the collection of potentially sensitive "
        "information shared on certain LinkedIn pages and groups, including trade union-related content; "
        "the policy states a use of member content, which covers public posts"
    )


def test_the_day_before_a_purpose_starts_it_is_not_active(linkedin_2025: Snapshot) -> None:
    """On the day before the rule's start date the purpose is not active; on the day itself it is."""
    norway = member_in(linkedin_2025, "Norway")
    before = decide(linkedin_2025, norway, "profile data", GENAI, START - DAY)
    assert (before.used, before.reason) == (False, Reason.NOT_ACTIVE)
    assert before.explanation == (
        f"{GENAI} applies in European Economic Area (EEA) only from 2025-11-03, after 2025-11-02"
    )
    assert decide(linkedin_2025, norway, "profile data", GENAI, START).used


def test_a_never_used_category_wins_over_everything_after_it(linkedin_2025: Snapshot) -> None:
    """A never-used category is excluded even for a member who turned the purpose on."""
    member = member_in(linkedin_2025, "US").with_change(SettingChange(START, True, control=GENAI_SETTING))
    decision = decide(linkedin_2025, member, "InMail", GENAI, START)
    assert decision.reason is Reason.EXCLUDED_CATEGORY
    assert decision.explanation == f"the policy never uses private messages for {GENAI}"


def test_a_descendant_of_a_used_category_is_covered(linkedin_2025: Snapshot) -> None:
    """Group messages fall under groups data, which the rule uses, so they are used."""
    assert decide(linkedin_2025, member_in(linkedin_2025, "US"), "group messages", GENAI, START).used


def test_a_category_outside_the_used_ones_is_not_stated(linkedin_2025: Snapshot) -> None:
    """Ad engagement is not among the data stated as used for generative AI training, nor stated as never used."""
    decision = decide(linkedin_2025, member_in(linkedin_2025, "US"), "ad engagement", GENAI, START)
    assert (decision.used, decision.reason) == (None, Reason.NOT_STATED)
    assert decision.explanation.startswith(
        f"the policy does not say whether it uses ad engagement for {GENAI} in United States (US); it states that it uses"
    )


@pytest.mark.parametrize(
    ("age", "believed", "used"),
    [(17, False, False), (18, False, True), (None, True, False), (40, True, False), (None, False, True)],
)
def test_members_believed_or_known_to_be_minors_are_excluded(
    linkedin_2025: Snapshot, age: int | None, *, believed: bool, used: bool
) -> None:
    """LinkedIn excludes members it believes, or knows, to be under 18; an 18-year-old is used."""
    member = member_in(linkedin_2025, "Canada", age=age, believed_under_18=believed)
    decision = decide(linkedin_2025, member, "profile data", GENAI, START)
    assert decision.used is used
    assert decision.reason is (Reason.USED if used else Reason.EXCLUDED_MEMBER)


def test_an_age_limit_excludes_younger_members(meta_2025: Snapshot) -> None:
    """Meta's rule excludes members younger than 18 by age."""
    decision = decide(meta_2025, member_in(meta_2025, "Germany", age=17), "public posts", GENAI, dt.date(2025, 6, 1))
    assert decision.reason is Reason.EXCLUDED_MEMBER
    assert decision.explanation == "the member is 17, younger than the age limit of 18"


def test_the_2024_sources_do_not_say_whether_minors_are_excluded(linkedin_2024: Snapshot) -> None:
    """The 2024 sources state no exclusion; none was read in full, so that is a gap of the snapshot, not silence."""
    member = member_in(linkedin_2024, "US", believed_under_18=True)
    decision = decide(linkedin_2024, member, "public posts", GENAI, dt.date(2024, 10, 1))
    assert (decision.used, decision.reason, decision.coverage) == (None, Reason.NOT_STATED, Coverage.NOT_COVERED)
    assert decision.explanation == (
        f"the sources cited do not say whether members under 18 are excluded from {GENAI} in United States (US); "
        "this snapshot names no document read in full, so whether the policy says is not recorded"
    )


def test_an_exclusion_left_open_without_documents_is_said_of_the_sources_cited(meta_2025: Snapshot) -> None:
    """Without documents read in full, what an age limit leaves open is not said to be unsaid by the policy."""
    excerpts = dataclasses.replace(meta_2025, documents=())
    member = member_in(excerpts, "Germany", believed_under_18=True)
    decision = decide(excerpts, member, "public posts", GENAI, dt.date(2025, 7, 1))
    assert (decision.reason, decision.coverage, decision.documents) == (Reason.NOT_STATED, Coverage.NOT_COVERED, ())
    assert decision.explanation == (
        f"the policy excludes members younger than 18 from {GENAI} in European Economic Area (EEA) but the sources "
        "cited do not say whether it excludes members it believes to be under 18; this snapshot names no document "
        "read in full, so whether the policy says is not recorded"
    )


def test_an_opt_out_on_or_before_the_date_is_honoured(linkedin_2025: Snapshot) -> None:
    """Turning the setting off on the very day of the use stops it."""
    member = member_in(linkedin_2025, "GB").with_change(off(GENAI_SETTING, START))
    decision = decide(linkedin_2025, member, "articles", GENAI, START)
    assert decision.reason is Reason.OPTED_OUT
    assert decision.explanation == f"the member turned off '{GENAI_SETTING}' on 2025-11-03, by 2025-11-03"


def test_a_prospective_opt_out_does_not_reach_earlier_uses(linkedin_2025: Snapshot) -> None:
    """Opting out later leaves a use dated before the opt-out used (LinkedIn's opt-out is prospective)."""
    member = member_in(linkedin_2025, "GB").with_change(off(GENAI_SETTING, START + 10 * DAY))
    assert decide(linkedin_2025, member, "articles", GENAI, START + 9 * DAY).used
    assert not decide(linkedin_2025, member, "articles", GENAI, START + 10 * DAY).used


def test_a_retroactive_opt_out_makes_an_earlier_use_data_to_remove(meta_2025: Snapshot) -> None:
    """Where a rule makes opting out retroactive, a use before a later opt-out was no breach, and its data is to go."""
    retro = meta_2025.purposes[0].rules[0]
    snapshot = _with_rule(meta_2025, retroactive=True)
    member = member_in(snapshot, "France").with_change(SettingChange(dt.date(2025, 7, 1), False, purpose=GENAI))
    decision = decide(snapshot, member, "comments", GENAI, dt.date(2025, 6, 1))
    assert not retro.retroactive
    assert (decision.used, decision.reason) == (True, Reason.TO_REMOVE)
    assert decision.explanation == (
        "the use on 2025-06-01 was no breach then; the member opted out on 2025-07-01, and opting out of "
        f"{GENAI} also removes data already used, so its data is to be removed; the policy states a use of "
        "public content, which covers comments"
    )


def test_consent_withdrawn_after_being_given_is_named_as_such(meta_2025: Snapshot) -> None:
    """Under a purpose off by default, turning a control off after turning it on is consent withdrawn."""
    snapshot = _with_rule(meta_2025, default_on=False)
    label = snapshot.controls[0].label
    member = (
        member_in(snapshot, "Italy")
        .with_change(SettingChange(dt.date(2025, 6, 1), True, control=label))
        .with_change(off(label, dt.date(2025, 6, 10)))
    )
    decision = decide(snapshot, member, "comments", GENAI, dt.date(2025, 6, 20))
    assert (decision.used, decision.reason) == (False, Reason.CONSENT_WITHDRAWN)
    assert decision.explanation == (
        f"the member withdrew the consent they had given to '{label}' on 2025-06-10, by 2025-06-20"
    )


def test_an_unknown_age_under_an_age_limit_is_left_open(meta_2025: Snapshot) -> None:
    """A member whose age is unknown is open under an age limit; a scenario's member of unstated age is an adult."""
    on = dt.date(2025, 6, 1)
    unknown = decide(meta_2025, member_in(meta_2025, "Germany", age_unknown=True), "public posts", GENAI, on)
    assert (unknown.used, unknown.reason) == (None, Reason.NOT_STATED)
    assert unknown.explanation == (
        f"the member's age is not known, and the policy excludes members younger than 18 from {GENAI} in "
        "European Economic Area (EEA)"
    )
    assert decide(meta_2025, member_in(meta_2025, "Germany"), "public posts", GENAI, on).used


@pytest.mark.parametrize("documents", [None, ()], ids=["documents-read", "excerpts-only"])
def test_an_unknown_age_is_neither_the_policys_silence_nor_a_gap_of_the_snapshot(
    meta_2025: Snapshot, documents: tuple[str, ...] | None
) -> None:
    """The policy states the age limit; the member's missing age leaves the answer open, whatever was read in full."""
    snapshot = meta_2025 if documents is None else dataclasses.replace(meta_2025, documents=documents)
    member = member_in(snapshot, "Germany", age_unknown=True)
    unknown = decide(snapshot, member, "public posts", GENAI, dt.date(2025, 6, 1))
    assert (unknown.used, unknown.reason, unknown.coverage, unknown.documents) == (None, Reason.NOT_STATED, None, ())
    assert unknown.explanation == (
        f"the member's age is not known, and the policy excludes members younger than 18 from {GENAI} in "
        "European Economic Area (EEA)"
    )


@pytest.mark.parametrize("written", ["off first", "on first"])
def test_of_two_changes_at_one_instant_the_opt_out_stands_whatever_the_order_written(
    linkedin_2025: Snapshot, written: str
) -> None:
    """A setting turned off and on at the same instant is off from then on, in whichever order the steps give them."""
    changes = [off(GENAI_SETTING, START), SettingChange(START, True, control=GENAI_SETTING)]
    member = member_in(linkedin_2025, "HK")
    for change in changes if written == "off first" else reversed(changes):
        member = member.with_change(change)
    assert [change.turned_on for change in member.settings] == [True, False]
    assert decide(linkedin_2025, member, "resumes", GENAI, START + DAY).reason is Reason.OPTED_OUT


def test_turning_back_on_after_an_opt_out_uses_again(linkedin_2025: Snapshot) -> None:
    """The latest choice on or before the date counts."""
    member = (
        member_in(linkedin_2025, "HK")
        .with_change(SettingChange(START + 5 * DAY, True, control=GENAI_SETTING))
        .with_change(off(GENAI_SETTING, START))
    )
    assert not decide(linkedin_2025, member, "resumes", GENAI, START + 4 * DAY).used
    decision = decide(linkedin_2025, member, "resumes", GENAI, START + 5 * DAY)
    assert (decision.used, decision.explanation) == (True, f"the member turned on '{GENAI_SETTING}' on 2025-11-08")


def test_an_opt_out_under_the_2024_policy_carries_over_to_2025(
    linkedin_2024: Snapshot, linkedin_2025: Snapshot
) -> None:
    """A setting turned off under one version is honoured by the next, which has the same control."""
    member = member_in(linkedin_2025, "US").with_change(off(GENAI_SETTING, dt.date(2024, 10, 1)))
    assert decide(linkedin_2024, member, "public posts", GENAI, dt.date(2024, 12, 1)).reason is Reason.OPTED_OUT
    assert decide(linkedin_2025, member, "public posts", GENAI, dt.date(2025, 12, 1)).reason is Reason.OPTED_OUT


def test_opting_out_of_a_purpose_by_name_is_honoured(linkedin_2025: Snapshot) -> None:
    """Opting out of a purpose counts whichever control the snapshot offers for it."""
    member = member_in(linkedin_2025, "Brazil").with_change(
        SettingChange(START, False, purpose="GENERATIVE AI TRAINING")
    )
    assert decide(linkedin_2025, member, "comments", GENAI, START).reason is Reason.OPTED_OUT


def test_a_setting_of_another_purpose_does_not_count(linkedin_2025: Snapshot) -> None:
    """Turning off ad sharing leaves generative AI training on."""
    member = member_in(linkedin_2025, "US").with_change(off("Share data with affiliates and partners", START))
    assert decide(linkedin_2025, member, "profile data", GENAI, START + DAY).used


def test_an_opt_in_purpose_without_consent_is_not_used(meta_2025: Snapshot) -> None:
    """A purpose off by default is not used until the member turns it on, then it is."""
    snapshot = _with_rule(meta_2025, default_on=False)
    member = member_in(snapshot, "Italy")
    assert decide(snapshot, member, "comments", GENAI, dt.date(2025, 6, 1)).reason is Reason.NO_CONSENT
    label = snapshot.controls[0].label
    consented = member.with_change(SettingChange(dt.date(2025, 6, 1), True, control=label))
    assert decide(snapshot, consented, "comments", GENAI, dt.date(2025, 6, 1)).used


@pytest.mark.parametrize(
    ("data", "purpose", "place", "kind"),
    [
        ("videos", GENAI, "US", "category"),
        ("public posts", "ads", "US", "purpose"),
        ("public posts", GENAI, "Mars", "place"),
    ],
)
def test_unknown_names_are_errors_naming_the_known_ones(
    linkedin_2025: Snapshot, data: str, purpose: str, place: str, kind: str
) -> None:
    """An unknown category, purpose or place is an error, not a decision."""

    def ask() -> None:
        decide(linkedin_2025, member_in(linkedin_2025, place), data, purpose, START)

    with pytest.raises(UnknownNameError, match=f"unknown {kind}"):
        ask()


def test_a_group_the_snapshot_lacks_is_an_unknown_region(meta_2025: Snapshot) -> None:
    """A region group of another snapshot (LinkedIn's US territories) is no region of Meta's."""
    member = Member(parse_place("US_TERR", frozenset({"US_TERR", "EEA", "ROW"})))
    with pytest.raises(
        UnknownNameError,
        match=r"unknown region 'US_TERR' in the region groups of meta@2025-05-27; did you mean 'EUR_OTHER'\?; "
        r"known: 'BR', 'CH', 'CROWN', 'EEA', 'EUR_OTHER', 'GB', 'OCT', 'ROW', 'SJ'$",
    ):
        decide(meta_2025, member, "public posts", GENAI, dt.date(2025, 6, 1))


def _with_rule(snapshot: Snapshot, **changes: object) -> Snapshot:
    """The snapshot with its first purpose's first rule changed, for rules no real snapshot has."""
    from dataclasses import replace  # noqa: PLC0415

    purpose = snapshot.purposes[0]
    rule = replace(purpose.rules[0], **changes)  # type: ignore[arg-type]
    return replace(snapshot, purposes=(replace(purpose, rules=(rule, *purpose.rules[1:])), *snapshot.purposes[1:]))


CHANGES = st.builds(
    SettingChange,
    on=st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)),
    turned_on=st.booleans(),
    control=st.sampled_from([GENAI_SETTING, "Share data with affiliates and partners", None]),
    purpose=st.sampled_from([None, GENAI]),
)


@given(
    place=st.sampled_from(["Norway", "CH", "GB", "Canada", "HK", "US", "Brazil"]),
    data=st.sampled_from(["public posts", "profile data", "resumes", "group messages", "comments", "private messages"]),
    age=st.none() | st.integers(13, 90),
    changes=st.lists(CHANGES, max_size=6),
    on=st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)),
)
def test_no_member_believed_under_18_is_ever_used(  # noqa: PLR0917 (hypothesis passes its draws by name)
    linkedin_2025: Snapshot, place: str, data: str, age: int | None, changes: list[SettingChange], on: dt.date
) -> None:
    """Whatever else is set, a member believed to be under 18 is never used where the rule excludes them."""
    member = member_in(linkedin_2025, place, age=age, believed_under_18=True)
    for change in changes:
        member = member.with_change(change)
    assert not decide(linkedin_2025, member, data, GENAI, on).used
