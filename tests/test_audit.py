"""The evidence audit on DuckDB: every use gets decide()'s verdict; bad evidence is refused, naming the file."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shlex
import shutil
from pathlib import Path

import jsonschema
import pytest
from evidence_cases import (
    CONTROLS,
    DEFINITE_FIRST,
    EDGES,
    KINDS,
    POLICY_DIR,
    TO_REMOVE,
    UNKNOWN_AGE,
    Edge,
    Evidence,
    edges,
    generate,
    policies,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyproof import files
from policyproof.audit import output, validation
from policyproof.audit.engines import DuckDB, EngineError
from policyproof.audit.evidence import locate
from policyproof.audit.policy import Policy
from policyproof.audit.reference import Change, Person
from policyproof.audit.run import audit, prepare, verdicts
from policyproof.cli import main
from policyproof.exceptions import OutputError
from policyproof.snapshot.loader import load_snapshots

# The first version has no objection form: evidence judged by it alone names only its controls.
CONTROLS_OF = {
    "platform": CONTROLS,
    "snapshot": CONTROLS,
    "superseded": ("ai_setting", "ads_setting"),
    "older": CONTROLS,
}


def duckdb_verdicts(folder: Path, mode: str | Policy) -> list[tuple[object, ...]]:
    """Every use's verdict as DuckDB's audit gives it, under the test policy in a mode or the policy given."""
    policy = policies()[mode] if isinstance(mode, str) else mode
    evidence = locate(folder)
    with DuckDB() as duck:
        naive = validation.check(evidence, policy, duck)
        prepare(duck, evidence.tables, policy, naive)
        return verdicts(duck)


@pytest.mark.parametrize("mode", ["platform", "snapshot", "superseded", "older"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_duckdb_gives_decides_verdict_for_every_use(
    tmp_path_factory: pytest.TempPathFactory, mode: str, seed: int
) -> None:
    """For generated evidence on the policy's edges, DuckDB's verdict of each use is decide()'s."""
    evidence = generate(seed, controls=CONTROLS_OF[mode])
    folder = evidence.write(tmp_path_factory.mktemp("evidence"))
    assert duckdb_verdicts(folder, mode) == evidence.expected(policies()[mode])


def test_named_edges_get_the_stated_verdict_from_decide_and_duckdb(tmp_path: Path) -> None:
    """Each named edge (opt-out instant, 18th birthday, effective dates, toggles, ...) gets its stated verdict."""
    evidence = edges()
    stated = [(f"e{n:02}", status, reason) for n, (*_, status, reason) in enumerate(EDGES)]
    by_decide = [(row[0], row[3], row[4]) for row in evidence.expected(policies()["platform"])]
    by_duckdb = [(row[0], row[3], row[4]) for row in duckdb_verdicts(evidence.write(tmp_path), "platform")]
    assert by_decide == stated
    assert by_duckdb == stated


def test_a_definite_answer_outranks_silence_in_decide_and_duckdb(tmp_path: Path) -> None:
    """An opt-out settles a use of a category, or of a minor, the policy says nothing of: a breach, not unknown."""
    evidence = edges(DEFINITE_FIRST)
    stated = [(f"e{n:02}", status, reason) for n, (*_, status, reason) in enumerate(DEFINITE_FIRST)]
    by_decide = [(row[0], row[3], row[4]) for row in evidence.expected(policies()["platform"])]
    by_duckdb = [(row[0], row[3], row[4]) for row in duckdb_verdicts(evidence.write(tmp_path), "platform")]
    assert by_decide == stated
    assert by_duckdb == stated


@pytest.mark.parametrize("cases", [KINDS, TO_REMOVE, UNKNOWN_AGE], ids=["kinds of control", "to remove", "unknown age"])
def test_kinds_removals_and_unknown_ages_get_the_stated_verdict_from_decide_and_duckdb(
    tmp_path: Path, cases: tuple[Edge, ...]
) -> None:
    """Each signal, form, consent, use to remove and unknown age edge gets its stated verdict from decide() and DuckDB."""
    evidence = edges(cases)
    stated = [(f"e{n:02}", status, reason) for n, (*_, status, reason) in enumerate(cases)]
    by_decide = [(row[0], row[3], row[4]) for row in evidence.expected(policies()["platform"])]
    by_duckdb = [(row[0], row[3], row[4]) for row in duckdb_verdicts(evidence.write(tmp_path), "platform")]
    assert by_decide == stated
    assert by_duckdb == stated


RENAMED = Path(__file__).parent / "data" / "audit" / "renamed_snapshots"  # a signal renamed
RELABELLED = Path(__file__).parent / "data" / "audit" / "relabelled_snapshots"


