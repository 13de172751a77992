"""One guarantee scenario in its cells: its member, its question, and what its checks concluded.

A scenario runs in every region group of a snapshot at once: one :class:`Case` a cell, gathered in
:class:`Cases`, and each step acts on every case still running. Step definitions are thin: they parse the
reviewer's words and call these methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from policyproof.engine import checks
from policyproof.engine.decisions import (
    ADULT_AGE,
    Coverage,
    Decision,
    Member,
    Reason,
    SettingChange,
    day_of,
    decide,
    not_in_force,
    region_of,
)
from policyproof.exceptions import PolicyproofError, UnknownNameError
from policyproof.guarantees.endings import Ending, NotApplicable, NotStated, finding_of_error
from policyproof.outcomes import Breaks, Finding, Status
from policyproof.snapshot.model import normalise
from policyproof.snapshot.regions import Place, parse_place

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policyproof.audit.judged import Example, JudgedEvidence
    from policyproof.engine.checks import Verdict
    from policyproof.guarantees.scope import Cell, Scope
    from policyproof.snapshot.model import Category, Control, Purpose, Snapshot
    from policyproof.wording import When

_T = TypeVar("_T")
_P = ParamSpec("_P")
# What a step raises to end a case early: a label this snapshot does not define, or a reviewer's mistake.
ENDINGS = (Ending, PolicyproofError)

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
# Withdrawing consent once given is opting out too: a reviewer who expects an opt-out is not contradicted by it.
_ALSO = {Reason.OPTED_OUT: Reason.CONSENT_WITHDRAWN}
# "their data": whatever data the purpose's rule uses in the member's region, so that one promise holds every
# platform to it whatever the platform calls its data.
ANY_DATA = "data"
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


@dataclass
class Case:
    """The state of one scenario in one cell; mutable because steps build it up in turn.

    A case that fails, does not apply or meets a mistake ends there: ``ended`` is its finding, as data.
    """

    cell: Cell
    scope: Scope
    member: Member | None = None
    decision: Decision | None = None
    question: str = ""
    findings: list[Finding] = field(default_factory=list)
    evidence: JudgedEvidence | None = None
    ended: Finding | None = None
    ended_at: str = ""

    @property
    def snapshot(self) -> Snapshot:
        """The snapshot this cell checks."""
        return self.scope.snapshot(self.cell.snapshot)

    # --- look-ups: unknown here but known elsewhere means this policy does not say -----------------

    def _lookup(self, kind: str, label: str, find: Callable[[Snapshot], _T]) -> _T:
        try:
            return find(self.snapshot)
        except UnknownNameError:
            for other in self.scope.every.values():
                try:
                    find(other)
                except UnknownNameError:
                    continue
                raise NotStated(self._undescribed(kind, label)) from None
            raise

    def _undescribed(self, kind: str, label: str) -> Finding:
        """A label this snapshot does not define: silence of the documents it names, else a gap of the snapshot."""
        coverage, documents = self._absence()
        if coverage is Coverage.NOT_COVERED:
            why = f"{self.snapshot.id} does not describe the {kind} '{label}' (not covered)"
            return Finding(status=Status.NOT_COVERED, decided="not covered", reason="not-stated", explanation=why)
        why = f"{self.snapshot.id} does not describe the {kind} '{label}': the documents read say nothing of it"
        return Finding(
            status=Status.UNKNOWN,
            decided="the policy does not say",
            reason="not-stated",
            explanation=why,
            documents=documents,
        )

    def _absence(self) -> tuple[Coverage, tuple[str, ...]]:
        """What a label this snapshot does not define means: the silence of the documents it names, or a gap."""
        documents = self.snapshot.documents
        return (Coverage.SILENT, documents) if documents else (Coverage.NOT_COVERED, ())

    def category(self, label: str) -> Category:
        """The category the label names in this snapshot."""
        return self._lookup("category", label, lambda s: s.find_category(label))

    def purpose(self, label: str) -> Purpose:
        """The purpose the label names in this snapshot."""
        return self._lookup("purpose", label, lambda s: s.find_purpose(label))

    def control(self, label: str) -> Control:
        """The control the label names in this snapshot."""
        return self._lookup("control", label, lambda s: s.find_control(label))

    # --- the member -----------------------------------------------------------------------------

    def pin_snapshot(self, snapshot_id: str) -> None:
        """The scenario is about this snapshot; collection runs it nowhere else, and this checks it."""
        if self.cell.snapshot != snapshot_id:
            raise PolicyproofError(f"this scenario pins {snapshot_id} but runs against {self.cell.snapshot}")

    def pin_platform(self, platform: str) -> None:
        """The scenario is about this platform's snapshots; collection runs it nowhere else, and this checks it."""
        if self.snapshot.platform != platform.casefold():
            raise PolicyproofError(f"this scenario pins the platform {platform} but runs against {self.cell.snapshot}")

    def place(self, text: str) -> Place:
        """A place as the reviewer wrote it, checked against ISO 3166 and the region groups."""
        return parse_place(text, self.scope.group_ids)

    def new_member(self, place: Place | None = None) -> None:
        """A member in the cell's region group, or at a place (which pins the scenario there)."""
        self.member = Member(place or Place(self.cell.region, None, self.cell.region))

    def member_in(self, text: str) -> None:
        """A member at a place as the reviewer wrote it."""
        self.new_member(self.place(text))

    def the_member(self) -> Member:
        """The member of this scenario; steps about them need one first."""
        if self.member is None:
            raise PolicyproofError(
                "no member yet; start the scenario with 'Given a member' or 'Given a member in <place>'"
            )
        return self.member

    def set_age(self, age: int) -> None:
        """The member's age, as the platform knows it."""
        self.member = replace(self.the_member(), age=age)

    def believe_under_18(self) -> None:
        """The platform believes the member could be under 18."""
        self.member = replace(self.the_member(), believed_under_18=True)

    def change_control(self, label: str, when: When, *, turned_on: bool, kind: str | None = None) -> None:
        """The member turned a control off or on (sent a signal) on a date."""
        on = when.on(self.snapshot.effective)
        control = self.control(label)
        if kind is not None and control.kind != kind:
            raise PolicyproofError(f"'{control.label}' is a {control.kind}, not a {kind}")
        self.member = self.the_member().with_change(SettingChange(on, turned_on, control=control.label))

    def opt_out_of(self, label: str, when: When) -> None:
        """The member opted out of a whole purpose on a date, by whatever control it has.

        Where the rule in the member's region names no control, there is no opt-out to honour: the cell does
        not apply (whether a control should exist is G-CAN-TURN-OFF's promise, not this one's).
        """
        on = when.on(self.snapshot.effective)
        purpose = self.purpose(label)
        group = region_of(self.snapshot, self.the_member())
        rule = self.snapshot.rule_for(purpose.id, group.id)
        if rule is not None and not rule.controls:
            why = (
                f"no setting, form or signal turns off {purpose.label} in {group.label} ({group.id}), so there is "
                "no opt-out to honour"
            )
            location = f"{self.snapshot.location}:{rule.line}"
            finding = Finding(
                status=Status.NOT_APPLICABLE,
                decided="no opt-out",
                reason="no-control",
                explanation=why,
                rule_location=location,
                sources=rule.sources,
            )
            raise NotApplicable(finding)
        self.member = self.the_member().with_change(SettingChange(on, False, purpose=purpose.label))

    # --- the question and the checks ------------------------------------------------------------

    def consider(self, data: str, purpose: str, when: When) -> None:
        """Ask the engine whether the member's data is used for the purpose on the date."""
        on = when.on(self.snapshot.effective)
        superseded = not_in_force(self.snapshot, day_of(on))
        if superseded is not None:
            # Asked after the version was superseded: not judged, whether or not it describes the labels.
            finding = Finding(
                status=Status.NOT_APPLICABLE,
                decided="not in force",
                reason=str(Reason.NOT_IN_FORCE),
                explanation=superseded,
            )
            raise NotApplicable(finding)
        the_purpose = self.purpose(purpose)
        if normalise(data) == ANY_DATA:
            category = checks.data_used(self.snapshot, the_purpose, region_of(self.snapshot, self.the_member()).id)
        else:
            category = self.category(data)
        self.decision = decide(self.snapshot, self.the_member(), category.label, the_purpose.label, on)
        self.question = f"{category.label} for {the_purpose.label} on {on.isoformat()}"

    def _decision(self) -> Decision:
        if self.decision is None:
            raise PolicyproofError(
                "no question yet; ask it with 'When their <data> is considered for <purpose> on <date>'"
            )
        return self.decision

    def expect(self, *, used: bool, reason: Reason | None = None) -> None:
        """Check the decision: used, not used, or not used for a given reason.

        A snapshot not in force on the date does not apply; where the policy does not say, the cell is unknown.
        """
        decision = self._decision()
        if used:
            expected = f"{self.question}: used"
            holds = decision.used
        elif reason is None:
            expected = f"{self.question}: not used"
            holds = not decision.used
        else:
            expected = f"{self.question}: not used because {REASON_TEXT[reason]}"
            holds = not decision.used and decision.reason in {reason, _ALSO.get(reason)}
        if decision.reason is Reason.NOT_IN_FORCE or (
            not used and decision.reason is Reason.NOT_ACTIVE and reason is not Reason.NOT_ACTIVE
        ):
            self._conclude(None, expected, decision)
        elif not decision.stated:
            self._conclude(None, expected, decision, stated=False)
        else:
            self._conclude(holds, expected, decision)

    def _conclude(
        self, holds: bool | None, expected: str, decision: Decision | Verdict, *, stated: bool = True
    ) -> None:
        if isinstance(decision, Decision):
            decided = {True: "used", False: f"not used ({decision.reason})", None: "the policy does not say"}[
                decision.used
            ]
            reason = str(decision.reason)
        else:
            stated = stated and decision.stated
            decided = {True: "holds", False: "does not hold", None: "does not apply"}[decision.holds]
            reason = decided if stated else "the policy does not say"
        status = {True: Status.PASS, False: Status.FAIL, None: Status.NOT_APPLICABLE}[holds]
        if not stated:
            status = Status.NOT_COVERED if decision.coverage is Coverage.NOT_COVERED else Status.UNKNOWN
            decided = "not covered" if status is Status.NOT_COVERED else "the policy does not say"
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
        if status is Status.PASS:
            self.findings.append(finding)
        else:
            self.ended = finding

    def check(self, expected: str, verdict: Verdict) -> None:
        """Record a snapshot-level verdict for this cell."""
        self._conclude(verdict.holds, expected, verdict)

    def can_be_turned_off(self, purpose: str) -> None:
        """The purpose can be turned off here, if it applies here."""
        the_purpose = self.purpose(purpose)
        verdict = checks.can_be_turned_off(self.snapshot, the_purpose, self.cell.region)
        self.check(f"{the_purpose.label} can be turned off", verdict)

    def has_legal_basis(self, purpose: str) -> None:
        """The purpose has a stated legal basis here, if it applies here."""
        the_purpose = self.purpose(purpose)
        verdict = checks.has_legal_basis(self.snapshot, the_purpose, self.cell.region)
        self.check(f"{the_purpose.label} has a legal basis", verdict)

    def announced_ahead(self, purpose: str, days: int) -> None:
        """A use this version starts here was announced at least ``days`` days ahead."""
        the_purpose = self.purpose(purpose)
        verdict = checks.announced_ahead(self.snapshot, the_purpose, self.cell.region, days)
        self.check(f"{the_purpose.label} announced at least {days} days before it took effect", verdict)

    def opt_out_retroactive(self, purpose: str) -> None:
        """Opting out of the purpose here also removes data already used."""
        the_purpose = self.purpose(purpose)
        verdict = checks.opt_out_is_retroactive(self.snapshot, the_purpose, self.cell.region)
        self.check(f"opting out of {the_purpose.label} also removes data already used", verdict)

    def rules_cite_sources(self) -> None:
        """Every rule governing this region cites a source."""
        self.check("every rule cites a source", checks.rules_cite_sources(self.snapshot, self.cell.region))

    def never_used(self, purpose: str, labels: Sequence[str]) -> None:
        """Each category listed is never used for the purpose here (those this snapshot defines)."""
        the_purpose = self.purpose(purpose)
        known: list[Category] = []
        for label in labels:
            try:
                category = self.category(label)
            except NotStated:
                continue
            if category not in known:  # a label and its alias name one category, said once
                known.append(category)
        expected = f"never used for {the_purpose.label}: " + ", ".join(dict.fromkeys(labels))
        verdict = checks.never_used(self.snapshot, the_purpose, self.cell.region, known)
        if not known:
            coverage, documents = self._absence()
            why = f"{self.snapshot.id} does not describe any of: {', '.join(labels)}"
            verdict = checks.Verdict(None, why, None, None, stated=False, coverage=coverage, documents=documents)
        self.check(expected, verdict)

    # --- evidence: what was done with member data ----------------------------------------------

    def use_evidence(self, folder: str) -> None:
        """Judge the evidence folder (relative to where the suite runs) against this platform's versions."""
        from policyproof.audit.judged import judged  # noqa: PLC0415 (DuckDB loads only for guarantees over evidence)

        path = Path(folder)
        if not path.is_dir():
            raise PolicyproofError(f"no evidence folder '{folder}' (from {Path.cwd()})")
        versions = tuple(s for s in self.scope.every.values() if s.platform == self.snapshot.platform)
        self.evidence = judged(path, versions)

    def no_use_breaks(self, purpose: str, breaks: Breaks, promise: str) -> None:
        """No use of the purpose's data judged in this cell breaks the promise (``breaks``: what counts as breaking it).

        Broken by any use that does, with examples; unknown where the policy does not say for some use and
        none breaks it; not applicable where the evidence has no use of the purpose here.
        """
        if self.evidence is None:
            raise PolicyproofError("no evidence yet; start the scenario with 'Given the evidence \"<folder>\"'")
        the_purpose = self.purpose(purpose)
        tally = self.evidence.tally(self.snapshot.id, self.cell.region, the_purpose.id, breaks)
        expected = promise.format(purpose=the_purpose.label)
        source = f"the evidence folder {self.evidence.folder}"
        if tally.breaking:
            shown = "; ".join(self._told(example, the_purpose.label, breaks) for example in tally.examples)
            more = f" (first {len(tally.examples)} shown)" if tally.breaking > len(tally.examples) else ""
            verb = "breaks" if tally.breaking == 1 else "break"
            why = f"{tally.breaking} of {tally.uses} uses in {source} {verb} it{more}: {shown}"
            decided = f"{tally.breaking} {'use' if tally.breaking == 1 else 'uses'} {verb} it"
            rules = {example.breach.rule for example in tally.examples}
            # The examples name their rules; the finding cites one when they share it. The promise about members
            # under 18 is a fact of the evidence, so no rule of the policy decides it.
            rule = rules.pop() or None if len(rules) == 1 and breaks is not Breaks.UNDER_18 else None
            self.ended = Finding(
                status=Status.FAIL,
                expected=expected,
                decided=decided,
                reason=breaks,
                explanation=why,
                rule_location=rule,
            )
        elif tally.unknown:
            undecided = tally.undecided
            why = undecided.why.format(count=tally.unknown, uses=tally.uses, source=source)
            self.ended = Finding(
                status=Status.UNKNOWN,
                expected=expected,
                decided=undecided.decided,
                reason=undecided.reason,
                explanation=why,
            )
        elif not tally.uses:
            why = f"{source} has no use of data for {the_purpose.label} judged by {self.snapshot.id} here"
            self.ended = Finding(
                status=Status.NOT_APPLICABLE, expected=expected, decided="no use", reason="no-use", explanation=why
            )
        else:
            why = f"none of the {tally.uses} uses in {source} breaks it"
            self.findings.append(
                Finding(status=Status.PASS, expected=expected, decided="holds", reason="holds", explanation=why)
            )

    def _told(self, example: Example, purpose: str, breaks: str) -> str:
        """A use that breaks the promise, in words: whose data, used for what, when, and why it breaks it."""
        use = example.breach
        try:
            category = self.snapshot.category(use.category).label
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


class Cases:
    """One scenario in each cell it runs in for one snapshot: the cases step through it together.

    A case that ends early (broken, not applicable, or a reviewer's mistake) takes no part in later steps;
    the others go on, so one region's outcome never hides another's.
    """

    def __init__(self, cells: Sequence[Cell], scope: Scope) -> None:
        """A fresh case for each cell."""
        self.cases = tuple(Case(cell, scope) for cell in cells)
        self.step = ""

    def each(self, action: Callable[Concatenate[Case, _P], None], *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Apply a step to every case still running; a case the step ends keeps its finding and where it was."""
        for case in self.cases:
            if case.ended is not None:
                continue
            try:
                action(case, *args, **kwargs)
            except ENDINGS as ending:
                case.ended = finding_of_error(ending)
            if case.ended is not None:
                case.ended_at = self.step
