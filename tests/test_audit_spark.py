"""The same audit on Apache Spark: Spark, DuckDB and decide() give every use the same verdict."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from evidence_cases import NAMED, POLICY_DIR, edges, generate, policies

from policyproof.audit import validation
from policyproof.audit.engines import DuckDB, EngineError
from policyproof.audit.evidence import locate
from policyproof.audit.run import PREPARED, Options, audit, prepare, verdicts
from policyproof.audit.spark import Spark, _spark_errors, start_spark
from policyproof.cli import main
from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session on two cores for this module (it takes seconds to start)."""
    session = start_spark("local[2]")
    yield session
    session.stop()


def spark_verdicts(session: Any, folder: Path, mode: str) -> list[tuple[object, ...]]:  # noqa: ANN401
    """Every use's verdict as Spark's audit gives it: the evidence checked, and the small tables made, by DuckDB.

    The tables DuckDB makes for Spark are kept beside the evidence (``prepared/``) for the test's life.
    """
    evidence = locate(folder)
    work = folder.parent / "prepared"
    work.mkdir(exist_ok=True)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()[mode], duck)
        engine = Spark(session=session)
        prepare(engine, evidence.tables, policies()[mode], naive, small=duck, work=work)
        return verdicts(engine)


@pytest.mark.parametrize("mode", ["platform", "snapshot"])
def test_spark_gives_decides_verdict_for_every_use(spark: Any, tmp_path: Path, mode: str) -> None:  # noqa: ANN401
    """On generated evidence and every set of named edges, Spark's verdict of each use is decide()'s and DuckDB's."""
    evidence = generate(7, members=60, uses=600)
    named = edges(tuple(edge for cases in NAMED.values() for edge in cases))
    evidence.members.update(named.members)
    evidence.settings.update(named.settings)
    evidence.uses += named.uses
    folder = evidence.write(tmp_path / "evidence")
    expected = evidence.expected(policies()[mode])
    assert spark_verdicts(spark, folder, mode) == expected
    result = audit(folder, policies()[mode], tmp_path / "duckdb")
    on_spark = audit(folder, policies()[mode], tmp_path / "spark", Options(engine="spark", spark_session=spark))
    assert on_spark.as_json()["rows"] == result.as_json()["rows"]
    assert on_spark.total("breach") == sum(row[3] == "breach" for row in expected) > 0
    assert on_spark.total("to_remove") == sum(row[3] == "to_remove" for row in expected) > 0


def test_a_table_spark_cannot_read_is_named_with_its_reason_and_nothing_is_written(
    spark: Any,  # noqa: ANN401
    tmp_path: Path,
) -> None:
    """Uses with nanosecond timestamps (pandas' default) are one line naming the file, Spark's reason and a way out."""
    folder = edges().write(tmp_path / "evidence")
    uses = folder / "uses.parquet"
    with DuckDB() as duck:
        duck.write_parquet(f"SELECT * REPLACE (CAST(used_at AS TIMESTAMP_NS) AS used_at) FROM '{uses}'", uses)
    out = tmp_path / "out"
    with pytest.raises(EngineError) as raised:
        audit(folder, policies()["platform"], out, Options(engine="spark", spark_session=spark))
    assert str(raised.value) == (
        f"{uses}: Spark cannot read it: Illegal Parquet type: INT64 (TIMESTAMP(NANOS,false)); "
        "write its timestamps in microseconds, or audit it with DuckDB"
    )
    assert not out.exists()


def test_the_command_names_a_table_spark_cannot_read_in_one_line_and_exits_2(tmp_path: Path) -> None:
    """On the command line the same table is one error line, exit 2, with no traceback or JVM stack on stderr."""
    folder = edges().write(tmp_path / "evidence")
    uses = folder / "uses.parquet"
    with DuckDB() as duck:
        duck.write_parquet(f"SELECT * REPLACE (CAST(used_at AS TIMESTAMP_NS) AS used_at) FROM '{uses}'", uses)
    out = tmp_path / "out"
    args = ["--evidence", str(folder), "--out", str(out), "--engine", "spark", "--spark-master", "local[1]"]
    done = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "audit", *args, "--snapshots", str(POLICY_DIR), "--platform", "acme"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower() or line.startswith("\t")]
    assert errors == [
        f"policyproof: error: {uses}: Spark cannot read it: Illegal Parquet type: INT64 (TIMESTAMP(NANOS,false)); "
        "write its timestamps in microseconds, or audit it with DuckDB"
    ]
    assert not out.exists()


