"""Recording each cell's outcome on pytest's own report: its finding, waiver and severity, and how it shows.

The record travels on the report's user properties, so a report built from them is the same with xdist.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pytest
from pytest_bdd.exceptions import StepDefinitionNotFoundError

from policyproof.collection import guarantee_id_of, severity_of, tags_of
from policyproof.exceptions import PolicyproofError
from policyproof.outcomes import Finding, GuaranteeBroken, NotApplicable, Status
from policyproof.results import CellRecord
from policyproof.waivers import find_waiver

if TYPE_CHECKING:
    from pytest_bdd.parser import ScenarioTemplate

    from policyproof.run import PolicyRun
    from policyproof.scope import Cell

PROPERTY = "policyproof"
CELL_OUTCOMES = (NotApplicable, GuaranteeBroken, PolicyproofError, StepDefinitionNotFoundError)


class CellOutcome(pytest.fail.Exception):  # type: ignore[name-defined,misc]
    """A cell's outcome (broken, not applicable, reviewer error) as pytest's traceback-free failure."""

    def __init__(self, cause: BaseException) -> None:
        """Keep the cause; pytest shows its message only, and spends no time on a traceback."""
        super().__init__(str(cause), pytrace=False)
        self.cause = cause


def finding_of(error: BaseException | None, findings: list[Finding]) -> Finding:
    """What a cell concluded: from the outcome it ended with, or from its Then steps."""
    if isinstance(error, CellOutcome):
        error = error.cause
    if isinstance(error, NotApplicable | GuaranteeBroken):
        return error.finding
    if isinstance(error, PolicyproofError | StepDefinitionNotFoundError):
        return Finding(Status.ERROR, "", "error", "error", str(error))
    if error is not None:
        return Finding(Status.ERROR, "", "error", "error", f"{type(error).__name__}: {error}")
    if not findings:
        return Finding(Status.ERROR, "", "error", "error", "the scenario has no Then step, so it checks nothing")
    return findings[-1]


def render_name(name: str, example: dict[str, str]) -> str:
    """A scenario outline's name with its example's values in place of the placeholders."""
    for key, value in example.items():
        name = name.replace(f"<{key}>", value)
    return name


def record_cell(  # noqa: PLR0917 (the parts of a cell, each from a different place)
    report: pytest.TestReport,
    finding: Finding,
    step: str,
    template: ScenarioTemplate,
    cell: Cell,
    example: dict[str, str],
    where: str,
    run: PolicyRun,
) -> CellRecord:
    """Put the cell's record on its report, and make pytest show the outcome as the report will."""
    if finding.status is Status.NOT_APPLICABLE:
        report.outcome = "passed"
        report.longrepr = None
    elif finding.status in {Status.FAIL, Status.ERROR}:
        report.longrepr = f"{step}\n{finding.sentence() if finding.status is Status.FAIL else finding.explanation}"
    tags = tags_of(template)
    severity = severity_of(tags) or "blocking"
    guarantee = guarantee_id_of(tags) or ""
    status, waiver, justification, note = finding.status, "", "", ""
    if status is Status.FAIL:
        live, expired = find_waiver(run.waivers, guarantee, cell.snapshot, cell.region, run.as_of)
        if live is not None:
            status, waiver, justification = Status.WAIVED, live.describe(), live.justification
            report.outcome = "skipped"
            report.wasxfail = f"waived: {live.justification} ({live.location})"
        elif expired is not None:
            note = f"a waiver expired on {expired.expires.isoformat()} ({expired.location}), so it no longer applies"
            report.longrepr = f"{report.longrepr}\n{note}"
    if status is Status.FAIL and severity == "advisory":
        report.outcome = "skipped"
        report.wasxfail = f"advisory guarantee does not hold: {finding.explanation}"
    record = CellRecord(
        guarantee=guarantee,
        title=template.feature.name,
        scenario=render_name(template.name, example),
        severity=severity,
        feature=where,
        snapshot=cell.snapshot,
        region=cell.region,
        status=status,
        finding=finding,
        waiver=waiver,
        justification=justification,
        note=note,
    )
    report.user_properties.append((PROPERTY, record.to_json()))
    return record


def record_of(report: pytest.TestReport) -> CellRecord | None:
    """The cell record a guarantee's report carries, if it is one."""
    for name, value in report.user_properties:
        if name == PROPERTY and isinstance(value, str):
            return _parse(value)
    return None


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> CellRecord:
    # Each report is read by several hooks (its status, the records, JUnit); parse its record once.
    return CellRecord.from_json(text)
