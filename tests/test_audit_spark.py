"""The same audit on Apache Spark: Spark, DuckDB and decide() give every use the same verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from evidence_cases import edges, generate, policies

from policyproof.audit import validation
from policyproof.audit.engines import Spark, start_spark
from policyproof.audit.evidence import locate
from policyproof.audit.run import Options, audit, prepare, verdicts

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session on two cores for this module (it takes seconds to start)."""
    session = start_spark("local[2]")
    yield session
    session.stop()


def spark_verdicts(session: Any, folder: Path, mode: str) -> list[tuple[object, ...]]:  # noqa: ANN401
    """Every use's verdict as Spark's audit gives it (the evidence checked by DuckDB first, as the CLI does)."""
    from policyproof.audit.engines import DuckDB  # noqa: PLC0415

    evidence = locate(folder)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()[mode], duck)
    engine = Spark(session=session)
    prepare(engine, evidence.tables, policies()[mode], naive)
    return verdicts(engine)


@pytest.mark.parametrize("mode", ["platform", "snapshot"])
def test_spark_gives_decides_verdict_for_every_use(spark: Any, tmp_path: Path, mode: str) -> None:  # noqa: ANN401
    """On generated evidence and the named edges, Spark's verdict of each use is decide()'s and DuckDB's."""
    evidence = generate(7, members=60, uses=600)
    named = edges()
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


def test_every_csv_form_the_check_lets_through_reads_the_same_on_spark(spark: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """Quoted fields, a byte-order mark, CRLF lines, ``T``, ``Z``, offsets and fractions read as on DuckDB.

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
        "u7,m2,posts,ai_training,2024-09-01 08:00:00\n",
        encoding="utf-8",
    )
    on_duckdb = audit(folder, policies()["platform"], tmp_path / "duckdb")
    on_spark = audit(folder, policies()["platform"], tmp_path / "spark", Options(engine="spark", spark_session=spark))
    assert spark_verdicts(spark, folder, "platform") == verdicts_on_duckdb(folder)
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
