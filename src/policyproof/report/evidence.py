"""The report's Evidence section: what an evidence audit found, per snapshot and region group.

It reads the ``audit.json`` that ``policyproof audit`` writes (``schemas/audit.schema.json``): counts of uses
allowed, breaching, to remove, unknown and unmatched, breaches by reason, up to 10 example breaches each, and
the file that lists the uses to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from policyproof.exceptions import InputError, PolicyproofError
from policyproof.jsonfile import read_json
from policyproof.untrusted import cut

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from policyproof.report.results import Report

COUNTED = ("checked", "allowed", "breach", "to_remove", "unknown", "unmatched")
HEADERS = ("Snapshot", "Region group", "Uses checked", "Allowed", "Breaches", "To remove", "Unknown", "Unmatched")


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
    to_remove_file: str

    @property
    def to_remove(self) -> int:
        """Uses that were not breaches when made whose data a later, retroactive opt-out requires removed."""
        return sum(group.counts["to_remove"] for group in self.groups)


def load_audit(path: Path) -> EvidenceAudit:
    """Read an ``audit.json``; an unreadable one is an error naming the file, and never showing what it holds.

    Every text in it is shown in the report as :func:`~policyproof.untrusted.cut` leaves it: evidence may hold
    values of any size and any characters.
    """

    def refused(reason: str) -> PolicyproofError:
        return PolicyproofError(f"{path}: not an audit.json written by policyproof audit ({reason})")

    try:
        data: dict[str, Any] = read_json(path, "audit.json")
    except InputError as error:
        raise refused(error.problems[0].message) from None
    try:
        groups: dict[tuple[str, str], EvidenceGroup] = {}
        for row in data["rows"]:
            key = (_text(row["snapshot"]), _text(row["region_group"] or "(member unknown)"))
            group = groups.setdefault(key, EvidenceGroup(*key, dict.fromkeys(COUNTED, 0), {}))
            for name in COUNTED:
                group.counts[name] += _count(row[name])
            for reason, count in row["breaches_by_reason"].items():
                group.reasons[_text(reason)] = group.reasons.get(_text(reason), 0) + _count(count)
        examples: dict[tuple[str, str], list[dict[str, str]]] = {}
        for example in data["examples"]:
            shown = {_text(name): _text(value) for name, value in example.items()}
            examples.setdefault((shown["snapshot"], shown["region_group"]), []).append(shown)
        return EvidenceAudit(
            cut(str(path)),
            _text(data["evidence"]),
            _text(data["engine"]),
            tuple(
                EvidenceGroup(g.snapshot, g.region_group, g.counts, g.reasons, tuple(examples.get(key, ())))
                for key, g in sorted(groups.items())
            ),
            _text(data["to_remove_file"]),
        )
    except KeyError as error:
        raise refused(f"it has no {error}") from None
    except (AttributeError, TypeError, ValueError):
        raise refused("a value is not of the kind the audit writes") from None


def _text(value: object) -> str:
    """A text of the audit as the report shows it; anything else is not what the audit writes."""
    if not isinstance(value, str):
        raise TypeError
    return cut(value)


def _count(value: object) -> int:
    """A count of the audit; anything but a whole number is not what the audit writes."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError
    return value


def _code(text: str) -> str:
    """A Markdown code span that shows the text as it is, whatever backticks or markup the evidence put in it."""
    text = text.replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _labeller(report: Report) -> Callable[[dict[str, str]], dict[str, str]]:
    """An example breach as readers see it: its category and purpose by their labels in the snapshot that judged it.

    The audit writes ids (``schemas/audit.schema.json``); an id the report's snapshots do not define stays as it is.
    """
    labels: dict[tuple[str, str, str], str] = {}
    for section in report.sections:
        snapshot = section.snapshot
        labels.update({(snapshot.id, "purpose", p.id): p.label for p in snapshot.purposes})
        labels.update({(snapshot.id, "category", c.id): c.label for c in snapshot.categories})

    def shown(example: dict[str, str]) -> dict[str, str]:
        return {
            **example,
            **{
                key: labels.get((example["snapshot"], key, example[key]), example[key])
                for key in ("purpose", "category")
            },
        }

    return shown


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
    shown = _labeller(report)
    for audit in report.evidence:
        lines += [
            f"Uses of member data in {_code(audit.evidence)}, judged on {audit.engine} ({_code(audit.file)}).",
            "",
        ]
        rows = [
            [g.snapshot, g.region_group, *(g.counts[name] for name in COUNTED), _reasons(g.reasons)]
            for g in audit.groups
        ]
        lines += [tabulate(rows, headers=[*HEADERS, "Reasons"], tablefmt="github"), ""]
        if audit.to_remove:
            lines += [f"{to_remove(audit)} ({_code(audit.to_remove_file)}).", ""]
        for group in audit.groups:
            if group.examples:
                lines += [f"Example breaches, {group.snapshot}, {group.region_group}:", ""]
                lines += [f"- {_example(shown(example))}" for example in group.examples]
                lines.append("")
    return lines


def to_remove(audit: EvidenceAudit) -> str:
    """The sentence that counts the uses to remove, before the file that lists them."""
    uses = "use was" if audit.to_remove == 1 else "uses were"
    return (
        f"{audit.to_remove:,} {uses} not breaches when made (allowed, or left open by the policy), but a later opt-out "
        "the rule makes retroactive requires their data removed: not breaches, and listed"
    )


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))


def evidence_data(report: Report) -> list[dict[str, Any]]:
    """The Evidence section as plain data for the JSON report."""
    return [
        {
            "file": audit.file,
            "evidence": audit.evidence,
            "engine": audit.engine,
            "to_remove_file": audit.to_remove_file,
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
    return {
        "evidence": report.evidence,
        "evidence_counted": COUNTED,
        "evidence_headers": HEADERS,
        "evidence_to_remove": to_remove,
        "evidence_reasons": _reasons,
        "evidence_shown": _labeller(report),
    }
