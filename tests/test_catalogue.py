"""The step catalogue: each phrasing declared once, its display text and its pattern made from it."""

from __future__ import annotations

import re

import pytest

from policyproof.guarantees import catalogue
from policyproof.guarantees.catalogue import compile_phrasing, step


def test_a_phrasing_reads_as_its_first_choice_and_matches_every_choice() -> None:
    """A [choice|other] shows its first choice and the pattern takes either."""

    @step("Then", "[it is|they are] not used because <reason>", "they are not used because the member opted out")
    def because(cases: object, reason: str) -> None:
        """Not used, for a reason."""

    assert because.line == "Then it is not used because <reason>"
    found = because.pattern.fullmatch("It is not used because the category is excluded")
    assert found is not None
    assert found.groupdict() == {"reason": "the category is excluded"}


def test_the_words_in_angle_brackets_fill_the_functions_parameters_in_order() -> None:
    """Each word in angle brackets is a group named after the function's next parameter, quoted ones without quotes."""
    shown, pattern = compile_phrasing('the member turned off "<control label>" <when>', ["control", "date"])
    assert shown == 'the member turned off "<control label>" <when>'
    found = re.fullmatch(pattern, 'the member turned off "Ads" 30 days after the policy takes effect')
    assert found is not None
    assert found.groupdict() == {"control": "Ads", "date": "30 days after the policy takes effect"}
    assert re.fullmatch(pattern, 'the member turned off "Ads" on 1st December 2025') is None


def test_a_number_is_digits_and_an_age_at_most_three() -> None:
    """<n> matches digits only, and an age at most three of them."""
    age = catalogue.named("member_age")
    assert age.pattern.fullmatch("the member is 1 year old") is not None
    assert age.pattern.fullmatch("the member is 1000 years old") is None
    days = catalogue.named("announced_ahead")
    assert days.pattern.fullmatch("ads was announced at least 1000 days before it took effect") is not None
    assert days.pattern.fullmatch("ads was announced at least many days before it took effect") is None


@pytest.mark.parametrize(
    ("phrasing", "message"),
    [
        ("a member in <place> on <when>", "'a member in <place> on <when>' has more words in angle brackets"),
        ("a member", "'a member' has fewer words in angle brackets than its function has parameters"),
    ],
)
def test_a_phrasing_whose_words_do_not_fill_the_parameters_is_refused(phrasing: str, message: str) -> None:
    """A declaration with more or fewer words than its function takes fails where it is written."""
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        compile_phrasing(phrasing, ["place"])


def test_an_example_that_does_not_match_its_phrasing_is_refused() -> None:
    """A declaration whose example its own phrasing does not match fails where it is written."""
    with pytest.raises(ValueError, match=r"the example 'a member in' does not match the pattern of 'Given a member"):

        @step("Given", "a member in <place>", "a member in")
        def member_in(cases: object, place: str) -> None:
            """A member in one place."""


def test_the_catalogue_is_built_from_the_step_modules_in_their_order() -> None:
    """The catalogue holds each declared phrasing once, the scope's steps first and the evidence's last."""
    docs = catalogue.load()
    assert len({doc.name for doc in docs}) == len(docs)
    assert docs[0].name == "pinned_snapshot"
    assert docs[-1].name == "no_minor_used"
    assert catalogue.load() is docs
