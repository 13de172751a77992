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
    from collections.abc import Callable

KEYWORDS = ("Given", "When", "Then")


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
)


def load() -> list[StepDoc]:
    """Import the step library, which fills the catalogue, and return it."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    return CATALOGUE


def step(keyword: str, phrasing: str, pattern: str, example: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a step: put it in the catalogue, where pytest-bdd's step definitions find it.

    ``pattern`` is a regular expression matched against the whole step text; ``example`` must match it.
    """
    compiled = re.compile(pattern, re.IGNORECASE)
    if not compiled.fullmatch(example):
        msg = f"the example {example!r} does not match the pattern of '{keyword} {phrasing}'"
        raise ValueError(msg)

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(function.__doc__ or "")
        parameters = frozenset(inspect.signature(function).parameters)
        CATALOGUE.append(StepDoc(function.__name__, keyword, phrasing, example, doc, compiled, function, parameters))
        return function

    return register


def named(name: str) -> StepDoc:
    """The catalogue entry of the step function with this name."""
    return next(doc for doc in CATALOGUE if doc.name == name)


def suggest(text: str, count: int = 3) -> list[StepDoc]:
    """The phrasings closest to a step text that matched none."""
    scored = sorted(
        CATALOGUE,
        key=lambda doc: (
            -max(
                difflib.SequenceMatcher(None, text.casefold(), candidate.casefold()).ratio()
                for candidate in (doc.example, doc.phrasing)
            )
        ),
    )
    return scored[:count]


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
