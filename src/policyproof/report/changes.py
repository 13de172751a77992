"""What changed between consecutive versions of a platform in a report.

The semantic diff of the two policies, and each guarantee's outcome compared cell by cell: newly failing (a
regression), newly passing, newly applicable, newly unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.history.diff import Diff, diff
from policyproof.history.timeline import timeline
from policyproof.outcomes import UNANSWERED, Status
from policyproof.report.diff import by_purpose, diff_data, markdown_lines
from policyproof.report.sentences import entry_lines, move_sentence, rules_line
from policyproof.report.timeline import render_svg

if TYPE_CHECKING:
    from typing import Any

    from markupsafe import Markup

    from policyproof.report.results import Report, Section
    from policyproof.snapshot.model import Snapshot

UNANSWERED_VALUES = frozenset(status.value for status in UNANSWERED)
FAILING = frozenset({Status.FAIL.value, Status.ERROR.value})

# What a cell's change of outcome means, most urgent first; each cell takes the first that fits.
KINDS = (
    ("newly failing", "a regression: it holds (or did not apply) before, and fails now"),
    ("newly unknown", "the newer version does not say what the older one did"),
    ("newly applicable", "the purpose applies now where it did not"),
    ("newly passing", "it did not hold (or could not be told) before, and holds now"),
    ("no longer applicable", "the purpose no longer applies"),
    ("changed", "another change of outcome"),
)


def _kind(before: str | None, after: str | None) -> str:
    if after in FAILING:
        return "newly failing"
    if after in UNANSWERED_VALUES:
        return "newly unknown"
    if before in {None, Status.NOT_APPLICABLE.value} and after != Status.NOT_APPLICABLE.value:
        return "newly applicable"
    if after == Status.PASS.value:
        return "newly passing"
    if after in {None, Status.NOT_APPLICABLE.value}:
        return "no longer applicable"
    return "changed"


@dataclass(frozen=True, slots=True)
class CellChange:
    """One guarantee in one region group whose outcome differs between two consecutive versions."""

    guarantee: str
    title: str
    severity: str
    region: str
    before: Status | None
    after: Status | None

    @property
    def kind(self) -> str:
        """What the change means: newly failing, newly unknown, newly applicable, newly passing, ..."""
        return _kind(self.before.value if self.before else None, self.after.value if self.after else None)


@dataclass(frozen=True, slots=True)
class VersionChange:
    """Two consecutive versions of a platform in the report: how their policies and the guarantees' outcomes differ."""

    old: Section
    new: Section
    diff: Diff
    cells: tuple[CellChange, ...]


def _cells(old: Section, new: Section) -> tuple[CellChange, ...]:
    """The cells whose outcome differs, by guarantee then region group (as the newer version orders them)."""
    before = {
        (row.guarantee, region): status
        for row in old.rows
        for (region, _), status in zip(old.regions, row.cells, strict=True)
    }
    regions = [region for region, _ in new.regions] + [r for r, _ in old.regions if r not in dict(new.regions)]
    rows = {row.guarantee: row for row in new.rows}
    for row in old.rows:
        rows.setdefault(row.guarantee, row)
    after = {
        (row.guarantee, region): status
        for row in new.rows
        for (region, _), status in zip(new.regions, row.cells, strict=True)
    }
    changes = []
    for guarantee, row in rows.items():
        for region in regions:
            was, now = before.get((guarantee, region)), after.get((guarantee, region))
            if was != now:
                changes.append(CellChange(guarantee, row.title, row.severity, region, was, now))
    return tuple(changes)


def version_changes(report: Report) -> tuple[VersionChange, ...]:
    """Each pair of consecutive versions of a platform that the report holds, oldest first."""
    by_platform: dict[str, list[Section]] = {}
    for section in report.sections:
        by_platform.setdefault(section.snapshot.platform, []).append(section)
    pairs = []
    for platform in sorted(by_platform):
        ordered = sorted(by_platform[platform], key=lambda s: s.snapshot.version)
        pairs += [
            VersionChange(old, new, diff(old.snapshot, new.snapshot), _cells(old, new))
            for old, new in pairwise(ordered)
        ]
    return tuple(pairs)


def _word(status: Status | None) -> str:
    return status.value if status is not None else "not checked"


def counts(cells: tuple[CellChange, ...]) -> str:
    """How many cells changed in each way: ``1 newly failing, 2 newly applicable``; ``no outcome changed``."""
    found = [
        f"{sum(1 for c in cells if c.kind == kind)} {kind}" for kind, _ in KINDS if any(c.kind == kind for c in cells)
    ]
    return ", ".join(found) or "no outcome changed"


def changes_markdown(report: Report) -> list[str]:
    """The report's "What changed" section as Markdown lines (none when no platform has two versions in it)."""
    changes = version_changes(report)
    if not changes:
        return []
    lines = ["## What changed", ""]
    for change in changes:
        lines += markdown_lines(change.diff, level=3)
        lines += [f"#### Guarantee outcomes, {change.old.snapshot.id} → {change.new.snapshot.id}", ""]
        lines += [f"{counts(change.cells)}.", ""]
        if change.cells:
            rows = [
                [f"`{c.guarantee}`", c.region, c.severity, _word(c.before), _word(c.after), c.kind]
                for c in change.cells
            ]
            headers = ["Guarantee", "Region", "Severity", "Before", "After", "Change"]
            lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
    return lines


def changes_data(report: Report) -> list[dict[str, Any]]:
    """The report's "What changed" section as plain data."""
    return [
        {
            "old": change.old.snapshot.id,
            "new": change.new.snapshot.id,
            "diff": diff_data(change.diff),
            "cells": [
                {
                    "guarantee": c.guarantee,
                    "region": c.region,
                    "severity": c.severity,
                    "before": c.before.value if c.before else None,
                    "after": c.after.value if c.after else None,
                    "change": c.kind,
                }
                for c in change.cells
            ],
        }
        for change in version_changes(report)
    ]


def timelines(report: Report) -> list[tuple[str, Markup]]:
    """Each platform's timeline as inline SVG, drawn up to the report's date."""
    platforms: dict[str, list[Snapshot]] = {}
    for section in report.sections:
        platforms.setdefault(section.snapshot.platform, []).append(section.snapshot)
    return [
        (platform, render_svg(timeline(versions, report.as_of))) for platform, versions in sorted(platforms.items())
    ]


def changes_context(report: Report) -> dict[str, Any]:
    """What the HTML template needs for the "What changed" section."""
    return {
        "changes": version_changes(report),
        "change_kinds": KINDS,
        "change_counts": counts,
        "by_purpose": by_purpose,
        "entry_lines": entry_lines,
        "rules_line": rules_line,
        "move_sentence": move_sentence,
        "timelines": timelines(report),
    }
