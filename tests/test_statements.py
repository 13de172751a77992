"""What a policy states, states not, and does not say: silence is never read as a use or as a promise kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.engine import checks
from policyproof.engine.answers import Coverage, Decision, Reason
from policyproof.engine.decisions import decide
from policyproof.engine.member import Member, SettingChange
from policyproof.snapshot.loader import link_versions, load_snapshots
from policyproof.snapshot.regions import Place

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

STATEMENTS = Path(__file__).parent / "data" / "statements"
ON = dt.date(2025, 2, 1)


@pytest.fixture(scope="module")
def versions() -> list[Snapshot]:
    """The two Acme versions, linked: the first is superseded on 2025-07-01."""
    return load_snapshots([STATEMENTS], STATEMENTS.parent.parent.parent)


@pytest.fixture(scope="module")
def acme(versions: list[Snapshot]) -> Snapshot:
    """The first Acme version."""
    return versions[0]


def ask(
    snapshot: Snapshot, country: str, data: str = "public posts", purpose: str = "AI training", **kwargs: object
) -> Decision:
    """The decision for a member in a country (ISO code), on ``on`` (default 2025-02-01)."""
    on = kwargs.pop("on", ON)
    assert isinstance(on, dt.date)
    member = Member(Place(country, country, None), **kwargs)  # type: ignore[arg-type]
    return decide(snapshot, member, data, purpose, on)


def test_a_region_the_purpose_is_stated_not_to_reach_is_not_active(acme: Snapshot) -> None:
    """The EU is listed under not_active_in: not used, citing that entry's line and sources."""
    decision = ask(acme, "DE")
    assert (decision.used, decision.reason) == (False, Reason.NOT_ACTIVE)
    assert decision.explanation == "the policy states that AI training does not apply in Europe (EU)"
    line = (STATEMENTS / "acme@2025-01-01.yaml").read_text().splitlines().index("      - regions: [EU]") + 1
    assert decision.rule_location == f"tests/data/statements/acme@2025-01-01.yaml:{line}"
    assert decision.sources == ("acme-notice",)


def test_a_region_the_documents_are_silent_on_is_not_stated_citing_them(acme: Snapshot) -> None:
    """The rest of the world is recorded under silent_in: the policy does not say, citing the documents read."""
    decision = ask(acme, "BR")
    assert (decision.used, decision.reason, decision.stated) == (None, Reason.NOT_STATED, False)
    assert decision.explanation == "the policy does not say whether AI training applies in Rest of the world (ROW)"
    assert (decision.coverage, decision.documents) == (Coverage.SILENT, ("acme-notice",))
    line = (STATEMENTS / "acme@2025-01-01.yaml").read_text().splitlines().index("      - regions: [ROW]") + 1
    assert decision.rule_location == f"tests/data/statements/acme@2025-01-01.yaml:{line}"


def test_a_region_no_entry_names_is_not_covered(acme: Snapshot) -> None:
    """Ads in the rest of the world: no rule, not_active_in or silent_in entry, so the snapshot has not looked."""
    decision = ask(acme, "BR", purpose="ads")
    assert (decision.used, decision.reason, decision.coverage) == (None, Reason.NOT_STATED, Coverage.NOT_COVERED)
    assert decision.explanation == (
        "this snapshot does not record what the policy says of ads in Rest of the world (ROW) (not covered)"
    )
    assert (decision.rule_location, decision.documents) == (None, ())


def test_what_a_rule_leaves_open_is_silence_of_the_documents(acme: Snapshot) -> None:
    """A category the rule neither uses nor excludes: the documents read were silent on it."""
    decision = ask(acme, "US", "salary data")
    assert (decision.coverage, decision.documents) == (Coverage.SILENT, ("acme-notice",))


def test_what_a_rule_leaves_open_is_a_gap_where_no_document_was_read_in_full(acme: Snapshot) -> None:
    """Without documents read in full, what the sources cited do not say is a gap of the snapshot, not silence."""
    excerpts = dataclasses.replace(acme, documents=())
    decision = ask(excerpts, "US", "salary data")
    assert (decision.used, decision.reason) == (None, Reason.NOT_STATED)
    assert (decision.coverage, decision.documents) == (Coverage.NOT_COVERED, ())
    assert decision.explanation == (
        "the sources cited do not say whether it uses salary data for AI training in United States (US); it "
        "states that it uses public posts; this snapshot names no document read in full, so whether the policy "
        "says is not recorded"
    )
    before = ask(excerpts, "US", purpose="research")
    assert (before.reason, before.coverage, before.documents) == (Reason.NOT_STATED, Coverage.NOT_COVERED, ())


def test_a_definite_answer_outranks_what_the_policy_leaves_open(acme: Snapshot) -> None:
    """An opt-out, an excluded member or a late start settle the answer whatever the policy says of the category."""
    off = (SettingChange(dt.date(2025, 1, 15), turned_on=False, control="Use my data for AI"),)
    opted_out = ask(acme, "US", "salary data", settings=off)
    assert (opted_out.used, opted_out.reason) == (False, Reason.OPTED_OUT)
    assert opted_out.explanation == "the member turned off 'Use my data for AI' on 2025-01-15, by 2025-02-01"
    later = ask(acme, "US", "salary data", on=dt.date(2024, 12, 1))
    assert (later.used, later.reason) == (False, Reason.NOT_ACTIVE)
    minor = ask(acme, "GB", "salary data", age=15)
    assert (minor.used, minor.reason) == (False, Reason.NOT_COVERED)


