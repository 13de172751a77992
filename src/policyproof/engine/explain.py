"""A decision written out for a reader: the answer, why, the rule it came from and its sources."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyproof.engine.decisions import Decision
    from policyproof.snapshot.model import Snapshot


def render_decision(snapshot: Snapshot, decision: Decision, question: str, place: str) -> str:
    """The decision as plain text, with the deciding rule's terms and the quotes of its sources."""
    group = snapshot.group(decision.region) if decision.region else None
    region = f"{group.label} ({group.id})" if group else "no region"
    lines = [
        f"Snapshot:  {snapshot.id} ({snapshot.location}, sha256 {snapshot.sha256[:12]})",
        f"Member:    in {place}, region group {region}",
        f"Question:  {question}",
        f"Decision:  {'USED' if decision.used else 'NOT USED'} ({decision.reason})",
        f"Why:       {decision.explanation}",
    ]
    rule = decision.rule
    if rule is None:
        return "\n".join([*lines, "Rule:      none governs this purpose in this region"])
    terms = [
        f"regions {', '.join(rule.regions)}",
        f"from {rule.active_from.isoformat()}",
        f"default {'on (opt-out)' if rule.default_on else 'off (opt-in)'}",
        f"legal basis: {rule.legal_basis or 'not stated'}",
        f"opting out is {'retroactive' if rule.retroactive else 'prospective'}",
    ]
    lines.append(f"Rule:      {decision.rule_location} ({'; '.join(terms)})")
    lines.append("Sources:")
    for source_id in rule.sources:
        source = snapshot.source(source_id)
        lines.append(f"  [{source.id}] {source.publisher}, {source.date.isoformat()}: {source.title}")
        lines.append(f"    {source.address}")
        lines.extend(textwrap.wrap(f'"{source.quote}"', width=100, initial_indent="    ", subsequent_indent="    "))
    lines.extend(f"Disagreement: {d.about} Resolved: {d.resolution}" for d in rule.disagreements)
    return "\n".join(lines)
