"""The pytest plugin, run on a small suite with known outcomes: fan-out, reviewer safety, tags, xdist."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = ("--as-of", "2025-06-01", "-p", "no:cacheprovider")


@pytest.fixture
def suite(acme_suite: pytest.Pytester) -> pytest.Pytester:
    """The Acme project with its four guarantees of known outcome."""
    return acme_suite


def feature(pytester: pytest.Pytester, text: str, name: str = "extra") -> None:
    """Add one feature file to the suite."""
    (pytester.path / "features" / f"{name}.feature").write_text(text)


def test_each_scenario_fans_out_over_snapshot_and_region_groups(suite: pytest.Pytester) -> None:
    """Every scenario is checked once per region group: 4 scenarios x 2 groups, with their known outcomes.

    One test item a scenario and snapshot checks every region group; its line says how each fared.
    """
    result = suite.runpytest("-v", *AS_OF)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_ai_training_has_a_stated_legal_basis?acme@2025-01-01? FAILED (fail: ROW; pass: EU)*",
            "*test_a_member_who_did_nothing_is_not_used?acme@2025-01-01? ADVISORY FAILED *",
            "*test_a_member_who_turned_sharing_off_is_not_shared?acme@2025-01-01? PASSED (pass: ROW; not applicable: EU)*",
            "*test_a_member_who_turned_the_setting_off_is_not_used?acme@2025-01-01? PASSED *",
            "8 scenario x region cells: 4 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable",
            "*1 failed, 2 passed, 1 advisory failed*",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_scenario_not_applicable_anywhere_is_shown_as_such(suite: pytest.Pytester) -> None:
    """A scenario whose purpose applies in none of its cells is NOT APPLICABLE, never a plain pass."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Before anything\n    Given a member\n"
        "    When their public posts are considered for ad sharing on 2024-01-01\n    Then it is not used\n",
    )
    result = suite.runpytest(*AS_OF, "-v", "-k", "before_anything")
    result.stdout.fnmatch_lines(
        [
            "*test_before_anything?acme@2025-01-01? NOT APPLICABLE*",
            "2 scenario x region cells: 2 not-applicable",
            "*1 not applicable in*",
        ]
    )


def test_a_failing_blocking_guarantee_explains_itself_without_a_traceback(suite: pytest.Pytester) -> None:
    """The failure names the feature line and step, what was expected, what was decided and the rule."""
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/ai_training_has_a_legal_basis.feature:5: Then AI training has a legal basis in every region where it is active",
            "ROW: Expected: AI training has a legal basis. Decided: does not hold, because no source states a legal basis for "
            "AI training in Rest of the world (ROW). Rule: policy_snapshots/acme@2025-01-01.yaml:58. Sources: acme-notice.",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "def " not in result.stdout.str()


