"""A platform's policy history as a picture: when each purpose was active in each region group, and how.

One row per region group, one bar per purpose from the day it is active to the day it stops (or the report's
date), solid where it is on by default and striped where it is off by default; vertical marks for each
version's announcement (dashed) and its taking effect (solid). Inline SVG with real text, so it needs no
network and no script, and its words can be selected and searched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from policyproof.history.facts import Named
from policyproof.history.sentences import when

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.snapshot.model import Snapshot

WIDTH, LEFT, RIGHT, TOP = 760, 150, 16, 34
LANE, GAP, ROW_GAP, AXIS = 10, 2, 10, 28
# Distinct for readers with the common colour-vision deficiencies (Okabe and Ito's palette).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Bar:
    """A purpose active in a region group for a span of days under one version's rule."""

    purpose: Named
    group: str
    start: dt.date
    end: dt.date
    default_on: bool
    version: str
    location: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """A platform's bars, region groups, purposes and version marks, between two dates."""

    platform: str
    groups: tuple[Named, ...]
    purposes: tuple[Named, ...]
    bars: tuple[Bar, ...]
    versions: tuple[tuple[str, dt.date, dt.date], ...]  # id, announced, effective
    start: dt.date
    end: dt.date


def timeline(versions: Sequence[Snapshot], until: dt.date) -> Timeline:
    """The timeline of one platform's versions (oldest first), drawn up to ``until``.

    Each version governs from its effective date to the day before the next one's; the first version's rules
    are drawn from their own start, which may precede it.
    """
    ordered = sorted(versions, key=lambda s: s.version)
    groups: dict[str, Named] = {}
    purposes: dict[str, Named] = {}
    for snapshot in reversed(ordered):  # the latest version's order and labels first
        for group in snapshot.region_groups:
            groups.setdefault(group.id, Named(group.id, group.label))
        for purpose in snapshot.purposes:
            purposes.setdefault(purpose.id, Named(purpose.id, purpose.label))
    # Open-ended uses run on past the report's date to the picture's edge, for they are stated with no end.
    first = min(
        [*(r.active_from for s in ordered[:1] for p in s.purposes for r in p.rules), *(s.announced for s in ordered)]
    )
    seen = max([until, *(s.effective for s in ordered)])
    last = seen + max(dt.timedelta(days=180), (seen - first) / 4)
    bars = []
    stops = [following.effective - ONE_DAY for following in ordered[1:]] + [last]
    for index, (snapshot, stop) in enumerate(zip(ordered, stops, strict=True)):
        for purpose in snapshot.purposes:
            for rule in purpose.rules:
                start = rule.active_from if index == 0 else max(rule.active_from, snapshot.effective)
                end = min(stop, rule.active_until) if rule.active_until is not None else stop
                if start > end:
                    continue
                bars += [
                    Bar(
                        purposes[purpose.id],
                        g,
                        start,
                        end,
                        rule.default_on,
                        snapshot.id,
                        f"{snapshot.location}:{rule.line}",
                    )
                    for g in rule.regions
                ]
    marks = tuple((s.id, s.announced, s.effective) for s in ordered)
    return Timeline(
        ordered[0].platform,
        tuple(groups.values()),
        tuple(purposes.values()),
        tuple(bars),
        marks,
        first - dt.timedelta(days=30),
        last,
    )


def _x(line: Timeline, date: dt.date) -> float:
    span = (line.end - line.start).days or 1
    return round(LEFT + (WIDTH - LEFT - RIGHT) * (date - line.start).days / span, 1)


def _text(x: float, y: float, words: str, extra: str = "") -> str:
    return f'<text x="{x}" y="{y}"{extra}>{escape(words)}</text>'


def _rows(line: Timeline, colour: dict[str, str], pattern: str) -> tuple[list[str], float]:
    parts, y = [], float(TOP)
    lanes = {purpose.id: index for index, purpose in enumerate(line.purposes)}
    height = len(line.purposes) * (LANE + GAP) - GAP
    for group in line.groups:
        parts.append(f'<g class="row" data-group="{escape(group.id)}">')
        parts.append(_text(4, y + height / 2 + 4, group.label, ' class="group"'))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y + height + ROW_GAP / 2}" '
            f'y2="{y + height + ROW_GAP / 2}" class="rule"/>'
        )
        for bar in (b for b in line.bars if b.group == group.id):
            x0, x1 = _x(line, bar.start), _x(line, bar.end + ONE_DAY)
            top = y + lanes[bar.purpose.id] * (LANE + GAP)
            fill = colour[bar.purpose.id] if bar.default_on else f"url(#{pattern}-{lanes[bar.purpose.id]})"
            default = "on by default" if bar.default_on else "off by default"
            span = f"from {when(bar.start)}" + (f" to {when(bar.end)}" if bar.end < line.end else ", no end stated")
            title = f"{bar.purpose.label} in {group.label}: {span}, {default} ({bar.version}, {bar.location})"
            parts.append(
                f'<rect class="bar {"on" if bar.default_on else "off"}" x="{x0}" y="{top}" '
                f'width="{max(x1 - x0, 1.0)}" height="{LANE}" fill="{fill}" stroke="{colour[bar.purpose.id]}">'
                f"<title>{escape(title)}</title></rect>"
            )
        parts.append("</g>")
        y += height + ROW_GAP
    return parts, y


