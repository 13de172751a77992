"""Writing the compliance report in every format, and the compact matrix printed after a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.html import render_html
from policyproof.json_report import render_json
from policyproof.markdown import render_markdown
from policyproof.outcomes import Status
from policyproof.writer import write_atomic

if TYPE_CHECKING:
    from pathlib import Path

    from policyproof.results import Report

NAME = "compliance-report"
FORMATS = (("md", render_markdown), ("html", render_html), ("json", render_json))
SHORT = {
    Status.PASS: "pass",
    Status.FAIL: "FAIL",
    Status.NOT_APPLICABLE: "n/a",
    Status.WAIVED: "waived",
    Status.ERROR: "ERROR",
}


def write_reports(report: Report, directory: Path) -> list[Path]:
    """Write the report as Markdown, HTML and JSON into ``directory``, each file atomically."""
    written = []
    for suffix, render in FORMATS:
        path = directory / f"{NAME}.{suffix}"
        write_atomic(path, render(report))
        written.append(path)
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