def test_advisory_failures_alone_do_not_fail_the_run(suite: pytest.Pytester) -> None:
    """With the one failing blocking guarantee deselected, the advisory failures leave the run green."""
    result = suite.runpytest(*AS_OF, "-m", "not G-BASIS")
    result.stdout.fnmatch_lines(
        [
            "6 scenario x region cells: 3 pass, 2 fail (2 advisory), 1 not-applicable",
            "*2 passed, 1 deselected, 1 advisory failed*",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_region_narrows_the_fan_out(suite: pytest.Pytester) -> None:
    """--region keeps only that group's cells."""
    result = suite.runpytest(*AS_OF, "--region", "EU", "-v")
    result.stdout.fnmatch_lines(
        [
            "*collected 4 items",
            "4 scenario x region cells: 2 pass, 1 fail (1 advisory), 1 not-applicable",
            "*2 passed, 1 advisory failed, 1 not applicable*",
        ]
    )
    assert "ROW:" not in result.stdout.str()


def test_a_member_in_a_place_runs_only_in_its_group(suite: pytest.Pytester) -> None:
    """A scenario about a member in France runs once, in the EU group."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: In France\n    Given a member in France\n"
        "    When their posts are considered for AI training on 2025-03-01\n    Then it is used\n",
    )
    result = suite.runpytest(*AS_OF, "-k", "in_france", "-v")
    result.stdout.fnmatch_lines(
        ["*test_in_france?acme@2025-01-01? PASSED*", "1 scenario x region cell: 1 pass", "*1 passed, 4 deselected*"]
    )


def test_gherkin_tags_are_markers_that_strict_markers_accepts(suite: pytest.Pytester) -> None:
    """Guarantee ids and severities select with -m under --strict-markers."""
    result = suite.runpytest(*AS_OF, "--strict-markers", "-m", "G-OPT-OUT and blocking")
    result.stdout.fnmatch_lines(["2 scenario x region cells: 2 pass", "*1 passed, 3 deselected*"])


def test_exitfirst_stops_at_the_first_blocking_failure(suite: pytest.Pytester) -> None:
    """-x stops the run at the first failing blocking guarantee; advisory failures do not stop it."""
    result = suite.runpytest(*AS_OF, "-x", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["*stopping after 1 failures*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_an_undefined_step_fails_collection_with_the_closest_phrasings(suite: pytest.Pytester) -> None:
    """A step no definition matches stops collection, naming file, line, text and close phrasings."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Typo\n    Given a member\n"
        "    When their posts are consdered for AI training on 2025-03-01\n    Then it is used\n",
    )
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:5: undefined step: When their posts are consdered for AI training on 2025-03-01",
            "  closest phrasings: 'When their public posts are considered for generative AI training on 2025-12-01'*",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize("date", ["1st December 2025", "12/01/2025", "December 1, 2025", "01.12.2025"])
def test_a_date_in_a_form_no_step_reads_is_an_unreadable_date(suite: pytest.Pytester, date: str) -> None:
    """A step whose only fault is its date's form is refused as an unreadable date, with the forms accepted."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Date\n    Given a member\n"
        f"    When their posts are considered for AI training on {date}\n    Then it is used\n",
    )
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            f"features/extra.feature:5: unreadable date '{date}': When their posts are considered for AI training on {date}",
            "  write a date as 2025-12-01 or 1 December 2025, or from the effective date: on the effective date, "
            "30 days after the policy takes effect, the day before the policy takes effect",
        ]
    )
    assert "undefined step" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_an_ambiguous_step_fails_collection(suite: pytest.Pytester) -> None:
    """A step two definitions match is refused, naming both definitions."""
    suite.makeconftest("from pytest_bdd import given\n\n@given('a member')\ndef another_member():\n    pass\n")
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/*.feature:*: ambiguous step: Given a member",
            "  it matches: conftest.another_member, policyproof.steps.member.any_member",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_an_unknown_place_fails_collection_with_a_suggestion(suite: pytest.Pytester) -> None:
    """A misspelt country is refused at collection with the closest ISO 3166 name."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Typo\n    Given a member in Frnace\n    Then every rule cites a source\n",
    )
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:4: Given a member in Frnace",
            "  unknown place 'Frnace' in ISO 3166 country names and codes or the region groups EU, ROW; did you mean 'France'?",
        ]
    )


def test_an_unknown_pinned_snapshot_fails_collection(suite: pytest.Pytester) -> None:
    """A scenario that pins a snapshot no file defines is refused with its line and the known snapshots."""
    feature(
        suite,
        '@G-X @blocking\nFeature: X\n  Scenario: Pinned\n    Given the policy snapshot "acme@2030-01-01"\n    Then every rule cites a source\n',
    )
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            'features/extra.feature:4: Given the policy snapshot "acme@2030-01-01"',
            "  unknown snapshot 'acme@2030-01-01'; did you mean 'acme@2025-01-01'?*",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_a_platform_pin_keeps_a_scenario_to_that_platform(suite: pytest.Pytester) -> None:
    """A scenario about another platform's snapshots has no cell in the Acme suite and is deselected."""
    feature(
        suite,
        '@G-X @blocking\nFeature: X\n  Scenario: Other platform\n    Given the platform "LinkedIn"\n    Then every rule cites a source\n',
    )
    result = suite.runpytest(*AS_OF, "--collect-only", "-q")
    result.stdout.fnmatch_lines(["4/5 tests collected (1 deselected)*"])
    assert "test_other_platform" not in result.stdout.str()


def test_a_scenario_without_severity_or_id_is_refused(suite: pytest.Pytester) -> None:
    """Every guarantee needs a severity and a guarantee id tag."""
    feature(suite, "Feature: X\n  Scenario: Untagged\n    Then every rule cites a source\n")
    result = suite.runpytest(*AS_OF)
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:2: scenario 'Untagged' needs one severity tag: @blocking or @advisory",
            "features/extra.feature:2: scenario 'Untagged' needs one guarantee id tag starting with @G- *",
        ]
    )


