"""Evidence judged once and kept for questions: the guarantees over evidence ask it cell by cell.

Each use is judged against the version of its platform in force on its date, as ``audit --platform``
does; a guarantee's cell (a snapshot and a region group) looks at the uses that version judged there.
Kept in DuckDB, in this process, for evidence of the size a guarantee suite ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlglot import exp

from policyproof.audit import validation
from policyproof.audit.engines import DuckDB
from policyproof.audit.evidence import locate
from policyproof.audit.policy import Policy
from policyproof.audit.results import EXAMPLES, Breach
from policyproof.audit.run import prepare
from policyproof.audit.sql import DIALECT, render
from policyproof.engine.member import ADULT_AGE
from policyproof.outcomes import Breaks

if TYPE_CHECKING:
    from pathlib import Path

    from policyproof.snapshot.model import Snapshot

# Each kind of breaking use as an SQL condition on a judged use.
BREAKS = {
    Breaks.BREACH: "status = 'breach'",
    Breaks.OPTED_OUT: "status = 'breach' AND reason IN ('opted-out', 'consent-withdrawn')",
    Breaks.UNDER_18: render(
        exp.and_(exp.or_("believed", exp.column("age") < exp.convert(ADULT_AGE)), "status <> 'unmatched'")
    ),
}


@dataclass(frozen=True, slots=True)
class Undecided:
    """What leaves a guarantee undecided for a use (an SQL condition on a judged use), and how a reader is told.

    ``why`` is formatted with ``count``, ``uses`` and ``source``.
    """

    condition: str
    decided: str
    reason: str
    why: str


_POLICY_SILENT = Undecided(
    "status = 'unknown'",
    "the policy does not say",
    "not-stated",
    "the policy does not say whether {count} of {uses} uses in {source} are allowed",
)
# Whether a use breaks the promise about members under 18 is a fact of the evidence, whatever the policy says:
# it is left undecided only where the evidence gives no birth date and the platform did not believe the member
# to be under 18.
UNDECIDED = {
    Breaks.BREACH: _POLICY_SILENT,
    Breaks.OPTED_OUT: _POLICY_SILENT,
    Breaks.UNDER_18: Undecided(
        "age IS NULL AND NOT believed AND status <> 'unmatched'",
        "the evidence does not say",
        "no-birth-date",
        "{source} gives no birth date for the members of {count} of {uses} uses, "
        "and the platform did not believe them to be under 18 then",
    ),
}


@dataclass(frozen=True, slots=True)
class Example:
    """A use that breaks a guarantee, with the member's age and whether the platform believed them under 18 then."""

    breach: Breach
    age: int | None
    believed: bool


@dataclass(frozen=True, slots=True)
class Tally:
    """The uses of one purpose in one cell: how many, how many break the guarantee, undecided, and examples."""

    uses: int
    breaking: int
    unknown: int
    examples: tuple[Example, ...]
    undecided: Undecided


class JudgedEvidence:
    """An evidence folder judged against a platform's versions, held in memory for questions."""

    def __init__(self, folder: Path, snapshots: tuple[Snapshot, ...]) -> None:
        """Check the evidence and judge every use; bad evidence raises EvidenceError."""
        self.folder = folder
        policy = Policy(tuple(sorted(snapshots, key=lambda s: s.effective)))
        evidence = locate(folder)
        self.duck = DuckDB()
        naive = validation.check(evidence, policy, self.duck)
        prepare(self.duck, evidence.tables, policy, naive)
        self.duck.define("judged", "SELECT * FROM verdicts", materialise=True)

    def tally(self, snapshot: str, group: str, purpose: str, breaks: Breaks) -> Tally:
        """The uses of ``purpose`` that ``snapshot`` judged in ``group``, and those that break the guarantee."""
        asked = zip(_CELL, (snapshot, group, purpose), strict=True)
        where = exp.and_(*(exp.column(name).eq(exp.convert(value)) for name, value in asked))
        condition, undecided = BREAKS[breaks], UNDECIDED[breaks]
        counted = exp.select(
            "COUNT(*)",
            f"COALESCE(COUNT_IF({condition}), 0)",
            f"COALESCE(COUNT_IF({undecided.condition}), 0)",
            dialect=DIALECT,
        )
        uses, breaking, unknown = self.duck.rows(render(counted.from_("judged").where(where)))[0]
        listed = exp.select(*_EXAMPLE, dialect=DIALECT)
        examples = self.duck.rows(
            render(
                listed.from_("judged")
                .where(where)
                .where(condition, dialect=DIALECT)
                .order_by("used_at", "use_id")
                .limit(exp.convert(EXAMPLES))
            )
        )
        shown = tuple(Example(Breach(*row[:-2]), row[-2], bool(row[-1])) for row in examples)
        return Tally(int(uses), int(breaking), int(unknown), shown, undecided)


_EXAMPLE = (
    *("use_id", "member_id", "snapshot", "region_group", "purpose", "category", "used_at", "reason"),
    *("COALESCE(rule, '')", "age", "believed"),
)
_CELL = ("snapshot", "region_group", "purpose")  # the columns a guarantee's cell and purpose are asked by
_JUDGED: dict[tuple[str, tuple[str, ...]], JudgedEvidence] = {}


def judged(folder: Path, snapshots: tuple[Snapshot, ...]) -> JudgedEvidence:
    """The evidence judged against these versions, judged once a process."""
    key = (str(folder.resolve()), tuple(s.id for s in snapshots))
    if key not in _JUDGED:
        _JUDGED[key] = JudgedEvidence(folder, snapshots)
    return _JUDGED[key]
