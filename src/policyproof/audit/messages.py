"""How a message about bad evidence names its rows: ``file:line`` of a CSV file, ``file: row N`` of Parquet.

A problem is named at its first bad row, then its first few bad values, each with the row it is in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.untrusted import shown

if TYPE_CHECKING:
    from collections.abc import Iterable

    from policyproof.audit.evidence import Table


def message(table: Table, column: str, what: str, count: int, examples: Iterable[tuple[object, ...]]) -> str:
    """``file: row N: column 'c': what: K bad values; first: 'v' (row N), ...`` (a CSV file's lines)."""
    given = [(str(file), int(str(row)), value) for file, row, value in examples]
    named = len({file for file, _, _ in given}) > 1
    listed = ", ".join(
        f"{'null' if value is None else shown(value)} ({place(table, file, row, named=named)})"
        for file, row, value in given
    )
    unit = "value" if count == 1 else "values"
    return f"{where(table, given[0][0], given[0][1])}: column '{column}': {what}: {count} bad {unit}; first: {listed}"


def where(table: Table, file: str, row: int) -> str:
    """Where a row is, as a message starts: ``file:line`` for CSV, ``file: row N`` for Parquet."""
    return f"{file}:{_number(table, row)}" if table.format == "csv" else f"{file}: row {row}"


def place(table: Table, file: str, row: int, *, named: bool) -> str:
    """A row as a list names it: ``row 4`` (``line 5`` of a CSV file), after its file's name if ``named``."""
    unit = f"{_unit(table)} {_number(table, row)}"
    return f"{Path(file).name} {unit}" if named else unit


def places(table: Table, places: list[list[str]]) -> str:
    """The rows one value is given in: ``rows 2, 4`` in one file, ``a.parquet row 4, b.parquet row 9`` across files."""
    rows = [(file, int(row)) for file, row in places]
    if len({file for file, _ in rows}) > 1:
        return ", ".join(place(table, file, row, named=True) for file, row in rows)
    return f"{_unit(table)}s {', '.join(str(_number(table, row)) for _, row in rows)}"


def _unit(table: Table) -> str:
    """What a message calls a table's rows: a Parquet file's rows, a CSV file's lines."""
    return "row" if table.format == "parquet" else "line"


def _number(table: Table, row: int) -> int:
    """A row's number as a message gives it: a CSV file's line counts its header too."""
    return row if table.format == "parquet" else row + 1