def test_a_form_withdrawn_is_lifted_though_a_setting_of_its_label_changed_between(tmp_path: Path) -> None:
    """An objection withdrawn is lifted in decide() and DuckDB though a setting of the same label turned on between."""
    policy = Policy(tuple(load_snapshots([RELABELLED])))
    evidence = Evidence()
    evidence.members["m"] = Person("US", dt.date(1980, 1, 1), None)
    evidence.settings["m"] = [
        Change("ai_form", "filed", dt.datetime(2024, 9, 1, 10, tzinfo=dt.UTC)),
        Change("ai_setting", "on", dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC)),
        Change("ai_form", "withdrawn", dt.datetime(2025, 2, 10, 10, tzinfo=dt.UTC)),
    ]
    evidence.uses.append(("u1", "m", "posts", "ai_training", dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)))
    by_duckdb = duckdb_verdicts(evidence.write(tmp_path), policy)
    assert [(row[0], row[3], row[4]) for row in evidence.expected(policy)] == [("u1", "allowed", "used")]
    assert by_duckdb == evidence.expected(policy)


@pytest.mark.parametrize(
    ("stopped", "status", "reason"),
    [("gpc2", "allowed", "used"), (None, "breach", "opted-out")],
    ids=["lifted", "standing"],
)
def test_a_signal_sent_under_its_old_name_is_lifted_under_its_new_one(
    tmp_path: Path, stopped: str | None, status: str, reason: str
) -> None:
    """A signal renamed between versions (its old label an alias of the new) is one control: stopping it lifts it."""
    policy = Policy(tuple(load_snapshots([RENAMED])))
    evidence = Evidence()
    evidence.members["m"] = Person("US", dt.date(1980, 1, 1), None)
    evidence.settings["m"] = [Change("gpc", "sent", dt.datetime(2024, 9, 1, 10, tzinfo=dt.UTC))]
    if stopped is not None:
        evidence.settings["m"].append(Change(stopped, "stopped", dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC)))
    evidence.uses.append(("u1", "m", "posts", "ai_training", dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)))
    by_duckdb = duckdb_verdicts(evidence.write(tmp_path), policy)
    assert [(row[0], row[3], row[4]) for row in evidence.expected(policy)] == [("u1", status, reason)]
    assert by_duckdb == evidence.expected(policy)


def test_uses_to_remove_are_listed_beside_the_breaches_and_alone_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Uses made before a retroactive opt-out are counted and written to to-remove.parquet, not as breaches: exit 0."""
    evidence = edges(TO_REMOVE)
    kept = [use for use, (*_, status, _r) in zip(evidence.uses, TO_REMOVE, strict=True) if status == "to_remove"]
    evidence.uses = kept
    folder = evidence.write(tmp_path / "evidence")
    out = tmp_path / "out"
    assert main(["audit", "--evidence", str(folder), "--out", str(out), *ACME]) == 0
    printed = capsys.readouterr().out
    assert len(kept) == 8
    assert "8 uses checked on duckdb: 0 allowed, 0 breach, 8 to remove, 0 unknown, 0 unmatched" in printed
    written = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(
        written, json.loads((Path(__file__).parent.parent / "schemas" / "audit.schema.json").read_text())
    )
    assert written["totals"]["to_remove"] == 8
    assert written["to_remove_file"] == str(out / "to-remove.parquet")
    with DuckDB() as duck:
        listed = duck.rows(f"SELECT use_id, reason, rule FROM read_parquet('{out / 'to-remove.parquet'}') ORDER BY 1")
        breaches = duck.rows(f"SELECT COUNT(*) FROM read_parquet('{out / 'breaches.parquet'}')")
    assert [(use_id, reason) for use_id, reason, _ in listed] == [(use[0], "to-remove") for use in sorted(kept)]
    assert listed[0][2].startswith("tests/data/audit/policy_snapshots/acme@2025-01-01.yaml:")
    assert breaches == [(0,)]


def test_an_audit_of_opted_out_uses_of_categories_the_policy_does_not_state_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Uses of members who opted out, of a category the rule does not state, are breaches: the audit exits 1."""
    evidence = edges(DEFINITE_FIRST)
    evidence.uses = [
        use for use, (*_, reason) in zip(evidence.uses, DEFINITE_FIRST, strict=True) if reason == "opted-out"
    ]
    folder = evidence.write(tmp_path / "evidence")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 1
    assert (
        "2 uses checked on duckdb: 0 allowed, 2 breach, 0 to remove, 0 unknown, 0 unmatched" in capsys.readouterr().out
    )


def test_a_state_its_controls_kind_does_not_log_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A privacy signal logged as 'on' (a setting's word) is bad evidence: exit 2, naming the file, row and words."""
    evidence = edges(KINDS)
    evidence.settings["edge0"] = [
        *evidence.settings["edge0"],
        type(evidence.settings["edge0"][0])("ads_gpc", "on", evidence.settings["edge0"][0].changed_at),
    ]
    folder = evidence.write(tmp_path / "evidence")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'settings.parquet'}: row 2: column 'state': not a state its control's kind "
        "logs (setting: on or off; signal: stopped or sent; form: withdrawn or filed; consent: given or withdrawn): "
        "1 bad value; first: 'on' (row 2)\n"
    )


