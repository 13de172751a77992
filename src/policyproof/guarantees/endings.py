"""How a step ends a cell early: the guarantee does not apply there, the policy does not say, or a mistake stops it."""

from __future__ import annotations

from policyproof.exceptions import PolicyproofError
from policyproof.outcomes import Finding


class Ending(Exception):  # noqa: N818 (an outcome, not an error: a step ends its cell with it)
    """A step ends its cell early with a finding: an outcome, not a mistake of the user's."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding that says why."""
        self.finding = finding
        super().__init__(finding.explanation)


class NotApplicable(Ending):
    """The guarantee does not apply in this cell: the promise is trivially kept there."""


class NotStated(Ending):
    """The policy does not say what the guarantee needs in this cell, so it can be neither kept nor broken."""


def finding_of_error(error: BaseException) -> Finding:
    """What an error that stopped a cell concludes: not applicable, unknown, or in error.

    A reviewer's mistake (an unknown label) says itself; any other error is named by its type.
    """
    if isinstance(error, Ending):
        return error.finding
    if isinstance(error, PolicyproofError):
        return Finding.error(str(error))
    return Finding.error(f"{type(error).__name__}: {error}")
