"""A case judged against evidence of what was done with member data, by the versions of its platform."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import findings, labels
from policyproof.guarantees.questions import record

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Case
    from policyproof.outcomes import Breaks


def use_evidence(case: Case, folder: str) -> None:
    """Judge the evidence folder (relative to where the suite runs) against the case's platform's versions."""
    from policyproof.audit.judged import judged  # noqa: PLC0415 (DuckDB loads only for guarantees over evidence)

    path = Path(folder)
    if not path.is_dir():
        raise PolicyproofError(f"no evidence folder '{folder}' (from {Path.cwd()})")
    versions = tuple(s for s in case.scope.every.values() if s.platform == case.snapshot.platform)
    case.evidence = judged(path, versions)


def no_use_breaks(case: Case, purpose: str, breaks: Breaks, promise: str) -> None:
    """No use of the purpose's data judged in the case's cell breaks the promise (``breaks``: what breaks it)."""
    if case.evidence is None:
        raise PolicyproofError("no evidence yet; start the scenario with 'Given the evidence \"<folder>\"'")
    the_purpose = labels.purpose(case, purpose)
    tally = case.evidence.tally(case.snapshot.id, case.cell.region, the_purpose.id, breaks)
    expected = promise.format(purpose=the_purpose.label)
    folder = str(case.evidence.folder)
    record(case, findings.of_tally(case.snapshot, the_purpose, tally, breaks=breaks, expected=expected, folder=folder))
