"""SQL built from expressions: values and paths go in through SQLGlot's builders, never pasted into text.

A statement is written in DuckDB's dialect with ``:name`` placeholders; :func:`bind` parses it, puts in each
value as the expression :func:`value` builds (a path with a quote in it stays one string), and gives it back
in DuckDB's dialect, which other engines get transpiled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

Value = str | int | bool | dt.date | dt.datetime | None
Bound = Value | Sequence[str] | Mapping[str, str] | exp.Expr  # what a placeholder may be given
DIALECT = "duckdb"


def value(given: Bound) -> exp.Expr:
    """A value as an SQL expression: a literal, a list of texts, or a struct of texts (DuckDB's ``{'a': 'b'}``)."""
    if isinstance(given, exp.Expr):
        return given
    if isinstance(given, Mapping):
        fields = [exp.PropertyEQ(this=exp.Literal.string(k), expression=exp.convert(v)) for k, v in given.items()]
        return exp.Struct(expressions=fields)
    return exp.convert(list(given) if isinstance(given, Sequence) and not isinstance(given, str) else given)


def bind(sql: str, **values: Bound) -> str:
    """A statement in DuckDB's dialect with each ``:name`` placeholder replaced by its value, built as an expression."""
    tree = sqlglot.parse_one(sql, read=DIALECT)
    return exp.replace_placeholders(tree, **{name: value(v) for name, v in values.items()}).sql(dialect=DIALECT)


def render(expression: exp.Expr) -> str:
    """An expression as SQL text in DuckDB's dialect."""
    return expression.sql(dialect=DIALECT)


@dataclass(frozen=True, slots=True)
class Rows:
    """A small table given as data: its columns (name and type in DuckDB's dialect) and its rows.

    DuckDB loads it from the values themselves, as bound parameters, and hands it to another engine prepared
    (``run.prepare``), so no SQL text the size of the table is built, parsed or transpiled.
    """

    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[Value, ...], ...]

    def column(self, k: int) -> list[Value]:
        """The values of the ``k``-th column, in the rows' order."""
        return [row[k] for row in self.rows]
