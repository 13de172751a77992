"""A decision written out for a reader: the answer, why, the statement it came from and its sources."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from policyproof.engine.decisions import Reason

if TYPE_CHECKING:
    from policyproof.engine.decisions import Decision
    from policyproof.snapshot.model import Rule, Snapshot

_ANSWERS = {True: "USED", False: "NOT USED", None: "THE POLICY DOES NOT SAY"}


def render_decision(snapshot: Snapshot, decision: Decision, question: str, place: str) -> str:
    """The decision as plain text, with the deciding rule's terms and the quotes of its sources."""
    group = snapshot.group(decision.region) if decision.region else None
    region = f"{group.label} ({group.id})" if group else "no region"
    answer = "NOT IN FORCE" if decision.reason is Reason.NOT_IN_FORCE else _ANSWERS[decision.used]
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
    elif decision.rule_location is not None:
        lines.append(f"Statement: {decision.rule_location} (the purpose does not apply in this region)")
    else:
        return "\n".join([*lines, "Rule:      none: the snapshot states nothing about this purpose in this region"])
    lines.append("Sources:")
    for source_id in decision.sources:
        source = snapshot.source(source_id)
        lines.append(f"  [{source.id}] {source.publisher}, {source.dated}: {source.title}")
        lines.append(f"    {source.address}")
        lines.extend(textwrap.wrap(f'"{source.quote}"', width=100, initial_indent="    ", subsequent_indent="    "))
    if rule is not None:
        lines.extend(f"Disagreement: {d.about} Resolved: {d.resolution}" for d in rule.disagreements)
    return "\n".join(lines)


def _terms(rule: Rule) -> list[str]:
    """What the rule states, each term as the snapshot gives it, silence said as such."""
    effect = {True: "retroactive", False: "prospective", None: "not stated"}[rule.retroactive]
    terms = [
        f"regions {', '.join(rule.regions)}",
        f"from {rule.active_from.isoformat()}",
        *([f"until {rule.active_until.isoformat()}"] if rule.active_until else []),
        f"default {'on (opt-out)' if rule.default_on else 'off (opt-in)'}",
        f"legal basis: {rule.legal_basis or 'not stated'}",
        f"opting out: {effect}",
    ]
    return [*terms, *(f"condition: {condition}" for condition in rule.conditions)]
