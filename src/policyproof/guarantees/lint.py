"""Checking guarantees without running them: pytest collects the suite, and its collection checks speak.

pytest-bdd parses the feature files and the suite's collection checks run as they do in every run
(undefined and ambiguous steps, unknown labels and places, missing or doubled tags, duplicate guarantee ids,
snapshots that do not load); no scenario runs. This is what a pre-commit hook calls.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from policyproof.exceptions import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True, slots=True)
class Linted:
    """What collecting the suite found: each collector's mistakes, and how many scenario runs it would make."""

    problems: tuple[str, ...]
    collected: int


class _Recorder:
    """Keeps the failed collection reports and the number of items collected."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.collected = 0

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.problems.append(report.longreprtext.strip())

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = len(session.items)


def lint(options: Sequence[str]) -> Linted:
    """Collect the suite pytest ``options`` name, running nothing; raise UsageError when pytest cannot start."""
    recorder = _Recorder()
    # pytest's own report of the collection says less than the mistakes do, and the library prints nothing.
    output, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(errors):
        code = pytest.main([*options, "--collect-only", "-q"], plugins=[recorder])
    if code in {pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED} or recorder.problems:
        return Linted(tuple(recorder.problems), recorder.collected)
    # A usage error (a snapshot that does not load, among them) is said on the error stream, as "ERROR: ...".
    said = errors.getvalue().strip() or output.getvalue().strip().rpartition("\n")[2]
    said = said.removeprefix("ERROR: ").removeprefix("policyproof: ")
    raise UsageError(said or f"pytest could not collect the guarantees (exit {int(code)})")
