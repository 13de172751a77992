"""Baseline mode: only failing cells that were not failing in a previous report fail the run."""

from __future__ import annotations

import json
from typing import Any

import pytest

REPORT = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")


def details(pytester: pytest.Pytester) -> list[dict[str, Any]]:
    """The details of the report the run wrote."""
    data: dict[str, Any] = json.loads((pytester.path / "out" / "compliance-report.json").read_text())
    return list(data["details"])


def baseline_of(pytester: pytest.Pytester, kept: list[dict[str, Any]]) -> str:
    """Write a baseline report holding these details; return its name."""
    (pytester.path / "baseline.json").write_text(json.dumps({"details": kept}))
    return "baseline.json"


def test_a_failure_already_in_the_baseline_does_not_fail_the_run(acme_suite: pytest.Pytester) -> None:
    """The same failing cell as in the baseline is unchanged: the run passes and the report says so."""
    assert acme_suite.runpytest(*REPORT).ret == pytest.ExitCode.TESTS_FAILED
    (acme_suite.path / "out" / "compliance-report.json").rename(acme_suite.path / "previous.json")
    result = acme_suite.runpytest(*REPORT, "--baseline", "previous.json", "-v")
    result.stdout.fnmatch_lines(
        ["*test_ai_training_has_a_stated_legal_basis?acme@2025-01-01? FAILING AS IN THE BASELINE*"]
    )
    assert result.ret == pytest.ExitCode.OK
    blocking = next(d for d in details(acme_suite) if d["guarantee"] == "G-BASIS")
    assert (blocking["regions"], blocking["status"], blocking["baseline"]) == (["ROW"], "fail", "unchanged")
    markdown = (acme_suite.path / "out" / "compliance-report.md").read_text()
    assert "- Baseline: unchanged" in markdown
    assert "Compared with `previous.json`: 0 new failing cell(s), 3 unchanged; 0 baseline failure(s) gone." in markdown


def test_a_failure_not_in_the_baseline_fails_the_run_and_is_marked_new(acme_suite: pytest.Pytester) -> None:
    """A failing cell the baseline does not list is new: the run fails, and the report marks it new."""
    name = baseline_of(acme_suite, [])
    result = acme_suite.runpytest(*REPORT, "--baseline", name)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert {d["baseline"] for d in details(acme_suite)} == {"new"}
    assert '<dd class="baseline-new">new</dd>' in (acme_suite.path / "out" / "compliance-report.html").read_text()


def test_baseline_failures_that_now_hold_are_listed_as_gone(acme_suite: pytest.Pytester) -> None:
    """A cell failing in the baseline that now passes is listed as gone, in Markdown and JSON."""
    acme_suite.runpytest(*REPORT)
    previous = details(acme_suite)
    fixed = dict(
        previous[0], guarantee="G-OPT-OUT", scenario="A member who turned the setting off is not used", regions=["EU"]
    )
    name = baseline_of(acme_suite, [*previous, fixed])
    assert acme_suite.runpytest(*REPORT, "--baseline", name).ret == pytest.ExitCode.OK
    data = json.loads((acme_suite.path / "out" / "compliance-report.json").read_text())
    assert data["baseline"]["gone"] == [
        {
            "guarantee": "G-OPT-OUT",
            "region": "EU",
            "scenario": "A member who turned the setting off is not used",
            "snapshot": "acme@2025-01-01",
            "was": previous[0]["status"],
        }
    ]
    markdown = (acme_suite.path / "out" / "compliance-report.md").read_text()
    assert "- Gone: G-OPT-OUT A member who turned the setting off is not used, acme@2025-01-01, EU (was" in markdown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "baseline.json:1:2: $: not JSON: Expecting property name enclosed in double quotes"),
        ("[]", "baseline.json:1:1: $.details: not a compliance-report.json: it has no list of details"),
        ('{"details": [{"status": "fail"}]}', "baseline.json:1:1: $.details[0]: a detail needs the texts"),
        (
            "[" * 100_000 + "]" * 100_000,
            "baseline.json:1:1: $: the baseline nests lists and objects more than 64 levels",
        ),
    ],
)
def test_a_bad_baseline_stops_the_run_with_its_problem(acme_suite: pytest.Pytester, text: str, message: str) -> None:
    """A baseline that is not a report is a usage error naming the file and what is wrong."""
    (acme_suite.path / "baseline.json").write_text(text)
    result = acme_suite.runpytest(*REPORT, "--baseline", "baseline.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"policyproof: invalid baseline:\n{message}" in result.stderr.str()
