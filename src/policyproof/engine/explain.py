"""A decision written out for a reader: the answer, why, the statement it came from and its sources."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from policyproof.engine.answers import Coverage, Reason

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.engine.answers import Decision
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule

_ANSWERS = {True: "USED", False: "NOT USED", None: "THE POLICY DOES NOT SAY"}


def render_decision(snapshot: Snapshot, decision: Decision, question: str, place: str) -> str:
    """The decision as plain text, with the deciding rule's terms and the quotes of its sources."""
    group = snapshot.group(decision.region) if decision.region else None
    region = f"{group.label} ({group.id})" if group else "no region"
    answer = "NOT IN FORCE" if decision.reason is Reason.NOT_IN_FORCE else _ANSWERS[decision.used]
    if decision.coverage is Coverage.NOT_COVERED:
        answer = "NOT COVERED BY THE SNAPSHOT"
    lines = [
        f"Snapshot:  {snapshot.id} ({snapshot.location}, sha256 {snapshot.sha256[:12]})",
        f"Member:    in {place}, region group {region}",
        f"Question:  {question}",
        f"Decision:  {answer} ({decision.reason})",
        f"Why:       {decision.explanation}",
    ]
    if decision.reason is Reason.NOT_IN_FORCE:
        return "\n".join(lines)
    rule = decision.rule
    if rule is not None:
        lines.append(f"Rule:      {decision.rule_location} ({'; '.join(_terms(rule))})")
    elif decision.coverage is Coverage.SILENT:
        lines.append(f"Statement: {decision.rule_location} (the documents read say nothing of this purpose here)")
    elif decision.rule_location is not None:
        lines.append(f"Statement: {decision.rule_location} (the purpose does not apply in this region)")
    else:
        gap = "none: the snapshot does not record what the documents say of this purpose in this region"
        return "\n".join([*lines, f"Rule:      {gap}"])
    for heading, ids in (("Sources:", decision.sources), ("Documents read, silent on this:", decision.documents)):
        if ids:
            lines.append(heading)
            lines.extend(line for source_id in ids for line in _cited(snapshot, source_id))
    if rule is not None:
        lines.extend(f"Disagreement: {d.about} Resolved: {d.resolution}" for d in rule.disagreements)
    return "\n".join(lines)


def unrelated_controls(snapshot: Snapshot, decision: Decision, controls: Sequence[str]) -> list[str]:
    """A warning for each control the member changed that the deciding rule does not name: it changes nothing here."""
    return [f"warning: {why}" for why in not_governing(snapshot, decision, controls)]


def not_governing(snapshot: Snapshot, decision: Decision, controls: Sequence[str]) -> list[str]:
    """Why changing each control named (by label or alias, once) that the deciding rule does not name changes nothing.

    Each sentence names the control, the purpose, the region group and the rule; none where no rule decides.
    """
    rule = decision.rule
    if rule is None:
        return []
    named = [snapshot.control(control_id).label for control_id in rule.controls]
    stated = f"names {', '.join(repr(label) for label in named)}" if named else "names no control"
    purpose = next(p.label for p in snapshot.purposes if p.id == rule.purpose)
    return [
        f"'{control.label}' does not govern {purpose} in {decision.region}: the rule "
        f"({decision.rule_location}) {stated}, so changing it changes nothing here"
        for control in dict.fromkeys(snapshot.find_control(label) for label in controls)
        if control.id not in rule.controls
    ]


def _cited(snapshot: Snapshot, source_id: str) -> list[str]:
    """A source as explain shows it: who, when, what, where it was read, and its quote."""
    source = snapshot.source(source_id)
    read = (
        f" (read {source.read.isoformat()}{f' at {source.read_at}' if source.read_at else ''})" if source.read else ""
    )
    return [
        f"  [{source.id}] {source.publisher}, {source.dated}: {source.title}",
        f"    {source.address}{read}",
        *textwrap.wrap(f'"{source.quote}"', width=100, initial_indent="    ", subsequent_indent="    "),
    ]


def _terms(rule: Rule) -> list[str]:
    """What the rule states, each term as the snapshot gives it, silence said as such."""
    effect = {True: "retroactive", False: "prospective", None: "not stated"}[rule.retroactive]
    terms = [
        f"regions {', '.join(rule.regions)}",
        f"from {rule.active_from.isoformat()}" if rule.start_known else f"in use by {rule.active_from.isoformat()}",
        *([f"until {rule.active_until.isoformat()}"] if rule.active_until else []),
        f"default {'on (opt-out)' if rule.default_on else 'off (opt-in)'}",
        f"legal basis: {rule.legal_basis or 'not stated'}",
        f"opting out: {effect}",
    ]
    return [*terms, *(f"condition: {condition}" for condition in rule.conditions)]
