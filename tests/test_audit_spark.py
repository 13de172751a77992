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
