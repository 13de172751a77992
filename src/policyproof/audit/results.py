"""What an audit found: counts per snapshot, region group and purpose, and example breaches.

A use whose data a later, retroactive opt-out requires removed is ``to_remove``: not a breach when it was made
(allowed, or left open by the policy), nor now, and listed in a file of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policyproof.audit.evidence import Days

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

# The statuses a use can have, in the order tables show them.
STATUSES = ("allowed", "breach", "to_remove", "unknown", "unmatched")
EXAMPLES = 10  # example breaches kept for each snapshot and region group


@dataclass(frozen=True, slots=True)
class Breach:
    """One use the policy did not allow, and the rule that says so."""

    use_id: str
    member_id: str
    snapshot: str
    region_group: str
    purpose: str
    category: str
    used_at: dt.datetime
    reason: str
    rule: str


@dataclass
class Row:
    """The uses of one purpose in one region group, judged against one snapshot, counted by status and reason."""

    snapshot: str
    region_group: str | None
    purpose: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        """Every use counted in the row."""
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        """The row as ``audit.json`` holds it."""
        return {
            "snapshot": self.snapshot,
            "region_group": self.region_group,
            "purpose": self.purpose,
            "checked": self.checked,
            **{status: self.counts[status] for status in STATUSES},
            "breaches_by_reason": dict(sorted(self.reasons.items())),
        }


@dataclass(frozen=True)
class AuditResult:
    """An audit's outcome: its rows, example breaches, where it wrote its files, and the days it judged."""

    evidence: str
    engine: str
    snapshots: tuple[str, ...]
    rows: tuple[Row, ...]
    examples: tuple[Breach, ...]
    breaches_file: str
    to_remove_file: str
    days: Days = field(default_factory=Days)  # the days whose uses were judged (--from, --to)

    def total(self, status: str) -> int:
        """How many uses had this status."""
        return sum(row.counts[status] for row in self.rows)

    @property
    def checked(self) -> int:
        """How many uses were checked."""
        return sum(row.checked for row in self.rows)

    @property
    def exit_code(self) -> int:
        """0 when no use breaches the policy, 1 when one does; uses to remove alone give 0."""
        return 1 if self.total("breach") else 0

    def as_json(self) -> dict[str, Any]:
        """The whole result as ``audit.json`` holds it (``schemas/audit.schema.json``)."""
        return {
            "evidence": self.evidence,
            "engine": self.engine,
            "snapshots": list(self.snapshots),
            "days": {
                "from": self.days.first.isoformat() if self.days.first else None,
                "to": self.days.last.isoformat() if self.days.last else None,
            },
            "totals": {"checked": self.checked, **{status: self.total(status) for status in STATUSES}},
            "rows": [row.as_json() for row in self.rows],
            "examples": [
                {
                    "use_id": b.use_id,
                    "member_id": b.member_id,
                    "snapshot": b.snapshot,
                    "region_group": b.region_group,
                    "purpose": b.purpose,
                    "category": b.category,
                    "used_at": b.used_at.isoformat(),
                    "reason": b.reason,
                    "rule": b.rule,
                }
                for b in self.examples
            ],
            "breaches_file": self.breaches_file,
            "to_remove_file": self.to_remove_file,
        }

    def table(self, purposes: Mapping[str, str]) -> list[list[str | int]]:
        """The rows as a table: snapshot, region group, purpose (by its label in ``purposes``), the counts, reasons."""
        return [
            [
                row.snapshot,
                row.region_group or "(member unknown)",
                purposes.get(row.purpose, row.purpose),
                row.checked,
                *(row.counts[status] for status in STATUSES),
                ", ".join(f"{reason} {count}" for reason, count in sorted(row.reasons.items())),
            ]
            for row in self.rows
        ]


TABLE_HEADERS = (
    "snapshot",
    "region group",
    "purpose",
    "checked",
    *(status.replace("_", " ") for status in STATUSES),
    "breaches by reason",
)


def gather(counted: list[tuple[Any, ...]]) -> tuple[Row, ...]:
    """Rows from the summary query's (snapshot, group, purpose, status, reason, rule, uses), sorted."""
    rows: dict[tuple[str, str | None, str], Row] = {}
    for snapshot, group, purpose, status, reason, _rule, uses in counted:
        row = rows.setdefault((snapshot, group, purpose), Row(snapshot, group, purpose))
        row.counts[status] += int(uses)
        if status == "breach":
            row.reasons[reason] = row.reasons.get(reason, 0) + int(uses)
    return tuple(rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] or "~", k[2])))
