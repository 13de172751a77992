"""The answer to a question of use: whether the data is used, the reason code, why, and the statement behind it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyproof.snapshot.purposes import Rule


class Coverage(enum.StrEnum):
    """Why the policy gives no answer: the documents read are silent, or the snapshot has not looked."""

    SILENT = "silent"
    NOT_COVERED = "not-covered"


class Reason(enum.StrEnum):
    """Why data is or is not used; the value is the stable code reports and steps use."""

    USED = "used"
    NOT_IN_FORCE = "not-in-force"
    NOT_ACTIVE = "not-active"
    EXCLUDED_CATEGORY = "excluded-category"
    NOT_COVERED = "not-covered"
    EXCLUDED_MEMBER = "excluded-member"
    OPTED_OUT = "opted-out"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    NO_CONSENT = "no-consent"
    TO_REMOVE = "to-remove"
    NOT_STATED = "not-stated"


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether data is used, the reason code, a sentence saying why, and the statement it came from.

    ``used`` is None where the policy does not say, or where the snapshot does not govern the date.
    """

    used: bool | None
    reason: Reason
    explanation: str
    snapshot: str
    region: str | None
    rule: Rule | None
    rule_location: str | None
    sources: tuple[str, ...] = ()
    coverage: Coverage | None = None  # for an answer the policy does not give: silence, or a gap of the snapshot
    documents: tuple[str, ...] = ()  # for silence: the documents read that say nothing of it

    @property
    def stated(self) -> bool:
        """Whether the policy settles the question (it states a use or states that there is none)."""
        return self.reason not in {Reason.NOT_STATED, Reason.NOT_IN_FORCE}
