"""Steps that check what was actually done with member data, from an evidence folder, against the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees import judging
from policyproof.guarantees.catalogue import step
from policyproof.outcomes import Breaks

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Cases


@step("Given", 'the evidence "<folder>"', 'the evidence "evidence/linkedin"')
def the_evidence(cases: Cases, folder: str) -> None:
    """Check this scenario against an evidence folder of members, settings and uses (schemas/evidence.md).

    The folder is relative to where the suite runs. Each use is judged against the version of the
    platform in force on its date; a region group's cell looks at the uses of its members judged by the
    snapshot checked.
    """
    cases.each(judging.use_evidence, folder)


@step(
    "Then",
    "no use of data for <purpose label> breaches the policy",
    "no use of data for generative AI training breaches the policy",
)
def no_breach(cases: Cases, purpose: str) -> None:
    """No use of member data for the purpose, in the evidence, is one the policy rules out.

    Broken by any use the policy does not allow (for whatever reason), with examples; unknown where the
    policy does not say for some use; not applicable where the evidence has no such use in the region.
    """
    cases.each(judging.no_use_breaks, purpose, Breaks.BREACH, "no use of data for {purpose} breaches the policy")


@step(
    "Then",
    "no member who opted out has data used for <purpose label> after opting out",
    "no member who opted out has data used for generative AI training after opting out",
)
def no_use_after_opt_out(cases: Cases, purpose: str) -> None:
    """No member's data is used for the purpose after they turned off a control that governs it."""
    cases.each(
        judging.no_use_breaks,
        purpose,
        Breaks.OPTED_OUT,
        "no member who opted out has data used for {purpose} after opting out",
    )


@step(
    "Then",
    "no member under 18 has data used for <purpose label>",
    "no member under 18 has data used for generative AI training",
)
def no_minor_used(cases: Cases, purpose: str) -> None:
    """No data of a member under 18 (by birth date, or believed to be by then) is used for the purpose.

    Broken by any such use, whether or not the policy excludes them; what the policy says of other uses does
    not matter. Unknown where the evidence gives no birth date for a member the platform did not believe to
    be under 18.
    """
    cases.each(judging.no_use_breaks, purpose, Breaks.UNDER_18, "no member under 18 has data used for {purpose}")
