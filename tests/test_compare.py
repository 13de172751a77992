"""Platforms side by side: each answer the engine's, with its rule and sources, in every format and on the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest

from policyproof.exceptions import UnknownNameError
from policyproof.report.answers import ASPECTS, answer_codes
from policyproof.report.compare import compare
from policyproof.report.comparison import comparison_data, render_html, render_json, render_markdown
from policyproof.snapshot.loader import load_snapshots

if TYPE_CHECKING:
    from policyproof.report.answers import Answer, Comparison, PurposeAnswers
    from policyproof.snapshot.model import Snapshot

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
ACME, BETA = DATA / "statements", DATA / "compare"
SCHEMA = json.loads((ROOT / "schemas" / "compare.schema.json").read_text())
ON = dt.date(2025, 3, 15)


@pytest.fixture(scope="module")
def snapshots() -> list[Snapshot]:
    """Acme's two versions and Beta's one, loaded as a project holding all three."""
    return load_snapshots([ACME, BETA], ROOT)


def answers(comparison: Comparison, place: str, platform: str, row: str) -> PurposeAnswers:
    """One platform's answers about one purpose at one place."""
    found = next(p for p in comparison.places if p.place == place)
    column = next(p for p in found.platforms if p.platform == platform)
    purpose = column.row(row)
    assert purpose is not None
    return purpose


def said(answer: Answer) -> tuple[str, str, str | None, list[str]]:
    """An answer's code, words, statement and source addresses."""
    return answer.value, answer.text, answer.rule, [source.address for source in answer.sources]


def test_each_answer_is_the_engines_with_its_rule_and_sources(snapshots: list[Snapshot]) -> None:
    """A purpose on by default with a setting: every aspect answered, each naming the rule line and the source."""
    acme = answers(compare(snapshots, ["US"], ON), "US", "acme", "AI training")
    rule = "tests/data/statements/acme@2025-01-01.yaml:61"
    notice = "https://acme.example/notice"
    assert said(acme.use) == ("used-by-default", "used by default", rule, [notice])
    assert said(acme.control) == ("offered", "setting “Use my data for AI” (Settings > AI)", rule, [notice])
    assert said(acme.retroactive) == ("not-stated", "the policy does not say", rule, [notice])
    assert acme.minors.explanation == (
        "the policy does not say whether members under 18 are excluded from AI training in United States (US)"
    )
    assert said(acme.private) == ("never-used", "never used", rule, [notice])
    assert (*said(acme.notice), acme.notice.days) == ("days", "61 days", rule, [notice], 61)


def test_consent_no_control_and_an_age_limit_without_a_word_on_believed_minors(snapshots: list[Snapshot]) -> None:
    """Off by default, no control, under-18s known to be excluded but not those only believed to be."""
    ads = answers(compare(snapshots, ["US"], ON), "US", "acme", "ads")
    assert ads.use.value == "only-with-consent"
    assert said(ads.control)[:2] == ("none", "nothing: no setting, form or signal")
    assert ads.retroactive.text == "no: from then on only"
    assert ads.minors.value == "excluded-when-age-known"
    assert ads.minors.text == "excluded when known to be under 18; not those only believed to be"
    assert ads.private.explanation == (
        "the policy states that it uses member data (which covers private messages) for ads in United States (US)"
    )


def test_a_purpose_stated_not_to_apply_is_not_used_and_nothing_else_arises(snapshots: list[Snapshot]) -> None:
    """Where the policy states the purpose does not apply, the rest does not arise, citing that statement."""
    acme = answers(compare(snapshots, ["Germany"], ON), "Germany", "acme", "AI training")
    assert said(acme.use) == (
        "not-used",
        "not used",
        "tests/data/statements/acme@2025-01-01.yaml:55",
        ["https://acme.example/notice"],
    )
    assert {acme.answer(aspect).value for aspect in ASPECTS if aspect != "use"} == {"not-applicable"}


