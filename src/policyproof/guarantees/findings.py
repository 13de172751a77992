"""The English of a case's findings: reasons as reviewers write them, and what each finding says and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.engine.answers import Coverage, Reason
from policyproof.engine.decisions import left_open, unsaid
from policyproof.engine.member import ADULT_AGE
from policyproof.exceptions import UnknownNameError
from policyproof.outcomes import Breaks, Finding, Status

if TYPE_CHECKING:
    from policyproof.audit.judged import Example, Tally
    from policyproof.snapshot.model import RegionGroup, Snapshot
    from policyproof.snapshot.purposes import Purpose, Rule

# Reasons as reviewers write them after "Then it is not used because".
REASON_WORDS: dict[str, Reason] = {
    "the member opted out": Reason.OPTED_OUT,
    "the member is under 18": Reason.EXCLUDED_MEMBER,
    "the member is excluded": Reason.EXCLUDED_MEMBER,
    "the category is excluded": Reason.EXCLUDED_CATEGORY,
    "the purpose is not active in the region": Reason.NOT_ACTIVE,
    "the category is not covered": Reason.NOT_COVERED,
    "the member did not consent": Reason.NO_CONSENT,
    "the member withdrew consent": Reason.CONSENT_WITHDRAWN,
}
REASON_TEXT = {reason: words for words, reason in reversed(REASON_WORDS.items())}
REASON_TEXT[Reason.USED] = "it is used"
# Why a use in the evidence breaks the policy, after "though": the member may be excluded by age or by belief.
BREACH_TEXT: dict[str, str] = {str(r): words for r, words in REASON_TEXT.items()} | {
    Reason.EXCLUDED_MEMBER: "the policy excludes the member"
}


def parse_reason(words: str) -> Reason:
    """The reason code for the reviewer's words."""
    reason = REASON_WORDS.get(" ".join(words.casefold().split()))
    if reason is None:
        raise UnknownNameError("reason", words, list(REASON_WORDS))
    return reason


def undescribed(snapshot: Snapshot, kind: str, label: str) -> Finding:
    """A label the snapshot does not define: silence of the documents it names, else a gap of the snapshot."""
    coverage, documents = left_open(snapshot)
    if coverage is Coverage.NOT_COVERED:
        why = f"{snapshot.id} does not describe the {kind} '{label}' (not covered)"
        return Finding(status=Status.NOT_COVERED, decided="not covered", reason="not-stated", explanation=why)
    why = f"{snapshot.id} does not describe the {kind} '{label}': the documents read say nothing of it"
    return Finding(
        status=Status.UNKNOWN,
        decided="the policy does not say",
        reason="not-stated",
        explanation=why,
        documents=documents,
    )


def no_opt_out(snapshot: Snapshot, purpose: Purpose, group: RegionGroup, rule: Rule) -> Finding:
    """An opt-out asked of a purpose whose rule names no control here: there is none to honour."""
    why = (
        f"no setting, form or signal turns off {purpose.label} in {group.label} ({group.id}), so there is "
        "no opt-out to honour"
    )
    return Finding(
        status=Status.NOT_APPLICABLE,
        decided="no opt-out",
        reason="no-control",
        explanation=why,
        rule_location=f"{snapshot.location}:{rule.line}",
        sources=rule.sources,
    )


def superseded(why: str) -> Finding:
    """A question dated after the snapshot was superseded: not judged, whether or not it describes the labels."""
    return Finding(
        status=Status.NOT_APPLICABLE, decided="not in force", reason=str(Reason.NOT_IN_FORCE), explanation=why
    )


def ungoverned(why: str, where: str) -> str:
    """A control changed in a scenario that does not govern the purpose asked about, after where it was changed."""
    return f"{where.split(': ', 1)[0]}: {why}" if where else why


def expected_use(question: str, *, used: bool, reason: Reason | None) -> str:
    """What a reviewer expects of a question: used, not used, or not used for a reason."""
    if used:
        return f"{question}: used"
    if reason is None:
        return f"{question}: not used"
    return f"{question}: not used because {REASON_TEXT[reason]}"


def of_tally(
    snapshot: Snapshot, purpose: Purpose, tally: Tally, *, breaks: Breaks, expected: str, folder: str
) -> Finding:
    """What the evidence's uses of a purpose in a cell conclude of a promise about them.

    Broken by any use that breaks it, with examples; unknown where the policy does not say for some use and
    none breaks it; not applicable where the evidence has no use of the purpose here.
    """
    source = f"the evidence folder {folder}"
    if tally.breaking:
        shown = "; ".join(told(snapshot, example, purpose.label, breaks) for example in tally.examples)
        more = f" (first {len(tally.examples)} shown)" if tally.breaking > len(tally.examples) else ""
        verb = "breaks" if tally.breaking == 1 else "break"
        why = f"{tally.breaking} of {tally.uses} uses in {source} {verb} it{more}: {shown}"
        decided = f"{tally.breaking} {'use' if tally.breaking == 1 else 'uses'} {verb} it"
        rules = {example.breach.rule for example in tally.examples}
        # The examples name their rules; the finding cites one when they share it. The promise about members
        # under 18 is a fact of the evidence, so no rule of the policy decides it.
        rule = rules.pop() or None if len(rules) == 1 and breaks is not Breaks.UNDER_18 else None
        return Finding(
            status=Status.FAIL, expected=expected, decided=decided, reason=breaks, explanation=why, rule_location=rule
        )
    if tally.unknown:
        undecided = tally.undecided
        why = undecided.why.format(count=tally.unknown, uses=tally.uses, source=source)
        status, decided = Status.UNKNOWN, undecided.decided
        if undecided.reason == str(Reason.NOT_STATED):
            # What the policy leaves open; in a snapshot whose sources are excerpts, a gap of the snapshot.
            coverage, _, why = unsaid(snapshot, why)
            if coverage is Coverage.NOT_COVERED:
                status, decided = Status.NOT_COVERED, "not covered"
        return Finding(status=status, expected=expected, decided=decided, reason=undecided.reason, explanation=why)
    if not tally.uses:
        why = f"{source} has no use of data for {purpose.label} judged by {snapshot.id} here"
        return Finding(
            status=Status.NOT_APPLICABLE, expected=expected, decided="no use", reason="no-use", explanation=why
        )
    why = f"none of the {tally.uses} uses in {source} breaks it"
    return Finding(status=Status.PASS, expected=expected, decided="holds", reason="holds", explanation=why)


def told(snapshot: Snapshot, example: Example, purpose: str, breaks: str) -> str:
    """A use that breaks the promise, in words: whose data, used for what, when, and why it breaks it."""
    use = example.breach
    try:
        category = snapshot.category(use.category).label
    except KeyError:  # a category another version of the platform defines
        category = use.category
    what = f"use {use.use_id}: {category} of member {use.member_id}"
    when = f"used for {purpose} at {use.used_at:%Y-%m-%d %H:%M:%S} UTC"
    if breaks is Breaks.UNDER_18:
        believed = "the platform believed them to be under 18" if example.believed else None
        aged = f"the member was {example.age}" if example.age is not None and example.age < ADULT_AGE else None
        return f"{what}, {when}, when {' and '.join(w for w in (aged, believed) if w)}"
    because = BREACH_TEXT.get(use.reason, use.reason)
    return f"{what}, {when}, though {because} ({use.rule})"
