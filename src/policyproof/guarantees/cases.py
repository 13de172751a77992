"""One guarantee scenario in its cells: its member, its question, and what its checks concluded.

A scenario runs in every region group of a snapshot at once: one :class:`Case` a cell, gathered in
:class:`Cases`, and each step acts on every case still running. A case holds state only: the functions
steps apply to it sit beside it, in :mod:`~policyproof.guarantees.labels` (its labels),
:mod:`~policyproof.guarantees.members` (its member), :mod:`~policyproof.guarantees.questions` (its
question and checks) and :mod:`~policyproof.guarantees.judging` (its evidence), and the English of what
they conclude in :mod:`~policyproof.guarantees.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from policyproof.exceptions import PolicyproofError
from policyproof.guarantees.endings import Ending, finding_of_error

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policyproof.audit.judged import JudgedEvidence
    from policyproof.engine.answers import Decision
    from policyproof.engine.member import Member
    from policyproof.guarantees.scope import Cell, Scope
    from policyproof.outcomes import Finding
    from policyproof.snapshot.model import Snapshot

_P = ParamSpec("_P")
# What a step raises to end a case early: a label this snapshot does not define, or a reviewer's mistake.
ENDINGS = (Ending, PolicyproofError)


@dataclass
class Case:
    """The state of one scenario in one cell; mutable because steps build it up in turn.

    A case that fails, does not apply or meets a mistake ends there: ``ended`` is its finding, as data.
    """

    cell: Cell
    scope: Scope
    member: Member | None = None
    decision: Decision | None = None
    question: str = ""
    findings: list[Finding] = field(default_factory=list)
    evidence: JudgedEvidence | None = None
    ended: Finding | None = None
    ended_at: str = ""
    step: str = ""
    """The step running, as ``feature-file:line: text``."""
    changed_at: dict[str, str] = field(default_factory=dict)
    """Each control the member changed, by its label, and the step that first changed it."""
    warnings: list[str] = field(default_factory=list)
    """What the steps warn of without ending the case: a control changed that does not govern the purpose asked."""

    @property
    def snapshot(self) -> Snapshot:
        """The snapshot this cell checks."""
        return self.scope.snapshot(self.cell.snapshot)


class Cases:
    """One scenario in each cell it runs in for one snapshot: the cases step through it together.

    A case that ends early (broken, not applicable, or a reviewer's mistake) takes no part in later steps;
    the others go on, so one region's outcome never hides another's.
    """

    def __init__(self, cells: Sequence[Cell], scope: Scope) -> None:
        """A fresh case for each cell."""
        self.cases = tuple(Case(cell, scope) for cell in cells)
        self.step = ""

    def each(self, action: Callable[Concatenate[Case, _P], None], *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Apply a step to every case still running; a case the step ends keeps its finding and where it was."""
        for case in self.cases:
            if case.ended is not None:
                continue
            case.step = self.step
            try:
                action(case, *args, **kwargs)
            except ENDINGS as ending:
                case.ended = finding_of_error(ending)
            if case.ended is not None:
                case.ended_at = self.step
