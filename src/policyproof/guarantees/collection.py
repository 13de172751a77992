"""Collecting guarantees: which cells each scenario fans out to, and what is wrong with a scenario."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from policyproof import wording
from policyproof.exceptions import PolicyproofError
from policyproof.files import escapes
from policyproof.guarantees import bdd, catalogue, mistakes, phrasings
from policyproof.guarantees.mistakes import GUARANTEE_PREFIX, SEVERITIES
from policyproof.guarantees.recording import Scenario, render_name
from policyproof.guarantees.run import shown_path
from policyproof.guarantees.scope import CellGroup, Pins, Scope, group_cells
from policyproof.outcomes import Severity
from policyproof.snapshot.regions import parse_place
from policyproof.snapshot.yaml_loader import ESCAPES

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_bdd.parser import Feature, ScenarioTemplate, Step

    from policyproof.guarantees.run import PolicyRun
    from policyproof.guarantees.scope import Cell

OUT_OF_SCOPE = CellGroup("", ())


def template_of(function: object) -> ScenarioTemplate | None:
    """The Gherkin scenario behind a test function pytest-bdd made, if it is one."""
    return bdd.template_of(function)


def where_of(feature: Feature, line: int, root: Path) -> str:
    """A line of a feature file as ``path:line``, relative to the root."""
    return f"{shown_path(feature.filename, root)}:{line}"


def pins_of(steps: list[Step], scope: Scope, where: Callable[[int], str]) -> Pins:
    """What a scenario's steps fix for themselves: a snapshot, a platform, a place."""
    values: dict[str, Any] = {}
    for a_step in steps:
        for name, key in (("pinned_snapshot", "snapshot"), ("pinned_platform", "platform"), ("member_in", "place")):
            match = catalogue.named(name).pattern.fullmatch(a_step.name)
            if match is None or a_step.type != "given":
                continue
            value = match.group(key)
            try:
                if key == "snapshot":
                    scope.snapshot(value)
                if key == "place":
                    value = parse_place(value, scope.group_ids)
            except PolicyproofError as error:
                raise CollectError(f"{where(a_step.line_number)}: {a_step.keyword} {a_step.name}\n  {error}") from None
            values[key] = value
    return Pins(**values)


class CollectError(Exception):
    """A scenario that cannot be collected, with its feature file, line and step."""


def step_problems(steps: list[Step], metafunc: pytest.Metafunc, where: Callable[[int], str]) -> list[str]:
    """Undefined and ambiguous steps, each with its location and the closest phrasings."""
    problems = []
    for a_step in steps:
        text = f"{a_step.keyword} {a_step.name}"
        functions = {phrasings.behind(f, a_step) for f in bdd.step_functions(a_step, metafunc.definition)}
        if not functions:
            problems.append(_undefined(a_step, text, where(a_step.line_number)))
        elif len(functions) > 1:
            names = ", ".join(sorted(f"{f.__module__}.{f.__name__}" for f in functions))
            problems.append(f"{where(a_step.line_number)}: ambiguous step: {text}\n  it matches: {names}")
    return problems


def _undefined(a_step: Step, text: str, at: str) -> str:
    """An undefined step's message: a date in a form no step reads, if that is all; else the closest phrasings."""
    for date, readable in wording.unreadable_dates(a_step.name):
        if catalogue.matching(a_step.type, readable) is not None:
            return f"{at}: unreadable date '{date}': {text}\n  {wording.DATE_FORMS}"
    close = "; ".join(f"'{doc.keyword} {doc.example}'" for doc in catalogue.suggest(a_step.name, a_step.type))
    return f"{at}: undefined step: {text}\n  closest phrasings: {close}"


def tags_of(template: ScenarioTemplate) -> set[str]:
    """The Gherkin tags of a scenario, its rule and its feature."""
    rule_tags = template.rule.tags if template.rule is not None else set()
    return set(template.tags) | set(template.feature.tags) | set(rule_tags)


def severity_of(tags: set[str]) -> Severity | None:
    """The one severity tag, or None when there is none or more than one."""
    found = [tag for tag in SEVERITIES if tag in tags]
    return Severity(found[0]) if len(found) == 1 else None


def guarantee_id_of(tags: set[str]) -> str | None:
    """The one guarantee id tag (G-...), or None when there is none or more than one."""
    ids = sorted(tag for tag in tags if tag.startswith(GUARANTEE_PREFIX))
    return ids[0] if len(ids) == 1 else None


def examples_of(template: ScenarioTemplate) -> list[dict[str, str]]:
    """The examples of a scenario outline, or one empty example for a plain scenario."""
    contexts = [dict(context) for examples in template.examples for context in examples.as_contexts()]
    return contexts or [{}]


