"""The compliance report as one self-contained HTML page: no network, readable on a phone, filterable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.outcomes import STATUSES
from policyproof.report import silences
from policyproof.report.changes import changes_context
from policyproof.report.comparison import html_context, report_comparison
from policyproof.report.counts import DETAILS, MATRIX_CELL, SCENARIO_CELL
from policyproof.report.evidence import evidence_context
from policyproof.report.pages import ENVIRONMENT
from policyproof.report.status import LOOKS, NOT_CHECKED, legend, marks
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from policyproof.report.results import Report

LABELS = marks("html")


def render_html(report: Report) -> str:
    """The whole report as HTML; every piece of snapshot and feature text is escaped."""
    regions = sorted({rid for section in report.sections for rid, _ in section.regions})
    page = ENVIRONMENT.get_template("report.html.j2").render(
        report=report,
        looks=LOOKS,
        statuses=STATUSES,
        labels=LABELS,
        unchecked=NOT_CHECKED.html,
        legend=legend(LABELS, NOT_CHECKED.html if report.unchecked else None),
        regions=regions,
        matrix_cell=MATRIX_CELL,
        scenario_cell=SCENARIO_CELL,
        details=DETAILS,
        silence_introduction=silences.INTRODUCTION,
        silence_none=silences.NONE,
        **changes_context(report),
        **html_context(report_comparison(report)),
        **evidence_context(report),
    )
    return clean(page)
