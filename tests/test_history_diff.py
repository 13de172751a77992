"""The semantic diff: every kind of change on small snapshot pairs, mirror images, and LinkedIn's 2025 change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from policyproof.cli import main
from policyproof.history.diff import FIELDS, Change, Diff, Entry, diff
from policyproof.history.facts import NOT_STATED, REST, Fact, Named
from policyproof.report.diff import diff_data, render_markdown, render_text
from policyproof.report.sentences import SENTENCES
from policyproof.snapshot.loader import load_snapshot
from policyproof.snapshot.model import Control, RegionGroup, Snapshot
from policyproof.snapshot.purposes import Exclusion, NotActive, Purpose, Rule

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "diff.schema.json").read_text())
BASE = load_snapshot(ROOT / "tests" / "data" / "valid" / "minimal" / "acme@2025-01-01.yaml", ROOT)
RULE = BASE.purposes[0].rules[0]
EXTRA_CONTROL = Control("ads_setting", "setting", "Share with partners", (), None, None, ("acme-notice",))


def later(snapshot: Snapshot, **changes: Any) -> Snapshot:  # noqa: ANN401 (any of a snapshot's fields)
    """A later version of the snapshot, with some of its fields replaced."""
    fields = {"version": dt.date(2025, 6, 1), "effective": dt.date(2025, 6, 1), "announced": dt.date(2025, 5, 1)}
    return dataclasses.replace(snapshot, **(fields | changes))


def with_rules(snapshot: Snapshot, *rules: Rule, not_active: tuple[NotActive, ...] = (), **changes: Any) -> Snapshot:  # noqa: ANN401
    """The snapshot with its one purpose governed by these rules, and stated not to apply where ``not_active`` says."""
    purpose = dataclasses.replace(snapshot.purposes[0], rules=rules, not_active=not_active)
    return dataclasses.replace(snapshot, purposes=(purpose,), **changes)


def rule(**changes: Any) -> Rule:  # noqa: ANN401 (any of a rule's fields)
    """The base rule with some terms changed (the line moves, as an edit would move it)."""
    return dataclasses.replace(RULE, **({"line": RULE.line + 1} | changes))


def only(changes: Diff) -> tuple[Entry, Change]:
    """The one entry of a diff and its one change."""
    [entry] = changes.entries
    [change] = entry.changes
    return entry, change


# One case a kind of change: the newer version, then the field, kind and sentence the diff must give.
CASES: dict[str, tuple[Callable[[], Snapshot], str, str, str]] = {
    "default flipped to opt-in": (
        lambda: later(with_rules(BASE, rule(default_on=False))),
        "default",
        "changed",
        "It is now off by default (opt-in): used only if you turn it on; before, it was on unless you turned it off.",
    ),
    "control added": (
        lambda: later(
            with_rules(BASE, rule(controls=("ai_setting", "ads_setting")), controls=(*BASE.controls, EXTRA_CONTROL))
        ),
        "controls",
        "added",
        "Now turned off with: Share with partners.",
    ),
    "control removed": (
        lambda: later(with_rules(BASE, rule(controls=()))),
        "controls",
        "removed",
        "No longer turned off with: Use my data for AI.",
    ),
    "control renamed": (
        lambda: later(
            with_rules(BASE, rule(), controls=(dataclasses.replace(BASE.controls[0], label="AI improvement"),))
        ),
        "controls",
        "renamed",
        "“Use my data for AI” is now called “AI improvement”.",
    ),
    "category added to used": (
        lambda: later(with_rules(BASE, rule(uses=("posts", "member_data")))),
        "uses",
        "added",
        "Now used: member data.",
    ),
    "category removed from used": (
        lambda: later(with_rules(BASE, rule(uses=()))),
        "uses",
        "removed",
        "No longer stated as used: public posts.",
    ),
    "category removed from never used": (
        lambda: later(with_rules(BASE, rule(never_uses=()))),
        "never_uses",
        "removed",
        "No longer stated as never used: private messages.",
    ),
    "age limit newly stated": (
        lambda: later(with_rules(BASE, rule(excluded=Exclusion(16, believed_under_18=True)))),
        "age_below",
        "newly-stated",
        "The age below which members are excluded is now stated: 16.",
    ),
    "exclusion of minors no longer stated": (
        lambda: later(with_rules(BASE, rule(excluded=Exclusion(None, None)))),
        "believed_under_18",
        "no-longer-stated",
        "Whether members believed to be under 18 are excluded is no longer stated (before: excluded).",
    ),
    "minors stated not excluded": (
        lambda: later(with_rules(BASE, rule(excluded=Exclusion(None, believed_under_18=False)))),
        "believed_under_18",
        "changed",
        "Whether members believed to be under 18 are excluded changed from excluded to not excluded.",
    ),
    "other categories stated not used": (
        lambda: later(with_rules(BASE, rule(others_not_used=True))),
        "other_categories",
        "newly-stated",
        "Whether other data is used is now stated: not used.",
    ),
    "condition added": (
        lambda: later(with_rules(BASE, rule(conditions=("only posts you made public",)))),
        "conditions",
        "added",
        "Newly stated condition: only posts you made public.",
    ),
    "legal basis changed": (
        lambda: later(with_rules(BASE, rule(legal_basis="consent"))),
        "legal_basis",
        "changed",
        "The legal basis changed from legitimate interest to consent.",
    ),
    "legal basis no longer stated": (
        lambda: later(with_rules(BASE, rule(legal_basis=None))),
        "legal_basis",
        "no-longer-stated",
        "The legal basis is no longer stated (before: legitimate interest).",
    ),
    "recipients changed": (
        lambda: later(with_rules(BASE, rule(recipients=("Acme Cloud",)))),
        "recipients",
        "added",
        "Now shared with: Acme Cloud.",
    ),
    "opt-out effect no longer stated": (
        lambda: later(with_rules(BASE, rule(retroactive=None))),
        "opt_out_effect",
        "no-longer-stated",
        "What turning it off does is no longer stated (before: it stops future use only).",
    ),
    "end date stated": (
        lambda: later(with_rules(BASE, rule(active_until=dt.date(2025, 9, 30)))),
        "dates",
        "changed",
        "It now stops after 30 September 2025 (before: no date).",
    ),
    "opt-out effect changed": (
        lambda: later(with_rules(BASE, rule(retroactive=True))),
        "opt_out_effect",
        "changed",
        "What turning it off does changed from it stops future use only to it also removes data already used.",
    ),
    "start date moved": (
        lambda: later(with_rules(BASE, rule(active_from=dt.date(2025, 3, 1)))),
        "dates",
        "changed",
        "It now starts on 1 March 2025 (before: 1 January 2025).",
    ),
    "no longer active, not stated": (
        lambda: later(BASE, purposes=()),
        "active",
        "no-longer-active",
        "From 1 June 2025, in Europe and the rest of the world, AI training is not stated; before, your public posts "
        "was used for it from 1 January 2025.",
    ),
    "no longer active, stated": (
        lambda: later(not_active_everywhere(BASE)),
        "active",
        "no-longer-active",
        "From 1 June 2025, in Europe and the rest of the world, AI training is stated not to apply; before, your "
        "public posts was used for it from 1 January 2025.",
    ),
}


def not_active_everywhere(snapshot: Snapshot) -> Snapshot:
    """The snapshot stating that its purpose applies in none of its region groups."""
    entry = NotActive("ai_training", ("EU", "ROW"), ("acme-notice",), (), RULE.line + 1)
    return with_rules(snapshot, not_active=(entry,))


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_kind_of_change_is_named_with_its_sentence_and_rule_lines(case: str) -> None:
    """A pair differing in one term gives one entry, with the change's field, kind, sentence and both rule lines."""
    make, field, kind, sentence = CASES[case]
    new = make()
    entry, change = only(diff(BASE, new))
    assert (change.field, change.kind) == (field, kind)
    text = render_text(diff(BASE, new))
    if field == "active":
        assert diff_data(diff(BASE, new))["entries"][0]["text"][0] == sentence
    else:
        assert diff_data(diff(BASE, new))["entries"][0]["changes"][0]["text"] == sentence
        assert entry.old_location == f"tests/data/valid/minimal/acme@2025-01-01.yaml:{RULE.line}"
        assert entry.new_location == f"tests/data/valid/minimal/acme@2025-01-01.yaml:{RULE.line + 1}"
    assert entry.countries == ("DE", "FR", REST)
    assert "Rules: tests/data/valid/minimal/acme@2025-01-01.yaml" in text