INVALID = Path(__file__).parent / "data" / "audit" / "invalid"
ACME = ["--snapshots", str(POLICY_DIR), "--platform", "acme"]


@pytest.mark.parametrize("case", sorted(path.name for path in INVALID.iterdir()))
def test_bad_evidence_is_refused_naming_file_column_row_and_values(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad evidence exits 2 with a message naming the file, column, line and bad values, and writes nothing."""
    folder = INVALID / case
    out = tmp_path / "out"
    assert main(["audit", "--evidence", str(folder), "--out", str(out), *ACME]) == 2
    expected = (folder / "expected.txt").read_text(encoding="utf-8").replace("{evidence}", str(folder))
    assert capsys.readouterr().err == "".join(f"policyproof: error: {line}\n" for line in expected.splitlines())
    assert not out.exists()


def test_bad_evidence_leaves_no_folder_made_for_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad evidence exits 2 and leaves none of the missing folders above --out, made for DuckDB's spill, behind."""
    folder = INVALID / min(path.name for path in INVALID.iterdir())
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "a" / "b" / "out"), *ACME]) == 2
    assert capsys.readouterr().err.startswith(f"policyproof: error: {folder}")
    assert list(tmp_path.iterdir()) == []


def test_a_parquet_column_of_the_wrong_type_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Parquet column of the wrong type is named with the type found and the kind expected."""
    folder = edges().write(tmp_path / "evidence")
    with DuckDB() as duck:
        duck.write_parquet(
            "SELECT 'm1' AS member_id, 'US' AS country, 19800101 AS birth_date, "
            "NULL::TIMESTAMP AS believed_under_18_since",
            folder / "members.parquet",
        )
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'members.parquet'}: column 'birth_date' is INTEGER, expected a date\n"
    )


def test_a_use_id_repeated_in_another_file_of_a_folder_is_named_with_both_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Among thousands of ids, one given again in another Parquet file of ``uses/`` is named with each file's row."""
    folder = edges().write(tmp_path / "evidence")
    (folder / "uses.parquet").unlink()
    (folder / "uses").mkdir()
    row = "'m1' AS member_id, 'posts' AS category, 'ai_training' AS purpose, TIMESTAMP '2025-06-01 12:00' AS used_at"
    with DuckDB() as duck:
        duck.write_parquet(f"SELECT 'u' || i AS use_id, {row} FROM range(5000) AS r(i)", folder / "uses" / "a.parquet")
        duck.write_parquet(
            f"SELECT 'x' || i AS use_id, {row} FROM range(3) AS r(i) UNION ALL SELECT 'u4321', {row}",
            folder / "uses" / "b.parquet",
        )
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'uses' / 'b.parquet'}: row 4: column 'use_id': duplicate use_id: "
        "1 value given more than once; first: 'u4321' (a.parquet row 4322, b.parquet row 4)\n"
    )


def test_audit_writes_the_summary_the_breaches_and_exits_1_on_a_breach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The audit prints the table, writes audit.json and every breach to breaches.parquet, and exits 1."""
    folder = edges().write(tmp_path / "evidence")
    out = tmp_path / "out"
    assert main(["audit", "--evidence", str(folder), "--out", str(out), *ACME]) == 1
    printed = capsys.readouterr().out
    assert "14 uses checked on duckdb: 3 allowed, 8 breach, 0 to remove, 2 unknown, 1 unmatched" in printed
    assert "excluded-member 1, not-active 1, opted-out 1" in printed
    written = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(
        written, json.loads((Path(__file__).parent.parent / "schemas" / "audit.schema.json").read_text())
    )
    assert written["totals"] == {"checked": 14, "allowed": 3, "breach": 8, "to_remove": 0, "unknown": 2, "unmatched": 1}
    with DuckDB() as duck:
        breaches = duck.rows(
            f"SELECT use_id, reason, rule FROM read_parquet('{out / 'breaches.parquet'}') ORDER BY use_id"
        )
    stated = [(f"e{n:02}", reason) for n, (*_, status, reason) in enumerate(EDGES) if status == "breach"]
    assert [(use_id, reason) for use_id, reason, _ in breaches] == stated
    assert breaches[0][2] == "tests/data/audit/policy_snapshots/acme@2024-06-01.yaml:56"


def test_audit_exits_0_when_no_use_breaches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Evidence whose every use is allowed exits 0."""
    evidence = edges()
    evidence.uses = [use for use, (*_, status, _r) in zip(evidence.uses, EDGES, strict=True) if status == "allowed"]
    folder = evidence.write(tmp_path / "evidence")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 0
    assert (
        "3 uses checked on duckdb: 3 allowed, 0 breach, 0 to remove, 0 unknown, 0 unmatched" in capsys.readouterr().out
    )


