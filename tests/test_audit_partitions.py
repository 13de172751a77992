"""Uses partitioned by day: synth writes the layout, the audit reads it, and --from/--to open only the days in range."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from evidence_cases import POLICY_DIR, edges, policies

from policyproof.audit.engines import DuckDB
from policyproof.audit.evidence import Days
from policyproof.audit.run import Options, audit
from policyproof.audit.spark import start_spark
from policyproof.audit.synth import synthesise
from policyproof.cli import main
from policyproof.exceptions import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

ACME = ["--snapshots", str(POLICY_DIR), "--platform", "acme"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session on one core for this module."""
    session = start_spark("local[1]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same synthetic evidence twice: the uses in one file, and partitioned by day."""
    folder = tmp_path_factory.mktemp("evidence")
    policy = policies()["platform"]
    synthesise(policy, folder / "flat", members=40, uses=600, seed=3)
    synthesise(policy, folder / "daily", members=40, uses=600, seed=3, by_day=True)
    return {"flat": folder / "flat", "daily": folder / "daily"}


def days_of(folder: Path) -> dict[str, int]:
    """Each day folder of a partitioned uses folder, with its uses."""
    with DuckDB() as duck:
        return {
            day.name: duck.rows("SELECT COUNT(*) FROM read_parquet($files)", {"files": f"{day}/*.parquet"})[0][0]
            for day in sorted((folder / "uses").iterdir())
        }


def test_synth_by_day_writes_a_folder_a_day_whose_audit_is_the_one_files(
    evidence: dict[str, Path], tmp_path: Path
) -> None:
    """Synth --partition-by day writes uses/date=YYYY-MM-DD/, each use in its UTC day's, audited as the one file is."""
    daily = evidence["daily"]
    assert not (daily / "uses.parquet").exists()
    days = days_of(daily)
    assert len(days) > 10
    assert all(re.fullmatch(r"date=\d{4}-\d{2}-\d{2}", name) for name in days)
    with DuckDB() as duck:
        misplaced = duck.rows(
            f"SELECT COUNT(*) FROM read_parquet('{daily}/uses/*/*.parquet', hive_partitioning = true) "
            "WHERE CAST(used_at AS DATE) <> date"
        )
    assert misplaced == [(0,)]
    flat = audit(evidence["flat"], policies()["platform"], tmp_path / "flat")
    on_days = audit(daily, policies()["platform"], tmp_path / "daily")
    assert on_days.as_json()["rows"] == flat.as_json()["rows"]
    assert on_days.checked == sum(days.values()) > 600


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_an_audit_of_one_day_opens_only_that_days_files(
    evidence: dict[str, Path],
    tmp_path: Path,
    engine: str,
    request: pytest.FixtureRequest,
) -> None:
    """With --from and --to one day, every other day's file may be unreadable: only the day's uses are judged, as in one file."""
    daily = shutil.copytree(evidence["daily"], tmp_path / "daily")
    days = days_of(daily)
    busiest = max(days, key=lambda name: days[name])
    for day in days:
        if day != busiest:
            for file in (daily / "uses" / day).glob("*.parquet"):
                file.write_bytes(b"not Parquet: a day out of range is never opened")
    one_day = dt.date.fromisoformat(busiest.removeprefix("date="))
    options = Options(engine=engine, days=Days(one_day, one_day))
    if engine == "spark":
        options = Options(engine=engine, days=Days(one_day, one_day), spark_session=request.getfixturevalue("spark"))
    on_day = audit(daily, policies()["platform"], tmp_path / "day", options)
    flat = audit(evidence["flat"], policies()["platform"], tmp_path / "flat", Options(days=Days(one_day, one_day)))
    assert on_day.checked == days[busiest] == flat.checked
    assert on_day.as_json()["rows"] == flat.as_json()["rows"]
    assert main(["audit", "--evidence", str(daily), "--out", str(tmp_path / "all"), *ACME]) == 2


@pytest.mark.parametrize("layout", ["flat", "daily"])
def test_spark_reads_evidence_in_a_folder_whose_name_it_would_take_for_a_pattern(
    evidence: dict[str, Path],
    tmp_path: Path,
    layout: str,
    spark: Any,  # noqa: ANN401
) -> None:
    """Evidence under a folder named with brackets and braces gets DuckDB's verdicts from Spark, one file or by day."""
    folder = shutil.copytree(evidence[layout], tmp_path / "evidence[1]{a}")
    days = days_of(evidence["daily"])
    first, last = (dt.date.fromisoformat(name.removeprefix("date=")) for name in sorted(days)[2:4])
    policy = policies()["platform"]
    on_duckdb = audit(folder, policy, tmp_path / "duckdb", Options(days=Days(first, last)))
    on_spark = audit(
        folder, policy, tmp_path / "spark", Options(engine="spark", days=Days(first, last), spark_session=spark)
    )
    assert on_spark.checked == on_duckdb.checked > 0
    assert on_spark.as_json()["rows"] == on_duckdb.as_json()["rows"]


def test_the_command_audits_the_days_from_to_and_names_a_range_with_no_day(
    evidence: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--from and --to judge the uses of the days between, ends included; reversed ends are refused with exit 2."""
    days = days_of(evidence["daily"])
    first, last = (dt.date.fromisoformat(name.removeprefix("date=")) for name in sorted(days)[3:5])
    args = ["audit", "--evidence", str(evidence["daily"]), "--out", str(tmp_path / "out"), *ACME]
    assert main([*args, "--from", str(first), "--to", str(last)]) in {0, 1}
    assert f"\n{sum(list(days.values())[3:5])} uses checked on duckdb" in capsys.readouterr().out
    assert main([*args, "--from", str(last), "--to", str(first)]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: --from {last} is after --to {first}: no day would be audited\n"
    )
    assert main([*args, "--from", "2001-01-01", "--to", "2001-01-31"]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {evidence['daily'] / 'uses'}: no partition of the uses holds a Parquet file of a day "
        "from 2001-01-01 to 2001-01-31\n"
    )


def partitioned_edges(tmp_path: Path) -> Path:
    """The hand-made edge cases as evidence whose uses are a folder partitioned by day (``uses/date=.../``)."""
    folder = edges().write(tmp_path / "evidence")
    with DuckDB() as duck:
        duck.connection.execute(
            f"COPY (SELECT *, CAST(used_at AS DATE) AS date FROM '{folder / 'uses.parquet'}') "
            f"TO '{folder / 'uses'}' (FORMAT parquet, PARTITION_BY (date))"
        )
    (folder / "uses.parquet").unlink()
    return folder


def test_a_use_in_another_days_folder_and_a_folder_not_of_a_day_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A use filed under a day that is not its UTC date, and a subfolder not named date=YYYY-MM-DD, are refused by name."""
    folder = partitioned_edges(tmp_path)
    first_day = min(path.name.removeprefix("date=") for path in (folder / "uses").iterdir())
    moved = folder / "uses" / "date=1999-12-31"
    (folder / "uses" / f"date={first_day}").rename(moved)
    file = next(moved.glob("*.parquet"))
    args = ["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]
    assert main(args) == 2
    error = capsys.readouterr().err
    assert error.startswith(
        f"policyproof: error: {file}: row 1: column 'used_at': not on the day of its partition (date=YYYY-MM-DD, in UTC): "
    )
    assert error.count("\n") == 1
    (folder / "uses" / "day=2024-01-01").mkdir()
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {folder / 'uses' / 'day=2024-01-01'}: not a partition of the uses by day "
        "(date=YYYY-MM-DD, a folder)\n"
    )


def test_what_a_folder_holds_besides_its_parquet_files_is_refused_not_left_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A subfolder of a day in range, a file not named *.parquet, or days beside a folder's files are refused by name."""
    folder = partitioned_edges(tmp_path)
    first, second, *_ = sorted((folder / "uses").iterdir())
    (first / "hour=10").mkdir()
    shutil.move(next(first.glob("*.parquet")), first / "hour=10" / "part-0.parquet")
    shutil.move(next(second.glob("*.parquet")), second / "part-0")
    (second / "_SUCCESS").touch()
    args = ["audit", "--evidence", str(folder), "--out", str(tmp_path / "out"), *ACME]
    assert main(args) == 2
    ignored = "(a folder's files are named *.parquet; names starting with _ or . are ignored)"
    first_day, second_day = (day.name.removeprefix("date=") for day in (first, second))
    assert capsys.readouterr().err == (
        f"policyproof: error: {first / 'hour=10'}: not a Parquet file of the uses of {first_day} {ignored}\n"
        f"policyproof: error: {second / 'part-0'}: not a Parquet file of the uses of {second_day} {ignored}\n"
    )
    assert main([*args, "--from", second_day, "--to", second_day]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: {second / 'part-0'}: not a Parquet file of the uses of {second_day} {ignored}\n"
    )
    shutil.move(first / "hour=10" / "part-0.parquet", folder / "uses" / "part-0.parquet")
    (second / "part-0").rename(folder / "uses" / "part-1.parquet")
    (first / "hour=10").rmdir()
    members = folder / "members"
    members.mkdir()
    (folder / "members.parquet").rename(members / "part-0.parquet")
    (members / "part-1.csv").write_text("member_id,country\n", encoding="utf-8")
    (members / ".part-0.parquet.crc").touch()
    assert main(args) == 2
    days = sorted(day for day in (folder / "uses").iterdir() if day.is_dir())
    assert capsys.readouterr().err == "".join(
        f"policyproof: error: {path}: not a Parquet file of table '{table}' {ignored}\n"
        for table, path in [("members", members / "part-1.csv"), *(("uses", day) for day in days)]
    )
    assert not (tmp_path / "out").exists()


def test_synth_and_the_audit_take_a_folder_with_a_quote_in_its_name(evidence: dict[str, Path], tmp_path: Path) -> None:
    """Synth writes, and the audit reads and writes, evidence under it's/, flat, by day and as CSV, as elsewhere."""
    quoted = tmp_path / "it's"
    policy = policies()["platform"]
    synthesise(policy, quoted / "flat", members=40, uses=600, seed=3)
    synthesise(policy, quoted / "daily", members=40, uses=600, seed=3, by_day=True)
    assert days_of(quoted / "daily") == days_of(evidence["daily"])
    csv = shutil.copytree(quoted / "flat", quoted / "csv")
    with DuckDB() as duck:
        duck.connection.read_parquet(str(csv / "members.parquet")).write_csv(str(csv / "members.csv"))
    (csv / "members.parquet").unlink()
    expected = audit(evidence["flat"], policy, tmp_path / "expected").as_json()
    for name in ("flat", "daily", "csv"):
        found = audit(quoted / name, policy, quoted / f"out '{name}'")
        assert found.as_json()["rows"] == expected["rows"], name
        assert found.as_json()["examples"] == expected["examples"], name
        assert (quoted / f"out '{name}'" / "breaches.parquet").is_file()


def test_audit_json_records_the_days_judged(evidence: dict[str, Path], tmp_path: Path) -> None:
    """audit.json gives --from and --to as the command was given them, each null when not given, as its schema says."""
    schema = json.loads((Path(__file__).parent.parent / "schemas" / "audit.schema.json").read_text())
    args = ["audit", "--evidence", str(evidence["daily"]), *ACME]
    for given, days in [
        ([], {"from": None, "to": None}),
        (["--from", "2024-07-01"], {"from": "2024-07-01", "to": None}),
        (["--from", "2024-07-01", "--to", "2024-12-31"], {"from": "2024-07-01", "to": "2024-12-31"}),
        (["--to", "2025-03-31"], {"from": None, "to": "2025-03-31"}),
    ]:
        out = tmp_path / "-".join(given or ["all"])
        assert main([*args, "--out", str(out), *given]) in {0, 1}
        written = json.loads((out / "audit.json").read_text())
        jsonschema.validate(written, schema)
        assert written["days"] == days


def test_a_range_of_days_whose_ends_are_reversed_is_refused_by_the_library() -> None:
    """Days refuses a first day after its last, so every caller of the audit gets the rule, not only the CLI."""
    with pytest.raises(UsageError, match=r"^--from 2025-11-04 is after --to 2025-11-03: no day would be audited$"):
        Days(dt.date(2025, 11, 4), dt.date(2025, 11, 3))
    assert Days(dt.date(2025, 11, 3), dt.date(2025, 11, 3)).holds(dt.date(2025, 11, 3))
