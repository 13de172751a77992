"""What pytest's terminal shows of the guarantees: each item's status, its unanswered reason, and the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees.run import shown_path
from policyproof.outcomes import PRECEDENCE, UNANSWERED, Against, Severity, Status

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    import pytest

    from policyproof.guarantees.run import PolicyRun
    from policyproof.outcomes import CellRecord

# The terminal categories of items whose cells the policy leaves unanswered, and none fail.
UNANSWERED_ITEMS = ("unknown", "not covered")


def _regions(records: list[CellRecord]) -> str:
    """Which region groups had which outcome, worst first, for the verbose line of an item with mixed outcomes."""
    by_status: dict[Status, list[str]] = {status: [] for status in PRECEDENCE}
    for record in records:
        by_status[record.status].append(record.region)
    found = [
        f"{status.value.replace('-', ' ')}: {' '.join(regions)}" for status, regions in by_status.items() if regions
    ]
    return f" ({'; '.join(found)})" if len(found) > 1 else ""


def status_of(report: pytest.TestReport, records: list[CellRecord]) -> tuple[str, str, str]:
    """A guarantee item's category, letter and word: not applicable, unknown, advisory failed, waived, baseline."""
    statuses = {record.status for record in records}
    if report.failed:
        category, letter = "failed", "F"
    elif report.skipped and any(
        r.baseline is Against.UNCHANGED and (r.severity is Severity.BLOCKING or r.status is Status.ERROR)
        for r in records
    ):
        category, letter = "failing as in the baseline", "b"
    elif report.skipped:
        category, letter = ("advisory failed", "a") if Status.FAIL in statuses else ("waived", "w")
        if not statuses & {Status.FAIL, Status.WAIVED}:
            category, letter = ("not covered", "c") if Status.NOT_COVERED in statuses else ("unknown", "u")
    elif statuses == {Status.NOT_APPLICABLE}:
        category, letter = "not applicable", "n"
    else:
        category, letter = "passed", "."
    return category, letter, f"{category.upper()}{_regions(records)}"


def unanswered(category: str, nodeid: str, records: list[CellRecord]) -> str:
    """An unknown or not covered item with its first reason, for the summary that -rx (or -ra) asks for."""
    first = next(r for r in records if r.status in UNANSWERED)
    return f"{category.upper()} {nodeid} - {first.region}: {first.finding.explanation}"


def summary_lines(run: PolicyRun, root: Path, warnings: Iterable[str]) -> list[str]:
    """The matrix, the counts, waivers that matched nothing or expired, the steps' warnings, where the report went."""
    from policyproof.report.formats import compact_matrix, count_lines  # noqa: PLC0415 (loaded by a run with a report)

    report = run.report
    if report is None:
        return []
    lines = [compact_matrix(report), *count_lines(report)]
    lines += [f"unused waiver (matches no failing cell): {waiver.describe()}" for waiver in report.unused_waivers]
    lines += [f"expired waiver (counted as not there): {waiver.describe()}" for waiver in report.expired_waivers]
    lines += [f"warning: {warning}" for warning in warnings]
    lines += [f"report written: {shown_path(str(path), root)}" for path in run.written]
    return lines + ([run.unwritten] if run.unwritten is not None else [])