def test_the_audit_table_shows_purposes_by_their_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed table names each purpose by the snapshot's label, as readers know it; audit.json keeps the id."""
    folder = edges().write(tmp_path / "evidence")
    main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME])
    out = capsys.readouterr().out
    rows = [line.split("  ") for line in out.splitlines() if line.startswith("acme@2024-06-01  US")]
    assert {next(cell.strip() for cell in row[2:] if cell.strip()) for row in rows} == {
        "AI training",
        "personalised ads",
    }
    assert "ai_training" not in out
    written = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert {row["purpose"] for row in written["rows"]} == {"ads", "ai_training"}


def test_audit_help_states_the_exit_codes_and_the_evidence_format(capsys: pytest.CaptureFixture[str]) -> None:
    """``audit --help`` gives the exit codes and points at the evidence format."""
    with pytest.raises(SystemExit) as ended:
        main(["audit", "--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "as schemas/evidence.md describes them" in text
    assert "write audit.json, breaches.parquet and to-remove.parquet (uses not breaches when made" in text
    assert (
        "Exit codes: 0 no use breaches the policy, 1 a use does, 2 a usage or input error (bad evidence, named by "
        "file, column and row), 3 a bug in policyproof, 130 interrupted."
    ) in text


@pytest.mark.parametrize(
    ("command", "snapshot", "platform"),
    [
        (
            "synth",
            "--snapshot ID write evidence for this snapshot (platform@version)",
            "--platform NAME write evidence for the versions of this platform (with neither: the platform whose name "
            "comes first)",
        ),
        (
            "audit",
            "--snapshot ID judge every use against this snapshot (platform@version)",
            "--platform NAME judge each use against the version of this platform in force on its date (with neither: "
            "the platform whose name comes first; --declarations needs one of them)",
        ),
    ],
)
def test_help_says_what_snapshot_and_platform_choose_and_what_neither_does(
    command: str, snapshot: str, platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``synth --help`` and ``audit --help`` each word --snapshot and --platform for what they do with the policy."""
    with pytest.raises(SystemExit) as ended:
        main([command, "--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert snapshot in text
    assert platform in text


def test_synth_help_says_the_audit_of_the_same_policy_finds_its_planted_breaches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``synth --help`` says what it writes and that the audit needs the same --snapshot or --platform."""
    with pytest.raises(SystemExit) as ended:
        main(["synth", "--help"])
    assert ended.value.code == 0
    assert (
        "listed in truth.json: `policyproof audit` with the same --snapshot or --platform finds exactly those."
    ) in " ".join(capsys.readouterr().out.split())


def test_a_member_in_kosovo_is_placed_by_the_snapshot_on_duckdb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member table with Kosovo's XK is audited, not refused: its uses are judged in the rest of the world, as decide() does."""
    evidence = Evidence()
    evidence.members["kosovo"] = Person("XK", dt.date(1980, 1, 1), None)
    evidence.members["serbia"] = Person("RS", dt.date(1980, 1, 1), None)
    at = dt.datetime(2025, 2, 1, 12)  # noqa: DTZ001 (evidence timestamps are naive UTC)
    evidence.uses += [("u1", "kosovo", "posts", "ai_training", at), ("u2", "serbia", "posts", "ai_training", at)]
    folder = evidence.write(tmp_path / "evidence")
    found = duckdb_verdicts(folder, "platform")
    assert found == evidence.expected(policies()["platform"])
    assert [(use_id, group) for use_id, _, group, *_ in found] == [("u1", "ROW"), ("u2", "ROW")]
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 0
    assert (
        "2 uses checked on duckdb: 2 allowed, 0 breach, 0 to remove, 0 unknown, 0 unmatched" in capsys.readouterr().out
    )


def test_a_country_code_neither_iso_nor_kosovo_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only XK is added to ISO 3166-1: a member in 'XX' is bad evidence, exit 2, naming the column and the value."""
    evidence = Evidence()
    evidence.members["nowhere"] = Person("XX", dt.date(1980, 1, 1), None)
    evidence.uses.append(("u1", "nowhere", "posts", "ai_training", dt.datetime(2025, 2, 1, 12)))  # noqa: DTZ001 (naive UTC)
    folder = evidence.write(tmp_path / "evidence")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    error = capsys.readouterr().err
    assert "country" in error
    assert "'XX'" in error


def test_audit_reads_csv_offsets_as_utc(tmp_path: Path) -> None:
    """A CSV timestamp with an offset is the instant it names: 12:00+02:00 is before a 10:30 UTC opt-out."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "members.csv").write_text("member_id,country,birth_date,believed_under_18_since\nm1,US,,\n")
    (folder / "settings.csv").write_text("member_id,control,state,changed_at\nm1,ai_setting,off,2024-09-01 10:30:00\n")
    (folder / "uses.csv").write_text(
        "use_id,member_id,category,purpose,used_at\n"
        "u1,m1,posts,ai_training,2024-09-01T12:00:00+02:00\nu2,m1,posts,ai_training,2024-09-01T12:30:00+02:00\n"
    )
    result = audit(folder, policies()["platform"], tmp_path / "out")
    assert (result.total("allowed"), result.total("breach")) == (1, 1)
    assert [b.use_id for b in result.examples] == ["u2"]


def test_synth_plants_breaches_the_audit_finds_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Synthetic evidence's planted breaches, listed in truth.json, are exactly the breaches the audit finds."""
    folder = tmp_path / "evidence"
    args = ["--members", "300", "--uses", "5000", "--seed", "4", "--breaches", "3"]
    assert main(["synth", "--out", str(folder), *args, *ACME]) == 0
    assert "wrote 321 members and 5021 uses" in capsys.readouterr().out
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    reasons = ["not-active", "excluded-category", "not-covered", "excluded-member", "opted-out", "consent-withdrawn"]
    assert truth["breaches"] == dict.fromkeys([*reasons, "no-consent"], 3)
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 1
    with DuckDB() as duck:
        found = duck.rows(
            "SELECT use_id, member_id, reason, region_group, purpose, category, strftime(used_at, '%Y-%m-%dT%H:%M:%S') "
            f"FROM read_parquet('{tmp_path / 'out' / 'breaches.parquet'}')"
        )
    planted = [
        tuple(p[key] for key in ("use_id", "member_id", "reason", "region_group", "purpose", "category", "used_at"))
        for p in truth["planted"]
    ]
    assert sorted(found) == sorted(planted)
    assert {at[11:] for *_, at in planted} == {"12:00:00"}  # planted at noon, as the evidence holds them


def readme_quick_start() -> list[list[str]]:
    """The commands of the README's quick start of the audit, each as the words after ``policyproof``."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Auditing evidence", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line.partition("#")[0])[1:] for line in block.splitlines()]


def test_the_readmes_quick_start_audits_the_evidence_it_makes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's synth and audit, run as written with fewer uses, agree on the policy and find the planted breaches."""
    shutil.copytree(Path(__file__).parent.parent / "policy_snapshots", tmp_path / "policy_snapshots")
    monkeypatch.chdir(tmp_path)
    synth, audited = readme_quick_start()
    assert (synth[0], audited[0]) == ("synth", "audit")
    fewer = {"--members": "200", "--uses": "2000"}
    synth = [fewer.get(before, word) for before, word in zip(["", *synth], synth, strict=False)]
    assert main(synth) == 0
    assert main(audited) == 1
    assert capsys.readouterr().err == ""
    truth = json.loads((tmp_path / "build" / "evidence" / "truth.json").read_text(encoding="utf-8"))
    found = json.loads((tmp_path / "build" / "audit" / "audit.json").read_text(encoding="utf-8"))
    assert found["totals"]["breach"] == len(truth["planted"]) > 0


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (["--members", "-1", "--uses", "5"], "--members, --uses and --breaches count rows: give 0 or more"),
        (["--members", "0", "--uses", "100"], "--uses 100 needs members whose data they use: give --members 1 or more"),
        (
            ["--members", "5", "--uses", "0", "--breaches", "0"],
            "--uses 0 and --breaches 0 would write no use, which the audit refuses: give one of them",
        ),
    ],
)
def test_synth_refuses_counts_it_cannot_write(
    counts: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Negative counts, or uses without members to use, exit 2 with one line, and nothing is written."""
    assert main(["synth", "--out", str(tmp_path / "evidence"), *counts, *ACME]) == 2
    assert capsys.readouterr().err == f"policyproof: error: {message}\n"
    assert not (tmp_path / "evidence").exists()


def test_synth_without_planted_breaches_does_not_call_them_impossible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--breaches 0 plants none; only reasons the policy cannot produce are said to be impossible, here none."""
    assert (
        main(["synth", "--out", str(tmp_path / "evidence"), "--members", "5", "--uses", "20", "--breaches", "0", *ACME])
        == 0
    )
    assert capsys.readouterr().out == f"wrote 5 members and 20 uses to {tmp_path / 'evidence'}, 0 planted breaches\n"
    truth = json.loads((tmp_path / "evidence" / "truth.json").read_text(encoding="utf-8"))
    assert (truth["impossible"], truth["planted"]) == ([], [])


def test_an_older_snapshot_audits_evidence_that_names_its_platforms_later_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--snapshot of the first version accepts a control only the second defines; it is not bad evidence."""
    evidence = generate(7, controls=CONTROLS)
    assert any(c.control == "ai_form" for changes in evidence.settings.values() for c in changes)
    folder = evidence.write(tmp_path / "evidence")
    older = ["--snapshots", str(POLICY_DIR), "--snapshot", "acme@2024-06-01"]
    code = main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *older])
    assert "unknown control" not in capsys.readouterr().err
    assert code == 1
    assert json.loads((tmp_path / "out" / "audit.json").read_text())["snapshots"] == ["acme@2024-06-01"]


def _out_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Unusable --out values by name, each with the message it gets."""
    afile = tmp_path / "afile"
    afile.write_text("kept\n", encoding="utf-8")
    return {
        "a file": (afile, f"{afile}: not a folder; give a folder to write into"),
        "under a file": (afile / "out", f"{afile / 'out'}: cannot create the folder: {afile} is not a folder"),
        "where no folder can be made": (
            Path("/proc/policyproof-out"),
            "/proc/policyproof-out: cannot create the folder: No such file or directory",
        ),
    }


@pytest.mark.parametrize("case", ["a file", "under a file", "where no folder can be made"])
@pytest.mark.parametrize("command", ["audit", "synth"])
def test_an_unusable_out_is_refused_in_one_line(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An --out that is a file, or where no folder can be made, exits 2 with one line naming it; nothing is written."""
    folder = edges().write(tmp_path / "evidence")
    out, message = _out_cases(tmp_path)[case]
    given = ["--evidence", str(folder)] if command == "audit" else ["--members", "3", "--uses", "3"]
    assert main([command, *given, "--out", str(out), *ACME]) == 2
    assert capsys.readouterr().err == f"policyproof: error: {message}\n"
    assert not out.exists() or out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "evidence"]


@pytest.mark.parametrize(("command", "name"), [("audit", "audit.json"), ("synth", "truth.json")])
def test_a_folder_in_the_way_of_an_output_file_is_refused_before_anything_is_written(
    command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder named like a file to write stops the run at once, so no other output is left half a set."""
    folder = edges().write(tmp_path / "evidence")
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    given = ["--evidence", str(folder)] if command == "audit" else ["--members", "3", "--uses", "3"]
    assert main([command, *given, "--out", str(out), *ACME]) == 2
    assert (
        capsys.readouterr().err == f"policyproof: error: {out / name}: a folder is where this file is to be written\n"
    )
    assert [p.name for p in out.iterdir()] == [name]


def test_an_out_folder_that_is_not_writable_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not write into, or may not create a folder in, is named; nothing is written."""
    folder = edges().write(tmp_path / "evidence")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "access", lambda path, _mode: path != out)
    assert main(["audit", "--evidence", str(folder), "--out", str(out), *ACME]) == 2
    assert capsys.readouterr().err == f"policyproof: error: {out}: the folder is not writable\n"
    assert main(["audit", "--evidence", str(folder), "--out", str(out / "new"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {out / 'new'}: cannot create the folder: {out} is not writable\n"
    )
    assert list(out.iterdir()) == []


def test_a_file_of_the_out_folder_that_cannot_be_carried_over_is_named_and_the_folder_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file beside the audit's that cannot be linked nor read (another user's) is named in one line; nothing is lost."""
    folder = edges().write(tmp_path / "evidence")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("a colleague's notes\n", encoding="utf-8")

    def refused(source: str | Path, _destination: str | Path, **_options: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(source))

    monkeypatch.setattr(os, "link", refused)
    monkeypatch.setattr(shutil, "copy2", refused)
    assert main(["audit", "--evidence", str(folder), "--out", str(out), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {out}: cannot publish it: notes.txt, which it holds besides this run's files, cannot "
        "be carried over: Permission denied\n"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "a colleague's notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence", "out"]


def test_outputs_are_written_whole_and_leave_no_temporary_file(tmp_path: Path) -> None:
    """The audit and synth write their files under their final names only, and nothing else."""
    assert main(["synth", "--out", str(tmp_path / "evidence"), "--members", "30", "--uses", "100", *ACME]) == 0
    written = sorted(p.name for p in (tmp_path / "evidence").iterdir())
    assert written == ["members.parquet", "settings.parquet", "truth.json", "uses.parquet"]
    assert main(["audit", "--evidence", str(tmp_path / "evidence"), "--out", str(tmp_path / "out"), *ACME]) == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "audit.json",
        "breaches.parquet",
        "to-remove.parquet",
    ]
    mask = os.umask(0)
    os.umask(mask)
    written_files = [*(tmp_path / "evidence").iterdir(), *(tmp_path / "out").iterdir()]
    assert {p.name: p.stat().st_mode & 0o777 for p in written_files} == dict.fromkeys(
        (p.name for p in written_files), 0o666 & ~mask
    )
    assert json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))["totals"]["breach"] == 70


def test_a_failed_write_keeps_the_file_it_would_replace_and_says_why_in_one_line(tmp_path: Path) -> None:
    """A query that fails while writing leaves the earlier file as it was, no temporary file, and one line."""
    target = tmp_path / "breaches.parquet"
    target.write_bytes(b"earlier")
    with DuckDB() as duck, pytest.raises(EngineError) as raised:
        duck.write_parquet("SELECT error('boom') AS x", target)
    assert str(raised.value) == "DuckDB could not run the audit: Invalid Input Error: boom"
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["breaches.parquet"]


def test_a_file_that_cannot_be_written_is_named_in_one_line(tmp_path: Path) -> None:
    """Writing into a folder that has gone is one line naming the file and the system's reason."""
    target = tmp_path / "gone" / "audit.json"
    with pytest.raises(OutputError) as raised:
        output.write_text(target, "{}\n")
    assert str(raised.value) == f"{target}: cannot write it: No such file or directory"


def test_a_file_that_cannot_be_written_before_publishing_is_named_where_it_is_published(tmp_path: Path) -> None:
    """A failed write into the hidden unpublished folder names the file under the output folder the user gave."""
    out = tmp_path / "audit"
    with pytest.raises(OutputError) as raised, files.publishing(out, ["audit.json"]) as fresh:
        output.write_text(fresh / "gone" / "audit.json", "{}\n")
    assert str(raised.value) == f"{out / 'gone' / 'audit.json'}: cannot write it: No such file or directory"
    assert sorted(path.name for path in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--memory-limit", "abc"], "memory limit 'abc': Memory must have a number (e.g. 1GB)"),
        (["--threads", "0"], "0 threads: Must have at least 1 thread!"),
    ],
)
def test_a_memory_limit_or_threads_duckdb_refuses_is_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], said: str
) -> None:
    """The setting DuckDB could not start with is named with DuckDB's reason, less its kind of error: exit 2."""
    folder = edges().write(tmp_path / "evidence")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME, *option]) == 2
    assert capsys.readouterr().err == f"policyproof: error: DuckDB could not start with {said}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["evidence"]