def test_spark_errors_while_running_a_query_are_one_line(spark: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """Errors from Spark's jobs, on the Python or the Java side, are their first line with no class or stack."""
    engine = Spark(session=spark)
    with pytest.raises(EngineError) as raised:
        engine.rows("SELECT MAKE_TIMESTAMP(2024, 13, 1, 0, 0, 0)")
    assert str(raised.value) == "Spark could not run the audit: Invalid value for MonthOfYear (valid values 1 - 12): 13"
    with pytest.raises(OutputError) as unwritten:
        engine.write_parquet("SELECT 1 AS a", tmp_path / "gone" / "breaches.parquet")
    assert (
        str(unwritten.value) == f"{tmp_path / 'gone' / 'breaches.parquet'}: cannot write it: No such file or directory"
    )
    # A job Spark aborts surfaces as a Py4JJavaError; the innermost Java cause says why.
    with pytest.raises(EngineError) as raised, _spark_errors("Spark could not run the audit: "):
        spark.sql("SELECT 1 AS a").write.parquet("/proc/policyproof/out")
    assert str(raised.value).startswith(
        "Spark could not run the audit: Mkdirs failed to create file:/proc/policyproof/out/_temporary/"
    )
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("master", ["bogus://x", "local[two]", "yarn-cluster"])
def test_a_master_url_spark_does_not_accept_is_refused_before_spark_starts(
    master: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A master of a form Spark does not accept exits 2 with one line listing the forms it does; nothing is written."""
    folder = edges().write(tmp_path / "evidence")
    out = tmp_path / "out"
    args = ["audit", "--evidence", str(folder), "--out", str(out), "--engine", "spark", "--spark-master", master]
    assert main([*args, "--snapshots", str(POLICY_DIR), "--platform", "acme"]) == 2
    assert capsys.readouterr().err == (
        f"policyproof: error: Spark master '{master}' is not a master URL; Spark accepts local, local[N], local[*], "
        "local[N,F], local[*,F], spark://HOST:PORT, yarn or k8s://HOST:PORT\n"
    )
    assert not out.exists()


def test_every_csv_form_the_check_lets_through_reads_the_same_on_spark(spark: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """Quoted fields (a quote in one), a byte-order mark, CRLF lines, ``T``, ``Z``, offsets, fractions: as on DuckDB.

    The uses sit around a 10:30 UTC opt-out to the microsecond, so an instant read otherwise changes a verdict.
    """
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "members.csv").write_bytes(
        b'member_id,country,birth_date,believed_under_18_since\r\n"m1",US,1980-01-01,\r\nm2,US,2010-05-06,"2024-01-01T00:00:00Z"\r\n'
    )
    (folder / "settings.csv").write_text("member_id,control,state,changed_at\nm1,ai_setting,off,2024-09-01 10:30:00\n")
    (folder / "uses.csv").write_text(
        "\ufeffuse_id,member_id,category,purpose,used_at\n"
        "u1,m1,posts,ai_training,2024-09-01T12:29:59.999999+02:00\n"
        "u2,m1,posts,ai_training,2024-09-01T10:30:00Z\n"
        "u3,m1,posts,ai_training,2024-09-01 10:29:00\n"
        "u4,m1,posts,ai_training,2024-09-01T12:30:00+0200\n"
        "u5,m1,posts,ai_training,2024-09-01T05:29:59.9999999-05\n"
        '"u6","m1","posts","ai_training","2024-09-01 10:29:59.5"\n'
        "u7,m2,posts,ai_training,2024-09-01 08:00:00\n"
        '"u""8",m1,posts,ai_training,2024-09-01 10:00:00\n',  # a quote inside a quoted field is doubled
        encoding="utf-8",
    )
    on_duckdb = audit(folder, policies()["platform"], tmp_path / "duckdb")
    on_spark = audit(folder, policies()["platform"], tmp_path / "spark", Options(engine="spark", spark_session=spark))
    on_duckdb_verdicts = verdicts_on_duckdb(folder)
    assert 'u"8' in [row[0] for row in on_duckdb_verdicts]
    assert spark_verdicts(spark, folder, "platform") == on_duckdb_verdicts
    assert on_spark.as_json()["rows"] == on_duckdb.as_json()["rows"]
    assert sorted((b.use_id, b.reason) for b in on_spark.examples) == [
        ("u2", "opted-out"),
        ("u4", "opted-out"),
        ("u7", "excluded-member"),
    ]


def verdicts_on_duckdb(folder: Path) -> list[tuple[object, ...]]:
    """Every use's verdict as DuckDB's audit gives it."""
    from policyproof.audit.engines import DuckDB  # noqa: PLC0415

    evidence = locate(folder)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()["platform"], duck)
        prepare(duck, evidence.tables, policies()["platform"], naive)
        return verdicts(duck)


def test_spark_writes_the_breaches_in_duckdbs_order_and_the_same_bytes_each_run(spark: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """Spark's breaches.parquet holds DuckDB's rows in DuckDB's order, and two Spark runs write the same bytes."""
    folder = generate(11, members=80, uses=900).write(tmp_path / "evidence")
    policy = policies()["platform"]
    audit(folder, policy, tmp_path / "duckdb")
    for out in ("spark", "again"):
        audit(folder, policy, tmp_path / out, Options(engine="spark", spark_session=spark))
    order = "snapshot, region_group, used_at, use_id, member_id, purpose, category, reason, rule"
    with DuckDB() as duck:
        rows = {
            out: duck.rows(f"SELECT {order} FROM read_parquet('{tmp_path / out / 'breaches.parquet'}')")
            for out in ("duckdb", "spark")
        }
    assert rows["spark"] == rows["duckdb"]
    assert len(rows["duckdb"]) > 1
    assert (tmp_path / "spark" / "breaches.parquet").read_bytes() == (
        tmp_path / "again" / "breaches.parquet"
    ).read_bytes()


def test_spark_audits_into_a_folder_whose_name_spark_would_read_as_a_pattern(spark: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """An output folder named with brackets and braces gets DuckDB's verdicts from Spark, and only the outputs."""
    folder = generate(5, members=20, uses=150).write(tmp_path / "evidence")
    policy = policies()["platform"]
    expected = audit(folder, policy, tmp_path / "duckdb")
    out = tmp_path / "audit[1]{a}"
    result = audit(folder, policy, out, Options(engine="spark", spark_session=spark))
    assert result.as_json()["rows"] == expected.as_json()["rows"]
    assert result.total("breach") > 0
    assert sorted(path.name for path in out.iterdir()) == ["audit.json", "breaches.parquet", "to-remove.parquet"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audit[1]{a}", "duckdb", "evidence"]


def test_the_tables_prepared_for_spark_are_never_published_and_a_users_files_are_kept(
    spark: Any,  # noqa: ANN401
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A user's own ``.prepared`` folder in the output survives; prepared tables that cannot be removed publish nothing."""
    folder = generate(5, members=20, uses=150).write(tmp_path / "evidence")
    policy = policies()["platform"]
    out = tmp_path / "out"
    (out / PREPARED).mkdir(parents=True)
    (out / PREPARED / "notes.txt").write_text("mine\n", encoding="utf-8")
    audit(folder, policy, out, Options(engine="spark", spark_session=spark))
    assert sorted(path.name for path in out.iterdir()) == [
        PREPARED,
        "audit.json",
        "breaches.parquet",
        "to-remove.parquet",
    ]
    assert [path.name for path in (out / PREPARED).iterdir()] == ["notes.txt"]
    published = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}

    removing = shutil.rmtree

    def stuck(path: Path, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        if Path(path).name == PREPARED and not kwargs.get("ignore_errors"):
            raise OSError(16, "Device or resource busy")
        removing(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", stuck)
    with pytest.raises(OutputError) as raised:
        audit(folder, policy, out, Options(engine="spark", spark_session=spark))
    assert str(raised.value) == f"{out}: cannot remove the tables prepared for the engine: Device or resource busy"
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == published
    assert sorted(path.name for path in tmp_path.iterdir()) == ["evidence", "out"]


def ancestors(plan: list[str], index: int) -> list[str]:
    """The nodes above one node of a plan as Spark prints it (each child indented three places past its parent)."""
    depth = len(plan[index]) - len(plan[index].lstrip(" :+-"))
    above = []
    for line in reversed(plan[:index]):
        indent = len(line) - len(line.lstrip(" :+-"))
        if indent < depth:
            above.append(line.strip(" :+-"))
            depth = indent
    return above


def test_spark_joins_the_uses_to_whole_small_tables_and_never_shuffles_them_to_meet_one(
    spark: Any,  # noqa: ANN401
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With Spark's size-based broadcast off, the uses still meet each table by a broadcast join, never shuffled."""
    folder = generate(3, members=30, uses=200).write(tmp_path / "evidence")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    try:
        spark_verdicts(spark, folder, "platform")
        spark.sql("SELECT * FROM judging").explain()
    finally:
        spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
    plan = capsys.readouterr().out.splitlines()
    scans = [k for k, line in enumerate(plan) if line.strip(" :+-").startswith("FileScan parquet [use_id#")]
    assert len(scans) == 1
    above = [re.sub(r"^\*\(\d+\) ", "", node).split(" ")[0] for node in ancestors(plan, scans[0])]
    # The uses meet the members (who know whether they changed a setting), the version, the cell, the interval.
    assert above.count("BroadcastHashJoin") == 4
    assert not [node for node in above if node in {"Exchange", "SortMergeJoin", "ShuffledHashJoin", "Sort"}]


def test_a_driver_memory_that_is_not_a_size_is_refused_before_spark_starts() -> None:
    """A memory for Spark's driver that is no size is one line naming it, before any JVM starts."""
    with pytest.raises(EngineError) as raised:
        start_spark("local[1]", memory="plenty")
    assert str(raised.value) == "memory 'plenty' is not a size; give it as 4GB or 512MB"
