"""What one guarantee concluded in one cell: the record a step leaves and reports are built from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from policyproof.exceptions import PolicyproofError


class Status(enum.StrEnum):
    """The outcome of one cell."""

    PASS = "pass"  # noqa: S105 (an outcome, not a password)
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """What was expected in a cell, what the snapshot says, why, and where the policy says it."""

    status: Status
    expected: str
    decided: str
    reason: str
    explanation: str
    rule_location: str | None = None
    sources: tuple[str, ...] = field(default=())

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Finding:
        """The finding back from the plain data of its fields (as a cell record carries it in JSON)."""
        return cls(
            status=Status(data["status"]),
            expected=data["expected"],
            decided=data["decided"],
            reason=data["reason"],
            explanation=data["explanation"],
            rule_location=data["rule_location"],
            sources=tuple(data["sources"]),
        )

    def sentence(self) -> str:
        """The finding for a lawyer: expected, decided, why and where."""
        text = f"Expected: {self.expected}. Decided: {self.decided}, because {self.explanation}."
        if self.rule_location:
            text += f" Rule: {self.rule_location}."
        if self.sources:
            text += f" Sources: {', '.join(self.sources)}."
        return text


class NotApplicable(PolicyproofError):  # noqa: N818 (an outcome, named as reports say it)
    """The guarantee does not apply in this cell: the promise is trivially kept there."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding that says why."""
        self.finding = finding
        super().__init__(finding.explanation)


class GuaranteeBroken(AssertionError):  # noqa: N818 (an outcome, named as reports say it)
    """A guarantee does not hold in this cell."""

    def __init__(self, finding: Finding) -> None:
        """Carry the finding; the message is its sentence."""
        self.finding = finding
        super().__init__(finding.sentence())
