"""Writing the compliance report in every format, and the compact matrix printed after a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.report.html import render_html
from policyproof.report.json_report import render_json
from policyproof.report.markdown import render_markdown
from policyproof.report.status import Status, marks
from policyproof.report.writer import append_summary, write_atomic

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from policyproof.report.results import CellRecord, Report

NAME = "compliance-report"
FORMATS = (("md", render_markdown), ("html", render_html), ("json", render_json))
SHORT = marks("short")


def write_reports(report: Report, directory: Path) -> list[Path]:
    """Write the report as Markdown, HTML and JSON into ``directory``, each file atomically."""
    written = []
    for suffix, render in FORMATS:
        path = directory / f"{NAME}.{suffix}"
        write_atomic(path, render(report))
        written.append(path)
    return written


def publish(report: Report, directory: Path, summary: Path | None = None) -> list[Path]:
    """Write the report in every format into ``directory``; append its Markdown to ``summary`` when one is given.

    ``summary`` is a file others write to as well, such as GitHub's step summary: it is added to, never replaced.
    """
    written = write_reports(report, directory)
    if summary is not None:
        append_summary(summary, render_markdown(report))
    return written


def compact_matrix(report: Report) -> str:
    """Each snapshot's matrix in a few lines of plain text, for the end of a pytest run."""
    blocks = []
    for section in report.sections:
        headers = [section.snapshot.id, "severity", *(rid for rid, _ in section.regions)]
        rows = [
            [row.guarantee, row.severity, *(SHORT[s] if s is not None else "" for s in row.cells)]
            for row in section.rows
        ]
        blocks.append(tabulate(rows, headers=headers, tablefmt="simple"))
    return "\n\n".join(blocks)


def _outcome(record: CellRecord) -> str:
    """A cell's outcome in the words of pytest's summary line."""
    if record.status is Status.FAIL:
        return "failed" if record.severity == "blocking" else "advisory failed"
    return {
        Status.PASS: "passed",
        Status.NOT_APPLICABLE: "not applicable",
        Status.WAIVED: "waived",
        Status.ERROR: "errors",
    }[record.status]


def cell_counts(records: Iterable[CellRecord]) -> str:
    """How many cells had each outcome: ``8 cells: 1 failed, 4 passed, 2 advisory failed, 1 not applicable``."""
    counts: dict[str, int] = dict.fromkeys(
        ("failed", "errors", "passed", "waived", "advisory failed", "not applicable"), 0
    )
    total = 0
    for record in records:
        counts[_outcome(record)] += 1
        total += 1
    parts = ", ".join(
        f"{count} {'error' if word == 'errors' and count == 1 else word}" for word, count in counts.items() if count
    )
    return f"{total} cell{'s' if total != 1 else ''}: {parts}"
