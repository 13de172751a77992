"""Guarantees in platform-neutral words: an opt-out asked of whatever control a platform offers, owed nowhere it offers none.

The shipped suite asks no platform about a purpose only another platform's policy describes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from policyproof.guarantees import members, questions
from policyproof.guarantees.cases import Cases
from policyproof.guarantees.mistakes import Labels
from policyproof.guarantees.scope import Cell, Scope
from policyproof.outcomes import Status
from policyproof.snapshot.loader import load_snapshots
from policyproof.wording import parse_when

ROOT = Path(__file__).parent.parent
STATEMENTS = Path(__file__).parent / "data" / "statements"
OPTIONS = ("-p", "no:cacheprovider", "--snapshot", "acme@2025-01-01", "--as-of", "2025-02-01")

OPT_OUT = """\
@G-OPT-OUT @blocking
Feature: Opting out is honoured

  Scenario Outline: A member in <place> who opted out of <purpose> is not used
    Given a member in <place>
    And the member opted out of <purpose> on the effective date
    When their public posts are considered for <purpose> 30 days after the policy takes effect
    Then it is not used because the member opted out

    Examples:
      | place             | purpose     |
      | the United States | AI training |
      | the United States | ads         |
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the Acme versions and one neutral opt-out guarantee."""
    shutil.copytree(STATEMENTS, pytester.path / "policy_snapshots")
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "opt_out.feature").write_text(OPT_OUT)
    pytester.makepyfile(test_neutral='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return pytester


def test_opting_out_is_asked_of_the_control_the_platform_offers_and_owed_nowhere_it_offers_none(
    project: pytest.Pytester,
) -> None:
    """With a setting the opt-out is honoured (pass); with no control at all there is nothing to honour (n/a)."""
    result = project.runpytest(*OPTIONS, "-v", "-rx", "--policy-report", "out")
    result.stdout.fnmatch_lines(
        [
            "*is_not_used?acme@2025-01-01-the United States-AI training? PASSED*",
            "*is_not_used?acme@2025-01-01-the United States-ads? NOT APPLICABLE*",
        ]
    )
    assert result.ret == pytest.ExitCode.OK
    data = json.loads((project.path / "out" / "compliance-report.json").read_text())
    guarantee = next(g for g in data["snapshots"][0]["guarantees"] if g["id"] == "G-OPT-OUT")
    assert guarantee["outcomes"]["US"] == {"pass": 1, "not-applicable": 1}


def test_the_shipped_suite_asks_no_platform_about_a_purpose_only_another_describes() -> None:
    """No cell of the committed report says a snapshot does not describe a purpose its platform never describes."""
    snapshots = load_snapshots([ROOT / "policy_snapshots"], ROOT)
    described = {
        (s.platform, name.casefold()) for s in snapshots for p in s.purposes for name in (p.label, *p.aliases, p.id)
    }
    report = json.loads((ROOT / "reports" / "compliance-report.json").read_text())
    asked = [
        (detail["snapshot"].split("@")[0], match.group(1))
        for detail in report["details"]
        if (match := re.search(r"does not describe the purpose '([^']+)'", detail["explanation"]))
    ]
    assert [(platform, purpose) for platform, purpose in asked if (platform, purpose.casefold()) not in described] == []


def test_where_no_control_turns_a_purpose_off_an_opt_out_does_not_apply_and_says_why() -> None:
    """The cell ends not applicable, naming the rule and that no setting, form or signal turns the purpose off."""
    snapshots = load_snapshots([STATEMENTS], ROOT)
    first = snapshots[0]
    cases = Cases([Cell(first.id, "US")], Scope((first,), frozenset(), {s.id: s for s in snapshots}))
    cases.each(members.new_member)
    cases.each(members.opt_out_of, "ads", parse_when("on the effective date"))
    ended = cases.cases[0].ended
    assert ended is not None
    assert (ended.status, ended.explanation, ended.rule_location) == (
        Status.NOT_APPLICABLE,
        "no setting, form or signal turns off ads in United States (US), so there is no opt-out to honour",
        "tests/data/statements/acme@2025-01-01.yaml:85",
    )


def test_their_data_asks_of_the_data_the_rule_uses_there() -> None:
    """The words "their data" ask of the first category the member's region's rule uses, and need no label."""
    snapshots = load_snapshots([STATEMENTS], ROOT)
    first = snapshots[0]
    cases = Cases([Cell(first.id, "US")], Scope((first,), frozenset(), {s.id: s for s in snapshots}))
    cases.each(members.new_member)
    cases.each(questions.consider, "data", "AI training", parse_when("on the effective date"))
    case = cases.cases[0]
    assert case.ended is None
    assert case.question == "public posts for AI training on 2025-01-01"
    assert case.decision is not None
    assert case.decision.used is True
    assert Labels(case.scope).unknown("data", "Data") is None
    assert str(Labels(case.scope).unknown("data", "dta")).startswith("unknown category 'dta'")
