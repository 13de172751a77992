"""The comparison as data: the aspects compared, the codes and words of their answers, platform by platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from policyproof.snapshot.model import RegionGroup

# The words every aspect shares for an answer the policy does not give, or a question that does not arise.
NOT_STATED, NOT_COVERED, NOT_APPLICABLE = "not-stated", "not-covered", "not-applicable"
SHARED = {
    NOT_STATED: "the policy does not say",
    NOT_COVERED: "not covered by the snapshot",
    NOT_APPLICABLE: "does not arise",
}
# Each aspect compared: its heading, and its answers (a stable code and the words shown). The JSON schema's
# lists of answers are checked against this table.
ASPECTS: dict[str, tuple[str, dict[str, str]]] = {
    "use": (
        "Member data",
        {"used-by-default": "used by default", "only-with-consent": "only with consent", "not-used": "not used"},
    ),
    "control": ("Turned off by", {"offered": "", "none": "nothing: no setting, form or signal"}),
    "retroactive": (
        "Opting out reaches data already used",
        {"yes": "yes", "no": "no: from then on only"},
    ),
    "minors": (
        "Members under 18",
        {
            "excluded": "excluded",
            "excluded-when-age-known": "excluded when known to be under 18",
            "not-excluded": "not excluded",
        },
    ),
    "private": (
        "Private messages",
        {"never-used": "never used", "used": "used"},
    ),
    "notice": ("Notice", {"days": "", "earlier-version": "none of its own: in use before this version"}),
}


def answer_codes(aspect: str) -> list[str]:
    """Every code an aspect's answer may carry, its own then the shared ones."""
    return [*ASPECTS[aspect][1], *SHARED]


@dataclass(frozen=True, slots=True)
class Cited:
    """A source an answer rests on, as a reader follows it: its id, who published it, and its address."""

    id: str
    publisher: str
    address: str


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: a code, the words shown, the engine's sentence saying why, the statement and its sources."""

    value: str
    text: str
    explanation: str
    rule: str | None
    sources: tuple[Cited, ...]
    days: int | None = None  # the notice, in days, where ``value`` is "days"


@dataclass(frozen=True, slots=True)
class PurposeAnswers:
    """A platform's answers about one purpose; ``row`` is the comparison's name for it, shared across platforms."""

    row: str
    purpose: str
    use: Answer
    control: Answer
    retroactive: Answer
    minors: Answer
    private: Answer
    notice: Answer

    def answer(self, aspect: str) -> Answer:
        """The answer about one aspect (a key of ``ASPECTS``)."""
        found: Answer = getattr(self, aspect)
        return found


@dataclass(frozen=True, slots=True)
class PlatformAnswers:
    """One platform at one place: the version in force, the region group the place falls in, and its answers.

    ``note`` says why there are no answers: no version in force on the date, or a place the version splits.
    """

    platform: str
    snapshot: str | None
    group: RegionGroup | None
    note: str | None
    purposes: tuple[PurposeAnswers, ...]

    def row(self, name: str) -> PurposeAnswers | None:
        """The answers about the comparison's purpose ``name``, if this platform's policy describes it."""
        return next((answers for answers in self.purposes if answers.row == name), None)


@dataclass(frozen=True, slots=True)
class PlaceComparison:
    """The platforms side by side at one place; ``rows`` are the purposes any of them describes, in order."""

    place: str
    rows: tuple[str, ...]
    platforms: tuple[PlatformAnswers, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every platform's answers in force on one date, place by place."""

    on: dt.date
    places: tuple[PlaceComparison, ...]