def _marks(line: Timeline, bottom: float) -> list[str]:
    parts = []
    for index, (version, announced, effective) in enumerate(line.versions):
        label_y = 12 + (index % 2) * 11
        if announced != effective:
            x = _x(line, announced)
            parts.append(f'<line class="announced" x1="{x}" x2="{x}" y1="{TOP - 4}" y2="{bottom}"/>')
        x = _x(line, effective)
        parts.append(f'<line class="version" x1="{x}" x2="{x}" y1="{TOP - 4}" y2="{bottom}"/>')
        anchor = ' text-anchor="end"' if x > WIDTH * 0.7 else ""
        words = f"{version} (announced {when(announced)})" if announced != effective else version
        parts.append(_text(x + (-3 if anchor else 3), label_y, words, f' class="mark"{anchor}'))
    return parts


def _axis(line: Timeline, y: float) -> list[str]:
    parts = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>']
    for year in range(line.start.year, line.end.year + 1):
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if line.start <= day <= line.end:
                x = _x(line, day)
                parts.append(f'<line class="tick" x1="{x}" x2="{x}" y1="{y}" y2="{y + 4}"/>')
                parts.append(_text(x, y + 15, f"{day:%b %Y}", ' text-anchor="middle" class="tick"'))
    return parts


def _legend(line: Timeline, colour: dict[str, str], pattern: str, y: float) -> tuple[list[str], float]:
    parts, x = [], 4.0
    entries = [(colour[p.id], p.label) for p in line.purposes]
    for fill, label in entries:
        width = 22 + 6.2 * len(label)
        if x + width > WIDTH:
            x, y = 4.0, y + 16
        parts.append(f'<rect x="{x}" y="{y - 9}" width="14" height="{LANE}" fill="{fill}" stroke="{fill}"/>')
        parts.append(_text(x + 18, y, label, ' class="legend"'))
        x += width
    y += 18
    parts.append(f'<rect x="4" y="{y - 9}" width="14" height="{LANE}" fill="#555" stroke="#555"/>')
    parts.append(_text(22, y, "on by default (used unless turned off)", ' class="legend"'))
    parts.append(f'<rect x="260" y="{y - 9}" width="14" height="{LANE}" fill="url(#{pattern}-grey)" stroke="#555"/>')
    parts.append(_text(278, y, "off by default (used only if turned on)", ' class="legend"'))
    y += 16
    parts.append(f'<line class="version" x1="6" x2="6" y1="{y - 10}" y2="{y + 2}"/>')
    parts.append(_text(14, y, "a version takes effect", ' class="legend"'))
    parts.append(f'<line class="announced" x1="200" x2="200" y1="{y - 10}" y2="{y + 2}"/>')
    parts.append(_text(208, y, "it is announced", ' class="legend"'))
    return parts, y + 8


def render_svg(line: Timeline) -> str:
    """The timeline as an inline SVG element; every text in it is escaped."""
    pattern = f"off-{line.platform}"
    colour = {p.id: COLOURS[i % len(COLOURS)] for i, p in enumerate(line.purposes)}
    defs = [
        f'<pattern id="{pattern}-{i}" width="4" height="4" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{colour[p.id]}" stroke-width="2"/></pattern>'
        for i, p in enumerate(line.purposes)
    ]
    defs.append(
        f'<pattern id="{pattern}-grey" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="4" stroke="#555" stroke-width="2"/></pattern>'
    )
    rows, bottom = _rows(line, colour, pattern)
    axis = _axis(line, bottom)
    legend, height = _legend(line, colour, pattern, bottom + 44)
    style = (
        "text{font:11px system-ui,sans-serif;fill:#1f2328}text.group{font-weight:600}"
        "line.rule{stroke:#eaeef2}line.axis,line.tick{stroke:#6e7781}"
        "line.version{stroke:#1f2328;stroke-width:1.5}line.announced{stroke:#1f2328;stroke-dasharray:3 3}"
    )
    title = f"Timeline of {line.platform}'s data uses by region group"
    return "".join(
        [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{WIDTH}" '
                f'height="{round(height)}" viewBox="0 0 {WIDTH} {round(height)}" aria-label="{escape(title)}">'
            ),
            f"<title>{escape(title)}</title><style>{style}</style><defs>{''.join(defs)}</defs>",
            *rows,
            *_marks(line, bottom),
            *axis,
            *legend,
            "</svg>",
        ]
    )
