"""What a guarantee concludes in a cell, and the record a report is made of.

The core every layer imports from below: the guarantee suite writes these records, the report, mutation
testing and the audit read them. Nothing here knows of pytest, formats or colours.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field, fields
from typing import Any


class Status(enum.StrEnum):
    """The outcome of one cell."""

    PASS = "pass"  # noqa: S105 (an outcome, not a password)
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"
    ERROR = "error"
    UNKNOWN = "unknown"  # the policy does not say: the documents read are silent
    NOT_COVERED = "not-covered"  # the snapshot has not recorded what the documents say: a gap of this project


# Outcomes, worst first: a matrix cell shows the worst of the scenarios that ran in it, and an item lists them so.
PRECEDENCE = (
    Status.ERROR,
    Status.FAIL,
    Status.WAIVED,
    Status.NOT_COVERED,
    Status.UNKNOWN,
    Status.PASS,
    Status.NOT_APPLICABLE,
)
# Outcomes in the order counts are given.
STATUSES = (
    Status.PASS,
    Status.FAIL,
    Status.UNKNOWN,
    Status.NOT_COVERED,
    Status.NOT_APPLICABLE,
    Status.WAIVED,
    Status.ERROR,
)
# Outcomes where the policy gives no answer: silence of the documents, or a gap of the snapshot.
UNANSWERED = frozenset({Status.UNKNOWN, Status.NOT_COVERED})


class Severity(enum.StrEnum):
    """How much a guarantee's failure weighs: a blocking one fails the build, an advisory one is reported."""

    BLOCKING = "blocking"
    ADVISORY = "advisory"

    @property
    def rank(self) -> int:
        """Blocking guarantees are listed first."""
        return 0 if self is Severity.BLOCKING else 1


class Against(enum.StrEnum):
    """A failing cell compared with a baseline: failing there too, or new; empty when there is nothing to compare."""

    NEW = "new"
    UNCHANGED = "unchanged"
    NOT_COMPARED = ""


class Breaks(enum.StrEnum):
    """What a guarantee over evidence counts as a use that breaks it."""

    BREACH = "breach"  # any use the policy does not allow
    OPTED_OUT = "opted-out"  # a use of a member who turned off a control that governs it
    UNDER_18 = "under-18"  # a use of a member under 18, whatever the policy says


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What was expected in a cell, what the snapshot says, why, and where the policy says it."""

    status: Status
    expected: str = ""
    decided: str
    reason: str
    explanation: str
    rule_location: str | None = None
    sources: tuple[str, ...] = field(default=())
    documents: tuple[str, ...] = field(default=())  # where the policy does not say: the documents read

    @classmethod
    def error(cls, explanation: str) -> Finding:
        """A cell that could not be checked, and why."""
        return cls(status=Status.ERROR, decided="error", reason="error", explanation=explanation)

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
            documents=tuple(data.get("documents", ())),
        )

    def sentence(self) -> str:
        """The finding for a lawyer: expected, decided, why and where."""
        if self.status is Status.UNKNOWN:
            text = f"Expected: {self.expected}. Unknown: {self.explanation}."
        elif self.status is Status.NOT_COVERED:
            text = f"Expected: {self.expected}. Not covered by the snapshot: {self.explanation}."
        else:
            text = f"Expected: {self.expected}. Decided: {self.decided}, because {self.explanation}."
        if self.rule_location:
            text += f" Rule: {self.rule_location}."
        if self.sources:
            text += f" Sources: {', '.join(self.sources)}."
        if self.documents:
            text += f" Documents read: {', '.join(self.documents)}."
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class CellRecord:
    """What a report needs of one cell: the guarantee, the scenario, the cell and the outcome."""

    guarantee: str
    title: str
    scenario: str
    severity: Severity
    feature: str
    snapshot: str
    region: str
    status: Status
    finding: Finding
    waiver: str = ""
    justification: str = ""
    note: str = ""
    baseline: Against = Against.NOT_COMPARED

    def to_json(self) -> str:
        """The record as JSON, carried on pytest's report (and so across xdist workers)."""
        # Field by field rather than dataclasses.asdict, which deep-copies every value: a record is made a cell,
        # by the field names listed once rather than by dataclasses.fields() each time.
        data = {name: getattr(self, name) for name in _RECORD_FIELDS}
        data["finding"] = {name: getattr(self.finding, name) for name in _FINDING_FIELDS}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> CellRecord:
        """The record back from its JSON."""
        data = json.loads(text)
        data["finding"] = Finding.from_data(data["finding"])
        data["status"] = Status(data["status"])
        data["severity"] = Severity(data["severity"])
        data["baseline"] = Against(data["baseline"])
        return cls(**data)

    @property
    def sort_key(self) -> tuple[str, ...]:
        """Reports list cells by snapshot, guarantee, scenario and region."""
        return (self.snapshot, self.guarantee, self.scenario, self.feature, self.region)


_RECORD_FIELDS = tuple(f.name for f in fields(CellRecord))
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