def test_duckdbs_errors_are_one_line_without_its_pointer_to_the_query() -> None:
    """DuckDB's LINE 1: and ^^^ lines are left out of the message."""
    with DuckDB() as duck, pytest.raises(EngineError) as raised:
        duck.rows("SELECT nonsense FROM nowhere")
    assert str(raised.value) == "DuckDB could not run the audit: Catalog Error: Table with name nowhere does not exist!"


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ``uses.parquet`` that is not Parquet is named in one line, with what DuckDB found wrong with it."""
    folder = edges().write(tmp_path / "evidence")
    (folder / "uses.parquet").write_bytes(b"use_id,member_id\n")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'uses.parquet'}: not a Parquet file (No magic bytes found at end of file)\n"
    )


@pytest.mark.parametrize(
    ("other", "has"),
    [
        (
            "TIMESTAMP '2025-06-01' AS used_at",
            "use_id VARCHAR, member_id VARCHAR, category VARCHAR, used_at TIMESTAMP",
        ),
        (  # read together, the text would be cast to a timestamp of 1970
            "'ai_training' AS purpose, 'epoch' AS used_at",
            "use_id VARCHAR, member_id VARCHAR, category VARCHAR, purpose VARCHAR, used_at VARCHAR",
        ),
    ],
    ids=["a column missing", "a column of another type"],
)
def test_parquet_files_of_one_table_with_other_columns_are_named(
    other: str, has: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files of a ``uses/`` folder whose columns or types differ are named with the columns of each."""
    folder = edges().write(tmp_path / "evidence")
    (folder / "uses.parquet").unlink()
    (folder / "uses").mkdir()
    row = "'u1' AS use_id, 'm1' AS member_id, 'posts' AS category"
    with DuckDB() as duck:
        duck.write_parquet(
            f"SELECT {row}, 'ai_training' AS purpose, TIMESTAMP '2025-06-01' AS used_at",
            folder / "uses" / "part-0.parquet",
        )
        duck.write_parquet(f"SELECT {row}, {other}", folder / "uses" / "part-1.parquet")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'uses'}/: its files do not have the same columns and types: "
        f"part-1.parquet has {has}; part-0.parquet has use_id VARCHAR, member_id VARCHAR, category VARCHAR, "
        "purpose VARCHAR, used_at TIMESTAMP\n"
    )


