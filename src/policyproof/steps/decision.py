"""Steps that ask whether the member's data is used, and state what the member is promised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees import questions
from policyproof.guarantees.catalogue import step
from policyproof.guarantees.findings import parse_reason
from policyproof.wording import parse_when

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Cases


@step(
    "When",
    "their <category label> [is|are] considered for <purpose label> <when>",
    "their public posts are considered for generative AI training on 2025-12-01",
)
def considered(cases: Cases, data: str, purpose: str, date: str) -> None:
    """Ask whether the member's data of one category is used for a purpose on a date ("is" or "are").

    "their data" asks of whatever data the purpose's rule uses in the member's region, so that one promise
    holds every platform to it whatever the platform calls its data ("When their data is considered for
    generative AI training on the effective date").

    The date is a calendar date ("on 2025-12-01", "on 3 November 2025") or one relative to the effective
    date of each snapshot checked: "on the effective date", "30 days after the policy takes effect", "the
    day before the policy takes effect". A relative date makes one scenario hold every version to the same
    promise. A question dated after a snapshot was superseded is not judged against it (not applicable).
    """
    cases.each(questions.consider, data, purpose, parse_when(date))


@step("Then", "[it is|they are] used", "it is used")
def is_used(cases: Cases) -> None:
    """The data is used."""
    cases.each(questions.expect, used=True)


@step("Then", "[it is|they are] not used", "it is not used")
def is_not_used(cases: Cases) -> None:
    """The data is not used.

    Where the purpose does not apply in the region on that date, the promise is trivially kept and the
    cell is reported as not applicable.
    """
    cases.each(questions.expect, used=False)


@step("Then", "[it is|they are] not used because <reason>", "it is not used because the member opted out")
def is_not_used_because(cases: Cases, reason: str) -> None:
    """The data is not used, for the reason given.

    The reasons: "the member opted out", "the member is under 18", "the member is excluded", "the
    category is excluded", "the purpose is not active in the region", "the category is not covered",
    "the member did not consent".
    """
    cases.each(questions.expect, used=False, reason=parse_reason(reason))