def test_a_use_that_starts_with_a_version_is_newly_active_with_its_terms() -> None:
    """A purpose the old version does not state reads as a sentence a member understands, with its terms."""
    old = later(BASE, purposes=())
    changes = diff(old, later(BASE, version=dt.date(2025, 9, 1), effective=dt.date(2025, 9, 1)))
    entry, change = only(changes)
    assert change.kind == "newly-active"
    assert diff_data(changes)["entries"][0]["text"] == [
        "From 1 January 2025, in Europe and the rest of the world, your public posts is used for AI training unless "
        "you turn it off with “Use my data for AI”.",
        "Never used: private messages.",
        "Excluded: members believed to be under 18.",
        "Legal basis: legitimate interest.",
        "Turning it off stops future use only.",
    ]
    assert entry.old_location == "tests/data/valid/minimal/acme@2025-01-01.yaml"
    text = " ".join(render_text(changes).split())
    assert f"Rules: tests/data/valid/minimal/acme@2025-01-01.yaml (not stated) → {entry.new_location}" in text


def test_a_purpose_stated_not_to_apply_where_it_was_not_stated_is_a_change() -> None:
    """Going from silence to a statement that the purpose does not apply is a change, cited on both sides."""
    old = later(BASE, purposes=())
    new = not_active_everywhere(later(BASE, version=dt.date(2025, 9, 1)))
    changes = diff(old, new)
    entry, change = only(changes)
    assert change.kind == "newly-stated"
    assert entry.new_location == f"tests/data/valid/minimal/acme@2025-01-01.yaml:{RULE.line + 1}"
    assert diff_data(changes)["entries"][0]["text"] == [
        "In Europe and the rest of the world, the policy now states that AI training does not apply "
        "(before, it did not say)."
    ]
    assert only(diff(new, old))[1].kind == "no-longer-stated"