def test_infinite_parquet_timestamps_and_dates_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Parquet ``infinity`` is no moment: an infinite birth date or use time is named with its row."""
    folder = edges().write(tmp_path / "evidence")
    with DuckDB() as duck:
        duck.write_parquet(
            "SELECT 'm1' AS member_id, 'US' AS country, DATE 'infinity' AS birth_date, "
            "NULL::TIMESTAMP AS believed_under_18_since",
            folder / "members.parquet",
        )
        duck.write_parquet(
            "SELECT 'u1' AS use_id, 'm1' AS member_id, 'posts' AS category, 'ai_training' AS purpose, "
            "TIMESTAMPTZ '-infinity' AS used_at",
            folder / "uses.parquet",
        )
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'members.parquet'}: row 1: column 'birth_date': not a finite date: "
        "1 bad value; first: 'infinity' (row 1)\n"
        f"policyproof: error: {folder / 'uses.parquet'}: row 1: column 'used_at': not a finite timestamp: "
        "1 bad value; first: '-infinity' (row 1)\n"
    )


def test_empty_parquet_uses_are_refused_and_empty_settings_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No uses is a broken export and exits 2; no settings means nobody changed one, and the audit runs."""
    folder = edges().write(tmp_path / "evidence")
    with DuckDB() as duck:
        duck.write_parquet(
            "SELECT * FROM read_parquet('" + str(folder / "settings.parquet") + "') LIMIT 0", tmp_path / "s"
        )
        (tmp_path / "s").replace(folder / "settings.parquet")
        duck.write_parquet("SELECT * FROM read_parquet('" + str(folder / "uses.parquet") + "') LIMIT 0", tmp_path / "u")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]) == 1
    assert "14 uses checked on duckdb" in capsys.readouterr().out
    (tmp_path / "u").replace(folder / "uses.parquet")
    assert main(["audit", "--evidence", str(folder), "--out", str(tmp_path / "out2"), *ACME]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'uses.parquet'}: no rows (the uses table cannot be empty)\n"
    )
    assert not (tmp_path / "out2").exists()


