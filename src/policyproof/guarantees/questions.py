"""A case's question and checks, and what the engine's decisions and verdicts conclude of them in each cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.engine import checks
from policyproof.engine.answers import Coverage, Decision, Reason
from policyproof.engine.decisions import decide, left_open, not_in_force, region_of
from policyproof.engine.explain import not_governing
from policyproof.engine.member import day_of
from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import findings, labels
from policyproof.guarantees.endings import NotApplicable, NotStated
from policyproof.guarantees.members import the_member
from policyproof.outcomes import Finding, Status
from policyproof.snapshot.names import normalise

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.engine.checks import Verdict
    from policyproof.guarantees.cases import Case
    from policyproof.snapshot.model import Category
    from policyproof.wording import When

# Withdrawing consent once given is opting out too: a reviewer who expects an opt-out is not contradicted by it.
_ALSO = {Reason.OPTED_OUT: Reason.CONSENT_WITHDRAWN}
# "their data": whatever data the purpose's rule uses in the member's region, so that one promise holds every
# platform to it whatever the platform calls its data.
ANY_DATA = "data"


def consider(case: Case, data: str, purpose: str, when: When) -> None:
    """Ask the engine whether the member's data is used for the purpose on the date."""
    on = when.on(case.snapshot.effective)
    superseded = not_in_force(case.snapshot, day_of(on))
    if superseded is not None:
        raise NotApplicable(findings.superseded(superseded))
    the_purpose = labels.purpose(case, purpose)
    if normalise(data) == ANY_DATA:
        category = checks.data_used(case.snapshot, the_purpose, region_of(case.snapshot, the_member(case)).id)
    else:
        category = labels.category(case, data)
    case.decision = decide(case.snapshot, the_member(case), category.label, the_purpose.label, on)
    case.question = f"{category.label} for {the_purpose.label} on {on.isoformat()}"
    case.warnings += ungoverning(case, case.decision)


def ungoverning(case: Case, decision: Decision) -> list[str]:
    """A warning for each control the member changed that does not govern the purpose asked about here.

    Changing it changes nothing, so the answer does not show that the member's choice is honoured; the case
    goes on, since that the policy offers no such choice where the scenario expects one may be the finding.
    """
    return [
        findings.ungoverned(why, where)
        for label, where in case.changed_at.items()
        for why in not_governing(case.snapshot, decision, [label])
    ]


def the_decision(case: Case) -> Decision:
    """The decision of the case's question; steps checking it need one first."""
    if case.decision is None:
        raise PolicyproofError("no question yet; ask it with 'When their <data> is considered for <purpose> on <date>'")
    return case.decision


def expect(case: Case, *, used: bool, reason: Reason | None = None) -> None:
    """Check the decision: used, not used, or not used for a given reason.

    A snapshot not in force on the date does not apply; where the policy does not say, the cell is unknown.
    """
    decision = the_decision(case)
    expected = findings.expected_use(case.question, used=used, reason=reason)
    if used:
        holds = decision.used
    elif reason is None:
        holds = not decision.used
    else:
        holds = not decision.used and decision.reason in {reason, _ALSO.get(reason)}
    if decision.reason is Reason.NOT_IN_FORCE or (
        not used and decision.reason is Reason.NOT_ACTIVE and reason is not Reason.NOT_ACTIVE
    ):
        conclude(case, None, expected, decision)
    elif not decision.stated:
        conclude(case, None, expected, decision, stated=False)
    else:
        conclude(case, holds, expected, decision)


def conclude(
    case: Case, holds: bool | None, expected: str, decision: Decision | Verdict, *, stated: bool = True
) -> None:
    """The case's finding from whether the expectation holds: a pass is kept, anything else ends the case."""
    if isinstance(decision, Decision):
        decided = {True: "used", False: f"not used ({decision.reason})", None: "the policy does not say"}[decision.used]
        reason = str(decision.reason)
    else:
        stated = stated and decision.stated
        decided = {True: "holds", False: "does not hold", None: "does not apply"}[decision.holds]
        reason = decided
    status = {True: Status.PASS, False: Status.FAIL, None: Status.NOT_APPLICABLE}[holds]
    if not stated:
        status = Status.NOT_COVERED if decision.coverage is Coverage.NOT_COVERED else Status.UNKNOWN
        decided = "not covered" if status is Status.NOT_COVERED else "the policy does not say"
        reason = reason if isinstance(decision, Decision) else decided
    finding = Finding(
        status=status,
        expected=expected,
        decided=decided,
        reason=reason,
        explanation=decision.explanation,
        rule_location=decision.rule_location,
        sources=decision.sources,
        documents=decision.documents if not stated else (),
    )
    record(case, finding)


def record(case: Case, finding: Finding) -> None:
    """Keep a passing finding and go on; any other ends the case."""
    if finding.status is Status.PASS:
        case.findings.append(finding)
    else:
        case.ended = finding


def check(case: Case, expected: str, verdict: Verdict) -> None:
    """Record a snapshot-level verdict for the case's cell."""
    conclude(case, verdict.holds, expected, verdict)


def can_be_turned_off(case: Case, purpose: str) -> None:
    """The purpose can be turned off here, if it applies here."""
    the_purpose = labels.purpose(case, purpose)
    verdict = checks.can_be_turned_off(case.snapshot, the_purpose, case.cell.region)
    check(case, f"{the_purpose.label} can be turned off", verdict)


def has_legal_basis(case: Case, purpose: str) -> None:
    """The purpose has a stated legal basis here, if it applies here."""
    the_purpose = labels.purpose(case, purpose)
    verdict = checks.has_legal_basis(case.snapshot, the_purpose, case.cell.region)
    check(case, f"{the_purpose.label} has a legal basis", verdict)


def announced_ahead(case: Case, purpose: str, days: int) -> None:
    """A use this version starts here was announced at least ``days`` days ahead."""
    the_purpose = labels.purpose(case, purpose)
    verdict = checks.announced_ahead(case.snapshot, the_purpose, case.cell.region, days)
    check(case, f"{the_purpose.label} announced at least {days} days before it took effect", verdict)


def opt_out_retroactive(case: Case, purpose: str) -> None:
    """Opting out of the purpose here also removes data already used."""
    the_purpose = labels.purpose(case, purpose)
    verdict = checks.opt_out_is_retroactive(case.snapshot, the_purpose, case.cell.region)
    check(case, f"opting out of {the_purpose.label} also removes data already used", verdict)


def rules_cite_sources(case: Case) -> None:
    """Every rule governing this region cites a source."""
    check(case, "every rule cites a source", checks.rules_cite_sources(case.snapshot, case.cell.region))


def never_used(case: Case, purpose: str, category_labels: Sequence[str]) -> None:
    """Each category listed is never used for the purpose here (those this snapshot defines)."""
    the_purpose = labels.purpose(case, purpose)
    known: list[Category] = []
    for label in category_labels:
        try:
            category = labels.category(case, label)
        except NotStated:
            continue
        if category not in known:  # a label and its alias name one category, said once
            known.append(category)
    expected = f"never used for {the_purpose.label}: " + ", ".join(dict.fromkeys(category_labels))
    verdict = checks.never_used(case.snapshot, the_purpose, case.cell.region, known)
    if not known:
        coverage, documents = left_open(case.snapshot)
        why = f"{case.snapshot.id} does not describe any of: {', '.join(category_labels)}"
        verdict = checks.Verdict(None, why, None, None, stated=False, coverage=coverage, documents=documents)
    check(case, expected, verdict)
