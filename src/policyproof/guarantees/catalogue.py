"""The step catalogue: every phrasing reviewers may write, with its explanation and an example.

Steps are declared once, here, through :func:`step`; the pytest-bdd step definitions
(:mod:`policyproof.guarantees.phrasings`), the Markdown catalogue (``policyproof steps``) and the
did-you-mean suggestions for undefined steps all come from that one place.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

KEYWORDS = ("Given", "When", "Then")


@dataclass(frozen=True, slots=True)
class Column:
    """The one column of the table a step reads below it: what each row holds, and the header it may have."""

    group: str
    """The pattern group whose kind of value each row holds, e.g. ``data`` for a category label."""
    name: str
    """One row's value, as messages say it and as a first row may name the column: ``category``."""
    plural: str

    def is_header(self, cells: Sequence[str]) -> bool:
        """Whether a row only names the column (``| category |`` or ``| categories |``, in any case)."""
        return len(cells) == 1 and " ".join(cells[0].split()).casefold() in {self.name, self.plural}

    def values(self, rows: Sequence[Sequence[str]]) -> list[str]:
        """The value of each row below the header, if there is one; blank rows are left out."""
        body = rows[1:] if rows and self.is_header(rows[0]) else rows
        return [row[0].strip() for row in body if row and row[0].strip()]


@dataclass(frozen=True, slots=True)
class StepDoc:
    """One phrasing: its keyword, its form, an example, what it means to a reviewer, and the function it runs."""

    name: str
    keyword: str
    phrasing: str
    example: str
    doc: str
    pattern: re.Pattern[str]
    function: Callable[..., Any]
    parameters: frozenset[str]
    table: Column | None = None

    @property
    def line(self) -> str:
        """The phrasing with its keyword, as a reviewer writes it."""
        return f"{self.keyword} {self.phrasing}"


CATALOGUE: list[StepDoc] = []
STEP_MODULES = (
    "policyproof.steps.scope",
    "policyproof.steps.member",
    "policyproof.steps.decision",
    "policyproof.steps.policy",
    "policyproof.steps.evidence",
)


def load() -> list[StepDoc]:
    """Import the step library, which fills the catalogue, and return it."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    return CATALOGUE


def step(
    keyword: str, phrasing: str, pattern: str, example: str, table: Column | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a step: put it in the catalogue, where pytest-bdd's step definitions find it.

    ``pattern`` is a regular expression matched against the whole step text; ``example`` must match it.
    ``table`` is the column of the table the step reads below it, for a step that reads one.
    """
    compiled = re.compile(pattern, re.IGNORECASE)
    if not compiled.fullmatch(example):
        msg = f"the example {example!r} does not match the pattern of '{keyword} {phrasing}'"
        raise ValueError(msg)

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(function.__doc__ or "")
        parameters = frozenset(inspect.signature(function).parameters)
        CATALOGUE.append(
            StepDoc(function.__name__, keyword, phrasing, example, doc, compiled, function, parameters, table)
        )
        return function

    return register


def named(name: str) -> StepDoc:
    """The catalogue entry of the step function with this name."""
    return next(doc for doc in CATALOGUE if doc.name == name)


def matching(step_type: str, text: str) -> StepDoc | None:
    """The phrasing a step of this type (``given``, ``when``, ``then``) and text is written in, if any."""
    return next((doc for doc in CATALOGUE if doc.keyword.casefold() == step_type and doc.pattern.fullmatch(text)), None)


def suggest(text: str, step_type: str = "", count: int = 3) -> list[StepDoc]:
    """The phrasings closest to a step text that matched none, those of its own type first.

    A phrasing whose words the text has exactly, under another keyword, comes before all: the keyword is
    what is wrong.
    """

    def rank(doc: StepDoc) -> tuple[int, float]:
        if doc.pattern.fullmatch(text):
            return 0, 0.0
        closeness = max(
            difflib.SequenceMatcher(None, text.casefold(), candidate.casefold()).ratio()
            for candidate in (doc.example, doc.phrasing)
        )
        return (1 if doc.keyword.casefold() == step_type else 2), -closeness

    return sorted(CATALOGUE, key=rank)[:count]


def markdown() -> str:
    """The catalogue as Markdown, grouped by keyword, in declaration order."""
    lines = [
        "# Step catalogue",
        "",
        "The phrasings a guarantee may use. Words in angle brackets are yours to fill in; labels of data",
        "categories, purposes and controls match the snapshot's labels and aliases, in any case.",
    ]
    for keyword in KEYWORDS:
        lines += ["", f"## {keyword}", ""]
        for doc in (d for d in CATALOGUE if d.keyword == keyword):
            lines += [f"### `{doc.line}`", "", doc.doc, "", "```gherkin", f"{keyword} {doc.example}", "```", ""]
    return "\n".join(lines).rstrip() + "\n"
