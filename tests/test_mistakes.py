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


def test_a_table_with_two_columns_is_refused_naming_its_line(acme_suite: pytest.Pytester) -> None:
    """A second column would be ignored, so a table of categories with two columns is a mistake, at its row."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Two columns\n"
        "    Then these are never used for AI training:\n"
        "      | private messages | public posts |\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:5: table row with 2 columns: | private messages | public posts |",
            "  the table has one column, one category a row: put each category on its own row",
        ]
    )
    refused(result)


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
            "2 scenario x region cells: 2 fail (2 blocking)",
        ]
    )
    assert "Category" not in result.stdout.str()


def test_a_finding_names_a_category_once_when_its_alias_is_written_too(acme_suite: pytest.Pytester) -> None:
    """A label and its alias name one category: the finding says it once, never "public posts, public posts"."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Alias\n"
        "    Then these are never used for AI training:\n"
        "      | public posts |\n"
        "      | posts        |\n"
        "      | posts        |\n",
    )
    result = acme_suite.runpytest(*AS_OF, "-k", "alias")
    result.stdout.fnmatch_lines(
        [
            "EU: Expected: never used for AI training: public posts, posts. Decided: does not hold, because the "
            "policy states that it uses public posts for AI training *",
        ]
    )
    assert "public posts, public posts" not in result.stdout.str()
    assert "public posts, posts, posts" not in result.stdout.str()


def test_a_table_step_without_rows_is_refused(acme_suite: pytest.Pytester) -> None:
    """A step that reads a table of categories needs one with at least one category below its header."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: No table\n"
        "    Then these are never used for AI training:\n"
        "  Scenario: Header only\n"
        "    Then these are never used for AI training:\n"
        "      | category |\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    for line in (4, 6):
        result.stdout.fnmatch_lines(
            [
                f"features/extra.feature:{line}: no category listed under: Then these are never used for AI training:",
                "  list them in a table below the step, one category a row (a first row | category | is a header)",
            ]
        )
    refused(result)


def test_a_table_or_text_under_a_step_that_reads_none_is_refused(acme_suite: pytest.Pytester) -> None:
    """The step would ignore what is below it, so a table or a text block there is a mistake."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Stray table\n    Given a member\n"
        "    When their public posts are considered for AI training on 2025-03-01\n"
        "    Then it is used\n"
        "      | private messages |\n"
        "  Scenario: Stray text\n"
        "    Then every rule cites a source\n"
        '      """\n      in every region\n      """\n',
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:6: table under a step that reads none: Then it is used",
            "  the step would ignore it: remove it, or use a step that reads a table (policyproof steps lists them)",
            "features/extra.feature:9: text block under a step that reads none: Then every rule cites a source",
            "  the step would ignore it: remove it",
        ]
    )
    refused(result)


def test_two_features_with_the_same_guarantee_id_are_refused_naming_both(acme_suite: pytest.Pytester) -> None:
    """An id names one guarantee: a second feature file with it is refused, naming both files and tag lines."""
    feature(
        acme_suite,
        "@G-ADS-OFF @blocking\nFeature: Zebras are not shared\n  Scenario: Same id\n"
        "    Then every rule cites a source\n",
    )
    feature(
        acme_suite,
        "@blocking\nFeature: Zulus are not shared\n\n  # the id is on the scenario\n  @G-BASIS\n"
        "  Scenario: Same id on the scenario\n    Then every rule cites a source\n",
        name="other",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:1: guarantee id @G-ADS-OFF is also the id of "
            "features/ad_sharing_can_be_stopped.feature:1",
            "  a guarantee is one feature file with an id of its own: give one of them a new id",
            "features/other.feature:5: guarantee id @G-BASIS is also the id of "
            "features/ai_training_has_a_legal_basis.feature:1",
            "  a guarantee is one feature file with an id of its own: give one of them a new id",
        ]
    )
    refused(result)


def test_scenarios_of_one_feature_share_its_id(acme_suite: pytest.Pytester) -> None:
    """Several scenarios of one feature are one guarantee: the feature's id on each of them is no mistake."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: One\n    Then every rule cites a source\n"
        "  Scenario: Two\n    Then every rule cites a source\n",
    )
    result = acme_suite.runpytest(*AS_OF, "-m", "G-X")
    result.assert_outcomes(passed=2, deselected=4)


def test_a_scenario_with_two_severities_or_ids_says_which_it_found(acme_suite: pytest.Pytester) -> None:
    """A scenario tagged both @blocking and @advisory, or with two ids, is told what it has, not what it lacks."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  @advisory @G-Y\n  Scenario: Doubly tagged\n    Then every rule cites a source\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:4: scenario 'Doubly tagged' has 2 severity tags: @blocking, @advisory; it needs one",
            "features/extra.feature:4: scenario 'Doubly tagged' has 2 guarantee id tags: @G-X, @G-Y; it needs one",
        ]
    )
    refused(result)


