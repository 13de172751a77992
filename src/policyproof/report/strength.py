"""The report's section "How strong is this suite": mutation score, survivors, and guarantees that killed nothing.

Built from plain values, so the report knows nothing of how mutants are made or run; ``policyproof mutate``
writes it beside the compliance report, as ``suite-strength.md`` and ``suite-strength.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from tabulate import tabulate

from policyproof.report import escape
from policyproof.report.writer import publish_set

if TYPE_CHECKING:
    from pathlib import Path

TITLE = "How strong is this suite"
NAME = "suite-strength"
NAMES = (f"{NAME}.md", f"{NAME}.json")  # the section's files, a set published together


@dataclass(frozen=True, slots=True)
class Score:
    """Mutants killed of those derived, for one snapshot or overall."""

    scope: str
    killed: int
    total: int

    @property
    def percent(self) -> float:
        """The mutation score in percent; 100 when there is nothing to kill."""
        return 100.0 * self.killed / self.total if self.total else 100.0

    def sentence(self) -> str:
        """The score as a reader says it."""
        return f"{self.scope}: {self.percent:.0f}% ({self.killed} of {self.total} mutants killed)"


@dataclass(frozen=True, slots=True)
class Survivor:
    """A mutant no blocking guarantee noticed: what it breaks, where, and whether a reviewer accepted it."""

    mutant: str
    sentence: str
    location: str
    accepted: str
    noticed_by: str


@dataclass(frozen=True, slots=True)
class Strength:
    """The section's content."""

    scores: tuple[Score, ...]
    survivors: tuple[Survivor, ...]
    idle_guarantees: tuple[str, ...]
    stale: tuple[str, ...]
    narrowed: tuple[str, ...] = ()  # the options that left snapshots or operators out of the run, as given

    def idle_sentence(self) -> str:
        """What the guarantees that killed nothing mean for this run."""
        if self.narrowed:
            return (
                f"This run was narrowed ({', '.join(self.narrowed)}): these guarantees killed none of its mutants, "
                "and may kill those it left out. Run `policyproof mutate` without --snapshot and --operator to "
                "find the candidates for deletion or rewriting."
            )
        return "Candidates for deletion or rewriting: no mutant made any of their cells go from kept to broken."


def render_strength_markdown(strength: Strength) -> str:
    """The section as Markdown."""
    lines = [f"## {TITLE}", "", "Mutation score (a mutant is one deliberate breach of a snapshot):", ""]
    lines += [f"- {escape.markdown(score.sentence())}" for score in strength.scores]
    lines += ["", "### Survivors", ""]
    if strength.survivors:
        rows = [
            [
                f"`{s.mutant}`",
                escape.markdown(s.sentence),
                f"`{s.location}`",
                escape.markdown(s.accepted) or "**not accepted**",
                escape.markdown(s.noticed_by),
            ]
            for s in strength.survivors
        ]
        headers = ["Mutant", "What it breaks", "Where", "Accepted because", "Noticed only by (advisory)"]
        lines.append(tabulate(rows, headers=headers, tablefmt="github"))
    else:
        lines.append("None: every mutant was killed by a blocking guarantee.")
    lines += ["", "### Guarantees that killed nothing", ""]
    if strength.idle_guarantees:
        lines.append(escape.markdown(strength.idle_sentence()))
        lines.append("")
        lines += [f"- `{guarantee}`" for guarantee in strength.idle_guarantees]
    else:
        lines.append("None: every guarantee noticed at least one mutant.")
    if strength.stale:
        lines += ["", "### Stale acceptances", ""]
        lines += [f"- {escape.markdown(text)}" for text in strength.stale]
    return "\n".join(lines) + "\n"


def render_strength_json(strength: Strength) -> str:
    """The section as JSON, with each score's percentage."""
    data = asdict(strength)
    for score, item in zip(strength.scores, data["scores"], strict=True):
        item["percent"] = round(score.percent, 1)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_strength(strength: Strength, directory: Path) -> list[Path]:
    """Write the section as Markdown and JSON into ``directory``, published together."""
    md, json_file = NAMES
    return publish_set(directory, {md: render_strength_markdown(strength), json_file: render_strength_json(strength)})