def test_the_notice_period_is_compared_for_uses_that_start_with_each_version() -> None:
    """A use starting with both versions compares the days between announcement and start."""
    old = later(with_rules(BASE, rule(active_from=dt.date(2025, 6, 1), line=RULE.line)))
    new = dataclasses.replace(old, version=dt.date(2025, 6, 2), announced=dt.date(2025, 5, 25))
    _, change = only(diff(old, new))
    assert change.field == "notice"
    assert diff_data(diff(old, new))["entries"][0]["changes"][0]["text"] == "Announced 7 days ahead (before: 31 days)."


def test_a_country_that_moves_between_region_groups_is_a_change() -> None:
    """France leaving the EU group for a group of its own is a move, and the purpose stops being stated there."""
    groups = (
        RegionGroup("EU", "Europe", frozenset({"DE"}), rest_of_world=False),
        RegionGroup("FR", "France", frozenset({"FR"}), rest_of_world=False),
        BASE.region_groups[1],
    )
    changes = diff(BASE, later(BASE, region_groups=groups))
    [move] = changes.moves
    assert (move.country, move.before, move.after) == ("FR", Named("EU", "Europe"), Named("FR", "France"))
    [entry] = changes.entries
    assert entry.countries == ("FR",)
    assert entry.changes[0].kind == "no-longer-active"
    assert "- France moved from Europe (EU) to France (FR)." in render_text(changes)
    assert "From 1 June 2025, in France, AI training is not stated;" in render_text(changes)


def test_regions_grouped_differently_but_governed_alike_compare_equal() -> None:
    """Splitting a region group under the same rule changes the groups, not what is stated about any country."""
    groups = (
        RegionGroup("DE", "Germany", frozenset({"DE"}), rest_of_world=False),
        RegionGroup("FR", "France", frozenset({"FR"}), rest_of_world=False),
        BASE.region_groups[1],
    )
    new = later(with_rules(BASE, dataclasses.replace(RULE, regions=("DE", "FR", "ROW"))), region_groups=groups)
    changes = diff(BASE, new)
    assert [m.country for m in changes.moves] == ["DE", "FR"]
    assert changes.entries == ()


