"""The evidence format: three tables in a folder, each a Parquet file, a folder of Parquet files or a CSV file.

The uses' folder may also be partitioned by day as data lakes write it (``uses/date=2025-11-03/*.parquet``,
Hive's layout), so that an audit of some days opens only those days' files. ``schemas/evidence.md``
documents it for users; this module is the one place the code reads it from.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from sqlglot import exp

from policyproof.audit.sql import DIALECT, render
from policyproof.exceptions import PolicyproofError, UsageError
from policyproof.files import escapes

if TYPE_CHECKING:
    from pathlib import Path

Kind = Literal["string", "date", "timestamp"]
Format = Literal["parquet", "csv"]
_FILES: tuple[tuple[str, Format], ...] = ((".parquet", "parquet"), ("", "parquet"), (".csv", "csv"))


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an evidence table: its name, its kind, and whether it may be null."""

    name: str
    kind: Kind
    nullable: bool = False


TABLES: dict[str, tuple[Column, ...]] = {
    "members": (
        Column("member_id", "string"),
        Column("country", "string"),
        Column("birth_date", "date", nullable=True),
        Column("believed_under_18_since", "timestamp", nullable=True),
    ),
    "settings": (
        Column("member_id", "string"),
        Column("control", "string"),
        Column("state", "string"),
        Column("changed_at", "timestamp"),
    ),
    "uses": (
        Column("use_id", "string"),
        Column("member_id", "string"),
        Column("category", "string"),
        Column("purpose", "string"),
        Column("used_at", "timestamp"),
    ),
}
# A row of ``settings`` in the words systems log for the control's kind: (the state that turns the purpose off,
# the state that turns it on). A setting is switched; a signal (Global Privacy Control) is an opt-out the member's
# browser sends and may stop sending; a form is an objection filed and perhaps withdrawn; consent is given and
# may be withdrawn.
STATES: dict[str, tuple[str, str]] = {
    "setting": ("off", "on"),
    "signal": ("sent", "stopped"),
    "form": ("filed", "withdrawn"),
    "consent": ("withdrawn", "given"),
}
_PARQUET = "*.parquet"  # the files of a table given as a folder
PARTITION = "date"  # the key of a uses folder partitioned by day: the UTC date of the uses of each subfolder
_PARTITION_FOLDER = re.compile(rf"{PARTITION}=(\d{{4}}-\d{{2}}-\d{{2}})")
# A CSV file is RFC 4180 in UTF-8: comma-delimited, fields in double quotes where needed, a quote in a quoted
# field doubled, a header row first. Given, not guessed, so that every engine reads a file the same way.
CSV_DIALECT: dict[str, str | bool] = {"delim": ",", "quote": '"', "escape": '"', "header": True}


class EvidenceError(PolicyproofError):
    """Evidence that cannot be audited; the message names every problem found, one a line."""

    def __init__(self, problems: list[str]) -> None:
        """Keep the problems; the message is all of them."""
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class Days:
    """The days whose uses an audit judges, by the UTC date of ``used_at``, ends included; either may be open."""

    first: dt.date | None = None
    last: dt.date | None = None

    def __post_init__(self) -> None:
        """A range must hold a day."""
        if self.first and self.last and self.first > self.last:
            raise UsageError(f"--from {self.first} is after --to {self.last}: no day would be audited")

    def holds(self, day: dt.date) -> bool:
        """Whether the day is in range."""
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    def condition(self, day: str) -> str | None:
        """An SQL condition that the date column ``day`` is in range; None when the range is every day."""
        column = exp.condition(day, dialect=DIALECT)
        ends: list[exp.Expr] = [column >= exp.convert(self.first)] if self.first else []
        ends += [column <= exp.convert(self.last)] if self.last else []
        return render(exp.and_(*ends)) if ends else None

    def __str__(self) -> str:
        """The range as a message names it."""
        return f"from {self.first or 'the first day'} to {self.last or 'the last day'}"


@dataclass(frozen=True, slots=True)
class Table:
    """Where one evidence table is: a file or a folder, and its format; for the uses, the days an audit reads."""

    name: str
    path: Path
    format: Format
    days: Days = field(default_factory=Days)

    @property
    def partitioned(self) -> bool:
        """Whether the table is a folder partitioned by day (``date=YYYY-MM-DD`` subfolders of Parquet files)."""
        return self.path.is_dir() and not any(self.path.glob(_PARQUET)) and any(_partitions(self.path))

    @property
    def files(self) -> str:
        """The file pattern engines read: the file, or every Parquet file in the folder."""
        return str(self.path / _PARQUET) if self.path.is_dir() else str(self.path)

    @property
    def paths(self) -> list[Path]:
        """The table's files: the file, or the folder's Parquet files in name order (those of the days in range)."""
        if self.partitioned:
            return sorted(file for day, folder in _partitions(self.path) if self.days.holds(day) for file in folder)
        return sorted(self.path.glob(_PARQUET)) if self.path.is_dir() else [self.path]

    @property
    def size(self) -> int:
        """The bytes of the table's files."""
        return sum(path.stat().st_size for path in self.paths)

    @property
    def parquet_files(self) -> list[Path]:
        """The table's Parquet files, in name order (none for a CSV file)."""
        return [] if self.format == "csv" else self.paths

    def header(self) -> list[str]:
        """A CSV file's first line, read as its header row (an empty list for an empty file)."""
        with self.path.open("rb") as file:
            first = file.readline()
        try:
            return next(csv.reader([first.decode("utf-8-sig")], delimiter=",", quotechar='"', doublequote=True), [])
        except (UnicodeDecodeError, csv.Error) as error:
            raise EvidenceError([f"{self.where()}:1: not a UTF-8 CSV header row ({error})"]) from error

    def columns(self) -> list[str]:
        """A CSV file's column names: its header's, an unnamed column ``column<N>``, a repeated name ``name_<N>``.

        DuckDB's and Spark's own names for such columns differ; they are only ever ignored.
        """
        names: list[str] = []
        for number, name in enumerate(self.header()):
            given = name or f"column{number}"
            names.append(given if given not in names else f"{given}_{number}")
        return names

    def where(self) -> str:
        """The table's file or folder as messages name it."""
        return str(self.path)