def test_a_use_shown_only_by_a_date_is_open_before_it(acme: Snapshot) -> None:
    """``in_use_by``: before that date the policy does not say; from it the rule answers; an opt-out still counts."""
    before = ask(acme, "US", purpose="research")
    assert (before.used, before.reason, before.coverage) == (None, Reason.NOT_STATED, Coverage.SILENT)
    assert before.explanation == (
        "the policy does not say since when research applies in United States (US); the sources show it in use "
        "by 2025-03-01, after 2025-02-01"
    )
    after = ask(acme, "US", purpose="research", on=dt.date(2025, 3, 1))
    assert (after.used, after.reason) == (True, Reason.USED)
    off = (SettingChange(dt.date(2025, 1, 15), turned_on=False, control="Use my data for AI"),)
    opted_out = ask(acme, "US", purpose="research", settings=off)
    assert (opted_out.used, opted_out.reason) == (False, Reason.OPTED_OUT)
    excluded = ask(acme, "US", "private messages", purpose="research")
    assert (excluded.used, excluded.reason) == (False, Reason.EXCLUDED_CATEGORY)


def test_a_superseded_version_judges_no_purpose_even_one_it_does_not_describe(versions: list[Snapshot]) -> None:
    """After its successor takes over, a version answers not-in-force, whatever the purpose or category asked."""
    acme = versions[0]
    decision = ask(acme, "US", "a category nobody defines", "a purpose nobody defines", on=dt.date(2025, 8, 1))
    assert (decision.used, decision.reason) == (None, Reason.NOT_IN_FORCE)
    assert (
        decision.explanation
        == "acme@2025-01-01 is not in force on 2025-08-01: superseded by acme@2025-07-01 on 2025-07-01"
    )


def test_a_category_neither_used_nor_never_used_is_not_stated(acme: Snapshot) -> None:
    """Salary data as a whole is not stated; only salary data attributable to a member is never used."""
    whole = ask(acme, "US", "salary data")
    assert (whole.used, whole.reason) == (None, Reason.NOT_STATED)
    assert whole.explanation == (
        "the policy does not say whether it uses salary data for AI training in United States (US); "
        "it states that it uses public posts"
    )
    narrow = ask(acme, "US", "salary data attributable to a member")
    assert (narrow.used, narrow.reason) == (False, Reason.EXCLUDED_CATEGORY)


def test_a_rule_that_states_it_uses_nothing_else_leaves_other_categories_not_covered(acme: Snapshot) -> None:
    """With other_categories: not-used, a category outside the used ones is stated not used."""
    decision = ask(acme, "GB", "private messages")
    assert (decision.used, decision.reason) == (False, Reason.NOT_COVERED)
    assert (
        decision.explanation
        == "the policy uses only public posts for AI training in United Kingdom (UK), not private messages"
    )


@pytest.mark.parametrize(
    ("country", "age", "believed", "used", "reason", "why"),
    [
        (
            "US",
            None,
            True,
            None,
            Reason.NOT_STATED,
            "the policy does not say whether members under 18 are excluded from AI training in United States (US)",
        ),
        (
            "US",
            17,
            False,
            None,
            Reason.NOT_STATED,
            "the policy does not say whether members under 18 are excluded from AI training in United States (US)",
        ),
        ("US", 18, False, True, Reason.USED, None),
        ("GB", 15, False, False, Reason.EXCLUDED_MEMBER, "the member is 15, younger than the age limit of 16"),
        (
            "GB",
            17,
            False,
            False,
            Reason.EXCLUDED_MEMBER,
            "the member is 17, and members known to be under 18 are excluded",
        ),
    ],
)
def test_exclusions_are_used_only_as_stated(
    acme: Snapshot, country: str, age: int | None, *, believed: bool, used: bool | None, reason: Reason, why: str | None
) -> None:
    """A minor is excluded where the policy says so, used where it says they are not excluded, and not stated elsewhere."""
    decision = ask(acme, country, age=age, believed_under_18=believed)
    assert (decision.used, decision.reason) == (used, reason)
    if why is not None:
        assert decision.explanation == why


def test_an_age_limit_without_a_word_on_believed_minors_leaves_them_not_stated(acme: Snapshot) -> None:
    """Ads exclude members under 18 by age and state that believed minors are not excluded, so both are settled."""
    known = ask(acme, "US", purpose="ads", age=17)
    assert (known.used, known.reason) == (False, Reason.EXCLUDED_MEMBER)
    believed = ask(acme, "US", purpose="ads", believed_under_18=True)
    assert (believed.used, believed.reason) == (False, Reason.NO_CONSENT)


