"""The compliance report of a finished run: built from the cell records and published together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.exceptions import PolicyproofError

if TYPE_CHECKING:
    from policyproof.guarantees.run import PolicyRun
    from policyproof.report.evidence import EvidenceAudit


def load_audits(paths: list[str]) -> list[EvidenceAudit]:
    """The audits ``--evidence-audit`` names, to report beside the guarantees; a bad one is an error."""
    if not paths:
        return []
    from policyproof.report.evidence import load_audit  # noqa: PLC0415 (only with --evidence-audit)

    return [load_audit(Path(path)) for path in paths]


def finish(run: PolicyRun, audits: list[EvidenceAudit], *, stopped: str, exitstatus: int) -> bool:
    """Build the run's report and publish it where the run says; False where the folder could not take it.

    A session that did not finish (interrupted, or stopped by an error outside the guarantees) publishes
    nothing; one that pytest narrowed or stopped early (``stopped``) says so in the report's header.
    """
    # The report stack (Jinja2 and the formats) is loaded only by a run that writes a report.
    from policyproof.report.formats import publish  # noqa: PLC0415
    from policyproof.report.results import build_report  # noqa: PLC0415

    selection = run.selection(stopped)
    run.report = build_report(
        run.records,
        run.scope.every,
        run.as_of,
        run.coverage(selection),
        waivers=run.waivers,
        waivers_file=run.waivers_file,
        baseline=run.baseline,
        evidence=audits,
    )
    folder = run.report_folder(selection)
    if folder is None:
        return True
    if exitstatus not in {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}:
        reason = pytest.ExitCode(exitstatus).name.lower().replace("_", " ")
        run.unwritten = f"report not written: the run did not finish ({reason})"
        return True
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    try:
        run.written = publish(run.report, folder, Path(summary) if summary else None)
    except PolicyproofError as error:
        run.unwritten = f"report not written: {error}"
        return False
    return True
