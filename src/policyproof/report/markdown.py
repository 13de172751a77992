"""The compliance report as Markdown, readable as a GitHub page and in a step summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.report.baseline import baseline_markdown
from policyproof.report.changes import changes_markdown
from policyproof.report.status import STATUSES, Status, legend, marks

if TYPE_CHECKING:
    from policyproof.report.results import Detail, Report, Section

SYMBOL = marks("markdown")


def _cell(status: Status | None) -> str:
    return SYMBOL[status] if status is not None else ""


def _escape(text: str) -> str:
    """Keep snapshot and feature text from being read as Markdown or HTML."""
    for char in ("\\", "|", "<", ">", "*", "_", "`", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _counts(counter: dict[Status, int]) -> str:
    return ", ".join(f"{counter.get(status, 0)} {status.value}" for status in STATUSES)


def _brief(counter: dict[Status, int]) -> str:
    return " ".join(f"{counter[status]} {SYMBOL[status].split()[0]}" for status in STATUSES if counter.get(status))


def _section(section: Section) -> list[str]:
    snapshot = section.snapshot
    lines = [
        f"## {snapshot.id}: {_escape(snapshot.title)}",
        "",
        tabulate(
            [
                ["Platform", snapshot.platform],
                ["Version", snapshot.version.isoformat()],
                ["Announced", snapshot.announced.isoformat()],
                ["In force from", snapshot.effective.isoformat()],
                ["Supersedes", snapshot.supersedes.isoformat() if snapshot.supersedes else "none"],
                ["File", f"`{snapshot.location}`"],
                ["SHA-256", f"`{snapshot.sha256}`"],
            ],
            headers=["", ""],
            tablefmt="github",
        ),
        "",
        "### Guarantees by region",
        "",
    ]
    headers = ["Guarantee", "Title", "Severity", *(f"{rid}" for rid, _ in section.regions)]
    rows = [[f"`{row.guarantee}`", _escape(row.title), row.severity, *map(_cell, row.cells)] for row in section.rows]
    rows.append(["**Total**", "", "", *(_brief(count) for count in section.counts)])
    lines += [tabulate(rows, headers=headers, tablefmt="github"), "", f"Overall: {_counts(section.overall)}.", ""]
    regions = "; ".join(f"{rid}: {_escape(label)}" for rid, label in section.regions)
    lines += [f"Region groups: {regions}.", "", "### Sources", ""]
    lines += [
        f"- `{s.id}`: {_escape(s.publisher)}, {s.date.isoformat()}, [{_escape(s.title)}]({s.address}): "
        f"“{_escape(s.quote)}”"
        for s in snapshot.sources
    ]
    return [*lines, ""]


def _detail(detail: Detail) -> list[str]:
    record = detail.record
    finding = record.finding
    where = f"{record.snapshot}, {record.region}"
    title = f"### {SYMBOL[record.status]}: `{record.guarantee}` {_escape(record.scenario)}, {where}"
    lines = [title, "", f"- Scenario: `{record.feature}` ({record.severity})"]
    if finding.expected:
        lines.append(f"- Expected: {_escape(finding.expected)}")
    lines.append(f"- Decided: {_escape(finding.decided)}, because {_escape(finding.explanation)}")
    if finding.rule_location:
        lines.append(f"- Rule: `{finding.rule_location}`")
    if record.waiver:
        lines.append(f"- Waiver: {_escape(record.waiver)}. Justification: {_escape(record.justification)}")
    if record.note:
        lines.append(f"- Note: {_escape(record.note)}")
    if record.baseline:
        lines.append(f"- Baseline: {record.baseline}")
    lines += [
        f"- Source `{s.id}` ({_escape(s.publisher)}, {s.date.isoformat()}): “{_escape(s.quote)}”"
        for s in detail.sources
    ]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    totals = report.totals
    lines = [
        "# Compliance report",
        "",
        f"As of {report.as_of.isoformat()}. {_counts(totals)}; {report.blocking_failures} blocking failure(s).",
        "",
        legend(SYMBOL),
        "",
    ]
    for section in report.sections:
        lines += _section(section)
    lines += changes_markdown(report)
    lines += baseline_markdown(report)
    lines += ["## Failing, waived and unknown cells", ""]
    if not report.details:
        lines += ["None.", ""]
    for detail in report.details:
        lines += _detail(detail)
    lines += ["## Waivers", ""]
    lines += [f"- Unused (matches no failing cell): {_escape(w.describe())}" for w in report.unused_waivers]
    lines += [f"- Expired, so counted as not there: {_escape(w.describe())}" for w in report.expired_waivers]
    if not (report.unused_waivers or report.expired_waivers):
        lines.append("Every waiver in force was used; none has expired.")
    return "\n".join(lines).rstrip() + "\n"
