"""The step library as pytest-bdd sees it: one step definition a keyword, standing for all its phrasings.

pytest-bdd finds the definition of a step by going through every fixture there is, at every step of every
test, and each step definition is a fixture. So the catalogue's phrasings are not one definition each: a
step parser (:class:`Phrasings`, pytest-bdd's public ``StepParser``) matches a step text against every
phrasing of its keyword, and one definition a keyword runs the phrasing's function. A project's own step
definitions sit beside these three as usual. The suite registers this module with pytest; nothing else does.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_bdd import given, parsers, then, when

from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import catalogue

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_bdd.parser import Step

    from policyproof.guarantees.cases import Cases
    from policyproof.guarantees.catalogue import StepDoc

_KNOWN_MOST = 4096  # step texts whose phrasing is kept; a suite has far fewer distinct ones


@dataclass(frozen=True, slots=True)
class Phrase:
    """A step text as the catalogue reads it: the phrasing it matches and the words it fills in."""

    doc: StepDoc
    words: dict[str, str]


class Phrasings(parsers.StepParser):
    """Matches a step text against every phrasing of one keyword; its one argument is the :class:`Phrase`."""

    def __init__(self, keyword: str) -> None:
        """The phrasings of this keyword (Given, When or Then)."""
        super().__init__(f"policyproof {keyword} phrasings")
        self.keyword = keyword
        self._known: dict[str, Phrase | None] = {}

    def phrase(self, text: str) -> Phrase | None:
        """The phrasing a step text matches, or None; the same texts recur in every scenario and snapshot."""
        if text not in self._known:
            if len(self._known) >= _KNOWN_MOST:
                self._known.clear()
            doc = catalogue.matching(self.keyword.casefold(), text)
            match = doc.pattern.fullmatch(text) if doc is not None else None
            self._known[text] = Phrase(doc, match.groupdict()) if doc is not None and match is not None else None
        return self._known[text]

    def parse_arguments(self, name: str) -> dict[str, Any] | None:
        """The step's one argument, its phrase."""
        found = self.phrase(name)
        return None if found is None else {"phrase": found}

    def is_matching(self, name: str) -> bool:
        """Whether a phrasing of this keyword matches the step text."""
        return self.phrase(name) is not None


def run_phrase(cases: Cases, phrase: Phrase, datatable: list[list[str]] | None = None) -> None:
    """Run the catalogue's function for the phrasing the step text matched, with the words it filled in."""
    words: dict[str, object] = {key: value for key, value in phrase.words.items() if key in phrase.doc.parameters}
    if "datatable" in phrase.doc.parameters:
        if datatable is None:
            raise PolicyproofError(f"'{phrase.doc.line}' needs a table below it, one label a row")
        words["datatable"] = datatable
    phrase.doc.function(cases, **words)


# pytest-bdd reads a step function's signature each time it runs; worked out once, it is read back.
run_phrase.__signature__ = inspect.signature(run_phrase)  # type: ignore[attr-defined]
PARSERS = {keyword: Phrasings(keyword) for keyword in catalogue.KEYWORDS}
given(PARSERS["Given"])(run_phrase)
when(PARSERS["When"])(run_phrase)
then(PARSERS["Then"])(run_phrase)


def behind(function: Callable[..., object], step: Step) -> Callable[..., object]:
    """The function a step definition runs for a step: for the library's, the matching phrasing's own."""
    if function is run_phrase:
        phrase = PARSERS[step.type.capitalize()].phrase(step.name)
        if phrase is not None:
            return phrase.doc.function
    return function
