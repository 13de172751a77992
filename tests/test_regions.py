"""Places: every country in one region group of each snapshot, GDPR territory in the EEA, and names reviewers write.

Territories the sources leave open sit in groups that no rule names.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
import pytest

from policyproof.exceptions import PolicyproofError, UnknownNameError
from policyproof.snapshot.country_names import OTHER_NAMES
from policyproof.snapshot.loader import load_snapshot
from policyproof.snapshot.regions import group_of, parse_place

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

ROOT = Path(__file__).parent.parent
SNAPSHOTS = sorted((ROOT / "policy_snapshots").glob("*.yaml"))
ACME = Path(__file__).parent / "data" / "valid" / "minimal" / "acme@2025-01-01.yaml"

# EU territory with an ISO 3166-1 code of its own (TFEU Art. 355(1) and (4)): the Åland Islands and the
# outermost regions French Guiana, Guadeloupe, Martinique, Réunion, Mayotte and Saint-Martin.
EU_TERRITORY = ["AX", "GF", "GP", "MQ", "RE", "YT", "MF"]
EEA_STATES = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT"]
EEA_STATES += ["LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"]


@pytest.fixture(scope="module", params=SNAPSHOTS, ids=[p.stem for p in SNAPSHOTS])
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    """Each shipped snapshot in turn."""
    path: Path = request.param
    return load_snapshot(path, ROOT)


@pytest.fixture(scope="module")
def every_group_id() -> frozenset[str]:
    """The group ids of all shipped snapshots, as a run that loads them all knows them."""
    return frozenset(g.id for path in SNAPSHOTS for g in load_snapshot(path, ROOT).region_groups)


def group_id(snapshot: Snapshot, text: str, group_ids: frozenset[str] | None = None) -> str | None:
    """The id of the snapshot's group for a place as a reviewer writes it."""
    ids = group_ids if group_ids is not None else frozenset(g.id for g in snapshot.region_groups)
    group = group_of(snapshot, parse_place(text, ids))
    return group.id if group is not None else None


def test_every_iso_country_is_in_exactly_one_group_of_every_snapshot(
    snapshot: Snapshot, every_group_id: frozenset[str]
) -> None:
    """Each ISO 3166-1 country and Kosovo is named by at most one group, resolves to one, by code and name alike."""
    for code, name in [*((str(c.alpha_2), str(c.name)) for c in pycountry.countries), ("XK", "Kosovo")]:
        assert len([g for g in snapshot.region_groups if code in g.countries]) <= 1, code
        group = snapshot.group_of_country(code)
        assert group is not None, f"{code} is in no region group of {snapshot.id}"
        for text in (code, name):
            assert parse_place(text, every_group_id).country == code, text
            assert group_id(snapshot, text, every_group_id) == group.id, text


def test_gdpr_territory_is_in_the_eea_group_of_every_snapshot(snapshot: Snapshot) -> None:
    """The EEA states and the EU territory ISO codes apart (Réunion, Åland, ...) are all in the EEA group."""
    for code in [*EEA_STATES, *EU_TERRITORY]:
        group = snapshot.group_of_country(code)
        assert group is not None
        assert group.id == "EEA", f"{code} is in {group.id} in {snapshot.id}"


@pytest.mark.parametrize(
    ("snapshot_id", "purpose", "on"),
    [
        ("linkedin@2025-11-03", "ad sharing with Microsoft", "2025-12-01"),
        ("linkedin@2024-09-18", "generative AI training", "2024-10-18"),
    ],
)
def test_explain_in_reunion_answers_for_the_eea(snapshot_id: str, purpose: str, on: str) -> None:
    """Réunion is in the EEA: explain no longer says its members' data is shared or trained on as elsewhere."""
    result = run_explain(snapshot_id, "Réunion", "profile data", purpose, on)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "Member:    in Réunion, region group European Economic Area (EEA)"
    assert lines[3].startswith("Decision:  NOT USED")


@pytest.mark.parametrize("place", ["Jersey", "Guernsey", "Isle of Man", "Svalbard"])
def test_explain_where_the_sources_are_silent_is_not_a_use(place: str) -> None:
    """In a territory the sources leave open, explain names its own group and never says the data is used."""
    result = run_explain("linkedin@2025-11-03", place, "profile data", "ad sharing with Microsoft")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split(", region group ")[1] in {"Crown Dependencies (CROWN)", "Svalbard and Jan Mayen (SJ)"}
    assert not lines[3].startswith("Decision:  USED")


