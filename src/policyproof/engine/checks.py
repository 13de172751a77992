"""Checks of a snapshot as a whole, per purpose and region group: controls, legal basis, notice, sources.

Each returns a Verdict: holds (True or False) with a sentence saying why; does not apply (holds is None)
because the snapshot states that the purpose does not apply in that region; or the policy does not say
(holds is None and ``stated`` is False), because the snapshot states nothing that settles the promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.engine.answers import Coverage
from policyproof.engine.decisions import absence, unsaid

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.snapshot.model import Category, Snapshot
    from policyproof.snapshot.purposes import Purpose, Rule


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a snapshot-level promise holds in one region group; None when it does not apply there.

    ``stated`` is False where the policy does not say, so the promise can be neither kept nor broken.
    """

    holds: bool | None
    explanation: str
    rule: Rule | None
    rule_location: str | None
    sources: tuple[str, ...] = ()
    stated: bool = True
    coverage: Coverage | None = None  # where the policy does not say: silence of the documents, or a gap
    documents: tuple[str, ...] = ()  # for silence: the documents read


def _verdict(snapshot: Snapshot, rule: Rule | None, holds: bool | None, why: str, *, stated: bool = True) -> Verdict:
    """A verdict resting on a rule; what the rule leaves open is the silence of the documents read, or a gap."""
    location = f"{snapshot.location}:{rule.line}" if rule is not None else None
    sources = rule.sources if rule is not None else ()
    if stated:
        return Verdict(holds, why, rule, location, sources)
    coverage, documents, said = unsaid(snapshot, why)
    return Verdict(holds, said, rule, location, sources, False, coverage, documents)


def _rule(snapshot: Snapshot, purpose: Purpose, region: str) -> tuple[Rule | None, str]:
    group = snapshot.group(region)
    return snapshot.rule_for(purpose.id, region), f"{group.label} ({group.id})"


def not_governed(snapshot: Snapshot, purpose: Purpose, region: str) -> Verdict:
    """Where no rule governs a purpose in a region: stated not to apply there, or not stated at all."""
    _, where = _rule(snapshot, purpose, region)
    found = absence(snapshot, purpose, region, where)
    return Verdict(
        None,
        found.explanation,
        None,
        found.location,
        found.sources,
        stated=found.stated,
        coverage=found.coverage,
        documents=found.documents,
    )


def can_be_turned_off(snapshot: Snapshot, purpose: Purpose, region: str) -> Verdict:
    """The purpose has at least one control that turns it off wherever it applies."""
    rule, where = _rule(snapshot, purpose, region)
    if rule is None:
        return not_governed(snapshot, purpose, region)
    if not rule.controls:
        return _verdict(snapshot, rule, False, f"no setting, form or signal turns off {purpose.label} in {where}")
    controls = "; ".join(f"{c.kind} '{c.label}'" for c in map(snapshot.control, rule.controls))
    return _verdict(snapshot, rule, True, f"{purpose.label} in {where} can be turned off by: {controls}")


def has_legal_basis(snapshot: Snapshot, purpose: Purpose, region: str) -> Verdict:
    """The snapshot states a legal basis for the purpose wherever it applies.

    A rule with none fails where the snapshot names the documents read in full (they were read and state none);
    where it names none, the snapshot has not recorded whether the policy states one: not covered.
    """
    rule, where = _rule(snapshot, purpose, region)
    if rule is None:
        return not_governed(snapshot, purpose, region)
    if rule.legal_basis is None and not snapshot.documents:
        # No document is recorded as read in full, so nothing shows that the policy states no basis: a gap.
        why = (
            f"this snapshot names no documents read in full, so it does not record whether the policy states a "
            f"legal basis for {purpose.label} in {where} (not covered)"
        )
        location = f"{snapshot.location}:{rule.line}"
        return Verdict(None, why, rule, location, rule.sources, stated=False, coverage=Coverage.NOT_COVERED)
    if rule.legal_basis is None:
        return _verdict(snapshot, rule, False, f"no source states a legal basis for {purpose.label} in {where}")
    return _verdict(snapshot, rule, True, f"{purpose.label} in {where} rests on {rule.legal_basis}")


