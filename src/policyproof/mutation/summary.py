"""What a mutation run found, for the command line and the report: the table, the scores, what fails the run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.report.strength import Score, Strength, Survivor

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.mutation.accepted import Acceptance
    from policyproof.mutation.mutants import Derived
    from policyproof.mutation.runner import Kill, MutantResult


@dataclass(frozen=True, slots=True)
class Summary:
    """The run's outcome: the section of the report, and the survivors no one accepted (which fail the run)."""

    strength: Strength
    unaccepted: tuple[str, ...]


def _cells(kills: Sequence[Kill]) -> str:
    """Kills by guarantee: ``G-MINORS in EEA, CH (fail) at features/x.feature:6``."""
    by_guarantee: dict[tuple[str, str], list[Kill]] = {}
    for kill in kills:
        by_guarantee.setdefault((kill.guarantee, kill.where), []).append(kill)
    parts = []
    for (guarantee, where), found in by_guarantee.items():
        regions = ", ".join(dict.fromkeys(k.region for k in found))
        outcomes = "/".join(dict.fromkeys(k.after.value for k in found))
        parts.append(f"{guarantee} in {regions} ({outcomes}) at {where}")
    return "; ".join(parts)


def outcome_text(result: MutantResult, accepted: dict[str, Acceptance]) -> str:
    """Killed (by which guarantees, in which cells) or survived, and whether a survivor is accepted."""
    if result.killed:
        stale = " [accepted, but killed: stale acceptance]" if result.mutant in accepted else ""
        return f"killed by {_cells(result.kills)}{stale}"
    text = "SURVIVED"
    if result.mutant in accepted:
        text = f"survived, accepted ({accepted[result.mutant].location})"
    if result.noticed:
        text += f"; noticed only by advisory {_cells(result.noticed)}"
    return text


def table(results: Sequence[MutantResult], accepted: dict[str, Acceptance]) -> str:
    """One row a mutant: its id, the region groups it breaches, what it breaks, killed or survived."""
    rows = [[r.mutant, ", ".join(r.regions), r.sentence, outcome_text(r, accepted)] for r in results]
    return tabulate(rows, headers=["mutant", "breaches", "what it breaks", "outcome"], tablefmt="simple")


def _derivable(mutant: str, snapshots: set[str], operators: Sequence[str]) -> bool:
    """Whether this run would have derived a mutant of this id: its snapshot and operator are in scope."""
    snapshot, _, rest = mutant.partition("~")
    return snapshot in snapshots and rest.rpartition("-")[0] in operators


def summarise(
    derived: Sequence[Derived],
    results: Sequence[MutantResult],
    accepted: dict[str, Acceptance],
    guarantees: dict[str, str],
    operators: Sequence[str],
    *,
    narrowed: Sequence[str] = (),
) -> Summary:
    """Scores per snapshot and overall, survivors, idle guarantees and stale acceptances.

    ``narrowed`` names the options that left snapshots or operators out, as the user gave them.
    """
    scores = []
    for found in derived:
        mine = [r for r in results if r.original == found.snapshot]
        scores.append(Score(found.snapshot, sum(r.killed for r in mine), len(mine)))
    scores.append(Score("overall", sum(r.killed for r in results), len(results)))
    survivors = tuple(
        Survivor(
            r.mutant,
            r.sentence,
            r.location,
            accepted[r.mutant].justification if r.mutant in accepted else "",
            _cells(r.noticed),
        )
        for r in results
        if not r.killed
    )
    active = {k.guarantee for r in results for k in (*r.kills, *r.noticed)}
    idle = tuple(
        f"{guarantee} ({severity})" for guarantee, severity in sorted(guarantees.items()) if guarantee not in active
    )
    known = {r.mutant: r for r in results}
    in_scope = {found.snapshot for found in derived}
    stale = []
    for mutant, acceptance in accepted.items():
        result = known.get(mutant)
        if result is not None and result.killed:
            stale.append(f"{mutant} is accepted ({acceptance.location}) but killed: remove the acceptance")
        elif result is None and _derivable(mutant, in_scope, operators):
            stale.append(f"{mutant} is accepted ({acceptance.location}) but no such mutant was derived")
    unaccepted = tuple(s.mutant for s in survivors if not s.accepted)
    return Summary(Strength(tuple(scores), survivors, idle, tuple(stale), tuple(narrowed)), unaccepted)