def test_territories_the_sources_leave_open_have_groups_of_their_own(snapshot: Snapshot) -> None:
    """The Crown Dependencies, the US territories and Svalbard sit in groups of their own, never in the EEA, GB or US."""
    for code in ["JE", "GG", "IM", "AS", "GU", "MP", "PR", "UM", "VI", "SJ"]:
        group = snapshot.group_of_country(code)
        assert group is not None
        assert group.id not in {"EEA", "GB", "US"}
        if snapshot.platform == "linkedin":
            assert not group.rest_of_world, code


@pytest.mark.parametrize(
    ("purpose", "group", "entry"),
    [
        ("affiliate_ad_sharing", "CROWN", "silent"),
        ("affiliate_ad_sharing", "SJ", "silent"),
        ("affiliate_ad_sharing", "US_TERR", "rule"),
        ("offsite_ad_targeting", "SJ", "silent"),
        ("genai_training", "CROWN", "rule"),
        ("affiliate_ad_sharing", "OCT", "silent"),
        ("offsite_ad_targeting", "OCT", "silent"),
        ("genai_training", "OCT", "rule"),
        ("affiliate_ad_sharing", "CN", "rule"),
    ],
)
def test_a_territory_gets_a_rule_only_where_the_sources_words_settle_it(
    linkedin_2025: Snapshot, purpose: str, group: str, entry: str
) -> None:
    """Where the help text's "outside EU/EEA/Switzerland and the UK" or the notices settle a territory it has a rule; else its silence is recorded."""
    rule = linkedin_2025.rule_for(purpose, group)
    silence = linkedin_2025.silent_for(purpose, group)
    assert ("rule" if rule else "silent" if silence else "not covered") == entry


def test_mainland_china_is_exempt_from_linkedins_generative_ai_training_in_both_versions(
    linkedin_2024: Snapshot, linkedin_2025: Snapshot
) -> None:
    """Mainland China has its own group, stated not in scope in 2024 and 2025 on The Register's word."""
    for snapshot in (linkedin_2024, linkedin_2025):
        assert group_id(snapshot, "China") == "CN"
        assert snapshot.rule_for("genai_training", "CN") is None
        entry = snapshot.not_active_for("genai_training", "CN")
        assert entry is not None
        assert "register-2025-01-22" in entry.sources


@pytest.mark.parametrize(("group", "paused"), [("CA", dt.date(2024, 12, 9)), ("HK", dt.date(2024, 10, 10))])
def test_linkedin_trained_generative_ai_in_canada_and_hong_kong_until_the_pauses(
    linkedin_2024: Snapshot, group: str, paused: dt.date
) -> None:
    """Canada and Hong Kong were in use by 18 September 2024 until the pauses their regulators announced."""
    rule = linkedin_2024.rule_for("genai_training", group)
    assert rule is not None
    assert (rule.active_from, rule.active_until) == (dt.date(2024, 9, 18), paused)
    assert linkedin_2024.not_active_for("genai_training", group) is None


def test_meta_gives_the_rest_of_the_world_no_opt_out(meta_2025: Snapshot) -> None:
    """Meta's snapshot puts the US in a rest of the world whose rule names no control, the UK and Brazil apart."""
    assert group_id(meta_2025, "United States") == "ROW"
    assert group_id(meta_2025, "US", frozenset({"EEA", "ROW", "US"})) == "ROW"
    controls = {}
    for group in ("ROW", "GB", "BR", "CH"):
        rule = meta_2025.rule_for("genai_training", group)
        assert rule is not None
        controls[group] = rule.controls
    assert controls == {
        "ROW": (),
        "GB": ("objection_form",),
        "BR": ("objection_form",),
        "CH": ("objection_form",),
    }


def test_meta_gives_switzerland_its_own_rule_from_27_may_2025(meta_2025: Snapshot) -> None:
    """Switzerland, named by Blick, SRF and watson, has its own rule from 27 May 2025 with the objection form."""
    assert group_id(meta_2025, "Switzerland") == "CH"
    rule = meta_2025.rule_for("genai_training", "CH")
    assert rule is not None
    assert (rule.active_from, rule.start_known) == (dt.date(2025, 5, 27), True)
    assert meta_2025.silent_for("genai_training", "CH") is None


