"""Writing the compliance report in every format, and the compact matrix printed after a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.report.html import render_html
from policyproof.report.json_report import render_json
from policyproof.report.markdown import render_markdown
from policyproof.report.sarif import render_sarif
from policyproof.report.status import NOT_CHECKED, marks
from policyproof.report.writer import append_summary, publish_set

if TYPE_CHECKING:
    from pathlib import Path

    from policyproof.report.results import Report

NAME = "compliance-report"
FORMATS = (("md", render_markdown), ("html", render_html), ("json", render_json), ("sarif", render_sarif))
NAMES = tuple(f"{NAME}.{suffix}" for suffix, _ in FORMATS)  # the report's files, a set published together
SHORT = marks("short")
UNCHECKED = NOT_CHECKED.short


def write_reports(report: Report, directory: Path) -> list[Path]:
    """Write the report as Markdown, HTML, JSON and SARIF into ``directory``, the four published together."""
    return publish_set(directory, {f"{NAME}.{suffix}": render(report) for suffix, render in FORMATS})


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
            [
                row.guarantee,
                row.severity,
                *(
                    (SHORT[s] if s is not None else "") if checked else UNCHECKED
                    for s, checked in zip(row.cells, section.checked, strict=True)
                ),
            ]
            for row in section.rows
        ]
        blocks.append(tabulate(rows, headers=headers, tablefmt="simple"))
    return "\n\n".join(blocks)


def count_lines(report: Report) -> list[str]:
    """What the run checked when options narrowed it, and its cells counted in each unit, as the report says."""
    lines = [report.coverage.sentence(report.as_of)] if report.coverage.narrowed else []
    return [*lines, report.totals.sentence(), report.scenarios.sentence()]
