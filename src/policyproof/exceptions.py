"""The errors policyproof raises; each one's text is what a user reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.untrusted import clean, cut

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located by line, column and JSON path."""

    path: Path | str
    line: int
    column: int
    json_path: str
    message: str

    def __str__(self) -> str:
        """Render as ``file:line:col: json.path: message``, with no terminal control character from the input."""
        return clean(f"{self.path}:{self.line}:{self.column}: {self.json_path}: {self.message}")


class PolicyproofError(Exception):
    """The root of every error policyproof raises for bad input or a bad question."""


class InputError(PolicyproofError):
    """A file could not be used; it carries every problem found in it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Keep the problems; the message is all of them, one a line."""
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UnknownNameError(PolicyproofError):
    """A label, place, id or snapshot that nothing defines; the message names the close ones."""

    def __init__(self, kind: str, name: str, known: Sequence[str], where: str = "", *, listed: bool = True) -> None:
        """Build "unknown <kind> '<name>' [in where]; did you mean ...? Known: ..." from the known names."""
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        super().__init__(describe_unknown(kind, name, known, where, listed=listed))


def describe_unknown(kind: str, name: str, known: Sequence[str], where: str = "", *, listed: bool = True) -> str:
    """Say that a name is unknown, with the closest known names first (and all of them when ``listed``)."""
    parts = [f"unknown {kind} '{cut(name)}'" + (f" in {where}" if where else "")]
    return "; ".join([*parts, *suggestions(name, known, listed=listed)])


def suggestions(name: str, known: Sequence[str], *, listed: bool = True) -> list[str]:
    """What to write instead of an unknown name: the closest known names, and all of them when ``listed``."""
    import difflib  # noqa: PLC0415 (only needed on this error path)

    lowered = {item.lower(): item for item in known}
    close = [lowered[m] for m in difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)]
    parts = []
    if close:
        parts.append("did you mean " + " or ".join(f"'{item}'" for item in close) + "?")
    if known and listed:
        parts.append("known: " + ", ".join(f"'{item}'" for item in sorted(known, key=str.lower)))
    return parts


class UsageError(PolicyproofError):
    """A command was asked something it cannot do (bad option, unknown region in scope, ...)."""


class OutputError(PolicyproofError):
    """An output folder that cannot be used, or a file that could not be written into it."""
