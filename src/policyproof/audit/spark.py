"""Apache Spark as an engine of the audit: the same SQL as DuckDB's, transpiled by SQLGlot, at any master URL.

Spark reads and judges the uses through its own readers. The small tables the uses are joined to (the
policy's, the members, their setting timelines) come prepared by DuckDB, which checks every table of the
evidence first whichever engine judges, as Parquet files Spark holds whole and broadcasts. What Spark raises
(on the Python or the Java side) reaches the user as one line.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlglot

from policyproof.audit.engines import EngineError, first_line
from policyproof.audit.output import writing

if TYPE_CHECKING:
    from collections.abc import Iterator

    from policyproof.audit.evidence import Table

# The master URLs Spark documents (https://spark.apache.org/docs/latest/submitting-applications.html#master-urls);
# Spark 4 no longer runs on Mesos.
MASTERS = "local, local[N], local[*], local[N,F], local[*,F], spark://HOST:PORT, yarn or k8s://HOST:PORT"
_MASTER = re.compile(r"local(\[(\d+|\*)(,\d+)?\])?|yarn|(spark|k8s)://\S+")
_SIZE = re.compile(r"(\d+)\s*([kmgt])i?b?", re.IGNORECASE)  # a memory size, as DuckDB and the JVM both take it
_PARTITION_BYTES = 32 * 1024 * 1024  # evidence a shuffle partition takes, on one machine
# What Spark's reader takes for a pattern in a path (Hadoop's glob): escaped where a path is to be read as written.
_PATTERN = re.compile(r"([\\\[\]{}*?])")


def _literal(path: Path) -> str:
    """A path as Spark's readers take it to name one file, its pattern characters escaped."""
    return _PATTERN.sub(r"\\\1", str(path))


def to_spark(sql: str) -> str:
    """A SELECT in DuckDB's dialect, in Spark's."""
    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