def test_diff_of_a_version_with_itself_is_empty() -> None:
    """A snapshot compared with itself is identical, and the text says so."""
    changes = diff(BASE, BASE)
    assert changes.identical
    assert render_text(changes).endswith("acme@2025-01-01 state the same thing about every purpose in every country.\n")


def test_every_field_has_a_sentence_and_is_in_the_schema() -> None:
    """The fields the diff compares, the sentences that say them and the JSON Schema's list agree."""
    names = [field.name for field in FIELDS]
    assert list(SENTENCES) == names
    assert SCHEMA["$defs"]["change"]["properties"]["field"]["enum"] == ["active", *names]


# --- mirror images, property-based -------------------------------------------------------------------

COUNTRIES = ("DE", "FR", "IT")
CATEGORIES = ("member_data", "posts", "messages")


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    """A small random version of the base snapshot: its region groups, controls and rules vary."""
    in_eu = draw(st.sets(st.sampled_from(COUNTRIES)))
    groups = (dataclasses.replace(BASE.region_groups[0], countries=frozenset(in_eu)), BASE.region_groups[1])
    label = draw(st.sampled_from(["Use my data for AI", "AI improvement"]))
    controls = (dataclasses.replace(BASE.controls[0], label=label), EXTRA_CONTROL)
    regions = draw(st.lists(st.sampled_from(["EU", "ROW"]), unique=True, max_size=2))
    rules = []
    for index, region in enumerate(regions):
        uses = draw(st.sets(st.sampled_from(CATEGORIES)))
        rules.append(
            dataclasses.replace(
                RULE,
                index=index,
                regions=(region,),
                line=draw(st.integers(40, 45)),
                active_from=draw(st.sampled_from([dt.date(2025, 1, 1), dt.date(2025, 3, 1)])),
                default_on=draw(st.booleans()),
                controls=tuple(draw(st.sets(st.sampled_from(["ai_setting", "ads_setting"])))),
                legal_basis=draw(st.sampled_from([None, "consent", "legitimate interest"])),
                uses=tuple(uses),
                never_uses=tuple(draw(st.sets(st.sampled_from(CATEGORIES))) - uses),
                excluded=Exclusion(draw(st.sampled_from([None, 16])), draw(st.sampled_from([None, True, False]))),
                retroactive=draw(st.sampled_from([None, True, False])),
                active_until=draw(st.sampled_from([None, dt.date(2025, 9, 30)])),
                others_not_used=draw(st.booleans()),
                conditions=tuple(draw(st.sets(st.sampled_from(["public posts only", "adults only"])))),
                recipients=tuple(draw(st.sets(st.sampled_from(["Acme", "Acme Cloud"])))),
            )
        )
    silent = [region for region in ("EU", "ROW") if region not in regions]
    not_active = draw(st.lists(st.sampled_from(silent), unique=True)) if silent else []
    stated = (NotActive("ai_training", tuple(not_active), ("acme-notice",), (), 50),) if not_active else ()
    purposes = (Purpose("ai_training", "AI training", (), tuple(rules), stated),) if rules or stated else ()
    announced = draw(st.sampled_from([dt.date(2024, 11, 1), dt.date(2024, 12, 1)]))
    return dataclasses.replace(BASE, region_groups=groups, controls=controls, purposes=purposes, announced=announced)


@settings(max_examples=150, deadline=None)
@given(snapshots(), snapshots())
def test_diff_a_b_and_diff_b_a_are_mirror_images(old: Snapshot, new: Snapshot) -> None:
    """What changed from A to B, seen from B, is what changed from B to A."""
    forward, backward = diff(old, new), diff(new, old)
    assert backward == forward.mirrored()
    assert forward.identical == backward.identical
    for entry in forward.entries:
        assert entry.changes
        assert all(change.before != change.after for change in entry.changes)


@settings(max_examples=50, deadline=None)
@given(snapshots())
def test_diff_a_a_is_empty(snapshot: Snapshot) -> None:
    """Any version compared with itself is identical."""
    assert diff(snapshot, snapshot).identical


# --- LinkedIn's change of 3 November 2025 ---------------------------------------------------------------


