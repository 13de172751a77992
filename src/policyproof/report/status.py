"""The outcomes a cell can have, and how every format shows them: one vocabulary for the whole report."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    """The outcome of one cell."""

    PASS = "pass"  # noqa: S105 (an outcome, not a password)
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"
    ERROR = "error"
    UNKNOWN = "unknown"  # the policy does not say: the documents read are silent
    NOT_COVERED = "not-covered"  # the snapshot has not recorded what the documents say: a gap of this project


@dataclass(frozen=True, slots=True)
class Look:
    """How one outcome shows: its marks in Markdown, HTML and plain text, its meaning and its HTML colour."""

    markdown: str
    html: str
    short: str
    meaning: str
    colour: str


LOOKS = {
    Status.PASS: Look("✅ pass", "✓ pass", "pass", "the promise holds", "#1a7f37"),
    Status.FAIL: Look("❌ fail", "✗ fail", "FAIL", "it does not", "#cf222e"),
    Status.NOT_APPLICABLE: Look(
        "⚪ n/a", "○ n/a", "n/a", "the purpose does not apply there, so the promise is trivially kept", "#6e7781"
    ),
    Status.WAIVED: Look("⚠️ waived", "! waived", "waived", "a failure accepted until its waiver expires", "#9a6700"),
    Status.ERROR: Look("💥 error", "‼ error", "ERROR", "the guarantee could not be checked", "#8250df"),
    Status.UNKNOWN: Look(
        "❔ unknown",
        "? unknown",
        "unknown",
        "the policy does not say: the documents read are silent, so the promise cannot be judged",
        "#0969da",
    ),
    Status.NOT_COVERED: Look(
        "⬜ not covered",
        "□ not covered",
        "not covered",
        "the snapshot has not recorded what the policy says there: a gap in the snapshot, not a finding",
        "#57606a",
    ),
}
# Outcomes, worst first: a matrix cell shows the worst of the scenarios that ran in it, and an item lists them so.
PRECEDENCE = (
    Status.ERROR,
    Status.FAIL,
    Status.WAIVED,
    Status.NOT_COVERED,
    Status.UNKNOWN,
    Status.PASS,
    Status.NOT_APPLICABLE,
)
# Outcomes in the order counts are given.
STATUSES = (
    Status.PASS,
    Status.FAIL,
    Status.UNKNOWN,
    Status.NOT_COVERED,
    Status.NOT_APPLICABLE,
    Status.WAIVED,
    Status.ERROR,
)
# Outcomes where the policy gives no answer: silence of the documents, or a gap of the snapshot.
UNANSWERED = frozenset({Status.UNKNOWN, Status.NOT_COVERED})
BLANK = "blank: the guarantee does not concern that region"


def legend(mark: dict[Status, str], unchecked: str | None = None) -> str:
    """What each outcome means, with the marks a format shows it by, and the mark of a region not checked."""
    parts = [f"{mark[status]}: {look.meaning}" for status, look in LOOKS.items()]
    if unchecked is not None:
        parts.append(f"{unchecked}: {NOT_CHECKED.meaning}")
    return " · ".join([*parts, BLANK])


def marks(format_name: str) -> dict[Status, str]:
    """Each outcome's mark in one format: ``markdown``, ``html`` or ``short``."""
    return {status: getattr(look, format_name) for status, look in LOOKS.items()}


# A region group a narrowed run left out has no outcome; unlike a blank cell, the guarantee may concern it.
NOT_CHECKED = Look(
    "⏭️ not checked",
    "⊘ not checked",
    "unchecked",
    "the run was narrowed and did not check that region group",
    "#6e7781",
)