@dataclass(frozen=True, slots=True)
class Evidence:
    """An evidence folder's three tables."""

    folder: Path
    members: Table
    settings: Table
    uses: Table

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        """The tables in the order they are checked."""
        return self.members, self.settings, self.uses


def _partitions(path: Path) -> list[tuple[dt.date, list[Path]]]:
    """The day of each ``date=YYYY-MM-DD`` subfolder of a folder, with its Parquet files (unreadable names left out)."""
    found = []
    for folder in sorted(path.iterdir()):
        named = _PARTITION_FOLDER.fullmatch(folder.name)
        if named and folder.is_dir():
            try:
                found.append((dt.date.fromisoformat(named.group(1)), sorted(folder.glob(_PARQUET))))
            except ValueError:
                continue
    return found


def _kept_aside(entry: Path) -> bool:
    """What writers keep beside the data (``_SUCCESS``, ``.crc`` files): never read, never refused."""
    return entry.name.startswith(("_", "."))


def _strays(folder: Path, of: str) -> list[str]:
    """What a table's folder, or a day's, holds besides its Parquet files (nothing for a file): refused, never read.

    Left out in silence, a subfolder (``date=2025-11-03/hour=10/``) or a file not named ``*.parquet`` would hide
    its uses, and their breaches, from the audit.
    """
    return [
        f"{entry}: not a Parquet file of {of} (a folder's files are named *.parquet; names starting with _ or . "
        "are ignored)"
        for entry in (sorted(folder.iterdir()) if folder.is_dir() else [])
        if not _kept_aside(entry) and not (entry.suffix == ".parquet" and entry.is_file())
    ]


def _partition_problems(path: Path, days: Days) -> list[str]:
    """A partitioned folder's subfolders that are not a day's (another name, a date no calendar has), and strays.

    A day's folder holds that day's Parquet files and nothing else; like every check of the uses, that covers
    the days in range.
    """
    problems = []
    for folder in sorted(path.iterdir()):
        if _kept_aside(folder):
            continue
        named = _PARTITION_FOLDER.fullmatch(folder.name)
        try:
            if named is None or not folder.is_dir():
                raise ValueError  # noqa: TRY301 (one message for both)
            dt.date.fromisoformat(named.group(1))
        except ValueError:
            problems.append(f"{folder}: not a partition of the uses by day ({PARTITION}=YYYY-MM-DD, a folder)")
            continue
        if days.holds(dt.date.fromisoformat(named.group(1))):
            problems += _strays(folder, f"the uses of {named.group(1)}")
    return problems


def _parquet_files(path: Path) -> list[Path]:
    if not path.is_dir():
        return []
    direct = sorted(path.glob(_PARQUET))
    return direct or sorted(file for _, files in _partitions(path) for file in files)


def locate(folder: Path, days: Days | None = None) -> Evidence:
    """Find the three tables in an evidence folder; a missing or doubly given table is an error.

    So is a table, or a file of a table's folder, that is a symbolic link leading out of the evidence folder: it
    is never read, so nothing of what it holds is ever shown. The uses' folder may be partitioned by day; an
    audit of ``days`` reads only the partitions of the days in range.
    """
    if not folder.is_dir():
        raise EvidenceError([f"{folder}: no such evidence folder"])
    found: dict[str, Table] = {}
    problems: list[str] = []
    for name in TABLES:
        candidates = [
            Table(name, folder / f"{name}{suffix}", form)
            for suffix, form in _FILES
            if (folder / f"{name}{suffix}").exists()
        ]
        if not candidates:
            problems.append(f"{folder}: missing table '{name}' ({name}.parquet, {name}/ or {name}.csv)")
        elif len(candidates) > 1:
            shown = " and ".join(str(c.path) for c in candidates)
            problems.append(f"{folder}: table '{name}' is given twice: {shown}; keep one")
        elif escaping := [p for p in [candidates[0].path, *_parquet_files(candidates[0].path)] if escapes(p, folder)]:
            problems += [
                f"{p}: a symbolic link to outside the evidence folder; policyproof does not follow it" for p in escaping
            ]
        elif name == "uses" and candidates[0].partitioned:
            problems += _partition_problems(candidates[0].path, days or Days())
            table = Table(name, candidates[0].path, "parquet", days or Days())
            if not problems and not table.paths:
                problems.append(f"{table.path}: no partition of the uses holds a Parquet file of a day {table.days}")
            found[name] = table
        elif candidates[0].path.is_dir() and not any(candidates[0].path.glob(_PARQUET)):
            hint = f" (nor {PARTITION}=YYYY-MM-DD subfolders of them)" if name == "uses" else ""
            problems.append(f"{candidates[0].path}: folder of table '{name}' holds no Parquet file{hint}")
        else:
            problems += _strays(candidates[0].path, f"table '{name}'")
            found[name] = replace(candidates[0], days=days) if days and name == "uses" else candidates[0]
    if problems:
        raise EvidenceError(problems)
    return Evidence(folder, found["members"], found["settings"], found["uses"])