class Spark:
    """Apache Spark through pyspark, at a master URL (``local[*]`` runs it in this machine's cores).

    ``session`` lets a caller share one running session (Spark takes seconds to start); an engine given
    one does not stop it. Without one, the engine starts its own on a thread of its own (``Starting``) and
    goes on: the evidence is checked while Spark's JVM starts, and the engine waits for it when first used.
    """

    name = "spark"

    def __init__(
        self,
        *,
        master: str = "local[*]",
        progress: bool = False,
        session: Any = None,  # noqa: ANN401 (pyspark is optional and untyped here)
        memory: str | None = None,
    ) -> None:
        """Join ``session``, or start one at ``master`` (its driver given ``memory``) with the SQL time zone in UTC.

        A master URL or a memory size Spark would refuse is refused here, before anything starts.
        """
        self._session = session
        self._starting = Starting(master, progress=progress, memory=memory) if session is None else None

    @property
    def session(self) -> Any:  # noqa: ANN401 (a pyspark SparkSession)
        """The running session, once it has started (``EngineError`` if it could not)."""
        if self._session is None and self._starting is not None:
            self._session = self._starting.session()
        return self._session

    def read(self, table: Table) -> None:
        """Make an evidence table readable as ``raw_<name>``.

        The uses set how many partitions a shuffle makes, on any master: one for each 32 MB of their files,
        and at least twice the cores the cluster gives (``spark.default.parallelism`` where it is set).
        Spark's fixed 200 made tables of a few thousand rows take seconds on a small cluster, each partition
        a task a stage, while too few run out of memory on a hundred million uses.
        """
        if table.name == "uses":
            partitions = max(2 * self.session.sparkContext.defaultParallelism, -(-table.size // _PARTITION_BYTES))
            self.session.conf.set("spark.sql.shuffle.partitions", str(partitions))
        reader = self.session.read
        try:
            with _spark_errors():
                # Each file by name, read as written: a folder named ``evidence[1]`` is no pattern.
                files = [_literal(file) for file in table.paths]
                frame = (
                    # The dialect schemas/evidence.md gives, as DuckDB reads it (CSV_DIALECT): a quote inside a
                    # quoted field is doubled, where Spark would otherwise take a backslash before it.
                    reader.options(header=True, sep=",", quote='"', escape='"').csv(files)
                    if table.format == "csv"
                    else reader.parquet(*files)
                    if not table.partitioned
                    # The files of the days in range, and their day the column ``date`` from the folder's name.
                    else reader.option("basePath", str(table.path)).parquet(*files)
                )
        except EngineError as error:
            reason = str(error)
            hint = ""
            if "TIMESTAMP(NANOS" in reason:
                hint = "; write its timestamps in microseconds, or audit it with DuckDB"
            raise EngineError(f"{table.where()}: Spark cannot read it: {reason}{hint}") from error
        frame.createOrReplaceTempView(f"raw_{table.name}")

    def define(self, name: str, sql: str, *, materialise: bool = False) -> None:
        """Define a view from a SELECT in DuckDB's dialect; ``materialise`` caches its rows.

        A cached view is computed by the first job that reads it, not by a job of its own.
        """
        frame = self._sql(sql)
        (frame.cache() if materialise else frame).createOrReplaceTempView(name)

    def hold(self, name: str, path: Path) -> None:
        """Hold a small table prepared as one Parquet file (by DuckDB) whole, as ``name``: broadcast to each join.

        It is sent whole to every join with the uses whatever size the planner estimates, so the uses are never
        shuffled to meet it. It is not cached: the uses are judged once, and the hash table each join builds
        from it would otherwise sit in memory beside a cached copy (the members of 100 M uses did not fit in 4 GB).
        """
        with _spark_errors("Spark could not run the audit: "):
            # The path is in the output folder's unpublished copy, named after it: an output folder such as
            # ``audit[1]`` must not be read as a pattern that matches no file.
            frame = self.session.read.parquet(_literal(path))
        frame.hint("broadcast").createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a SELECT in DuckDB's dialect."""
        frame = self._sql(sql)
        with _spark_errors("Spark could not run the audit: "):
            return [tuple(row) for row in frame.collect()]

    def write_parquet(self, sql: str, path: Path) -> None:
        """Write the rows of a SELECT to one Parquet file (Spark writes a folder; its one part is moved)."""
        frame = self._sql(sql)
        with writing(path), tempfile.TemporaryDirectory(dir=path.parent) as folder:
            written = Path(folder) / "out"
            with _spark_errors("Spark could not run the audit: "):
                frame.coalesce(1).write.parquet(str(written))
            part = next(written.glob("part-*.parquet"))
            shutil.move(part, path)  # a rename within the folder: the file appears whole

    def _sql(self, sql: str) -> Any:  # noqa: ANN401 (a pyspark DataFrame)
        with _spark_errors("Spark could not run the audit: "):
            return self.session.sql(to_spark(sql))

    def close(self) -> None:
        """Stop the session, if this engine started it; one still starting is stopped once it has started."""
        if self._starting is not None:  # started by this engine, not given
            self._starting.abandon()


class Starting:
    """A Spark session starting on a thread of its own, so that other work goes on meanwhile.

    pyspark puts in a Ctrl-C handler of its own while a session starts on the main thread, which raised
    KeyboardInterrupt in the middle of its calls to the JVM and printed their tracebacks; on another thread it
    puts in none, and Ctrl-C is the command's throughout. A session abandoned before it has started is stopped
    as soon as it has.
    """

    def __init__(self, master: str, *, progress: bool = False, memory: str | None = None) -> None:
        """Check the master URL and memory size, then start the session on a thread of its own."""
        _check(master, memory)
        self._lock = threading.Lock()
        self._started: Any = None
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(
            target=self._start, args=(master, progress, memory), name="policyproof-spark-start", daemon=True
        )
        self._thread.start()

    def _start(self, master: str, progress: bool, memory: str | None) -> None:
        try:
            session = start_spark(master, progress=progress, memory=memory)
        except BaseException as error:  # noqa: BLE001 (handed to the thread that waits for the session)
            self._error = error
            return
        with self._lock:
            if self._abandoned:
                session.stop()
            else:
                self._started = session

    def session(self) -> Any:  # noqa: ANN401 (a pyspark SparkSession)
        """Wait for the session; raise what stopped it from starting."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._started

    def abandon(self) -> None:
        """Stop the session: now if it has started, else as soon as it has."""
        with self._lock:
            self._abandoned = True
            started, self._started = self._started, None
        if started is not None:
            started.stop()


def _spark_reason(error: BaseException) -> str:
    """Spark's reason in one line: no error class, SQLSTATE, plan, nor JVM stack trace."""
    from py4j.protocol import Py4JJavaError  # noqa: PLC0415 (pyspark is an optional extra)

    if isinstance(error, Py4JJavaError):
        # The Python text is "An error occurred while calling ..." and the whole stack; the innermost Java
        # cause says what went wrong (a task's failure, in a job Spark aborted).
        cause = error.java_exception
        while cause.getCause() is not None:
            cause = cause.getCause()
        text = str(cause.getMessage() or cause.toString())
    else:
        text = str(error)
    line = first_line(Exception(text))
    line = re.sub(r"^\[[A-Z_.]+\] ", "", line)
    return re.sub(r"\.?\s*SQLSTATE: \w+$", "", line).strip()


@contextlib.contextmanager
def _spark_errors(prefix: str = "") -> Iterator[None]:
    """Turn what Spark raises, on the Python or the Java side, into an ``EngineError`` of one line."""
    from py4j.protocol import Py4JJavaError  # noqa: PLC0415 (pyspark is an optional extra)
    from pyspark.errors import PySparkException  # noqa: PLC0415

    try:
        yield
    except (PySparkException, Py4JJavaError) as error:
        raise EngineError(prefix + _spark_reason(error)) from error


def _check(master: str, memory: str | None) -> str | None:
    """Refuse a master URL or a memory size Spark would refuse; the memory in the JVM's form (4GB is 4g)."""
    if not _MASTER.fullmatch(master):
        raise EngineError(f"Spark master '{master}' is not a master URL; Spark accepts {MASTERS}")
    if memory is None:
        return None
    # DuckDB's form (4GB, 512 MiB) in the JVM's (4g, 512m), which the driver's -Xmx takes.
    size = _SIZE.fullmatch(memory.strip())
    if size is None:
        raise EngineError(f"memory '{memory}' is not a size; give it as 4GB or 512MB")
    return f"{size.group(1)}{size.group(2).lower()}"


def start_spark(master: str, *, progress: bool = False, memory: str | None = None) -> Any:  # noqa: ANN401 (a pyspark SparkSession)
    """A Spark session at ``master`` with the SQL session time zone in UTC, its driver given ``memory`` if said.

    On a ``local`` master the driver is the whole of Spark, and the small tables the audit broadcasts are
    built in it: Spark's default of 1 GB is too little for the members of a hundred million uses.

    The master URL's form is checked first: Spark refuses a bad one only from the JVM it starts, which
    prints a stack trace and leaves pyspark to say no more than that the Java gateway exited.
    """
    _check(master, memory)
    try:
        from pyspark.logger import PySparkLogger  # noqa: PLC0415 (pyspark is an optional extra)
        from pyspark.sql import SparkSession  # noqa: PLC0415
    except ImportError as error:
        raise EngineError("the Spark engine needs pyspark: pip install 'policyproof[spark]'") from error
    builder = SparkSession.builder
    if memory is not None:
        builder = builder.config("spark.driver.memory", _check(master, memory))
    handler = signal.getsignal(signal.SIGINT)
    try:
        session = (
            builder.master(master)
            .appName("policyproof audit")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", str(progress).lower())
            .getOrCreate()
        )
    except Exception as error:  # pyspark raises plain Java-gateway errors when Spark cannot start
        raise EngineError(f"Spark could not start at {master}: {_spark_reason(error)}") from error
    finally:
        # pyspark puts in its own Ctrl-C handler, which cancels Spark's jobs and raises KeyboardInterrupt in
        # the middle of a call to the JVM; the one in place before (the command's, which ends the run and
        # the JVM cleanly) is put back.
        if handler is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, handler)
    # Errors reach the user as one line each (``_spark_errors``); Spark's own logging of them, in the JVM and
    # by pyspark's query-context loggers, would repeat them with stack traces.
    session.sparkContext.setLogLevel("FATAL")
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)
    return session