def test_every_unknown_label_of_a_run_is_reported_at_collection(acme_suite: pytest.Pytester) -> None:
    """Unknown categories, purposes, controls and reasons, in steps and tables of any feature, all in one run."""
    feature(
        acme_suite,
        "@G-A @blocking\nFeature: A\n  Scenario: Typos\n    Given a member\n"
        '    And the member turned off "Use my data for A.I." on 2025-02-01\n'
        "    When their pubic posts are considered for AI trainng on 2025-03-01\n"
        "    Then it is not used because the member opted out of it\n",
        name="a",
    )
    feature(
        acme_suite,
        "@G-B @blocking\nFeature: B\n  Scenario: Table typos\n"
        "    Then these are never used for AI training:\n"
        "      | privat messages |\n"
        "      | public posts    |\n"
        "      | holiday photos  |\n",
        name="b",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/a.feature:5: unknown control 'Use my data for A.I.': "
            'And the member turned off "Use my data for A.I." on 2025-02-01',
            "  did you mean 'Use my data for AI'?",
            "features/a.feature:6: unknown category 'pubic posts': "
            "When their pubic posts are considered for AI trainng on 2025-03-01",
            "  did you mean 'public posts'?",
            "features/a.feature:6: unknown purpose 'AI trainng': "
            "When their pubic posts are considered for AI trainng on 2025-03-01",
            "  did you mean 'AI training' or 'ad sharing'?",
            "features/a.feature:7: unknown reason 'the member opted out of it': "
            "Then it is not used because the member opted out of it",
            "  did you mean 'the member opted out' or 'the member did not consent'?",
            "features/b.feature:5: unknown category 'privat messages' in the table of: "
            "Then these are never used for AI training:",
            "  did you mean 'private messages'?",
            "features/b.feature:7: unknown category 'holiday photos' in the table of: "
            "Then these are never used for AI training:",
            "  known: 'member data', 'private messages', 'public posts'",
        ]
    )
    refused(result)


def test_an_unknown_label_of_an_outline_names_its_examples_row(acme_suite: pytest.Pytester) -> None:
    """A label that comes from an Examples row names that row; one written in the step itself is told once."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario Outline: Each category\n    Given a member\n"
        "    When their <data> are considered for <purpose> on 2025-03-01\n"
        "    Then it is used\n\n"
        "    Examples:\n"
        "      | data         | purpose     |\n"
        "      | public posts | AI training |\n"
        "      # a comment between rows\n"
        "      | pubic posts  | AI training |\n"
        "  Scenario Outline: Each purpose\n    Given a member\n"
        "    When their pubic posts are considered for <purpose> on 2025-03-01\n"
        "    Then it is used\n\n"
        "    Examples:\n"
        "      | purpose     |\n"
        "      | AI training |\n"
        "      | ad sharing  |\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:5: unknown category 'pubic posts': "
            "When their pubic posts are considered for AI training on 2025-03-01",
            "  in the example at features/extra.feature:12: | pubic posts | AI training |",
            "  did you mean 'public posts'?",
            "features/extra.feature:15: unknown category 'pubic posts': "
            "When their pubic posts are considered for <purpose> on 2025-03-01",
            "  did you mean 'public posts'?",
        ]
    )
    # Told once in the collection error (pytest's short summary may repeat the error's first lines).
    errors = result.stdout.str().split("short test summary info")[0]
    assert errors.count("features/extra.feature:15:") == 1
    refused(result)


def test_a_label_only_some_snapshots_define_is_no_mistake(acme_suite: pytest.Pytester) -> None:
    """A label another loaded snapshot defines, in scope or not, is no mistake: where it is missing, it is not covered.

    Acme here names no documents read in full, so a label it lacks is a gap of the snapshot, not its silence.
    """
    acme = acme_suite.path / "policy_snapshots" / "acme@2025-01-01.yaml"
    acme.write_text("".join(line for line in acme.read_text().splitlines(keepends=True) if "documents:" not in line))
    zeta = acme.read_text().replace("platform: acme", "platform: zeta").replace("public posts", "public videos")
    (acme.parent / "zeta@2025-01-01.yaml").write_text(zeta)
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Videos\n    Given a member\n"
        "    When their public videos are considered for AI training on 2025-03-01\n    Then it is used\n",
    )
    result = acme_suite.runpytest(*AS_OF, "-k", "videos", "-v")
    result.stdout.fnmatch_lines(["*test_videos?acme@2025-01-01? NOT COVERED*", "*test_videos?zeta@2025-01-01? PASSED*"])
    result = acme_suite.runpytest(*AS_OF, "-k", "videos", "--snapshot", "acme@2025-01-01")
    result.stdout.fnmatch_lines(["2 scenario x region cells: 2 not-covered"])
    assert result.ret == pytest.ExitCode.OK


def test_the_labels_of_a_scenario_that_runs_nowhere_are_not_checked(acme_suite: pytest.Pytester) -> None:
    """A scenario about a platform with no snapshot here runs nowhere: its labels are that platform's, not typos."""
    feature(
        acme_suite,
        '@G-X @blocking\nFeature: X\n  Scenario: Elsewhere\n    Given the platform "LinkedIn"\n    And a member\n'
        "    When their resumes are considered for generative AI training on 2025-12-01\n    Then it is used\n",
    )
    result = acme_suite.runpytest(*AS_OF, "--collect-only", "-q")
    result.stdout.fnmatch_lines(["4/5 tests collected (1 deselected)*"])
    assert result.ret == pytest.ExitCode.OK


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


def test_an_unknown_place_and_label_in_one_examples_row_are_both_told_with_the_row(acme_suite: pytest.Pytester) -> None:
    """A row with a misspelt place and a misspelt category gives both mistakes, each naming the row."""
    feature(
        acme_suite,
        "@G-X @blocking\nFeature: X\n  Scenario Outline: Each place\n    Given a member in <place>\n"
        "    When their <data> are considered for AI training on 2025-03-01\n"
        "    Then it is used\n\n"
        "    Examples:\n"
        "      | place  | data        |\n"
        "      | Jermany | pubic posts |\n",
    )
    result = acme_suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:4: Given a member in Jermany",
            "  unknown place 'Jermany'*",
            "  in the example at features/extra.feature:10: | Jermany | pubic posts |",
            "features/extra.feature:5: unknown category 'pubic posts': "
            "When their pubic posts are considered for AI training on 2025-03-01",
            "  in the example at features/extra.feature:10: | Jermany | pubic posts |",
        ]
    )
    refused(result)