def fan_out(metafunc: pytest.Metafunc, template: ScenarioTemplate, run: PolicyRun) -> list[CellGroup]:
    """The cells a guarantee scenario runs in, by snapshot.

    A reviewer's mistakes in it (an undefined or ambiguous step, a missing tag, an unknown label ...) are kept
    on the run, for its module to be refused with every mistake found in it; the scenario then runs nowhere.
    """
    config = metafunc.config
    root = config.rootpath

    def where(line: int) -> str:
        return where_of(template.feature, line, root)

    tags = tags_of(template)
    problems = mistakes.tag_problems(template.name, tags, where(template.line_number))
    problem = run.problem
    if problem is not None:
        pytest.fail(f"policyproof: {problem}", pytrace=False)
    guarantee = guarantee_id_of(tags)
    if guarantee is not None:
        problems.extend(
            mistakes.duplicate_id(
                template, guarantee, run.guarantee_ids, lambda feature, line: where_of(feature, line, root)
            )
        )
    scope = run.scope
    cells: list[Cell] = []
    for example, row in zip(examples_of(template), mistakes.example_rows(template, where), strict=True):
        steps = template.render(example).steps
        problems.extend(step_problems(steps, metafunc, where))
        refused_pin = False
        try:
            found = scope.cells(pins_of(steps, scope, where))
        except (CollectError, PolicyproofError) as error:
            # An unknown place in an outline names the example it came from, as an unknown label does.
            problems.append(f"{error}\n  in the example at {row}" if row else str(error))
            found, refused_pin = [], True
        # Labels are checked where the example runs, or would but for a mistake in its pins: one about a platform
        # with no snapshot here runs nowhere, and its labels are that platform's.
        labels = run.labels if found or refused_pin else None
        problems.extend(mistakes.wording_problems(template.steps, steps, labels, where, row))
        cells.extend(found)
    if problems:
        run.mistakes.extend(problems)
        return [OUT_OF_SCOPE]
    return group_cells(cells) or [OUT_OF_SCOPE]


def refused(report: pytest.CollectReport, found: list[str]) -> pytest.CollectReport:
    """A collector's report, failed with the mistakes found while it collected, if there are any."""
    if not found or report.failed:
        return report
    return pytest.CollectReport(report.nodeid, "failed", "\n".join(dict.fromkeys(found)), [], report.sections)


def group_of(item: pytest.Item) -> CellGroup | None:
    """The cells a test item checks, or None for an item that is not a guarantee."""
    callspec = getattr(item, "callspec", None)
    group = callspec.params.get("policy_cells") if callspec is not None else None
    return group if isinstance(group, CellGroup) else None


def example_cells(item: pytest.Item, group: CellGroup, run: PolicyRun) -> CellGroup:
    """The cells of the group an outline example runs in: those of its place's region group, if it fixes one."""
    template = template_of(getattr(item, "obj", None))
    example = bdd.example_of(item)
    if template is None or not example:
        return group
    scope = run.scope
    steps = template.render(example).steps
    return group.within(scope.cells(pins_of(steps, scope, str)))


def scenario_of(template: ScenarioTemplate, example: dict[str, str], root: Path) -> Scenario:
    """How the records of a scenario (an outline's example) name it."""
    tags = tags_of(template)
    return Scenario(
        guarantee=guarantee_id_of(tags) or "",
        title=template.feature.name,
        name=render_name(template.name, example),
        severity=severity_of(tags) or Severity.BLOCKING,
        where=where_of(template.feature, template.line_number, root),
    )


def escaping_features(config: pytest.Config) -> list[str]:
    """The feature files pytest-bdd would read that are symbolic links leading outside the project.

    pytest-bdd reads the files ``*.feature`` below the folders of the run's arguments and its base folder.
    """
    root = config.rootpath
    base = config.getini("bdd_features_base_dir")
    folders = [Path(config.invocation_params.dir, arg.split("::")[0]) for arg in config.args]
    folders += [root / base] if base else []
    found: set[str] = set()
    for folder in folders:
        # The files pytest-bdd reads, found as it finds them.
        pattern = str(folder / "**" / "*.feature")
        paths = glob.iglob(pattern, recursive=True) if folder.is_dir() else [str(folder)]  # noqa: PTH207
        found.update(shown_path(p, root) for p in paths if p.endswith(".feature") and escapes(Path(p), root))
    return sorted(found)


def before_collecting(config: pytest.Config, run: PolicyRun) -> str | None:
    """What stops a run before it collects: a feature file leading outside the project, or a bad scope option.

    Only scope options given on the command line are checked here; a feature file that is a symbolic link
    leading outside the project is refused before pytest-bdd reads it, since its text would be shown in the
    error a file that is not Gherkin makes.
    """
    escaping = escaping_features(config)
    if escaping:
        return "\n".join(f"policyproof: {path}: {ESCAPES}" for path in escaping)
    if run.explicit and run.problem is not None:
        return f"policyproof: {run.problem}"
    return None
