"""A reviewer's mistakes in a guarantee are refused at collection, every one of them, each with its line."""

from __future__ import annotations

import pytest

from policyproof.guarantees import catalogue

AS_OF = ("--as-of", "2025-06-01", "-p", "no:cacheprovider")


def feature(pytester: pytest.Pytester, text: str, name: str = "extra") -> None:
    """Add one feature file to the suite."""
    (pytester.path / "features" / f"{name}.feature").write_text(text)


def refused(result: pytest.RunResult) -> None:
    """Collection stopped and no guarantee ran."""
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    assert "Traceback" not in result.stdout.str()


def test_a_one_column_table_may_start_with_a_header_row(acme_suite: pytest.Pytester) -> None:
    """A first row `| category |` is a header, not a category: the guarantee checks the rows below it."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: With a header\n"
        "    Then these are never used for AI training:\n"
        "      | Category         |\n"
        "      | private messages |\n"
        "      | public posts     |\n",
    )
    result = acme_suite.runpytest(*AS_OF, "-k", "with_a_header")
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:4: Then these are never used for AI training:",
            "EU: Expected: never used for AI training: private messages, public posts. Decided: does not hold*",
            "ROW: Expected: never used for AI training: private messages, public posts. Decided: does not hold*",
            "2 cells: 2 failed",
        ]
    )
    assert "Category" not in result.stdout.str()


def test_a_misphrased_then_step_gets_then_phrasings(acme_suite: pytest.Pytester) -> None:
    """The closest phrasings of an undefined Then step are Then steps."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Typo\n    Given a member\n"
        "    When their public posts are considered for AI training on 2025-03-01\n"
        "    Then their posts are not used for AI training\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:6: undefined step: Then their posts are not used for AI training",
            "  closest phrasings: 'Then *'; 'Then *'; 'Then *'",
        ]
    )
    refused(result)


def test_suggestions_prefer_the_steps_own_keyword() -> None:
    """Of phrasings alike, those of the step's own keyword come first."""
    docs = catalogue.load()
    for keyword in ("Given", "When", "Then"):
        own = min(3, sum(doc.keyword == keyword for doc in docs))
        found = catalogue.suggest("the member is not used for AI training", keyword.casefold())
        assert [doc.keyword for doc in found][:own] == [keyword] * own


def test_the_right_words_under_the_wrong_keyword_suggest_them_first() -> None:
    """A step that has another keyword's words exactly is shown that phrasing first."""
    catalogue.load()
    found = catalogue.suggest("their posts are considered for AI training on 2025-03-01", "given")
    assert found[0].name == "considered"
    assert [doc.keyword for doc in found[1:]] == ["Given", "Given"]
