"""Checking evidence before it is audited: files, tables, columns, types, then values, every problem named.

Files first (a CSV file's header row and each line's number of fields; that each Parquet file is one, and
that a folder's files have the same columns), then structure (a missing column or a wrong type makes value
checks meaningless) and rows (members and uses cannot be empty), then each table's values: nulls and text
that is not a date or timestamp (CSV) or an infinite one (Parquet) in one pass (Parquet files' statistics
answer for nulls), unknown countries, controls, categories and purposes from each column's distinct
values, a state its control's kind does not log (a signal is ``sent`` or ``stopped``, not ``on``), then
duplicate members and uses. A CSV date or timestamp must be the ISO 8601 text
``schemas/evidence.md`` gives, not whatever an engine's cast takes: DuckDB reads ``epoch`` and ``infinity``,
Spark refuses them. Only a check that finds something reads rows again, for the message, which names the
file, the column, the first bad row (a CSV file's line) and the first few bad values. DuckDB checks,
whichever engine audits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlglot import exp

from policyproof.audit import messages
from policyproof.audit.engines import EngineError, first_line
from policyproof.audit.evidence import PARTITION, STATES, TABLES, EvidenceError
from policyproof.audit.policy import countries
from policyproof.audit.sql import DIALECT, render
from policyproof.untrusted import cut, shown

if TYPE_CHECKING:
    from pathlib import Path

    from policyproof.audit.engines import DuckDB
    from policyproof.audit.evidence import Evidence, Table
    from policyproof.audit.policy import Policy

SHOWN = 5  # bad values a message shows
_TYPES = {
    "string": ("VARCHAR",),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"),
}
_CAST = {"date": "DATE", "timestamp": "TIMESTAMPTZ"}
_HOUR = "([01][0-9]|2[0-3])"
# The text a CSV date or timestamp must be (the calendar is then checked by a cast): ISO 8601, a time of
# 00:00:00 to 23:59:59 with fractions of a second optional, then an optional ``Z`` or UTC offset.
_ISO = {
    "date": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "timestamp": (
        f"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ]{_HOUR}:[0-5][0-9]:[0-5][0-9]([.][0-9]+)?(Z|[+-]{_HOUR}(:?[0-5][0-9])?)?"
    ),
}
_FORMS = {"date": "YYYY-MM-DD", "timestamp": "ISO 8601, YYYY-MM-DD hh:mm:ss"}
_NOT_EMPTY = ("members", "uses")  # no settings means nobody changed one; no members or uses, a broken export


@dataclass(frozen=True, slots=True)
class _Rule:
    """One value check: the column, the SQL condition a bad row meets, and what a message calls it.

    A check against a list of known values keeps the list: such a column holds few distinct values, so its
    bad rows are counted from the values and their counts, not row by row.
    """

    column: str
    condition: str
    what: str
    known: tuple[str, ...] | None = None

    @property
    def count(self) -> str:
        """The SQL aggregate that counts the bad rows (nulls from the file's statistics where it has them)."""
        return f"COUNT(*) - COUNT({self.column})" if self.what == "null" else f"COUNT_IF({self.condition})"


def check(evidence: Evidence, policy: Policy, duck: DuckDB) -> frozenset[str]:
    """Raise EvidenceError naming every problem; return the timestamp columns whose files hold naive values."""
    problems = [problem for table in evidence.tables for problem in _files(table, duck)]
    if problems:
        raise EvidenceError(problems)
    for table in evidence.tables:
        duck.read(table)
    naive: set[str] = set()
    for table in evidence.tables:
        problems += _structure(table, duck, naive)
    if problems:
        raise EvidenceError(problems)
    for table in evidence.tables:
        problems += _values(table, _rules(table, policy), duck)
    problems += _duplicates(evidence.members, "member_id", duck)
    problems += _duplicates(evidence.uses, "use_id", duck)
    if problems:
        raise EvidenceError(problems)
    return frozenset(naive)


def _files(table: Table, duck: DuckDB) -> list[str]:
    """Problems that make a table's files unreadable as the format says: a CSV header row, lines, Parquet files."""
    if table.format == "parquet":
        return _parquet_files(table, duck)
    header = table.header()
    if not header:
        return [f"{table.where()}: empty file (a CSV file starts with a header row)"]
    wanted = [column.name for column in TABLES[table.name]]
    if not set(wanted) & set(header):
        listed = ", ".join(f"'{name}'" for name in wanted)
        hint = "a CSV file starts with a header row, its fields separated by commas"
        return [f"{table.where()}:1: missing columns {listed}: line 1 names none of them ({hint})"]
    twice = [name for name in wanted if header.count(name) > 1]
    if twice:
        return [f"{table.where()}:1: the header row names column '{twice[0]}' {header.count(twice[0])} times"]
    rejects = f"rejects_{table.name}"
    try:
        duck.rows(f"SELECT COUNT(COLUMNS(*)) FROM ({duck.scan(table, rejects=rejects)})")  # every field read
    except EngineError as error:  # what DuckDB does not store as a rejected line, such as text not in UTF-8
        said = [line for line in str(error.__cause__ or error).splitlines() if line.strip()]
        reason = [line for line in said[1:] if not line.startswith("Original Line")][:1]
        return [f"{table.where()}: not CSV as documented: {cut(': '.join([_said(said[0]), *reason]))}"]
    lines = duck.rows(
        f"SELECT line, error_type, COUNT(*), ANY_VALUE(error_message) FROM {rejects} "
        f"GROUP BY line, error_type ORDER BY line, error_type"
    )
    problems = []
    counted = {"TOO MANY COLUMNS": 1, "MISSING COLUMNS": -1}  # the fields a line has beyond its header's
    for line, kind, count, said in lines[:SHOWN]:
        if kind in counted:
            fields = len(header) + counted[kind] * count
            problems.append(f"{table.where()}:{line}: {fields} fields where the header has {len(header)}")
        else:
            problems.append(f"{table.where()}:{line}: not CSV as documented: {cut(str(said))}")
    if len(lines) > SHOWN:
        problems.append(f"{table.where()}: {len(lines)} lines in all are not CSV as documented")
    return problems


def _parquet_files(table: Table, duck: DuckDB) -> list[str]:
    """Each file must be Parquet, and the files of a folder must have the same columns, of the same types.

    Read together, files whose types differ would be cast to one type: text ``epoch`` in one file would
    become a timestamp of 1970 beside another file's timestamps, and no check of a single type would see it.
    """
    problems = []
    columns: dict[Path, list[str]] = {}
    for path in table.parquet_files:
        try:
            described = duck.rows("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)})
            columns[path] = [f"{row[0]} {row[1]}" for row in described]
        except EngineError as error:
            said = re.sub(rf"\s*'{re.escape(str(path))}'", "", first_line(error.__cause__ or error))
            problems.append(f"{path}: not a Parquet file ({_said(said)})")
    if problems:
        return problems
    first, *others = columns
    for other in others:
        if set(columns[other]) != set(columns[first]):
            has = [f"{path.name} has {', '.join(columns[path])}" for path in (other, first)]
            return [f"{table.where()}/: its files do not have the same columns and types: {'; '.join(has)}"]
    return []


def _said(line: str) -> str:
    """A line of DuckDB's error, less the kind of error it starts with (``Invalid Input Error: ``)."""
    return line.split(" Error: ", 1)[-1]


def _structure(table: Table, duck: DuckDB, naive: set[str]) -> list[str]:
    described = {str(row[0]): str(row[1]) for row in duck.rows(f"DESCRIBE raw_{table.name}")}
    problems = []
    missing = [column.name for column in TABLES[table.name] if column.name not in described]
    if missing:
        known = cut(", ".join(name for name in described if name not in {"_row", "_file"}))
        listed = ", ".join(f"'{name}'" for name in missing)
        columns = "column" if len(missing) == 1 else "columns"
        problems.append(f"{table.where()}: missing {columns} {listed} (the file has {known})")
    for column in TABLES[table.name]:
        found = described.get(column.name)
        if found is None:
            continue
        if table.format == "parquet" and found not in _TYPES[column.kind]:
            problems.append(f"{table.where()}: column '{column.name}' is {found}, expected a {column.kind}")
        elif found == "TIMESTAMP":
            naive.add(column.name)
    if not problems and table.name in _NOT_EMPTY and not duck.rows(f"SELECT COUNT(*) FROM raw_{table.name}")[0][0]:
        problems.append(f"{table.where()}: no rows (the {table.name} table cannot be empty)")
    return problems


def _rules(table: Table, policy: Policy) -> list[_Rule]:
    rules = []
    for column in TABLES[table.name]:
        if not column.nullable:
            rules.append(_Rule(column.name, f"{column.name} IS NULL", "null"))
        if table.format == "csv" and column.kind in _CAST:
            text = exp.not_(exp.func("regexp_full_match", exp.column(column.name), exp.convert(_ISO[column.kind])))
            cast = exp.TryCast(this=exp.column(column.name), to=exp.DataType.build(_CAST[column.kind])).is_(exp.null())
            condition = render(exp.and_(exp.column(column.name).is_(exp.null()).not_(), exp.or_(text, cast)))
            rules.append(_Rule(column.name, condition, f"not a {column.kind} ({_FORMS[column.kind]})"))
        elif column.kind in _CAST:
            condition = f"{column.name} IS NOT NULL AND isinf({column.name})"
            rules.append(_Rule(column.name, condition, f"not a finite {column.kind}"))
    if table.partitioned:
        condition = f"used_at IS NOT NULL AND NOT isinf(used_at) AND CAST(used_at AS DATE) <> {PARTITION}"
        rules.append(_Rule("used_at", condition, f"not on the day of its partition ({PARTITION}=YYYY-MM-DD, in UTC)"))
    known = {
        ("members", "country"): ("country (an ISO 3166-1 alpha-2 code)", countries()),
        ("settings", "control"): ("control", tuple(policy.control_labels)),
        ("uses", "category"): ("category", policy.category_ids),
        ("uses", "purpose"): ("purpose", policy.purpose_ids),
    }
    for (name, field), (what, allowed) in known.items():
        if name == table.name:
            named = "" if field == "country" else " (known: " + ", ".join(allowed) + ")"
            condition = render(exp.and_(f"{field} IS NOT NULL", exp.not_(exp.column(field).isin(*allowed))))
            rules.append(_Rule(field, condition, f"unknown {what}{named}", tuple(allowed)))
    if table.name == "settings":
        rules.append(_states(policy))
    return rules


def _states(policy: Policy) -> _Rule:
    """A state that is not one its control's kind logs; an unknown control is named by its own check."""
    kinds = sorted(set(policy.control_kinds.values()), key=list(STATES).index)
    if not kinds:
        return _Rule("state", "FALSE", "not a state")
    accepted = exp.or_(
        *(
            exp.and_(
                exp.column("control").isin(*(c for c, k in policy.control_kinds.items() if k == kind)),
                exp.column("state").isin(*STATES[kind]),
            )
            for kind in kinds
        )
    )
    known = exp.column("control").isin(*policy.control_kinds)
    condition = render(exp.and_("state IS NOT NULL", known, exp.not_(accepted)))
    words = "; ".join(f"{kind}: {' or '.join(reversed(STATES[kind]))}" for kind in kinds)
    return _Rule("state", condition, f"not a state its control's kind logs ({words})")


def _values(table: Table, rules: list[_Rule], duck: DuckDB) -> list[str]:
    counted = [rule for rule in rules if rule.known is None]
    listed = [rule for rule in rules if rule.known is not None]
    row = duck.rows(f"SELECT {', '.join(rule.count for rule in counted)} FROM raw_{table.name}")[0]
    found = dict(zip(counted, row, strict=True))
    if listed:
        fields = ", ".join(rule.column for rule in listed)
        groups = duck.rows(f"SELECT {fields}, COUNT(*) FROM raw_{table.name} GROUP BY {fields}")
        for k, rule in enumerate(listed):
            known = set(rule.known or ())
            found[rule] = sum(int(row[-1]) for row in groups if row[k] is not None and row[k] not in known)
    problems = []
    for rule in rules:
        count = found[rule]
        if count:
            examples = duck.rows(
                render(
                    exp.select("_file", "_row", exp.cast(exp.column(rule.column), "VARCHAR"))
                    .from_(f"raw_{table.name}")
                    .where(rule.condition, dialect=DIALECT)
                    .order_by("_file", "_row")
                    .limit(exp.convert(SHOWN))
                )
            )
            problems.append(messages.message(table, rule.column, rule.what, count, examples))
    return problems


def _duplicates(table: Table, key: str, duck: DuckDB) -> list[str]:
    """A message for the values of ``key`` given more than once, if any.

    First a cheap look for equal 64-bit hashes of the values, by sorting them (which DuckDB does several
    times faster than grouping a hundred million strings); only when two hashes are equal, which true
    duplicates or a rare collision make, are the values themselves grouped, with their files and rows.
    """
    collided = f"""
        SELECT hashed FROM (
          SELECT hashed, LAG(hashed) OVER (ORDER BY hashed) AS before
          FROM (SELECT HASH({key}) AS hashed FROM raw_{table.name} WHERE {key} IS NOT NULL)
        ) WHERE hashed = before"""
    if not duck.rows(f"SELECT COUNT(*) FROM ({collided})")[0][0]:
        return []
    found = duck.rows(
        f"SELECT {key}, LIST([_file, CAST(_row AS VARCHAR)] ORDER BY _file, _row) AS places, COUNT(*) OVER () "
        f"FROM raw_{table.name} WHERE HASH({key}) IN ({collided}) GROUP BY {key} HAVING COUNT(*) > 1 "
        "ORDER BY places[2][1], CAST(places[2][2] AS BIGINT) LIMIT $shown",
        {"shown": SHOWN},
    )
    if not found:
        return []
    listed = ", ".join(f"{shown(value)} ({messages.places(table, places[:SHOWN])})" for value, places, _ in found)
    repeat_file, repeat_row = found[0][1][1]
    count = int(found[0][2])
    values = "value" if count == 1 else "values"
    where = messages.where(table, repeat_file, int(repeat_row))
    return [f"{where}: column '{key}': duplicate {key}: {count} {values} given more than once; first: {listed}"]
