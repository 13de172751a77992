"""Running the suite against every mutant, in one process or several, and telling killed from survived.

A mutant is killed when a cell of a ``@blocking`` guarantee whose promise was kept on the original snapshot
(pass, or not applicable) is not kept on the mutant: it fails, errs, or becomes unknown (the policy no
longer says). A cell that already failed, erred or was unknown on the original cannot kill. An
``@advisory`` guarantee that notices a mutant is named, but does not kill it: its failure does not fail a
run. Waivers play no part: they accept failures of the real policy, not of a breach made on purpose.

Each mutant is checked under its original's id, in a scope where it stands in for its original, so pinned
scenarios, successors and labels work as for the original. Its cells are compared and then released, so
memory does not grow with the number of mutants.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policyproof.guarantees.scope import Scope
from policyproof.mutation.suite import load_suite, run_suite
from policyproof.outcomes import Severity, Status

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from policyproof.mutation.mutants import Mutant
    from policyproof.mutation.suite import CellKey, CellOutcome, SuiteScenario
    from policyproof.snapshot.model import Snapshot

KEPT = frozenset({Status.PASS, Status.NOT_APPLICABLE})
_CHUNK = 4  # mutants sent to a worker at a time: few enough to keep the progress bar moving


@dataclass(frozen=True, slots=True)
class Kill:
    """A cell that kept its promise on the original and does not on the mutant."""

    guarantee: str
    severity: Severity
    scenario: str
    where: str
    region: str
    before: Status
    after: Status


@dataclass(frozen=True, slots=True)
class MutantResult:
    """What the suite made of one mutant: the blocking cells that killed it, and advisory ones that noticed it."""

    mutant: str
    original: str
    operator: str
    sentence: str
    regions: tuple[str, ...]
    location: str
    kills: tuple[Kill, ...]
    noticed: tuple[Kill, ...]

    @property
    def killed(self) -> bool:
        """Whether a blocking guarantee's cell went from kept to not kept."""
        return bool(self.kills)


class Executor:
    """The suite, compiled once, with each original snapshot's cells, ready to check mutant after mutant."""

    def __init__(self, scenarios: tuple[SuiteScenario, ...], snapshots: Sequence[Snapshot]) -> None:
        """Run the suite once on each original, whose cells every mutant of it is compared with."""
        self.scenarios = scenarios
        self.every = {snapshot.id: snapshot for snapshot in snapshots}
        self.originals = {s.id: run_suite(scenarios, self._scope(s), s.id) for s in snapshots}

    def _scope(self, snapshot: Snapshot) -> Scope:
        """A scope of one snapshot, which stands in for the loaded snapshot of its id."""
        return Scope((snapshot,), frozenset(), {**self.every, snapshot.id: snapshot})

    @property
    def guarantees(self) -> dict[str, str]:
        """Every guarantee id of the suite, with its severity."""
        return {s.guarantee: s.severity for s in self.scenarios}

    def check(self, mutant: Mutant) -> MutantResult:
        """Run the suite on one mutant and compare each cell with the original's."""
        before = self.originals[mutant.original]
        after = run_suite(self.scenarios, self._scope(mutant.snapshot), mutant.original)
        kills = [self._kill(key, before.get(key), cell) for key, cell in after.items()]
        found = [kill for kill in kills if kill is not None]
        return MutantResult(
            mutant.id,
            mutant.original,
            mutant.operator,
            mutant.sentence,
            mutant.regions,
            mutant.location,
            tuple(k for k in found if k.severity is Severity.BLOCKING),
            tuple(k for k in found if k.severity is not Severity.BLOCKING),
        )

    def _kill(self, key: CellKey, before: CellOutcome | None, after: CellOutcome) -> Kill | None:
        if before is None or before.status not in KEPT or after.status in KEPT:
            return None
        scenario = self.scenarios[key[0]]
        return Kill(
            scenario.guarantee,
            scenario.severity,
            scenario.name,
            scenario.where,
            after.region,
            before.status,
            after.status,
        )


_WORKER: list[Executor] = []


def _start_worker(features: Path, root: Path, snapshots: list[Snapshot]) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent ends the run, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.append(Executor(load_suite(features, root), snapshots))


def _check_in_worker(mutant: Mutant) -> MutantResult:
    return _WORKER[-1].check(mutant)


def run_mutants(
    executor: Executor,
    mutants: Sequence[Mutant],
    *,
    workers: int = 1,
    source: tuple[Path, Path] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[MutantResult]:
    """Every mutant's result, in the order given; on ``workers`` processes when more than one.

    ``source`` is the features folder and the project root, for workers to compile the suite themselves.
    ``progress`` is told the count done and the total after each mutant.
    """
    total = len(mutants)
    results: Iterable[MutantResult]
    if workers <= 1 or source is None or total < 2:  # noqa: PLR2004 (one mutant is not worth a pool)
        results = (executor.check(mutant) for mutant in mutants)
        return _with_progress(results, total, progress)
    context = multiprocessing.get_context("spawn")
    initargs = (*source, list(executor.every.values()))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=initargs) as pool:
        with _deaf_workers():
            results = pool.map(_check_in_worker, mutants, chunksize=_CHUNK)
        return _with_progress(results, total, progress)


@contextlib.contextmanager
def _deaf_workers() -> Iterator[None]:
    """Start the workers (``map`` submits every chunk, spawning them) with Ctrl-C blocked.

    A blocked signal stays blocked across the exec of a spawned worker, so Ctrl-C never reaches a worker still
    starting its interpreter (which would print Python's fatal error); the parent gets a Ctrl-C that came
    meanwhile once it unblocks it, ends the run and stops the workers.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _with_progress(
    results: Iterable[MutantResult], total: int, progress: Callable[[int, int], None] | None
) -> list[MutantResult]:
    done: list[MutantResult] = []
    for result in results:
        done.append(result)
        if progress is not None:
            progress(len(done), total)
    return done
