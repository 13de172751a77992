"""The unknown outcome end to end: steps, items, the cells line, every report format, JUnit and --fail-on."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

STATEMENTS = Path(__file__).parent / "data" / "statements"
OPTIONS = ("-p", "no:cacheprovider", "--snapshot", "all", "--as-of", "2025-08-01")

MINORS = """\
@G-MINORS @blocking
Feature: Members under 18 are excluded from AI training

  Scenario: A member believed to be under 18 is excluded
    Given a member
    And the member is believed to be under 18
    When their public posts are considered for AI training 30 days after the policy takes effect
    Then it is not used because the member is under 18
"""
LATE = """\
@G-LATE @blocking
Feature: Members are not used in 2025-10

  Scenario: A question dated after the first version was superseded
    Given a member in the United States
    When their public posts are considered for AI training on 2025-10-01
    Then it is used
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the two Acme versions (what they state, state not, and leave unsaid) and one guarantee."""
    shutil.copytree(STATEMENTS, pytester.path / "policy_snapshots")
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "minors.feature").write_text(MINORS)
    pytester.makepyfile(test_statement_guarantees='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return pytester


def test_silence_on_minors_is_unknown_and_does_not_fail_the_run(project: pytest.Pytester) -> None:
    """Where the policy states no exclusion the cell is unknown, with what is missing; stated cells keep their outcome."""
    result = project.runpytest(*OPTIONS, "-v", "--no-policy-report")
    result.stdout.fnmatch_lines(
        [
            "*test_a_member_believed_to_be_under_18_is_excluded?acme@2025-01-01? UNKNOWN "
            "(unknown: US ROW; pass: UK; not applicable: EU)*",
            "8 scenario x region cells: 1 pass, 4 unknown, 3 not-applicable",
            "*2 unknown in*",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


@pytest.mark.parametrize("chars", ["-rx", "-ra"])
def test_rx_lists_each_unknown_item_with_its_first_reason(project: pytest.Pytester, chars: str) -> None:
    """-rx (or -ra, the project's default) lists each unknown item with its first unknown cell's reason."""
    result = project.runpytest(*OPTIONS, "--no-policy-report", chars)
    result.stdout.fnmatch_lines(
        [
            "*= unknown and not covered: the first reason of each =*",
            "UNKNOWN test_statement_guarantees.py::test_a_member_believed_to_be_under_18_is_excluded[[]acme@2025-01-01[]] "
            "- US: the policy does not say whether members under 18 are excluded from AI training in United States (US)",
            "UNKNOWN test_statement_guarantees.py::test_a_member_believed_to_be_under_18_is_excluded[[]acme@2025-07-01[]] - US: *",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_without_rx_no_unknown_item_is_listed(project: pytest.Pytester) -> None:
    """A run that asks for no short summary of skipped or expected failures lists no unknown item."""
    result = project.runpytest(*OPTIONS, "--no-policy-report", "-rf")
    assert "unknown and not covered: the first reason of each" not in result.stdout.str()
    assert "UNKNOWN test_statement" not in result.stdout.str()


def test_fail_on_unknown_fails_the_run_and_says_what_the_policy_does_not_state(project: pytest.Pytester) -> None:
    """With --fail-on unknown a blocking guarantee's unknown cells fail the item, each region named with its reason."""
    result = project.runpytest(*OPTIONS, "--no-policy-report", "--fail-on", "unknown")
    result.stdout.fnmatch_lines(
        [
            "features/minors.feature:8: Then it is not used because the member is under 18",
            "US: Expected: public posts for AI training on 2025-01-31: not used because the member is under 18. "
            "Unknown: the policy does not say whether members under 18 are excluded from AI "
            "training in United States (US). Rule: policy_snapshots/acme@2025-01-01.yaml:*",
            "ROW: Expected: public posts for AI training on 2025-01-31: not used because the member is under 18. "
            "Unknown: the policy does not say whether AI training applies in Rest of the world (ROW). "
            "Rule: policy_snapshots/acme@2025-01-01.yaml:*. Documents read: acme-notice.",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_relative_date_is_resolved_for_each_version(project: pytest.Pytester) -> None:
    """'30 days after the policy takes effect' is 2025-01-31 for the first version and 2025-07-31 for the second."""
    project.runpytest(*OPTIONS, "--policy-report", "out")
    data = json.loads((project.path / "out" / "compliance-report.json").read_text())
    expected = {detail["snapshot"]: detail["expected"] for detail in data["details"] if "US" in detail["regions"]}
    assert expected == {
        "acme@2025-01-01": "public posts for AI training on 2025-01-31: not used because the member is under 18",
        "acme@2025-07-01": "public posts for AI training on 2025-07-31: not used because the member is under 18",
    }


def test_a_superseded_version_is_not_judged_after_it_was_superseded(project: pytest.Pytester) -> None:
    """A question dated after the next version took effect is not applicable to the older one, with the reason."""
    (project.path / "features" / "late.feature").write_text(LATE)
    project.runpytest(*OPTIONS, "--policy-report", "out", "-k", "superseded")
    data = json.loads((project.path / "out" / "compliance-report.json").read_text())
    cells = {s["id"]: s["guarantees"][0]["cells"]["US"] for s in data["snapshots"]}
    assert cells == {"acme@2025-01-01": "not-applicable", "acme@2025-07-01": "pass"}
    markdown = (project.path / "out" / "compliance-report.md").read_text()
    assert "⚪ n/a" in markdown


def test_every_report_format_shows_unknown_cells_and_why(project: pytest.Pytester) -> None:
    """Markdown, HTML and JSON count unknown cells, show them in the matrix and list each with its reason."""
    project.runpytest(*OPTIONS, "--policy-report", "out", "--junitxml", "junit.xml")
    out = project.path / "out"
    data = json.loads((out / "compliance-report.json").read_text())
    assert data["totals"]["unknown"] == 4
    first = data["snapshots"][0]
    assert first["guarantees"][0]["cells"] == {"EU": "not-applicable", "UK": "pass", "US": "unknown", "ROW": "unknown"}
    unknown = [d for d in data["details"] if d["status"] == "unknown"]
    assert {(d["snapshot"], r) for d in unknown for r in d["regions"]} == {
        (s, r) for s in ("acme@2025-01-01", "acme@2025-07-01") for r in ("US", "ROW")
    }
    markdown = (out / "compliance-report.md").read_text()
    row = next(line for line in markdown.splitlines() if line.startswith("| `G-MINORS`"))
    assert [part.strip() for part in row.strip("|").split("|")][3:] == ["⚪ n/a", "✅ pass", "❔ unknown", "❔ unknown"]
    assert (
        "❔ unknown: the policy does not say: the documents read are silent, so the promise cannot be judged"
        in markdown
    )
    html = (out / "compliance-report.html").read_text()
    assert 'data-status="unknown">? unknown</td>' in html
    assert "--unknown: #0969da;" in html
    junit = ET.parse(project.path / "junit.xml").getroot()  # noqa: S314 (our own output)
    skipped = [case.find("skipped") for case in junit.iter("testcase")]
    messages = [element.get("message", "") for element in skipped if element is not None]
    assert any("the policy does not say in US, ROW" in message for message in messages), messages
