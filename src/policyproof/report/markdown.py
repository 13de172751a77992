"""The compliance report as Markdown, readable as a GitHub page and in a step summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.outcomes import STATUSES, Status
from policyproof.report import escape, silences
from policyproof.report.baseline import baseline_markdown
from policyproof.report.changes import changes_markdown
from policyproof.report.comparison import report_markdown as comparison_markdown
from policyproof.report.counts import DETAILS, MATRIX_CELL, SCENARIO_CELL
from policyproof.report.evidence import evidence_markdown
from policyproof.report.status import NOT_CHECKED, legend, marks
from policyproof.untrusted import clean

if TYPE_CHECKING:
    import datetime as dt

    from policyproof.report.details import Detail
    from policyproof.report.results import Report, Section
    from policyproof.snapshot.model import Source

SYMBOL = marks("markdown")
UNCHECKED = NOT_CHECKED.markdown


def _cell(status: Status | None, mix: str = "") -> str:
    if status is None:
        return ""
    return f"{SYMBOL[status]} ({mix})" if mix else SYMBOL[status]


def _brief(counter: dict[Status, int]) -> str:
    return " ".join(f"{counter[status]} {SYMBOL[status].split()[0]}" for status in STATUSES if counter.get(status))


def _matrix(section: Section) -> str:
    headers = ["Guarantee", "Title", "Severity", *(f"{rid}" for rid, _ in section.regions)]
    rows = [
        [
            f"`{row.guarantee}`",
            escape.markdown(row.title),
            row.severity,
            *(
                _cell(status, row.mix(index)) if checked else UNCHECKED
                for index, (status, checked) in enumerate(zip(row.cells, section.checked, strict=True))
            ),
        ]
        for row in section.rows
    ]
    totals = (
        _brief(count) if checked else UNCHECKED for count, checked in zip(section.counts, section.checked, strict=True)
    )
    rows.append(["**Total**", "", "", *totals])
    return tabulate(rows, headers=headers, tablefmt="github")


def _sources(sources: tuple[Source, ...]) -> str:
    return ", ".join(f"`{s.id}` ({escape.markdown(s.publisher)})" for s in sources)


def _disputes(section: Section) -> list[str]:
    if not section.disputes:
        return ["No disagreement between sources is recorded in this snapshot."]
    return [
        f"- {escape.markdown(rule.purpose)} in {', '.join(rule.regions)} (`{rule.location}`): "
        f"{escape.markdown(d.about)} "
        f"Sources: {_sources(d.sources)}. Encoded as: {escape.markdown(d.resolution)}"
        for rule in section.disputes
        for d in rule.disputes
    ]


def _silences(section: Section) -> list[str]:
    if not section.silences:
        return [silences.NONE]
    lines = [silences.INTRODUCTION, ""]
    for silence in section.silences:
        note = f" {escape.markdown(silence.note)}" if silence.note else ""
        where = f" Recorded at `{silence.location}`." if silence.location else ""
        lines.append(
            f"- **{silence.region}** ({escape.markdown(silence.label)}): {escape.markdown(silence.point)}.{note} "
            f"Documents read: {_sources(silence.documents)}.{where}"
        )
    return lines


def _section(section: Section, as_of: dt.date) -> list[str]:
    snapshot = section.snapshot
    successor = section.successor
    lines = [
        f"## {snapshot.id}: {escape.markdown(snapshot.title)}",
        "",
        f"**{section.standing(as_of)}**",
        "",
        tabulate(
            [
                ["Platform", snapshot.platform],
                ["Version", snapshot.version.isoformat()],
                ["Announced", snapshot.announced.isoformat()],
                ["In force from", snapshot.effective.isoformat()],
                ["Supersedes", snapshot.supersedes.isoformat() if snapshot.supersedes else "none"],
                [
                    "Superseded by",
                    f"{successor.id} on {successor.effective.isoformat()}" if successor else "none",
                ],
                [f"In force on {as_of.isoformat()}", "yes" if section.in_force else "no"],
                ["File", f"`{snapshot.location}`"],
                ["SHA-256", f"`{snapshot.sha256}`"],
            ],
            headers=["", ""],
            tablefmt="github",
        ),
        "",
        "### Guarantees by region",
        "",
        _matrix(section),
        "",
        f"Matrix: {section.matrix.sentence()}. Scenarios: {section.scenarios.sentence()}.",
        "",
    ]
    regions = "; ".join(
        f"{rid}: {escape.markdown(label)}{'' if checked else ' (not checked)'}"
        for (rid, label), checked in zip(section.regions, section.checked, strict=True)
    )
    lines += [f"Region groups: {regions}.", "", "### Where sources disagree", "", *_disputes(section)]
    lines += ["", "### What the policy does not tell members", "", *_silences(section)]
    lines += ["", "### Sources", ""]
    lines += [
        f"- `{s.id}`: {escape.markdown(s.publisher)}, {s.dated}, [{escape.markdown(s.title)}]({s.address}): "
        f"“{escape.markdown(s.quote)}”"
        for s in snapshot.sources
    ]
    return [*lines, ""]


def _detail(detail: Detail) -> list[str]:
    record, finding = detail.record, detail.finding
    where = f"{record.snapshot} in {', '.join(detail.region_ids)}"
    scenario = escape.markdown(record.scenario)
    title = f"### {SYMBOL[record.status]} ({record.severity}): `{record.guarantee}` {scenario}, {where}"
    regions = ", ".join(f"{escape.markdown(label)} ({rid})" for rid, label in detail.regions)
    lines = [title, "", f"- Region groups: {regions}", f"- Scenario: `{record.feature}` ({record.severity})"]
    if finding.expected:
        lines.append(f"- Expected: {escape.markdown(finding.expected)}")
    lines.append(f"- Decided: {escape.markdown(finding.decided)}, because {escape.markdown(finding.explanation)}")
    if finding.rule_location:
        lines.append(f"- Rule: `{finding.rule_location}`")
    if detail.documents:
        lines.append(f"- Documents read, silent on this: {_sources(detail.documents)}")
    if detail.rule is not None:
        recipients = ", ".join(map(escape.markdown, detail.rule.recipients)) or "none stated"
        lines.append(f"- Recipients: {recipients}")
    lines += [
        f"- Sources disagree: {escape.markdown(d.about)} Sources: {_sources(d.sources)}. "
        f"Encoded as: {escape.markdown(d.resolution)}"
        for d in detail.disputes
    ]
    if record.waiver:
        lines.append(
            f"- Waiver: {escape.markdown(record.waiver)}. Justification: {escape.markdown(record.justification)}"
        )
    if record.note:
        lines.append(f"- Note: {escape.markdown(record.note)}")
    if record.baseline:
        lines.append(f"- Baseline: {record.baseline}")
    lines += [
        f"- Source `{s.id}` ({escape.markdown(s.publisher)}, {s.dated}): “{escape.markdown(s.quote)}”"
        for s in detail.sources
    ]
    return [*lines, ""]


def _waivers(report: Report) -> list[str]:
    """The waivers file's waivers that matched nothing or expired; nothing at all when there is no file."""
    if report.waivers_file is None:
        return []
    lines = [f"## Waivers (`{report.waivers_file}`)", ""]
    lines += [f"- Unused (matches no failing cell): {escape.markdown(w.describe())}" for w in report.unused_waivers]
    lines += [f"- Expired, so counted as not there: {escape.markdown(w.describe())}" for w in report.expired_waivers]
    if not (report.unused_waivers or report.expired_waivers):
        lines.append("Every waiver in force was used; none has expired.")
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    as_of = report.as_of.isoformat()
    lines = [
        "# Compliance report",
        "",
        f"As of {as_of}, the report's date.",
        "",
        f"- {report.coverage.sentence(report.as_of)}",
        f"- In force on {as_of}: {', '.join(report.in_force) or 'no snapshot'}.",
        f"- Matrices: {report.totals.sentence()}. {MATRIX_CELL}",
        f"- Scenarios: {report.scenarios.sentence()}. {SCENARIO_CELL}",
        "",
        legend(SYMBOL, NOT_CHECKED.markdown if report.unchecked else None),
        "",
    ]
    for section in report.sections:
        lines += _section(section, report.as_of)
    lines += comparison_markdown(report)
    lines += changes_markdown(report)
    lines += baseline_markdown(report)
    lines += evidence_markdown(report)
    lines += ["## Failing, erroring, waived and unknown cells", "", DETAILS, ""]
    if not report.details:
        lines += ["None.", ""]
    for detail in report.details:
        lines += _detail(detail)
    lines += _waivers(report)
    return clean("\n".join(lines).rstrip() + "\n")