def test_a_csv_column_without_a_name_is_ignored(tmp_path: Path) -> None:
    """A header row ending in a comma (as some exports write) gives an unnamed column, ignored like any other."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "members.csv").write_text("member_id,country,birth_date,believed_under_18_since,\nm1,US,,,\n")
    (folder / "settings.csv").write_text("member_id,control,state,changed_at\n")
    (folder / "uses.csv").write_text(
        "use_id,member_id,category,purpose,used_at\nu1,m1,posts,ai_training,2024-09-01 12:00:00\n"
    )
    result = audit(folder, policies()["platform"], tmp_path / "out")
    assert (result.total("allowed"), result.total("breach")) == (1, 0)


ORDER = "snapshot, region_group, used_at, use_id, member_id, purpose, category, reason, rule"


def test_the_same_evidence_gives_the_same_breaches_file_in_a_defined_order(tmp_path: Path) -> None:
    """Two audits of the same evidence write breaches.parquet byte for byte the same, on any number of threads.

    Its rows are sorted by snapshot, region group, time of use and use.
    """
    folder = tmp_path / "evidence"
    assert main(["synth", "--out", str(folder), "--members", "3000", "--uses", "60000", "--breaches", "40", *ACME]) == 0
    for out, threads in (("one", "1"), ("two", "2"), ("again", "2")):
        assert (
            main(["audit", "--evidence", str(folder), "--out", str(tmp_path / out), "--threads", threads, *ACME]) == 1
        )
    written = {out: (tmp_path / out / "breaches.parquet").read_bytes() for out in ("one", "two", "again")}
    assert written["one"] == written["two"] == written["again"]
    with DuckDB() as duck:
        rows = duck.rows(f"SELECT {ORDER} FROM read_parquet('{tmp_path / 'one' / 'breaches.parquet'}')")
    assert len(rows) == 280  # 40 planted for each of seven reasons
    assert rows == sorted(rows)


def test_the_examples_come_from_this_runs_breaches_whatever_another_run_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another audit publishing into the same folder meanwhile cannot put its breaches into this run's audit.json.

    The examples are read from this run's own file, in its own fresh folder.
    """
    evidence = edges()
    folder = evidence.write(tmp_path / "evidence")
    out = tmp_path / "out"
    real = DuckDB.write_parquet

    def and_another_run_publishes(self: DuckDB, sql: str, path: Path) -> None:
        real(self, sql, path)
        with files.publishing(out, ("audit.json", "breaches.parquet")) as fresh:
            real(self, "SELECT 'theirs' AS use_id WHERE false", fresh / "breaches.parquet")

    monkeypatch.setattr(DuckDB, "write_parquet", and_another_run_publishes)
    result = audit(folder, policies()["snapshot"], out)
    assert result.examples
    written = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert written["examples"] == result.as_json()["examples"]
    with DuckDB() as duck:
        assert duck.rows(f"SELECT COUNT(*) FROM read_parquet('{out / 'breaches.parquet'}')")[0][0] == result.total(
            "breach"
        )
