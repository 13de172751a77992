"""Running an audit: check the evidence, judge every use on the chosen engine, write what was found.

Publishes ``audit.json``, ``breaches.parquet`` and ``to-remove.parquet`` into the output folder together, or
none: nothing at all when the evidence is bad or the run does not finish.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policyproof import files
from policyproof.audit import output, query, validation
from policyproof.audit.engines import DuckDB, Engine
from policyproof.audit.evidence import Days, locate
from policyproof.audit.results import EXAMPLES, AuditResult, Breach, gather
from policyproof.audit.spark import Spark
from policyproof.exceptions import OutputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from policyproof.audit.evidence import Table
    from policyproof.audit.policy import Policy

OUTPUTS = ("audit.json", "breaches.parquet", "to-remove.parquet")  # a set: published together
PREPARED = ".prepared"  # the tables DuckDB prepares for Spark, in the unpublished output; never published


@dataclass(frozen=True, slots=True)
class Options:
    """How to run an audit: the engine and its settings."""

    engine: str = "duckdb"
    spark_master: str = "local[*]"
    memory_limit: str | None = None
    threads: int | None = None
    progress: bool = False
    spark_session: Any = None  # a running Spark session to share (tests); None starts one
    days: Days = field(default_factory=Days)  # the days whose uses are judged; every day by default


def audit(folder: Path, policy: Policy, out: Path, options: Options | None = None) -> AuditResult:
    """Audit the evidence in ``folder``; publish ``audit.json``, ``breaches.parquet`` and ``to-remove.parquet``.

    Both are written into a fresh folder of this run's own and published together: the examples in
    ``audit.json`` are read back from this run's ``breaches.parquet``, never from one another run published.
    """
    options = options or Options()
    files.check_folder(out, OUTPUTS)
    evidence = locate(folder, options.days)
    # DuckDB spills beside the output folder, never into the working folder, and an interrupted run leaves no spill.
    with (
        files.scratch(out) as spill,
        DuckDB(
            memory_limit=options.memory_limit, threads=options.threads, progress=options.progress, spill=spill
        ) as duck,
        _engine(options, duck) as engine,
    ):
        naive = validation.check(evidence, policy, duck)
        # Made once the evidence is known good, so that a folder that cannot be fails before the uses are judged.
        with files.publishing(out, OUTPUTS) as fresh:
            breaches = fresh / "breaches.parquet"
            with _preparing(fresh, out, prepared=engine is not duck) as work:
                prepare(engine, evidence.tables, policy, naive, small=duck, work=work)
                counted = judge_uses(engine)
                engine.write_parquet(query.BREACHES, breaches)
                engine.write_parquet(query.TO_REMOVE, fresh / "to-remove.parquet")
            examples = duck.connection.execute(
                "SELECT * FROM read_parquet($file) "
                "QUALIFY ROW_NUMBER() OVER (PARTITION BY snapshot, region_group ORDER BY used_at, use_id) "
                "<= $examples ORDER BY snapshot, region_group, used_at, use_id",
                {"file": str(breaches), "examples": EXAMPLES},
            ).fetchall()
            result = AuditResult(
                evidence=str(folder),
                engine=options.engine,
                snapshots=tuple(s.id for s in policy.snapshots),
                rows=gather(counted),
                examples=tuple(Breach(*row) for row in examples),
                breaches_file=str(out / "breaches.parquet"),
                to_remove_file=str(out / "to-remove.parquet"),
                days=options.days,
            )
            output.write_text(fresh / "audit.json", json.dumps(result.as_json(), indent=2) + "\n")
    return result


@contextlib.contextmanager
def _engine(options: Options, duck: DuckDB) -> Iterator[Engine]:
    """The engine that judges the uses: ``duck`` itself, or Spark, which starts while DuckDB checks the evidence."""
    if options.engine != "spark":
        yield duck
        return
    spark = Spark(
        master=options.spark_master,
        progress=options.progress,
        session=options.spark_session,
        memory=options.memory_limit,
    )
    try:
        yield spark
    finally:
        spark.close()


@contextlib.contextmanager
def _preparing(fresh: Path, out: Path, *, prepared: bool) -> Iterator[Path | None]:
    """The folder, inside the output's unpublished copy, where DuckDB prepares small tables for another engine.

    None for DuckDB, which needs none. The folder is removed before the output is published; a failure to remove
    it is one line naming the output folder, and nothing is published.
    """
    if not prepared:
        yield None
        return
    work = fresh / PREPARED
    try:
        work.mkdir()
    except OSError as error:
        raise OutputError(f"{out}: cannot prepare the tables for the engine: {error.strerror or error}") from error
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # the unpublished copy goes too
        raise
    try:
        shutil.rmtree(work)
    except OSError as error:
        reason = error.strerror or error
        raise OutputError(f"{out}: cannot remove the tables prepared for the engine: {reason}") from error


def prepare(
    engine: Engine,
    tables: Iterable[Table],
    policy: Policy,
    naive: frozenset[str],
    *,
    small: DuckDB | None = None,
    work: Path | None = None,
) -> None:
    """Read the evidence and the policy's tables into the engine; define the audit's views (of the days in range).

    On another engine than DuckDB, ``small`` (the DuckDB that checked the evidence) prepares every table but
    the uses: the policy's, the members and their setting timelines, read once and small beside the uses. It
    writes those the uses are joined to (``query.SIDES``) into ``work`` as Parquet, and the engine holds them
    whole; the engine reads and judges the uses only. The SQL is the same either way.
    """
    tables = list(tables)
    days = next((table.days for table in tables if table.name == "uses"), None)
    views = query.views(policy, naive, days)
    if isinstance(engine, DuckDB):
        _define(engine, tables, policy, views)
        return
    if small is None or not isinstance(engine, Spark) or work is None:
        raise TypeError("another engine than DuckDB needs the DuckDB that prepares its small tables, and a folder")
    _define(small, [table for table in tables if table.name != "uses"], policy, views, leave=query.OVER_USES)
    for name in sorted(query.SIDES):
        small.write_parquet(f"SELECT * FROM {name}", work / f"{name}.parquet")
    for name in sorted(query.SIDES):  # the first call that waits for Spark, if it is still starting
        engine.hold(name, work / f"{name}.parquet")
    engine.read(next(table for table in tables if table.name == "uses"))
    for name, sql in views:
        if name in query.OVER_USES:
            engine.define(name, sql)


def _define(
    duck: DuckDB,
    tables: Iterable[Table],
    policy: Policy,
    views: list[tuple[str, str]],
    leave: frozenset[str] = frozenset(),
) -> None:
    """Read the tables into DuckDB, hold the policy's, and define each view but those in ``leave``."""
    for table in tables:
        duck.read(table)
    for name, data in policy.tables().items():
        duck.load(name, data)
    for name, sql in views:
        if name not in leave:
            duck.define(name, sql, materialise=name in query.SMALL)


def judge_uses(engine: Engine) -> list[tuple[Any, ...]]:
    """Judge every use of a prepared engine in one pass, kept as ``tally`` for the breaches; the summary's rows."""
    engine.define("tally", query.TALLY, materialise=True)
    return engine.rows(query.SUMMARY)


def verdicts(engine: Engine) -> list[tuple[Any, ...]]:
    """Every use's verdict: use_id, snapshot, region group, status, reason, rule (for checks and tests)."""
    return engine.rows("SELECT use_id, snapshot, region_group, status, reason, rule FROM verdicts ORDER BY use_id")