def announced_ahead(snapshot: Snapshot, purpose: Purpose, region: str, days: int) -> Verdict:
    """A use this version starts was announced at least ``days`` days before it took effect."""
    rule, where = _rule(snapshot, purpose, region)
    if rule is None:
        return not_governed(snapshot, purpose, region)
    since = "applies since" if rule.start_known else "is shown in use by"
    if rule.active_from < snapshot.effective:
        why = f"{purpose.label} in {where} {since} {rule.active_from.isoformat()}, before this version"
        return _verdict(snapshot, rule, None, why)
    if not rule.start_known:
        why = (
            f"the policy does not say when {purpose.label} began in {where}, so not how long before it members "
            f"were told; the sources show it in use by {rule.active_from.isoformat()}"
        )
        return _verdict(snapshot, rule, None, why, stated=False)
    notice = notice_days(snapshot, rule)
    why = (
        f"{purpose.label} in {where} was announced on {snapshot.announced.isoformat()} and took effect on "
        f"{rule.active_from.isoformat()}: {notice} days' notice, {days} required"
    )
    return _verdict(snapshot, rule, notice >= days, why)


def data_used(snapshot: Snapshot, purpose: Purpose, region: str) -> Category:
    """The data a question about the purpose in a region asks of: the first category its rule uses there.

    Where no rule governs the purpose there, or the rule names no category, the snapshot's first category: the
    answer then does not turn on the data.
    """
    rule = snapshot.rule_for(purpose.id, region)
    return snapshot.category(rule.uses[0]) if rule is not None and rule.uses else snapshot.categories[0]


def notice_days(snapshot: Snapshot, rule: Rule) -> int:
    """Days between the version's announcement and the start of a use the rule states (negative: announced late)."""
    return (rule.active_from - snapshot.announced).days


def opt_out_is_retroactive(snapshot: Snapshot, purpose: Purpose, region: str) -> Verdict:
    """Opting out also removes data already used, wherever the purpose applies."""
    rule, where = _rule(snapshot, purpose, region)
    if rule is None:
        return not_governed(snapshot, purpose, region)
    if rule.retroactive is None:
        why = f"the policy does not say whether opting out of {purpose.label} in {where} removes data already used"
        return _verdict(snapshot, rule, None, why, stated=False)
    if rule.retroactive:
        return _verdict(snapshot, rule, True, f"opting out of {purpose.label} in {where} removes data already used")
    why = f"opting out of {purpose.label} in {where} stops future use only; data already used stays used"
    return _verdict(snapshot, rule, False, why)


def rules_cite_sources(snapshot: Snapshot, region: str) -> Verdict:
    """Every rule and control that governs the region cites at least one source the snapshot lists."""
    listed = {source.id for source in snapshot.sources}
    group = snapshot.group(region)
    rules = [r for p in snapshot.purposes for r in p.rules if region in r.regions]
    for rule in rules:
        missing = [s for s in rule.sources if s not in listed]
        if not rule.sources or missing:
            return _verdict(snapshot, rule, False, f"rule {rule.index} of {rule.purpose} cites no listed source")
        for control in map(snapshot.control, rule.controls):
            if not control.sources:
                return _verdict(snapshot, rule, False, f"control '{control.label}' cites no source")
    return _verdict(snapshot, None, True, f"all {len(rules)} rule(s) for {group.label} ({group.id}) cite sources")


def never_used(snapshot: Snapshot, purpose: Purpose, region: str, categories: Sequence[Category]) -> Verdict:
    """Each category is never used for the purpose in the region: the rule excludes it or an ancestor."""
    rule, where = _rule(snapshot, purpose, region)
    if rule is None:
        return not_governed(snapshot, purpose, region)
    labels = ", ".join(c.label for c in categories)
    missing = [c for c in categories if snapshot.falls_under(c.id, rule.never_uses) is None]
    used = [(c, snapshot.falls_under(c.id, rule.uses)) for c in missing]
    stated = [_as_stated(snapshot, category, under) for category, under in used if under is not None]
    if stated:
        why = f"the policy states that it uses {', '.join(stated)} for {purpose.label} in {where}"
        return _verdict(snapshot, rule, False, why)
    if missing and not rule.others_not_used:
        unsaid = ", ".join(c.label for c in missing)
        why = f"the policy does not say whether it uses {unsaid} for {purpose.label} in {where}"
        return _verdict(snapshot, rule, None, why, stated=False)
    return _verdict(snapshot, rule, True, f"the policy never uses {labels} for {purpose.label} in {where}")


def _as_stated(snapshot: Snapshot, category: Category, under: str) -> str:
    """A used category as the policy states its use: by name, or by the wider category that covers it."""
    if under == category.id:
        return category.label
    return f"{snapshot.category(under).label} (which covers {category.label})"