@pytest.mark.parametrize("place", ["Albania", "Moldova", "Jersey", "Svalbard", "Gibraltar", "Greenland"])
def test_meta_records_silence_where_no_source_settles_the_objection(meta_2025: Snapshot, place: str) -> None:
    """A European state outside the EEA, the UK and Switzerland, or a territory tied to a named region, is silent for Meta."""
    group = group_id(meta_2025, place)
    assert group is not None
    assert meta_2025.rule_for("genai_training", group) is None
    assert meta_2025.silent_for("genai_training", group) is not None


@pytest.mark.parametrize(
    ("place", "country", "group"),
    [
        ("EU", None, "EEA"),
        ("the European Union", None, "EEA"),
        ("European Economic Area", None, "EEA"),
        ("UK", "GB", "GB"),
        ("the U.K.", "GB", "GB"),
        ("Britain", "GB", "GB"),
        ("Great Britain", "GB", "GB"),
        ("Scotland", "GB", "GB"),
        ("Wales", "GB", "GB"),
        ("Holland", "NL", "EEA"),
        ("Russia", "RU", "ROW"),
        ("USA", "US", "US"),
        ("America", "US", "US"),
        ("California", "US", "US"),
        ("South Korea", "KR", "ROW"),
        ("Ivory Coast", "CI", "ROW"),
        ("Reunion", "RE", "EEA"),
        ("Aland", "AX", "EEA"),
        ("St Martin", "MF", "EEA"),
        ("Canary Islands", "ES", "EEA"),
        ("Azores", "PT", "EEA"),
        ("Madeira", "PT", "EEA"),
        ("Ceuta", "ES", "EEA"),
        ("Jersey", "JE", "CROWN"),
        ("U.S. Virgin Islands", "VI", "US_TERR"),
        ("Jan Mayen", "SJ", "SJ"),
        ("St. Barthélemy", "BL", "OCT"),
        ("Gibraltar", "GI", "OCT"),
        ("Greenland", "GL", "OCT"),
        ("Hong Kong", "HK", "HK"),
        ("Macao", "MO", "ROW"),
        ("Geneva", "CH", "CH"),
        ("Genf", "CH", "CH"),
        ("Zurich", "CH", "CH"),
        ("Zuerich", "CH", "CH"),
        ("Reunion Island", "RE", "EEA"),
        ("Île de la Réunion", "RE", "EEA"),
        ("Bavaria", "DE", "EEA"),
        ("Hong Kong SAR", "HK", "HK"),
        ("Kosovo", "XK", "ROW"),
        ("XK", "XK", "ROW"),
        ("Vienna", "AT", "EEA"),
        ("Macau", "MO", "ROW"),
    ],
)
def test_names_reviewers_write_resolve(linkedin_2025: Snapshot, place: str, country: str | None, group: str) -> None:
    """Common, former and partial names, subdivisions and reserved codes resolve to the country they mean."""
    ids = frozenset(g.id for g in linkedin_2025.region_groups)
    assert parse_place(place, ids).country == country
    assert group_id(linkedin_2025, place) == group


def test_the_place_shows_what_it_was_read_as() -> None:
    """Explain shows the country a name was read as, so a reviewer sees "Holland" became the Netherlands."""
    result = run_explain("linkedin@2025-11-03", "Holland", "profile data", "ad sharing with Microsoft")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[1]
        == "Member:    in Holland (Netherlands), region group European Economic Area (EEA)"
    )


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("Korea", "place 'Korea' could be 'Korea, Democratic People's Republic of' (KP) or 'Korea, Republic of' (KR)"),
        (
            "Virgin Islands",
            "place 'Virgin Islands' could be 'Virgin Islands, British' (VG) or 'Virgin Islands, U.S.' (VI)",
        ),
        ("Limburg", "place 'Limburg' could be 'Belgium' (BE) or 'Netherlands' (NL)"),
    ],
)
def test_a_name_several_countries_answer_to_is_refused(place: str, message: str) -> None:
    """A name that several countries answer to is an error naming them all, never a guess."""
    with pytest.raises(PolicyproofError) as caught:
        parse_place(place, frozenset({"EEA"}))
    assert str(caught.value) == message + "; name one by its ISO 3166 name or code"


