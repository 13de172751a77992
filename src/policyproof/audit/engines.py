"""The engines an audit runs on: DuckDB embedded (the default, here) and Apache Spark (``spark.py``).

DuckDB reads the evidence tables as ``raw_members``, ``raw_settings`` and ``raw_uses`` and loads the policy's;
Spark reads ``raw_uses`` only and holds the small tables DuckDB prepared for it (``run.prepare``). Each defines
the audit's views from SQL written in DuckDB's dialect and runs queries; Spark gets the SQL transpiled by SQLGlot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Self

import duckdb

from policyproof.audit.evidence import CSV_DIALECT
from policyproof.audit.output import writing
from policyproof.audit.sql import Rows, bind
from policyproof.exceptions import PolicyproofError
from policyproof.files import replacing

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

    from policyproof.audit.evidence import Table

ENGINES = ("duckdb", "spark")


class EngineError(PolicyproofError):
    """An engine could not be started or could not run the audit."""


class Engine(Protocol):
    """What the audit asks of an engine."""

    name: str

    def read(self, table: Table) -> None:
        """Make an evidence table readable as ``raw_<name>``."""

    def define(self, name: str, sql: str, *, materialise: bool = False) -> None:
        """Define a view from a SELECT in DuckDB's dialect; ``materialise`` holds its rows."""

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a SELECT in DuckDB's dialect."""

    def write_parquet(self, sql: str, path: Path) -> None:
        """Write the rows of a SELECT in DuckDB's dialect to one Parquet file."""

    def close(self) -> None:
        """Let go of the engine's resources."""


class DuckDB:
    """DuckDB in this process: no server, memory bounded by ``memory_limit`` (spilling to disk beyond it)."""

    name = "duckdb"

    def __init__(
        self,
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        progress: bool = False,
        spill: Path | None = None,
    ) -> None:
        """Open an in-memory database with the session in UTC, spilling into ``spill`` (DuckDB's default: ``.tmp``)."""
        config: dict[str, str | bool | int | float | list[str]] = {}
        if spill is not None:
            config["temp_directory"] = str(spill)
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        if threads is not None:
            config["threads"] = threads
        try:
            self.connection = duckdb.connect(config=config)
        except duckdb.Error as error:
            given = [f"memory limit '{memory_limit}'"] if memory_limit is not None else []
            given += [f"{threads} threads"] if threads is not None else []
            reason = first_line(error).split(" Error: ", 1)[-1]  # less the kind of error DuckDB starts with
            settings = " and ".join(given) or "its defaults"
            raise EngineError(f"DuckDB could not start with {settings}: {reason}") from error
        self.connection.execute("SET TimeZone = 'UTC'")
        self.connection.execute(f"SET enable_progress_bar = {str(progress).lower()}")

    def __enter__(self) -> Self:
        """Use as a context manager."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Close the connection."""
        self.close()

    def scan(self, table: Table, *, rejects: str | None = None) -> str:
        """The SELECT that reads a table, with the file and row of each row for messages; paths go in as values.

        A CSV file is read in the evidence format's dialect, every column text, named by its header row and
        nothing guessed; a line with another number of fields is an error, or, given ``rejects``, is left
        out and recorded in the temporary table of that name (DuckDB's ``store_rejects``).
        """
        if table.format == "csv":
            columns = dict.fromkeys(table.columns(), "VARCHAR")
            rejected = ", store_rejects = true, rejects_table = :rejects, rejects_scan = :scan"
            return bind(
                "SELECT *, :path AS _file, ROW_NUMBER() OVER () AS _row FROM read_csv(:path, delim = :delim, "
                f"quote = :quote, escape = :escape, header = :header, auto_detect = false, columns = :columns"
                f"{rejected if rejects else ''})",
                path=table.files,
                columns=columns,
                rejects=rejects,
                scan=f"{rejects}_scan",
                **CSV_DIALECT,
            )
        # The files of the days in range, listed: no other day's file is opened. Their day is the column
        # ``date``, from the folder's name.
        hive = ", hive_types = {'date': DATE}" if table.partitioned else ""
        return bind(
            "SELECT * EXCLUDE (filename, file_row_number), filename AS _file, file_row_number + 1 AS _row "
            f"FROM read_parquet(:paths, filename = true, file_row_number = true, hive_partitioning = :hive{hive})",
            paths=[str(file) for file in table.paths] if table.partitioned else table.files,
            hive=table.partitioned,
        )

    def read(self, table: Table) -> None:
        """Make an evidence table readable as ``raw_<name>``."""
        self.define(f"raw_{table.name}", self.scan(table))

    def define(self, name: str, sql: str, *, materialise: bool = False) -> None:
        """Define a view from a SELECT; ``materialise`` makes it a table."""
        self._run(f"CREATE OR REPLACE TEMP {'TABLE' if materialise else 'VIEW'} {name} AS {sql}")

    def load(self, name: str, data: Rows) -> None:
        """Hold a small table given as data: each column a list bound as a parameter, unnested side by side."""
        columns = ", ".join(
            f"CAST(UNNEST($c{k}) AS {kind}) AS {column}" for k, (column, kind) in enumerate(data.columns)
        )
        parameters = {f"c{k}": data.column(k) for k in range(len(data.columns))}
        try:
            self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {columns}", parameters)
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not run the audit: {first_line(error)}") from error

    def rows(self, sql: str, parameters: dict[str, object] | None = None) -> list[tuple[Any, ...]]:
        """The rows of a SELECT, given the values of its ``$name`` parameters."""
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not run the audit: {first_line(error)}") from error

    def write_parquet(self, sql: str, path: Path) -> None:
        """Write the rows of a SELECT to one Parquet file, whole or not at all (temporary file, then rename)."""
        with writing(path), replacing(path) as temporary:
            try:
                self.connection.sql(sql).write_parquet(str(temporary))
            except duckdb.Error as error:
                raise EngineError(f"DuckDB could not run the audit: {first_line(error)}") from error

    def _run(self, sql: str) -> None:
        try:
            self.connection.execute(sql)
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not run the audit: {first_line(error)}") from error

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def first_line(error: BaseException) -> str:
    """An engine's error message without what follows its first line (DuckDB's ``LINE 1:`` and carets)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
