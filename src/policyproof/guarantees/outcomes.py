"""How a step ends a cell early: the guarantee does not apply there, the policy does not say, or it is broken."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.exceptions import PolicyproofError

if TYPE_CHECKING:
    from policyproof.report.results import Finding


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


class GuaranteeBroken(AssertionError):  # noqa: N818 (an outcome, named as reports say it)
    """A guarantee does not hold in this cell."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding; the message is its sentence."""
        self.finding = finding
        super().__init__(finding.sentence())
