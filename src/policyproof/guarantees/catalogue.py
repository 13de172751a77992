"""The step catalogue: every phrasing reviewers may write, with its explanation and an example.

Steps are declared once, here, through :func:`step`; the pytest-bdd registration, the Markdown catalogue
(``policyproof steps``) and the did-you-mean suggestions for undefined steps all come from that one place.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_bdd import given, parsers, then, when

if TYPE_CHECKING:
    from collections.abc import Callable

_KEYWORDS = {"Given": given, "When": when, "Then": then}


@dataclass(frozen=True, slots=True)
class StepDoc:
    """One phrasing: its keyword, its form, an example, and what it means to a reviewer."""

    name: str
    keyword: str
    phrasing: str
    example: str
    doc: str
    pattern: re.Pattern[str]

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
    """Declare a step: register it with pytest-bdd and in the catalogue.

    ``pattern`` is a regular expression matched against the whole step text; ``example`` must match it.
    """
    compiled = re.compile(pattern, re.IGNORECASE)
    if not compiled.fullmatch(example):
        msg = f"the example {example!r} does not match the pattern of '{keyword} {phrasing}'"
        raise ValueError(msg)

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(function.__doc__ or "")
        # pytest and pytest-bdd read a step's signature each time it runs; worked out once, it is read back.
        function.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
        CATALOGUE.append(StepDoc(function.__name__, keyword, phrasing, example, doc, compiled))
        # pytest-bdd puts the step's fixture into the calling module; stacklevel=2 skips this function,
        # so it lands in the steps module that declared it.
        decorate = _KEYWORDS[keyword](parsers.re(pattern, re.IGNORECASE), stacklevel=2)
        return decorate(function)

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
    for keyword in _KEYWORDS:
        lines += ["", f"## {keyword}", ""]
        for doc in (d for d in CATALOGUE if d.keyword == keyword):
            lines += [f"### `{doc.line}`", "", doc.doc, "", "```gherkin", f"{keyword} {doc.example}", "```", ""]
    return "\n".join(lines).rstrip() + "\n"