def test_silence_is_said_with_the_documents_read_and_a_gap_as_not_covered(snapshots: list[Snapshot]) -> None:
    """Silence cites the documents read; a purpose the snapshot never covered there is said to be not covered."""
    comparison = compare(snapshots, ["India", "Germany"], ON)
    silent = answers(comparison, "India", "acme", "AI training").use
    assert said(silent)[:2] == ("not-stated", "the policy does not say")
    assert silent.explanation == "the policy does not say whether AI training applies in Rest of the world (ROW)"
    assert [source.address for source in silent.sources] == ["https://acme.example/notice"]
    gap = answers(comparison, "Germany", "acme", "ads")
    assert {gap.answer(aspect).value for aspect in ASPECTS} == {"not-covered"}
    assert gap.use.sources == ()


def test_a_purpose_under_an_alias_shares_the_row_and_an_undescribed_category_is_silence(
    snapshots: list[Snapshot],
) -> None:
    """Beta's "model training" answers in Acme's "AI training" row; Beta says nothing of private messages."""
    comparison = compare(snapshots, ["Germany"], ON)
    place = comparison.places[0]
    assert place.rows == ("AI training", "ads", "research")
    beta = answers(comparison, "Germany", "beta", "AI training")
    assert beta.purpose == "model training"
    assert said(beta.use) == (
        "only-with-consent",
        "only with consent",
        "tests/data/compare/beta@2025-03-01.yaml:57",
        ["https://news.example/beta"],
    )
    assert beta.private.explanation == (
        "beta@2025-03-01 does not describe private messages: the documents read say nothing of them"
    )
    assert next(p for p in place.platforms if p.platform == "beta").row("ads") is None


def test_purposes_share_a_row_whichever_platform_names_the_other() -> None:
    """Anthropic's "model training" (alias "generative AI training") shares LinkedIn's, Meta's and X's row."""
    shipped = load_snapshots([ROOT / "policy_snapshots"], ROOT)
    place = compare(shipped, ["US"], dt.date(2025, 11, 3)).places[0]
    assert place.rows[0] == "generative AI training"
    purposes = {p.platform: answers.purpose for p in place.platforms if (answers := p.row("generative AI training"))}
    assert purposes == {
        "anthropic": "model training",
        "linkedin": "generative AI training",
        "meta": "generative AI training",
        "x": "generative AI training",
    }


def test_the_date_picks_the_version_in_force_and_says_where_none_is(snapshots: list[Snapshot]) -> None:
    """Before Beta's first version there is a note, not an answer; later dates take Acme's later version."""
    early = compare(snapshots, ["US"], dt.date(2025, 2, 1)).places[0].platforms
    assert [(p.platform, p.snapshot, p.note) for p in early] == [
        ("acme", "acme@2025-01-01", None),
        (
            "beta",
            None,
            "no version of beta is in force on 2025-02-01: the first, beta@2025-03-01, takes effect on 2025-03-01",
        ),
    ]
    late = compare(snapshots, ["US"], dt.date(2025, 8, 1)).places[0].platforms
    assert [p.snapshot for p in late] == ["acme@2025-07-01", "beta@2025-03-01"]


def test_an_unknown_place_is_refused_with_the_closest_names(snapshots: list[Snapshot]) -> None:
    """A place no ISO name or region group answers to is an error naming the closest."""
    with pytest.raises(UnknownNameError, match=r"unknown place 'Germny'.*Germany"):
        compare(snapshots, ["Germny"], ON)


def test_the_json_follows_its_schema_and_the_schema_lists_every_answer(snapshots: list[Snapshot]) -> None:
    """The JSON validates against schemas/compare.schema.json, whose answer lists are the module's table."""
    data = json.loads(render_json(compare(snapshots, ["US", "Germany", "India"], ON)))
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    assert {aspect: SCHEMA["$defs"][aspect]["properties"]["answer"]["enum"] for aspect in ASPECTS} == {
        aspect: answer_codes(aspect) for aspect in ASPECTS
    }
    assert data == comparison_data(compare(snapshots, ["US", "Germany", "India"], ON))


