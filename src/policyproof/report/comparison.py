"""The platforms side by side as Markdown, JSON (``schemas/compare.schema.json``) and HTML, alone or in a report."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.report.answers import ASPECTS
from policyproof.report.compare import DEFAULT_PLACES, compare
from policyproof.report.escape import markdown
from policyproof.report.pages import ENVIRONMENT
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from collections.abc import Callable

    from policyproof.report.answers import Answer, Cited, Comparison, PlaceComparison, PlatformAnswers
    from policyproof.report.results import Report

TITLE = "Side by side"
ABSENT = "—"
INTRODUCTION = (
    "Each platform's answer as the version in force on {on} states it, for a member in each place: per purpose, "
    "whether their data is used by default, only with consent or not at all, what turns it off, whether opting "
    "out reaches data already used, whether members under 18 and private messages are left out, and the notice "
    "given. Each answer names the statement it rests on (file:line) and links to its sources; where the "
    "policy does not say, to the documents read. {absent}: the platform's policy describes no such purpose."
)


def introduction(comparison: Comparison) -> str:
    """What the comparison shows and how to read it, in a paragraph."""
    return INTRODUCTION.format(on=comparison.on.isoformat(), absent=ABSENT)


def numbered(place: PlaceComparison) -> dict[Cited, int]:
    """Each source the place's answers cite, numbered from 1 in the order the tables first cite it."""
    numbers: dict[Cited, int] = {}
    for row in place.rows:
        for aspect in ASPECTS:
            for platform in place.platforms:
                answers = platform.row(row)
                for source in answers.answer(aspect).sources if answers is not None else ():
                    numbers.setdefault(source, len(numbers) + 1)
    return numbers


def where(platform: PlatformAnswers) -> str:
    """The version and region group a platform answers from, or why it gives no answer."""
    if platform.group is None:
        return platform.note or ""
    return f"{platform.snapshot}, region group {platform.group.id} ({platform.group.label})"


# --- Markdown -------------------------------------------------------------------------------------


def _markdown_answer(answer: Answer, numbers: dict[Cited, int]) -> str:
    parts = [markdown(answer.text)]
    if answer.rule is not None:
        parts.append(f"`{answer.rule}`")
    if answer.sources:
        parts.append(" ".join(f"[{numbers[source]}](<{source.address}>)" for source in answer.sources))
    return " · ".join(parts)


def _markdown_place(place: PlaceComparison, heading: str) -> list[str]:
    numbers = numbered(place)
    lines = [f"{heading} {markdown(place.place)}", ""]
    lines += [f"- **{markdown(p.platform)}**: {markdown(where(p))}" for p in place.platforms]
    lines.append("")
    for row in place.rows:
        header = [markdown(row[:1].upper() + row[1:]), *(markdown(p.platform) for p in place.platforms)]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for aspect, (title, _) in ASPECTS.items():
            cells = [title]
            for platform in place.platforms:
                answers = platform.row(row)
                cells.append(_markdown_answer(answers.answer(aspect), numbers) if answers is not None else ABSENT)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["Sources:", ""]
    lines += [f"{n}. [{markdown(s.id)}](<{s.address}>) ({markdown(s.publisher)})" for s, n in numbers.items()]
    lines.append("")
    return lines


def markdown_lines(comparison: Comparison, level: int = 2) -> list[str]:
    """The comparison as Markdown lines, its title at heading ``level`` (so a report can nest it)."""
    heading = "#" * level
    lines = [f"{heading} {TITLE} on {comparison.on.isoformat()}", "", markdown(introduction(comparison)), ""]
    for place in comparison.places:
        lines += _markdown_place(place, heading + "#")
    return lines


def render_markdown(comparison: Comparison) -> str:
    """The comparison as a Markdown page."""
    return clean("\n".join(markdown_lines(comparison, level=1)).rstrip() + "\n")


# --- JSON -----------------------------------------------------------------------------------------


def _answer_data(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "answer": answer.value,
        "text": answer.text,
        "explanation": answer.explanation,
        "rule": answer.rule,
        "sources": [{"id": s.id, "publisher": s.publisher, "address": s.address} for s in answer.sources],
    }
    if answer.days is not None:
        data["days"] = answer.days
    return data


def _platform_data(platform: PlatformAnswers) -> dict[str, Any]:
    group = platform.group
    return {
        "platform": platform.platform,
        "snapshot": platform.snapshot,
        "region_group": {"id": group.id, "label": group.label} if group is not None else None,
        "note": platform.note,
        "purposes": [
            {
                "purpose": answers.purpose,
                "row": answers.row,
                **{aspect: _answer_data(answers.answer(aspect)) for aspect in ASPECTS},
            }
            for answers in platform.purposes
        ],
    }


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data, in the form ``schemas/compare.schema.json`` describes."""
    return {
        "tool": {"name": "policyproof", "version": __version__},
        "as_of": comparison.on.isoformat(),
        "places": [
            {"place": place.place, "rows": list(place.rows), "platforms": [_platform_data(p) for p in place.platforms]}
            for place in comparison.places
        ],
    }


def render_json(comparison: Comparison) -> str:
    """The comparison as JSON."""
    return clean(json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n")


# --- HTML -----------------------------------------------------------------------------------------


def html_context(comparison: Comparison | None) -> dict[str, Any]:
    """What the HTML templates need for the section (none when there is nothing to compare)."""
    return {
        "comparison": comparison,
        "comparison_title": TITLE,
        "comparison_introduction": introduction(comparison) if comparison is not None else "",
        "comparison_where": where,
        "comparison_numbers": numbered,
        "aspects": ASPECTS,
        "absent": ABSENT,
    }


def render_html(comparison: Comparison) -> str:
    """The comparison as one self-contained HTML page: no network, no script."""
    return clean(ENVIRONMENT.get_template("compare-page.html.j2").render(**html_context(comparison)))


RENDERERS: dict[str, Callable[[Comparison], str]] = {
    "md": render_markdown,
    "json": render_json,
    "html": render_html,
}


# --- in the compliance report ---------------------------------------------------------------------


def report_comparison(report: Report) -> Comparison | None:
    """The report's platforms side by side on its date in the default places; none with fewer than two platforms."""
    snapshots = [section.snapshot for section in report.sections]
    if len({snapshot.platform for snapshot in snapshots}) < 2:  # noqa: PLR2004 (side by side needs two)
        return None
    return compare(snapshots, DEFAULT_PLACES, report.as_of)


def report_markdown(report: Report) -> list[str]:
    """The report's "Side by side" section as Markdown lines (none with fewer than two platforms)."""
    comparison = report_comparison(report)
    return markdown_lines(comparison, level=2) if comparison is not None else []
