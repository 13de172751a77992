"""The step catalogue: every phrasing reviewers may write, with its explanation and an example.

Each phrasing is declared once, on its function, through :func:`step`: its text as reviewers read it is
also its pattern, so the pytest-bdd step definitions (:mod:`policyproof.guarantees.phrasings`), the
Markdown catalogue (``policyproof steps``) and the did-you-mean suggestions for undefined steps all come
from that one declaration. :func:`load` builds the catalogue from the step modules' declarations.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyproof.wording import WHEN

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

KEYWORDS = ("Given", "When", "Then")
STEP_MODULES = (
    "policyproof.steps.scope",
    "policyproof.steps.member",
    "policyproof.steps.decision",
    "policyproof.steps.policy",
    "policyproof.steps.evidence",
)
# In a phrasing, a word in angle brackets is the reviewer's, and fills the function's next parameter;
# in quotes it is any text without a quote. [it is|they are] is written either way and shown the first.
_PARTS = re.compile(r'"<(?P<quoted>[^<>"]+)>"|<(?P<word>[^<>]+)>|\[(?P<choice>[^\]]+)\]')
# What a reviewer's word may be, by its name in the phrasing; any other is any text.
_WORDS = {"n": r"\d+", "when": WHEN}
# A parameter that narrows its kind of word: an age has at most three digits.
_NARROWER = {"age": r"\d{1,3}"}
_ANY = ".+?"
_QUOTED = '[^"]+'
_NOT_WORDS = {"cases", "datatable"}  # the parameters a step's words do not fill


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


def compile_phrasing(written: str, names: Sequence[str]) -> tuple[str, str]:
    """A phrasing as declared, as reviewers read it and as the pattern a step's whole text must match.

    Its words in angle brackets become the pattern's groups named ``names``, in order; a ``[choice|other]``
    matches either and reads as its first.
    """
    shown: list[str] = []
    pattern: list[str] = []
    words = iter(names)
    at = 0
    for part in _PARTS.finditer(written):
        shown.append(written[at : part.start()])
        pattern.append(re.escape(written[at : part.start()]))
        at = part.end()
        if part["choice"] is not None:
            choices = part["choice"].split("|")
            shown.append(choices[0])
            pattern.append(f"(?:{'|'.join(re.escape(choice) for choice in choices)})")
            continue
        name = next(words, None)
        if name is None:
            msg = f"'{written}' has more words in angle brackets than its function has parameters"
            raise ValueError(msg)
        shown.append(part[0])
        if part["quoted"] is not None:
            pattern.append(f'"(?P<{name}>{_QUOTED})"')
        else:
            pattern.append(f"(?P<{name}>{_NARROWER.get(name) or _WORDS.get(part['word'], _ANY)})")
    if next(words, None) is not None:
        msg = f"'{written}' has fewer words in angle brackets than its function has parameters"
        raise ValueError(msg)
    shown.append(written[at:])
    pattern.append(re.escape(written[at:]))
    return "".join(shown), "".join(pattern)


def step(
    keyword: str, phrasing: str, example: str, table: Column | None = None
) -> Callable[[Callable[..., Any]], StepDoc]:
    """Declare a step: its function, with the phrasing it is written in, becomes an entry of the catalogue.

    ``phrasing`` is what reviewers read and what a step's whole text must match (see
    :func:`compile_phrasing`); ``example`` must match it. ``table`` is the column of the table the step
    reads below it, for a step that reads one.
    """

    def declare(function: Callable[..., Any]) -> StepDoc:
        parameters = inspect.signature(function).parameters
        shown, pattern = compile_phrasing(phrasing, [name for name in parameters if name not in _NOT_WORDS])
        compiled = re.compile(pattern, re.IGNORECASE)
        if not compiled.fullmatch(example):
            msg = f"the example {example!r} does not match the pattern of '{keyword} {shown}'"
            raise ValueError(msg)
        doc = inspect.cleandoc(function.__doc__ or "")
        names = frozenset(parameters)
        return StepDoc(function.__name__, keyword, shown, example, doc, compiled, function, names, table)

    return declare


@functools.cache
def load() -> tuple[StepDoc, ...]:
    """The catalogue: the phrasings the step modules declare, in the order they declare them."""
    modules = [importlib.import_module(name) for name in STEP_MODULES]
    return tuple(
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, StepDoc) and value.function.__module__ == module.__name__
    )


def named(name: str) -> StepDoc:
    """The catalogue entry of the step function with this name."""
    return next(doc for doc in load() if doc.name == name)


def matching(step_type: str, text: str) -> StepDoc | None:
    """The phrasing a step of this type (``given``, ``when``, ``then``) and text is written in, if any."""
    return next((doc for doc in load() if doc.keyword.casefold() == step_type and doc.pattern.fullmatch(text)), None)


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

    return sorted(load(), key=rank)[:count]


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
        for doc in (d for d in load() if d.keyword == keyword):
            lines += [f"### `{doc.line}`", "", doc.doc, "", "```gherkin", f"{keyword} {doc.example}", "```", ""]
    return "\n".join(lines).rstrip() + "\n"