@pytest.mark.parametrize(
    ("place", "suggestion"),
    [
        ("Rusia", "'Russia'"),
        ("Untied Kingdom", "'United Kingdom'"),
        ("Europe", "'European Union'"),
        ("Genva", "'Genova' or 'Geneva'"),
        ("Bavria", "'Bavaria'"),
    ],
)
def test_an_unknown_place_suggests_a_sensible_name(place: str, suggestion: str) -> None:
    """A misspelt place is refused with the closest names, common names and areas among them."""
    with pytest.raises(UnknownNameError, match=rf"unknown place '{place}' in ISO 3166 .*; did you mean {suggestion}"):
        parse_place(place, frozenset({"EEA"}))


@pytest.mark.parametrize("place", ["Mars", "Clipperton", "Hong Kong S", "Nouvelle-Calédonie"])
def test_a_place_read_only_by_a_guess_is_unknown(place: str) -> None:
    """No part-word match ("Mars" for the Marshall Islands), no territory set apart read as its country."""
    with pytest.raises(UnknownNameError, match=rf"unknown place '{place}'"):
        parse_place(place, frozenset({"EEA"}))


def test_kosovo_is_read_as_itself_and_not_as_a_part_of_serbia(meta_2025: Snapshot) -> None:
    """Kosovo is XK, shown by its name; Meta's snapshot places it with Serbia, where the press that names them places it."""
    place = parse_place("XK", frozenset())
    assert (place.country, place.shown) == ("XK", "XK (Kosovo)")
    assert parse_place("Kosovo", frozenset()).shown == "Kosovo"
    assert group_id(meta_2025, "Kosovo") == group_id(meta_2025, "Serbia") == "ROW"


@pytest.mark.parametrize("place", ["Kosovo", "Serbia", "Bosnia and Herzegovina", "Montenegro", "North Macedonia"])
def test_meta_gives_no_opt_out_in_the_western_balkans_the_press_names(meta_2025: Snapshot, place: str) -> None:
    """The five Western Balkan states RFE/RL names get Meta's rule without an opt-out, citing the reports that name them."""
    group = group_id(meta_2025, place)
    assert group == "ROW"
    rule = meta_2025.rule_for("genai_training", group)
    assert rule is not None
    assert (rule.default_on, rule.controls) == (True, ())
    assert {"rferl-balkans-2024-10-06", "n1-bih-2024"} <= set(rule.sources)
    assert any("Kosovo" in d.about and "Axios" in d.about for d in rule.disagreements)


def test_a_translated_name_never_takes_a_name_from_the_places_own_language() -> None:
    """A French department keeps its name ("Vienne") though French also calls Vienna so; a translation's name stays its place's."""
    assert parse_place("Vienne", frozenset()).country == "FR"
    assert parse_place("Ginevra", frozenset()).country == "CH"


def test_an_area_split_across_groups_has_no_group() -> None:
    """The European Union has no group in a snapshot that puts some of its countries in the rest of the world."""
    acme = load_snapshot(ACME)
    assert group_of(acme, parse_place("European Union", frozenset({"EU", "ROW"}))) is None
    assert group_id(acme, "EU") == "EU"


def test_a_scenario_naming_a_place_several_countries_share_fails_collection(acme_suite: pytest.Pytester) -> None:
    """A guarantee written for "Korea" is refused at collection with its line and both Koreas."""
    (acme_suite.path / "features" / "extra.feature").write_text(
        "@G-X @blocking\nFeature: X\n  Scenario: Korea\n    Given a member in Korea\n    Then every rule cites a source\n"
    )
    result = acme_suite.runpytest("--as-of", "2025-06-01", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "features/extra.feature:4: Given a member in Korea",
            "  place 'Korea' could be 'Korea, Democratic People's Republic of' (KP) or 'Korea, Republic of' (KR);*",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_other_names_are_only_names_iso_does_not_give() -> None:
    """The table of other names holds no ISO 3166-1 name or code, and each entry means an ISO 3166-1 country."""
    for name, code in OTHER_NAMES.items():
        with pytest.raises(LookupError):
            pycountry.countries.lookup(name)
        assert pycountry.countries.get(alpha_2=code) is not None, name


def run_explain(
    snapshot_id: str, place: str, data: str, purpose: str, on: str = "2025-12-01"
) -> subprocess.CompletedProcess[str]:
    """``policyproof explain`` for one question (by default on 1 December 2025), as a user runs it."""
    args = ["--snapshot", snapshot_id, "--place", place, "--data", data, "--purpose", purpose, "--on", on]
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "explain", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
