"""Snapshot validation: the invalid corpus, the shipped snapshots, and loading into the model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyproof.exceptions import InputError
from policyproof.snapshot.loader import discover, load_snapshot, load_snapshots, validate
from policyproof.snapshot.yaml_loader import MAX_BYTES

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").iterdir())
ROOT = Path(__file__).parent.parent
SHIPPED = sorted((ROOT / "policy_snapshots").glob("*.yaml"))


def test_the_invalid_corpus_is_large_enough() -> None:
    """The corpus holds at least 30 invalid snapshots, each with its expected messages."""
    assert len(INVALID) >= 30
    assert all((case / "expected.txt").read_text().strip() for case in INVALID)


@pytest.mark.parametrize("case", INVALID, ids=[case.name for case in INVALID])
def test_invalid_snapshot_gives_exactly_the_expected_problems(case: Path) -> None:
    """Each invalid snapshot yields exactly its expected ``line:col: json.path: message`` lines."""
    [snapshot] = [p for p in case.iterdir() if p.suffix == ".yaml"]
    [result] = validate([snapshot])
    expected = (case / "expected.txt").read_text().splitlines()
    assert [f"{p.line}:{p.column}: {p.json_path}: {p.message}" for p in result.problems] == expected
    assert all(str(problem).startswith(f"{snapshot}:") for problem in result.problems)


def test_a_file_over_one_mebibyte_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file larger than 1 MiB is refused with its size, without being parsed."""
    huge = tmp_path / "acme@2025-01-01.yaml"
    huge.write_text("notes: |\n" + "x" * (MAX_BYTES + 1 - len("notes: |\n")))
    [result] = validate([huge])
    [problem] = result.problems
    assert problem.message == "file is 1,048,577 bytes; the limit is 1,048,576 (1 MiB)"


def test_a_missing_file_is_a_problem_of_that_file(tmp_path: Path) -> None:
    """Loading a file that does not exist names it and says so."""
    with pytest.raises(InputError, match=r"acme@2025-01-01.yaml:1:1: \$: no such file"):
        load_snapshot(tmp_path / "acme@2025-01-01.yaml")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_snapshots_are_valid(path: Path) -> None:
    """Every shipped snapshot passes every check."""
    [result] = validate([path])
    assert result.problems == ()
    assert result.snapshot_id == path.stem


def test_the_real_snapshots_are_shipped() -> None:
    """The Anthropic 2025 (two), LinkedIn 2024 and 2025, Meta 2025 and X 2024 snapshots are shipped."""
    assert [p.stem for p in SHIPPED] == [
        "anthropic@2025-08-27",
        "anthropic@2025-10-08",
        "linkedin@2024-09-18",
        "linkedin@2025-11-03",
        "meta@2025-05-27",
        "x@2024-07-26",
        "x@2024-09-04",
        "x@2024-11-15",
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_snapshots_declare_their_schema_for_editors(path: Path) -> None:
    """Each snapshot starts with the yaml-language-server comment that points editors at the schema."""
    first = path.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/policy-snapshot.schema.json"


def test_errors_in_several_files_are_all_reported() -> None:
    """Loading a set of files reports the problems of every bad file, not just the first."""
    cases = [DATA / "invalid" / "bad_default", DATA / "invalid" / "bad_control_kind"]
    with pytest.raises(InputError) as caught:
        load_snapshots(cases)
    assert [p.json_path for p in caught.value.problems] == [
        "$.purposes[0].rules[0].default",
        "$.controls[0].kind",
    ]


def test_discover_expands_folders_in_name_order(tmp_path: Path) -> None:
    """A folder stands for its YAML files, sorted by name; other files are left alone."""
    for name in ("b@2.yaml", "a@1.yml", "notes.txt"):
        (tmp_path / name).write_text("")
    assert [p.name for p in discover([tmp_path])] == ["a@1.yml", "b@2.yaml"]


def test_loaded_snapshot_carries_dates_rules_and_lines() -> None:
    """Loading builds the model: dates as dates, rules with their file line and sources."""
    snapshot = load_snapshot(ROOT / "policy_snapshots" / "linkedin@2025-11-03.yaml")
    assert snapshot.id == "linkedin@2025-11-03"
    assert snapshot.supersedes == dt.date(2024, 9, 18)
    rule = snapshot.rule_for("genai_training", "GB")
    assert rule is not None
    assert rule.active_from == dt.date(2025, 11, 3)
    assert rule.legal_basis == "legitimate interest"
    text = snapshot.path.read_text().splitlines()
    assert text[rule.line - 1].strip() == "- regions: [CH, GB]"
    assert "ico-2025-09-23" in rule.sources
    assert len(snapshot.sha256) == 64


def test_shipped_snapshots_state_only_what_their_sources_say() -> None:
    """Legal bases, a suspended use's last day, stated non-use, conditions and exclusions appear only where sourced."""
    linkedin_2025 = load_snapshot(ROOT / "policy_snapshots" / "linkedin@2025-11-03.yaml")
    genai = [linkedin_2025.rule_for("genai_training", group) for group in ("GB", "CA", "HK", "US")]
    assert [rule.legal_basis if rule else "no rule" for rule in genai] == [
        "legitimate interest",
        "legitimate interest",
        "legitimate interest",
        None,
    ]
    sharing = linkedin_2025.rule_for("affiliate_ad_sharing", "US")
    assert sharing is not None
    assert sharing.conditions == (
        "it does not include any data that your settings do not allow LinkedIn to use for ad purposes",
    )
    assert linkedin_2025.not_active_for("affiliate_ad_sharing", "GB") is not None
    assert linkedin_2025.rule_for("offsite_ad_targeting", "EEA") is not None
    assert linkedin_2025.rule_for("offsite_ad_targeting", "SJ") is None
    assert linkedin_2025.not_active_for("offsite_ad_targeting", "SJ") is None
    linkedin_2024 = load_snapshot(ROOT / "policy_snapshots" / "linkedin@2024-09-18.yaml")
    gb = linkedin_2024.rule_for("genai_training", "GB")
    assert gb is not None
    assert (gb.active_from, gb.active_until) == (dt.date(2024, 9, 18), dt.date(2024, 9, 19))
    assert linkedin_2024.not_active_for("genai_training", "EEA") is not None
    meta = load_snapshot(ROOT / "policy_snapshots" / "meta@2025-05-27.yaml")
    minors = meta.rule_for("genai_training", "EEA")
    assert minors is not None
    assert (minors.excluded.age_below, minors.excluded.believed_under_18) == (18, None)


def test_a_source_that_gives_no_date_is_cited_undated(tmp_path: Path) -> None:
    """A source whose page shows no date leaves ``date`` out; it loads, and reports show it as undated."""
    minimal = Path(__file__).parent / "data" / "valid" / "minimal" / "acme@2025-01-01.yaml"
    text = minimal.read_text()
    assert "    date: 2024-11-01\n" in text
    undated = tmp_path / minimal.name
    undated.write_text(text.replace("    date: 2024-11-01\n", "", 1))
    [source] = load_snapshot(undated).sources
    assert (source.date, source.dated) == (None, "undated")