def test_markdown_and_html_link_every_answer_to_its_rule_and_sources(snapshots: list[Snapshot]) -> None:
    """Each answer shows its rule and numbered links to its sources, listed under the place; "—" for no purpose."""
    comparison = compare(snapshots, ["US"], ON)
    markdown = render_markdown(comparison)
    assert (
        "| Members under 18 | the policy does not say · `tests/data/statements/acme@2025-01-01.yaml:61` · "
        "[1](<https://acme.example/notice>) | excluded · `tests/data/compare/beta@2025-03-01.yaml:46` · "
        "[2](<https://beta.example/terms>) |"
    ) in markdown
    assert "| Member data | used by default · `tests/data/statements/acme@2025-01-01.yaml:100` · " in markdown
    assert "[1](<https://acme.example/notice>) | — |" in markdown
    assert "1. [acme-notice](<https://acme.example/notice>) (Acme)" in markdown
    page = render_html(comparison)
    assert page.startswith("<!DOCTYPE html>")
    assert '<a href="https://beta.example/terms" title="beta-terms (Beta)">[2]</a>' in page
    assert "<code>tests/data/statements/acme@2025-01-01.yaml:61</code>" in page


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m policyproof`` as a user would."""
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding Acme's and Beta's snapshots."""
    folder = tmp_path / "policy_snapshots"
    folder.mkdir()
    for path in [*ACME.glob("*.yaml"), *BETA.glob("*.yaml")]:
        shutil.copy(path, folder)
    return tmp_path


def test_the_command_prints_each_format_and_defaults_to_the_eea_uk_and_us(project: Path) -> None:
    """``compare`` exits 0; without --region it answers for the EEA, the UK and the US; --format json is valid."""
    result = run("compare", "--as-of", "2025-03-15", cwd=project)
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## EEA (European Economic Area)", "## UK", "## US"]
    assert (
        "- **acme**: acme@2025-01-01 puts EEA (European Economic Area) in more than one region group; name a country"
    ) in result.stdout
    result = run("compare", "--as-of", "2025-03-15", "--region", "Germany", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [place["place"] for place in data["places"]] == ["Germany"]


def test_the_command_refuses_an_unknown_place_in_one_line(project: Path) -> None:
    """An unknown place exits 2 with one line naming the closest, and no traceback."""
    result = run("compare", "--region", "Germny", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("policyproof: error: unknown place 'Germny'")
    assert len(result.stderr.splitlines()) == 1


SOURCED = """\
@G-SOURCED @blocking
Feature: Every rule cites a source

  Scenario: Every rule cites a source
    Then every rule cites a source
"""


@pytest.mark.parametrize(("folders", "shown"), [((ACME, BETA), True), ((ACME,), False)], ids=["two", "one"])
def test_the_report_sets_two_platforms_side_by_side_and_one_alone(
    pytester: pytest.Pytester, folders: tuple[Path, ...], *, shown: bool
) -> None:
    """The Markdown and HTML reports hold the "Side by side" section on their date when two platforms are checked."""
    snapshots = pytester.path / "policy_snapshots"
    snapshots.mkdir()
    for path in (path for folder in folders for path in folder.glob("*.yaml")):
        shutil.copy(path, snapshots)
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "sourced.feature").write_text(SOURCED)
    pytester.makepyfile(test_sourced='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    pytester.runpytest("-p", "no:cacheprovider", "--snapshot", "all", "--as-of", "2025-03-15", "--policy-report", "out")
    markdown = (pytester.path / "out" / "compliance-report.md").read_text()
    html = (pytester.path / "out" / "compliance-report.html").read_text()
    assert ("## Side by side on 2025-03-15" in markdown) is shown
    assert ('<section id="side-by-side">' in html) is shown
    if shown:
        assert "### US\n\n- **acme**: acme@2025-01-01, region group US (United States)" in markdown


@pytest.mark.parametrize(
    ("documents", "text"),
    [
        (None, "excluded when known to be under 18; the policy does not say of those believed to be"),
        ((), "excluded when known to be under 18; the sources cited do not say of those believed to be"),
    ],
    ids=["documents-read", "excerpts-only"],
)
def test_believed_minors_left_open_are_said_of_the_sources_where_no_document_was_read(
    documents: tuple[str, ...] | None, text: str
) -> None:
    """Meta's age limit leaves believed minors open: the policy's silence with documents read, else its sources'."""
    meta = next(s for s in load_snapshots([ROOT / "policy_snapshots"], ROOT) if s.id == "meta@2025-05-27")
    if documents is not None:
        meta = dataclasses.replace(meta, documents=documents)
    found = compare([meta], ["DE"], dt.date(2025, 7, 1))
    minors = answers(found, "DE (Germany)", "meta", "generative AI training").minors
    assert (minors.value, minors.text) == ("excluded-when-age-known", text)