@pytest.fixture(scope="module")
def linkedin(linkedin_2024: Snapshot, linkedin_2025: Snapshot) -> Diff:
    """What changed from LinkedIn's 2024 version to its 2025 one."""
    return diff(linkedin_2024, linkedin_2025)


def _entry(changes: Diff, purpose: str, country: str) -> Entry:
    return next(e for e in changes.entries if e.purpose.id == purpose and country in e.countries)


EUROPE_AND_MORE = ("CH", "GB", "CA", "HK", "NO", "DE", "IE")
PAUSED_IN_2024 = {"GB": dt.date(2024, 9, 19), "CA": dt.date(2024, 12, 9), "HK": dt.date(2024, 10, 10)}


@pytest.mark.parametrize("country", EUROPE_AND_MORE)
def test_linkedin_generative_ai_training_is_newly_active_in_europe_canada_and_hong_kong(
    linkedin: Diff, country: str
) -> None:
    """From 3 November 2025 generative AI training is active in the EEA, CH, GB, CA and HK, where it was not."""
    entry = _entry(linkedin, "genai_training", country)
    if country in PAUSED_IN_2024:
        # Used from 18 September 2024 until its suspension or pause, then from 3 November 2025 under the new
        # version.
        dates = next(change for change in entry.changes if change.field == "dates")
        assert (dates.before, dates.after) == (
            (dt.date(2024, 9, 18), PAUSED_IN_2024[country]),
            (dt.date(2025, 11, 3), None),
        )
    else:
        [change] = entry.changes
        assert change.kind == "newly-active"
        assert isinstance(change.after, Fact)
        assert change.after.active_from == dt.date(2025, 11, 3)
    assert entry.new_location.startswith("policy_snapshots/linkedin@2025-11-03.yaml:")


def test_linkedin_text_names_the_places_and_the_setting(linkedin: Diff) -> None:
    """The text says, for a member, from when and where their data is used and how to turn it off."""
    text = " ".join(render_text(linkedin).split())
    assert (
        "From 3 November 2025, in the European Economic Area, "
        "your feedback on AI outputs, generative AI prompts, groups data, member content, profile data and resumes "
        "are used for generative AI training unless you turn it off with “Data for Generative AI Improvement”."
    ) in text


def test_linkedin_ad_sharing_with_microsoft_is_newly_stated_outside_europe(linkedin: Diff) -> None:
    """Ad sharing with Microsoft becomes active everywhere but the EEA, Switzerland, the UK and the places left open."""
    entries = [
        e for e in linkedin.entries if e.purpose.id == "affiliate_ad_sharing" and e.changes[0].kind == "newly-active"
    ]
    countries = {country for entry in entries for country in entry.countries}
    assert countries == {"US", "CA", "HK", "CN", "AS", "GU", "MP", "PR", "UM", "VI", REST}
    stated_not = [e for e in linkedin.entries if e.purpose.id == "affiliate_ad_sharing" and e not in entries]
    assert {c for e in stated_not for c in e.countries} >= {"DE", "CH", "GB", "RE", "AX"}
    assert all(e.changes[0].kind == "newly-stated" for e in stated_not)
    assert all(entry.changes[0].kind == "newly-active" for entry in entries)
    assert all(entry.old_location == "policy_snapshots/linkedin@2024-09-18.yaml" for entry in entries)


def _us_rule_line(version: str) -> int:
    """The line of the generative AI training rule for the US and the rest of the world in a LinkedIn version."""
    lines = (ROOT / "policy_snapshots" / f"linkedin@{version}.yaml").read_text().splitlines()
    return lines.index("      - regions: [US, US_TERR, ROW]") + 1


def test_linkedin_newly_states_the_exclusion_of_private_messages_and_minors(linkedin: Diff) -> None:
    """Where training went on, the 2025 version newly states that private messages and minors are excluded."""
    entry = _entry(linkedin, "genai_training", "US")
    assert set(entry.countries) == {"US", "AS", "GU", "MP", "PR", "UM", "VI", REST}
    assert entry.old_location == f"policy_snapshots/linkedin@2024-09-18.yaml:{_us_rule_line('2024-09-18')}"
    changes = {change.field: change for change in entry.changes}
    never = changes["never_uses"]
    assert never.kind == "added"
    assert Named("private_messages", "private messages") in never.added
    minors = changes["believed_under_18"]
    assert (minors.kind, minors.before, minors.after) == ("newly-stated", NOT_STATED, True)