def test_an_invalid_snapshot_stops_the_run_with_its_problems(suite: pytest.Pytester) -> None:
    """A broken snapshot is reported with file, line and path, and nothing runs."""
    path = suite.path / "policy_snapshots" / "acme@2025-01-01.yaml"
    path.write_text(path.read_text().replace('default: "on"', "default: yes", 1))
    result = suite.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["policyproof: invalid policy snapshot(s):"])
    expected = (
        "policy_snapshots/acme@2025-01-01.yaml:49:9: $.purposes[0].rules[0].default: 'yes' is not one of 'on', 'off'"
    )
    assert expected in result.stdout.lines
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_an_unknown_region_option_is_a_usage_error(suite: pytest.Pytester) -> None:
    """--region with a group no snapshot in scope defines is refused before collection."""
    result = suite.runpytest(*AS_OF, "--region", "EEA")
    result.stderr.fnmatch_lines(
        ["ERROR: policyproof: unknown region group 'EEA' in the snapshots in scope; known: 'EU', 'ROW'"]
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def _outcomes(junit: Path) -> set[tuple[str, str]]:
    """Each test case of a JUnit file with its outcome."""
    outcomes = set()
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 (our own output)
        kinds = [child.tag for child in case if child.tag in {"failure", "skipped", "error"}]
        outcomes.add((case.get("name", ""), kinds[0] if kinds else "passed"))
    return outcomes


def test_results_are_identical_with_xdist(suite: pytest.Pytester) -> None:
    """Two workers give the same cells with the same outcomes as a serial run."""
    serial = suite.runpytest_subprocess(*AS_OF, "--junitxml=serial.xml")
    parallel = suite.runpytest_subprocess(*AS_OF, "-p", "xdist", "-n", "2", "--junitxml=parallel.xml")
    assert serial.ret == parallel.ret == pytest.ExitCode.TESTS_FAILED
    assert _outcomes(suite.path / "serial.xml") == _outcomes(suite.path / "parallel.xml")
    assert len(_outcomes(suite.path / "serial.xml")) == 4
    assert (
        "8 scenario x region cells: 4 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable" in parallel.stdout.lines
    )


def test_a_cell_that_ends_early_leaves_the_others_running(suite: pytest.Pytester) -> None:
    """Where ad sharing does not apply (EU) the cell ends at its first Then; ROW goes on to the failing one."""
    feature(
        suite,
        "@G-X @blocking\nFeature: X\n  Scenario: Two checks\n    Given a member\n"
        '    And the member turned off "Share with partners" on 2025-02-01\n'
        "    When their public posts are considered for ad sharing on 2025-03-01\n"
        "    Then it is not used because the member opted out\n"
        "    And it is used\n",
    )
    result = suite.runpytest(*AS_OF, "-v", "-k", "two_checks", "--policy-report", "out")
    result.stdout.fnmatch_lines(
        [
            "*test_two_checks?acme@2025-01-01? FAILED (fail: ROW; not applicable: EU)*",
            "features/extra.feature:8: And it is used",
            "ROW: Expected: public posts for ad sharing on 2025-03-01: used. Decided: not used (opted-out)*",
            "2 scenario x region cells: 1 fail (1 blocking), 1 not-applicable",
        ]
    )
    report = json.loads((suite.path / "out" / "compliance-report.json").read_text())
    [row] = [row for row in report["snapshots"][0]["guarantees"] if row["id"] == "G-X"]
    assert row["cells"] == {"EU": "not-applicable", "ROW": "fail"}


def test_a_bug_in_a_step_keeps_its_traceback(suite: pytest.Pytester) -> None:
    """An error that is no reviewer's mistake shows pytest's traceback, and its cells count as errors."""
    suite.makeconftest("from pytest_bdd import then\n\n@then('it breaks')\ndef it_breaks(cases):\n    return 1 / 0\n")
    feature(suite, "@G-X @blocking\nFeature: X\n  Scenario: Broken\n    Given a member\n    Then it breaks\n")
    result = suite.runpytest(*AS_OF, "-k", "broken")
    result.stdout.fnmatch_lines(["*def it_breaks(cases):", ">*return 1 / 0", "E*ZeroDivisionError: division by zero"])
    result.stdout.fnmatch_lines(["2 scenario x region cells: 2 error"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


SHOP = "Feature: Shop\n  @smoke\n  Scenario: Buying\n    Given a member\n    Then the basket is empty\n"
SHOP_STEPS = (
    "from pytest_bdd import given, scenarios, then\n\n"
    'scenarios("shop.feature")\n\n\n'
    '@given("a member")\ndef member():\n    pass\n\n\n'
    '@then("the basket is empty")\ndef empty():\n    pass\n'
)

# pytest-bdd makes the tag a marker nobody registered: pytest warns, and this run of the tests makes warnings errors.
WARN = ("-W", "default::pytest.PytestUnknownMarkWarning")


@pytest.fixture
def shop(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytest-bdd project that does not use policyproof: one tagged scenario and its own step definitions."""
    pytester.makefile(".feature", shop=SHOP)
    pytester.makepyfile(test_shop=SHOP_STEPS)
    return pytester


def test_a_project_without_policyproof_gets_nothing_of_it(shop: pytest.Pytester) -> None:
    """Beside a plain pytest-bdd project the installed plugin registers no suite and no steps; its tests pass."""
    config = shop.parseconfigure()
    assert config.pluginmanager.get_plugin("policyproof-suite") is None
    assert config.pluginmanager.get_plugin("policyproof.guarantees.phrasings") is None
    result = shop.runpytest("-p", "no:cacheprovider", *WARN)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*Unknown pytest.mark.smoke*"])
    result.stdout.no_fnmatch_line("*policyproof:*")


def test_a_project_without_policyproof_keeps_pytest_bdds_own_strictness(shop: pytest.Pytester) -> None:
    """Its Gherkin tags stay unregistered markers and an undefined step fails when it runs, as pytest-bdd has it."""
    strict = shop.runpytest("-p", "no:cacheprovider", "--strict-markers")
    strict.stdout.fnmatch_lines(["*'smoke' not found in `markers` configuration option*"])
    shop.makefile(".feature", undefined=SHOP.replace("Given a member", "Given a shopper"))
    shop.makepyfile(test_undefined=SHOP_STEPS.replace("shop.feature", "undefined.feature"))
    undefined = shop.runpytest("-p", "no:cacheprovider", *WARN, "test_undefined.py")
    undefined.assert_outcomes(failed=1)
    undefined.stdout.fnmatch_lines(['*StepDefinitionNotFoundError: Step definition is not found: Given "a shopper"*'])


@pytest.mark.parametrize(
    ("args", "ini"),
    [(("-p", "policyproof"), ""), ((), "[pytest]\npolicy_snapshots = snapshots\n"), (("--policy-snapshots", "s"), "")],
    ids=["-p policyproof", "ini setting", "option"],
)
def test_a_project_that_asks_for_policyproof_gets_the_suite(
    shop: pytest.Pytester, args: tuple[str, ...], ini: str
) -> None:
    """-p policyproof, the policy_snapshots setting or the --policy-snapshots option registers suite and steps."""
    if ini:
        shop.makeini(ini)
    config = shop.parseconfigure(*args)
    assert config.pluginmanager.get_plugin("policyproof-suite") is not None
    assert config.pluginmanager.get_plugin("policyproof.guarantees.phrasings") is not None


def test_a_snapshot_folder_at_the_root_is_enough(shop: pytest.Pytester) -> None:
    """A policy_snapshots/ folder at the root makes a project a policyproof project, with its checks."""
    shop.mkdir("policy_snapshots")
    result = shop.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["policyproof: no snapshot is in force on *; name one with --snapshot"])


def test_the_short_summary_still_says_each_cells_outcome(acme_suite: pytest.Pytester) -> None:
    """The closing summary of pytest names a guarantee's outcome by region group, as its line in the run did."""
    result = acme_suite.runpytest("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--no-policy-report", "-rA")
    result.stdout.fnmatch_lines(["FAILED (fail: ROW; pass: EU) *test_ai_training_has_a_stated_legal_basis*"])


@pytest.mark.parametrize("workers", [(), ("-p", "xdist", "-n", "2")], ids=["serial", "xdist"])
def test_a_control_that_does_not_govern_the_purpose_asked_is_warned_of(
    suite: pytest.Pytester, workers: tuple[str, ...]
) -> None:
    """A control changed that the rule for the purpose asked does not name is warned of, with its feature line."""
    feature(
        suite,
        "@G-X @advisory\nFeature: X\n  Scenario: The wrong setting\n    Given a member\n"
        '    And the member turned off "Share with partners" on 2025-02-01\n'
        "    When their public posts are considered for AI training on 2025-03-01\n    Then it is used\n",
    )
    # Under xdist the warning is found on a worker and travels to the controller on the test's report.
    run = suite.runpytest_subprocess if workers else suite.runpytest
    result = run(*AS_OF, "-k", "wrong_setting", *workers)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "warning: features/extra.feature:5: 'Share with partners' does not govern AI training in EU: the rule "
            "(policy_snapshots/acme@2025-01-01.yaml:47) names 'Use my data for AI', so changing it changes nothing here",
            "warning: features/extra.feature:5: 'Share with partners' does not govern AI training in ROW: the rule "
            "(policy_snapshots/acme@2025-01-01.yaml:58) names 'Use my data for AI', so changing it changes nothing here",
        ]
    )


def test_a_control_that_governs_the_purpose_asked_is_not_warned_of(suite: pytest.Pytester) -> None:
    """The suite's scenarios change only controls that govern what they ask about, so no warning is given."""
    result = suite.runpytest(*AS_OF)
    assert "warning:" not in result.stdout.str()
    result.stdout.fnmatch_lines(["8 scenario x region cells: *"])
