"""Recording the outcome of each cell on its test item's report: finding, waiver and severity, and how it shows.

The record travels on the report's user properties, so a report built from them is the same with xdist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from pytest_bdd.exceptions import StepDefinitionNotFoundError

from policyproof.guarantees.cases import ENDINGS
from policyproof.guarantees.endings import finding_of_error
from policyproof.outcomes import UNANSWERED, Against, CellRecord, Finding, Severity, Status
from policyproof.report.waivers import find_waiver
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from collections.abc import Callable

    from policyproof.guarantees.cases import Case, Cases
    from policyproof.guarantees.run import PolicyRun

PROPERTY = "policyproof"
WARNING = "policyproof-warning"  # a step's warning, one a property, with the records
# What may stop a guarantee scenario as a whole: what ends a case, or a step no definition matches.
CELL_OUTCOMES = (*ENDINGS, StepDefinitionNotFoundError)


class CellOutcome(pytest.fail.Exception):  # type: ignore[name-defined,misc]
    """What stopped a scenario for all its cells (a reviewer's mistake) as pytest's traceback-free failure."""

    def __init__(self, cause: BaseException) -> None:
        """Keep the cause; pytest shows its message only, and spends no time on a traceback."""
        super().__init__(str(cause), pytrace=False)
        self.cause = cause


def finding_of(case: Case, error: BaseException | None) -> Finding:
    """What a case concluded: how it ended, else the error that stopped the scenario, else its Then steps."""
    if case.ended is not None:
        return case.ended
    if isinstance(error, CellOutcome):
        error = error.cause
    if isinstance(error, StepDefinitionNotFoundError):
        return Finding.error(str(error))
    if error is not None:
        return finding_of_error(error)
    if not case.findings:
        return Finding.error("the scenario has no Then step, so it checks nothing")
    return case.findings[-1]


def render_name(name: str, example: dict[str, str]) -> str:
    """A scenario outline's name with its example's values in place of the placeholders."""
    for key, value in example.items():
        name = name.replace(f"<{key}>", value)
    return name


@dataclass(frozen=True, slots=True)
class Scenario:
    """The guarantee scenario a test item runs, as its records name it; worked out once, at collection."""

    guarantee: str
    title: str
    name: str
    severity: Severity
    where: str


def record_cells(
    report: pytest.TestReport,
    cases: Cases,
    scenario: Scenario,
    run: PolicyRun,
    *,
    error: BaseException | None,
    step: str,
) -> list[CellRecord]:
    """Put a record of each cell on the item's report, and make pytest show the item's outcome as the report will.

    ``error`` is what stopped the scenario, if anything did, at ``step``; it is the ending of every case
    still running then. The item fails when a cell of a blocking guarantee fails (unwaived) or errs.
    """
    guarantee, severity = scenario.guarantee, scenario.severity
    records, messages = [], []
    for case in cases.cases:
        cell, finding = case.cell, finding_of(case, error)
        status, waiver, justification, note = finding.status, "", "", ""
        if status is Status.FAIL:
            live, expired = find_waiver(run.waivers, guarantee, cell.snapshot, cell.region, run.as_of)
            if live is not None:
                status, waiver, justification = Status.WAIVED, live.describe(), live.justification
            elif expired is not None:
                note = (
                    f"a waiver expired on {expired.expires.isoformat()} ({expired.location}), so it no longer applies"
                )
        key = (cell.snapshot, guarantee, scenario.name, cell.region)
        state = run.baseline.state(status, key) if run.baseline is not None else Against.NOT_COMPARED
        record = CellRecord(
            guarantee=guarantee,
            title=scenario.title,
            scenario=scenario.name,
            severity=severity,
            feature=scenario.where,
            snapshot=cell.snapshot,
            region=cell.region,
            status=status,
            finding=finding,
            waiver=waiver,
            justification=justification,
            note=note,
            baseline=state,
        )
        records.append(record)
        report.user_properties.append((PROPERTY, record.to_json()))
        failing_statuses = {Status.FAIL, *UNANSWERED} if run.fail_on_unknown else {Status.FAIL}
        failing = status is Status.ERROR or (status in failing_statuses and severity is Severity.BLOCKING)
        if failing and state is not Against.UNCHANGED:
            text = finding.explanation if status is Status.ERROR else finding.sentence()
            messages.append((case.ended_at or step, cell.region, f"{text}\n{note}" if note else text))
    warned = dict.fromkeys(warning for case in cases.cases for warning in case.warnings)
    report.user_properties += [(WARNING, warning) for warning in warned]
    _settle(report, records, messages, error)
    return records


def _settle(
    report: pytest.TestReport,
    records: list[CellRecord],
    messages: list[tuple[str, str, str]],
    error: BaseException | None,
) -> None:
    """The item's pytest outcome from its cells: failed, passed, or shown as an expected failure.

    Shown so: failing as in the baseline, advisory failed, waived or unknown.
    """
    if messages:
        report.outcome = "failed"
        if error is None or isinstance(error, CellOutcome):
            # Our own outcomes explain themselves (the plugin raises them as CellOutcome); a bug in a step keeps
            # pytest's traceback.
            report.longrepr = clean(failure_text(messages, len(records)))
        return
    report.longrepr = None
    # Items neither failed nor passed show as pytest shows an expected failure, the first kind that fits giving
    # the reason: failing as in the baseline, advisory failed, waived, unknown (neither kept nor broken).
    kinds: list[tuple[list[CellRecord], Callable[[str, CellRecord], str]]] = [
        (
            [
                r
                for r in records
                if r.baseline is Against.UNCHANGED and (r.status is Status.ERROR or r.severity is Severity.BLOCKING)
            ],
            lambda regions, r: f"failing in {regions} as in the baseline: {r.finding.explanation}",
        ),
        (
            [r for r in records if r.status is Status.FAIL],
            lambda regions, r: f"advisory guarantee does not hold in {regions}: {r.finding.explanation}",
        ),
        (
            [r for r in records if r.status is Status.WAIVED],
            lambda regions, r: f"waived in {regions}: {r.justification} ({r.waiver})",
        ),
        (
            [r for r in records if r.status is Status.NOT_COVERED],
            lambda regions, r: f"not covered by the snapshot in {regions}: {r.finding.explanation}",
        ),
        (
            [r for r in records if r.status is Status.UNKNOWN],
            lambda regions, r: f"the policy does not say in {regions}: {r.finding.explanation}",
        ),
    ]
    for cells, reason in kinds:
        if cells:
            report.outcome = "skipped"
            report.wasxfail = clean(reason(", ".join(r.region for r in cells), cells[0]))
            return
    report.outcome = "passed"


def failure_text(messages: list[tuple[str, str, str]], cells: int) -> str:
    """The failing cells of an item, by the step each failed at; each line names its region group.

    When every cell of the item failed at the same step with the same words, they are said once.
    """
    if len(messages) == cells and len({(step, text) for step, _, text in messages}) == 1:
        step, _, text = messages[0]
        return f"{step}\n{text}"
    lines: list[str] = []
    for step in dict.fromkeys(step for step, _, _ in messages):
        lines.append(step)
        by_text: dict[str, list[str]] = {}
        for at, region, text in messages:
            if at == step:
                by_text.setdefault(text, []).append(region)
        lines += [f"{', '.join(regions)}: {text}" for text, regions in by_text.items()]
    return "\n".join(lines)


def records_of(report: pytest.TestReport) -> list[CellRecord]:
    """The cell records a guarantee's report carries (none for other tests)."""
    return [
        CellRecord.from_json(value)
        for name, value in report.user_properties
        if name == PROPERTY and isinstance(value, str)
    ]


def warnings_of(report: pytest.TestReport) -> list[str]:
    """The warnings of a guarantee's steps its report carries."""
    return [value for name, value in report.user_properties if name == WARNING and isinstance(value, str)]


def junit_properties(scenario: Scenario, records: list[CellRecord]) -> list[tuple[str, str]]:
    """What JUnit XML (pytest's --junitxml) lists with a guarantee's test case, which it names after the item."""
    return [
        ("guarantee", scenario.guarantee),
        ("scenario", scenario.name),
        ("feature", scenario.where),
        ("cells", ", ".join(f"{record.region}: {record.status.value}" for record in records)),
    ]