# --- the command -------------------------------------------------------------------------------------


def test_diff_of_a_platform_compares_its_latest_two_versions(capsys: pytest.CaptureFixture[str]) -> None:
    """``policyproof diff linkedin`` compares its two versions and exits 1, for they differ."""
    assert main(["diff", "linkedin", "--snapshots", str(ROOT / "policy_snapshots")]) == 1
    assert capsys.readouterr().out.startswith("What changed from linkedin@2024-09-18 to linkedin@2025-11-03\n")


def test_diff_json_follows_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON form validates against schemas/diff.schema.json."""
    folder = str(ROOT / "policy_snapshots")
    assert main(["diff", "linkedin@2025-11-03", "linkedin@2024-09-18", "--format", "json", "--snapshots", folder]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "warning: linkedin@2025-11-03 is later than linkedin@2024-09-18, so this shows what changes going back from "
        "it; for what changed, name the earlier version first: policyproof diff linkedin@2024-09-18 "
        "linkedin@2025-11-03\n"
    )
    data = json.loads(captured.out)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(data)
    assert data["old"]["id"] == "linkedin@2025-11-03"
    assert {change["kind"] for entry in data["entries"] for change in entry["changes"]} >= {
        "no-longer-active",
        "removed",
        "no-longer-stated",
    }


def test_diff_in_order_warns_of_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """Earlier then later, or one version with itself, gives no warning."""
    folder = str(ROOT / "policy_snapshots")
    assert main(["diff", "linkedin@2024-09-18", "linkedin@2025-11-03", "--snapshots", folder]) == 1
    assert capsys.readouterr().err == ""
    assert main(["diff", "linkedin@2024-09-18", "linkedin@2024-09-18", "--snapshots", folder]) == 0
    assert capsys.readouterr().err == ""


def test_diff_markdown_has_a_heading_a_purpose(capsys: pytest.CaptureFixture[str]) -> None:
    """The Markdown form heads each purpose and lists its changes with the rules on both sides."""
    assert main(["diff", "linkedin", "--format", "markdown", "--snapshots", str(ROOT / "policy_snapshots")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("# What changed from linkedin@2024-09-18 to linkedin@2025-11-03\n")
    assert "\n## Generative AI training\n" in out
    old, new = _us_rule_line("2024-09-18"), _us_rule_line("2025-11-03")
    assert (
        f"policy\\_snapshots/linkedin@2024-09-18.yaml:{old} → policy\\_snapshots/linkedin@2025-11-03.yaml:{new}" in out
    )
    assert render_markdown(diff(BASE, BASE)).endswith("state the same thing about every purpose in every country.\n")


def test_diff_of_identical_versions_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """Two identical versions exit 0."""
    folder = str(ROOT / "policy_snapshots")
    assert main(["diff", "linkedin@2024-09-18", "linkedin@2024-09-18", "--snapshots", folder]) == 0
    assert "state the same thing" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("versions", "message"),
    [
        (["meta"], "meta has one version (meta@2025-05-27); a diff needs two"),
        (
            ["linkedn"],
            "unknown platform 'linkedn'; did you mean 'linkedin'?; known: 'anthropic', 'linkedin', 'meta', 'x'",
        ),
        (["linkedin@2024-09-18", "meta@2025-05-27"], "linkedin@2024-09-18 and meta@2025-05-27 are versions of"),
        (["linkedin@2024-09-19", "linkedin@2025-11-03"], "unknown snapshot 'linkedin@2024-09-19'; did you mean"),
        (["linkedin@2024-09-18"], "name a second snapshot to compare linkedin@2024-09-18 with"),
        (["a", "b", "c"], "name two snapshots (platform@version platform@version) or one platform"),
    ],
)
def test_diff_errors_exit_2_with_one_message(
    capsys: pytest.CaptureFixture[str], versions: list[str], message: str
) -> None:
    """Unknown or unsuitable versions exit 2 with a message and no traceback."""
    assert main(["diff", *versions, "--snapshots", str(ROOT / "policy_snapshots")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"policyproof: error: {message}")