def test_a_later_opt_out_leaves_an_earlier_use_not_stated_where_the_effect_is_not_stated(acme: Snapshot) -> None:
    """The US rule does not say whether opting out removes data already used; where a rule does, the data is to go."""
    change = SettingChange(ON + dt.timedelta(days=5), False, control="Use my data for AI")
    decision = ask(acme, "US", settings=(change,))
    assert (decision.used, decision.reason) == (None, Reason.NOT_STATED)
    assert decision.explanation == (
        "the member opted out on 2025-02-06, after 2025-02-01, and the policy does not say whether opting out of "
        "AI training removes data already used"
    )
    retroactive = ask(acme, "GB", settings=(change,))
    assert (retroactive.used, retroactive.reason) == (True, Reason.TO_REMOVE)


def test_a_use_after_a_rule_ended_is_not_active_and_a_use_before_carries_its_conditions(acme: Snapshot) -> None:
    """The UK rule ends on 2025-03-31 (a suspension); a use within it states its conditions."""
    during = ask(acme, "GB", on=dt.date(2025, 3, 31))
    assert during.used is True
    assert during.explanation.endswith("; the policy states this limit: only posts shared publicly")
    after = ask(acme, "GB", on=dt.date(2025, 4, 1))
    assert (after.used, after.reason) == (False, Reason.NOT_ACTIVE)
    assert after.explanation == "AI training applies in United Kingdom (UK) only until 2025-03-31, before 2025-04-01"


def test_a_superseded_version_does_not_judge_later_dates(versions: list[Snapshot]) -> None:
    """From the next version's effective date on, the first version is not in force; before it, it is."""
    first, second = versions
    assert first.successor is not None
    assert (first.successor.id, second.successor) == ("acme@2025-07-01", None)
    late = ask(first, "US", on=dt.date(2025, 7, 1))
    assert (late.used, late.reason, late.stated) == (None, Reason.NOT_IN_FORCE, False)
    assert (
        late.explanation == "acme@2025-01-01 is not in force on 2025-07-01: superseded by acme@2025-07-01 on 2025-07-01"
    )
    assert ask(first, "US", on=dt.date(2025, 6, 30)).used is True
    assert ask(second, "US", on=dt.date(2025, 7, 1)).used is True
    assert [first.in_force_on(dt.date(2025, 6, 30)), first.in_force_on(dt.date(2025, 7, 1))] == [True, False]


def test_checks_tell_a_stated_absence_from_silence(acme: Snapshot) -> None:
    """Promises about a snapshot as a whole: not applicable where stated not to apply, unknown where silent."""
    purpose = acme.find_purpose("AI training")
    eu = checks.can_be_turned_off(acme, purpose, "EU")
    assert (eu.holds, eu.stated) == (None, True)
    row = checks.can_be_turned_off(acme, purpose, "ROW")
    assert (row.holds, row.stated, row.explanation) == (
        None,
        False,
        "the policy does not say whether AI training applies in Rest of the world (ROW)",
    )
    us = checks.opt_out_is_retroactive(acme, purpose, "US")
    assert (us.holds, us.stated) == (None, False)
    salary = [acme.find_category("salary data")]
    never = checks.never_used(acme, purpose, "US", salary)
    assert (never.holds, never.stated) == (None, False)
    assert (
        never.explanation == "the policy does not say whether it uses salary data for AI training in United States (US)"
    )
    posts = checks.never_used(acme, purpose, "US", [acme.find_category("public posts"), *salary])
    assert (posts.holds, posts.explanation) == (
        False,
        "the policy states that it uses public posts for AI training in United States (US)",
    )
    uk = checks.never_used(acme, purpose, "UK", salary)
    assert (uk.holds, uk.stated) == (True, True)


def test_a_missing_legal_basis_fails_only_where_the_documents_read_in_full_are_named(acme: Snapshot) -> None:
    """A rule with no legal basis fails where the documents read in full are named, else it is not covered."""
    purpose = acme.find_purpose("AI training")
    read = checks.has_legal_basis(acme, purpose, "US")
    assert (read.holds, read.stated, read.coverage) == (False, True, None)
    assert read.explanation == "no source states a legal basis for AI training in United States (US)"
    unread = checks.has_legal_basis(dataclasses.replace(acme, documents=()), purpose, "US")
    assert (unread.holds, unread.stated, unread.coverage, unread.documents) == (None, False, Coverage.NOT_COVERED, ())
    assert unread.explanation == (
        "this snapshot names no documents read in full, so it does not record whether the policy states a legal "
        "basis for AI training in United States (US) (not covered)"
    )
    assert (unread.rule_location, unread.sources) == (read.rule_location, read.sources)


def test_linking_no_snapshots_gives_none() -> None:
    """An empty snapshot folder links to an empty list (the run then says no snapshot is in force)."""
    assert link_versions([]) == []


def test_a_category_used_through_a_wider_one_is_named_with_it(acme: Snapshot) -> None:
    """A never-used promise broken by a wider category's use says which category the policy states it uses."""
    purpose = acme.find_purpose("ads")
    verdict = checks.never_used(acme, purpose, "US", [acme.find_category("private messages")])
    assert (verdict.holds, verdict.explanation) == (
        False,
        "the policy states that it uses member data (which covers private messages) for ads in United States (US)",
    )
