"""A platform's timeline drawn: where each bar, mark, tick and legend entry goes on the picture.

One row per region group, one lane per purpose; bars solid where the use is on by default and striped where
it is off by default; vertical marks for each version's announcement (dashed) and its taking effect (solid).
The picture is inline SVG with real text (``templates/timeline.svg.j2``), so it needs no network and no
script, and its words can be selected and searched; the template escapes every text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from policyproof.history.timeline import ONE_DAY, Timeline
from policyproof.report.pages import ENVIRONMENT
from policyproof.report.sentences import when

if TYPE_CHECKING:
    from policyproof.history.timeline import Bar

WIDTH, LEFT, RIGHT, TOP = 760, 150, 16, 34
LANE, GAP, ROW_GAP = 10, 2, 10
# Distinct for readers with the common colour-vision deficiencies (Okabe and Ito's palette).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
STYLE = (
    "text{font:11px system-ui,sans-serif;fill:#1f2328}text.group{font-weight:600}"
    "line.rule{stroke:#eaeef2}line.axis,line.tick{stroke:#6e7781}"
    "line.version{stroke:#1f2328;stroke-width:1.5}line.announced{stroke:#1f2328;stroke-dasharray:3 3}"
)


@dataclass(frozen=True, slots=True)
class Shape:
    """A bar drawn: its box, its fill (a colour, or a stripe pattern) and the sentence it shows on hover."""

    on: bool
    x: float
    y: float
    width: float
    fill: str
    stroke: str
    title: str


@dataclass(frozen=True, slots=True)
class Row:
    """A region group's row: its label, the rule under it, and its bars."""

    group: str
    label: str
    label_y: float
    rule_y: float
    shapes: tuple[Shape, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A version's marks: where it was announced (when ahead of its effect) and where it takes effect."""

    announced_x: float | None
    x: float
    label_y: int
    words: str
    end: bool  # the label is written to the left of the mark, near the right edge


@dataclass(frozen=True, slots=True)
class Tick:
    """A month on the axis (January and July) and its label."""

    x: float
    words: str


@dataclass(frozen=True, slots=True)
class Key:
    """A purpose's colour in the legend, where it goes."""

    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class Drawing:
    """Everything the template draws, in place."""

    title: str
    height: int
    pattern: str
    patterns: tuple[str, ...]  # each lane's colour, for its stripe pattern
    rows: tuple[Row, ...]
    top: int
    bottom: float
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    keys: tuple[Key, ...]
    samples_y: float  # the legend's line of default samples
    marks_y: float  # the legend's line of mark samples


def _x(line: Timeline, date: dt.date) -> float:
    span = (line.end - line.start).days or 1
    return round(LEFT + (WIDTH - LEFT - RIGHT) * (date - line.start).days / span, 1)


def _shape(line: Timeline, bar: Bar, label: str, *, top: float, colour: str, fill: str) -> Shape:
    x0, x1 = _x(line, bar.start), _x(line, bar.end + ONE_DAY)
    default = "on by default" if bar.default_on else "off by default"
    span = f"from {when(bar.start)}" + (f" to {when(bar.end)}" if bar.end < line.end else ", no end stated")
    title = f"{bar.purpose.label} in {label}: {span}, {default} ({bar.version}, {bar.location})"
    return Shape(bar.default_on, x0, top, max(x1 - x0, 1.0), fill, colour, title)


def _rows(line: Timeline, colour: dict[str, str], pattern: str) -> tuple[tuple[Row, ...], float]:
    rows, y = [], float(TOP)
    lanes = {purpose.id: index for index, purpose in enumerate(line.purposes)}
    height = len(line.purposes) * (LANE + GAP) - GAP
    for group in line.groups:
        shapes = tuple(
            _shape(
                line,
                bar,
                group.label,
                top=y + lanes[bar.purpose.id] * (LANE + GAP),
                colour=colour[bar.purpose.id],
                fill=colour[bar.purpose.id] if bar.default_on else f"url(#{pattern}-{lanes[bar.purpose.id]})",
            )
            for bar in line.bars
            if bar.group == group.id
        )
        rows.append(Row(group.id, group.label, y + height / 2 + 4, y + height + ROW_GAP / 2, shapes))
        y += height + ROW_GAP
    return tuple(rows), y


def _marks(line: Timeline) -> tuple[Mark, ...]:
    marks = []
    for index, (version, announced, effective) in enumerate(line.versions):
        ahead = announced != effective
        x = _x(line, effective)
        words = f"{version} (announced {when(announced)})" if ahead else version
        marks.append(Mark(_x(line, announced) if ahead else None, x, 12 + (index % 2) * 11, words, x > WIDTH * 0.7))
    return tuple(marks)


def _ticks(line: Timeline) -> tuple[Tick, ...]:
    days = (dt.date(year, month, 1) for year in range(line.start.year, line.end.year + 1) for month in (1, 7))
    return tuple(Tick(_x(line, day), f"{day:%b %Y}") for day in days if line.start <= day <= line.end)


def _keys(line: Timeline, colour: dict[str, str], y: float) -> tuple[tuple[Key, ...], float]:
    keys, x = [], 4.0
    for purpose in line.purposes:
        width = 22 + 6.2 * len(purpose.label)
        if x + width > WIDTH:
            x, y = 4.0, y + 16
        keys.append(Key(x, y, colour[purpose.id], purpose.label))
        x += width
    return tuple(keys), y


def drawing(line: Timeline) -> Drawing:
    """Where everything of the timeline goes."""
    colour = {p.id: COLOURS[i % len(COLOURS)] for i, p in enumerate(line.purposes)}
    pattern = f"off-{line.platform}"
    rows, bottom = _rows(line, colour, pattern)
    keys, y = _keys(line, colour, bottom + 44)
    samples_y = y + 18
    marks_y = samples_y + 16
    return Drawing(
        title=f"Timeline of {line.platform}'s data uses by region group",
        height=round(marks_y + 8),
        pattern=pattern,
        patterns=tuple(colour[p.id] for p in line.purposes),
        rows=rows,
        top=TOP,
        bottom=bottom,
        marks=_marks(line),
        ticks=_ticks(line),
        keys=keys,
        samples_y=samples_y,
        marks_y=marks_y,
    )


def render_svg(line: Timeline) -> Markup:
    """The timeline as an inline SVG element; every text in it is escaped."""
    svg = ENVIRONMENT.get_template("timeline.svg.j2").render(
        d=drawing(line), width=WIDTH, left=LEFT, right=WIDTH - RIGHT, lane=LANE, style=STYLE
    )
    # One line of SVG inside the page's markup: the template file's own last newline is not part of it.
    return Markup(svg.rstrip("\n"))  # noqa: S704 (rendered with autoescape, so every text in it is escaped)
