"""The report's Evidence section: what an evidence audit found, per snapshot and region group.

It reads the ``audit.json`` that ``policyproof audit`` writes (``schemas/audit.schema.json``): counts of uses
allowed, breaching, unknown and unmatched, breaches by reason, and up to 10 example breaches each.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from policyproof.exceptions import PolicyproofError

if TYPE_CHECKING:
    from pathlib import Path

    from policyproof.report.results import Report

COUNTED = ("checked", "allowed", "breach", "unknown", "unmatched")


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    """One snapshot and region group of an audit: its counts, breaches by reason, and example breaches."""

    snapshot: str
    region_group: str
    counts: dict[str, int]
    reasons: dict[str, int]
    examples: tuple[dict[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class EvidenceAudit:
    """One audit as the report shows it."""

    file: str
    evidence: str
    engine: str
    groups: tuple[EvidenceGroup, ...]


def load_audit(path: Path) -> EvidenceAudit:
    """Read an ``audit.json``; an unreadable one is an error naming the file."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        groups: dict[tuple[str, str], EvidenceGroup] = {}
        for row in data["rows"]:
            key = (row["snapshot"], row["region_group"] or "(member unknown)")
            group = groups.setdefault(key, EvidenceGroup(*key, dict.fromkeys(COUNTED, 0), {}))
            for name in COUNTED:
                group.counts[name] += int(row[name])
            for reason, count in row["breaches_by_reason"].items():
                group.reasons[reason] = group.reasons.get(reason, 0) + int(count)
        examples: dict[tuple[str, str], list[dict[str, str]]] = {}
        for example in data["examples"]:
            examples.setdefault((example["snapshot"], example["region_group"]), []).append(example)
        return EvidenceAudit(
            str(path),
            data["evidence"],
            data["engine"],
            tuple(
                EvidenceGroup(g.snapshot, g.region_group, g.counts, g.reasons, tuple(examples.get(key, ())))
                for key, g in sorted(groups.items())
            ),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PolicyproofError(f"{path}: not an audit.json written by policyproof audit ({error})") from error


def _code(text: str) -> str:
    """A Markdown code span that shows the text as it is, whatever backticks or markup the evidence put in it."""
    text = text.replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _example(example: dict[str, str]) -> str:
    return (
        f"{_code(example['use_id'])}: {example['category']} of member {_code(example['member_id'])} used for "
        f"{example['purpose']} at {example['used_at']} UTC ({example['reason']}, {example['rule']})"
    )


def evidence_markdown(report: Report) -> list[str]:
    """The Evidence section as Markdown lines (none when the run reported no audit)."""
    if not report.evidence:
        return []
    lines = ["", "## Evidence", ""]
    for audit in report.evidence:
        lines += [
            f"Uses of member data in {_code(audit.evidence)}, judged on {audit.engine} ({_code(audit.file)}).",
            "",
        ]
        rows = [
            [g.snapshot, g.region_group, *(g.counts[name] for name in COUNTED), _reasons(g.reasons)]
            for g in audit.groups
        ]
        headers = ["Snapshot", "Region group", "Uses checked", "Allowed", "Breaches", "Unknown", "Unmatched", "Reasons"]
        lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
        for group in audit.groups:
            if group.examples:
                lines += [f"Example breaches, {group.snapshot}, {group.region_group}:", ""]
                lines += [f"- {_example(example)}" for example in group.examples]
                lines.append("")
    return lines


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))


def evidence_data(report: Report) -> list[dict[str, Any]]:
    """The Evidence section as plain data for the JSON report."""
    return [
        {
            "file": audit.file,
            "evidence": audit.evidence,
            "engine": audit.engine,
            "groups": [
                {
                    "snapshot": g.snapshot,
                    "region_group": g.region_group,
                    "counts": g.counts,
                    "breaches_by_reason": g.reasons,
                    "examples": list(g.examples),
                }
                for g in audit.groups
            ],
        }
        for audit in report.evidence
    ]


def evidence_context(report: Report) -> dict[str, Any]:
    """What the HTML template's Evidence section needs."""
    return {"evidence": report.evidence, "evidence_counted": COUNTED, "evidence_reasons": _reasons}
