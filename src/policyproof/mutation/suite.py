"""The guarantee suite compiled once and run many times in one process, without pytest.

The feature files are parsed by pytest-bdd's own parser and each step is matched to the step library's
function through the step catalogue, so a scenario runs the same steps, through the same :class:`Cases`,
as under ``policyproof check``; each cell's outcome is :func:`finding_of` its case, as the plugin records
it. Collection's checks of the reviewer's wording are ``policyproof check``'s: a step that matches no
phrasing is refused here with its ``file:line``, and the rest is left to ``check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_bdd.parser import FeatureParser

from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import catalogue
from policyproof.guarantees.cases import Cases
from policyproof.guarantees.collection import examples_of, guarantee_id_of, pins_of, severity_of, tags_of
from policyproof.guarantees.recording import CELL_OUTCOMES, finding_of, render_name
from policyproof.outcomes import Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from pytest_bdd.parser import Step

    from policyproof.guarantees.scope import Scope
    from policyproof.outcomes import Status

# A cell as the mutation run compares it: the scenario (an outline's example counted apart) and its region
# group, or "" for a scenario pinned to one place, whose region group a mutant may change.
CellKey = tuple[int, str]


@dataclass(frozen=True, slots=True)
class SuiteStep:
    """A step ready to call: its function, its arguments and where it is written."""

    function: Callable[..., None]
    arguments: dict[str, Any]
    where: str


@dataclass(frozen=True, slots=True)
class SuiteScenario:
    """One scenario (one example of an outline) of one guarantee, with its steps matched."""

    guarantee: str
    severity: Severity
    name: str
    where: str
    steps: tuple[SuiteStep, ...]
    parsed: tuple[Step, ...]
    pins_place: bool


@dataclass(frozen=True, slots=True)
class CellOutcome:
    """The outcome of one cell: which scenario, in which region group, with what status and why."""

    key: CellKey
    region: str
    status: Status
    explanation: str


def _step(parsed: Step, where: str) -> SuiteStep:
    doc = catalogue.matching(parsed.type, parsed.name)
    if doc is None:
        raise PolicyproofError(f"{where}: undefined step: {parsed.keyword} {parsed.name}")
    match = doc.pattern.fullmatch(parsed.name)
    arguments: dict[str, Any] = dict(match.groupdict()) if match is not None else {}
    if doc.table is not None:
        arguments["datatable"] = parsed.datatable.raw() if parsed.datatable is not None else []
    return SuiteStep(doc.function, arguments, f"{where}: {parsed.keyword} {parsed.name}")


def load_suite(features: Path, root: Path) -> tuple[SuiteScenario, ...]:
    """Every guarantee scenario under ``features``, parsed and matched once; a step no phrasing matches is refused."""
    member_in = catalogue.named("member_in").pattern
    scenarios: list[SuiteScenario] = []
    for path in sorted(features.rglob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        shown = (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()
        for template in feature.scenarios.values():
            tags = tags_of(template)
            for example in examples_of(template):
                rendered = template.render(example)
                steps = tuple(_step(s, f"{shown}:{s.line_number}") for s in rendered.steps)
                scenarios.append(
                    SuiteScenario(
                        guarantee=guarantee_id_of(tags) or "",
                        severity=severity_of(tags) or Severity.BLOCKING,
                        name=render_name(template.name, example),
                        where=f"{shown}:{template.line_number}",
                        steps=steps,
                        parsed=tuple(rendered.steps),
                        pins_place=any(s.type == "given" and member_in.fullmatch(s.name) for s in rendered.steps),
                    )
                )
    return tuple(scenarios)


def run_scenario(scenario: SuiteScenario, index: int, scope: Scope, snapshot: str) -> Iterator[CellOutcome]:
    """The outcome of each cell of one scenario in one snapshot, as the plugin would record it."""
    pins = pins_of(list(scenario.parsed), scope, str)
    cells = [cell for cell in scope.cells(pins) if cell.snapshot == snapshot]
    if not cells:
        return
    cases = Cases(cells, scope)
    error: BaseException | None = None
    for step in scenario.steps:
        cases.step = step.where
        try:
            step.function(cases, **step.arguments)
        except CELL_OUTCOMES as ending:
            error = ending
            break
        except Exception as bug:  # noqa: BLE001 (a bug in a step is an error cell, as pytest reports it)
            error = bug
            break
    for case in cases.cases:
        finding = finding_of(case, error)
        slot = "" if scenario.pins_place else case.cell.region
        yield CellOutcome((index, slot), case.cell.region, finding.status, finding.explanation)


def run_suite(scenarios: tuple[SuiteScenario, ...], scope: Scope, snapshot: str) -> dict[CellKey, CellOutcome]:
    """Every cell of the suite in one snapshot of the scope, by key."""
    return {
        outcome.key: outcome
        for index, scenario in enumerate(scenarios)
        for outcome in run_scenario(scenario, index, scope, snapshot)
    }
