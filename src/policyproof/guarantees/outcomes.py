"""How a step ends a cell early: the guarantee does not apply there, the policy does not say, or a mistake stops it."""

from __future__ import annotations

from policyproof.exceptions import PolicyproofError
from policyproof.report.results import Finding
from policyproof.report.status import Status


class NotApplicable(PolicyproofError):  # noqa: N818 (an outcome, named as reports say it)
    """The guarantee does not apply in this cell: the promise is trivially kept there."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding that says why."""
        self.finding = finding
        super().__init__(finding.explanation)


class NotStated(PolicyproofError):  # noqa: N818 (an outcome, named as reports say it)
    """The policy does not say what the guarantee needs in this cell, so it can be neither kept nor broken."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding that says what is missing."""
        self.finding = finding
        super().__init__(finding.explanation)


def finding_of_error(error: BaseException) -> Finding:
    """What an error that stopped a cell concludes: not applicable, unknown, or in error.

    A reviewer's mistake (an unknown label) says itself; any other error is named by its type.
    """
    if isinstance(error, NotApplicable | NotStated):
        return error.finding
    if isinstance(error, PolicyproofError):
        return Finding(Status.ERROR, "", "error", "error", str(error))
    return Finding(Status.ERROR, "", "error", "error", f"{type(error).__name__}: {error}")
