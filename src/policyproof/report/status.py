"""How every format shows the outcomes a cell can have: one vocabulary for the whole report."""

from __future__ import annotations

from dataclasses import dataclass

from policyproof.outcomes import Status


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
