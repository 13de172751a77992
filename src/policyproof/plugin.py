"""The pytest plugin: fans Gherkin guarantees out over snapshots and region groups, and records outcomes.

Every scenario x snapshot in scope x region group is one test item (a cell). Its outcome is pass, fail or
not applicable; a failing ``@advisory`` guarantee is reported but does not fail the run. Each item carries
its finding on pytest's own test report, so the report is the same with xdist as without.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.scenario import find_fixturedefs_for_step, scenario_wrapper_template_registry
from pytest_bdd.steps import step_function_context_registry
from pytest_bdd.utils import CONFIG_STACK

from policyproof import catalogue
from policyproof.cases import Case, parse_date
from policyproof.exceptions import InputError, PolicyproofError
from policyproof.outcomes import Finding, GuaranteeBroken, NotApplicable, Status
from policyproof.regions import parse_place
from policyproof.scope import Cell, Pins, Scope, build_scope
from policyproof.snapshots import load_snapshots

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, ScenarioTemplate, Step

pytest_plugins = [
    "policyproof.steps.scope",
    "policyproof.steps.member",
    "policyproof.steps.decision",
    "policyproof.steps.policy",
]

SEVERITIES = ("blocking", "advisory")
GUARANTEE_PREFIX = "G-"
PROPERTY = "policyproof"
OUT_OF_SCOPE = Cell("", "")
_STEP = pytest.StashKey[str]()
_CASE = pytest.StashKey[Case]()
_RUN = pytest.StashKey["PolicyRun"]()


@dataclass(frozen=True, slots=True)
class CellRecord:
    """What a report needs of one cell: the guarantee, the cell and the finding."""

    guarantee: str
    title: str
    scenario: str
    severity: str
    feature: str
    line: int
    snapshot: str
    region: str
    finding: Finding

    def to_json(self) -> str:
        """The record as JSON, for pytest's report's user properties."""
        data = asdict(self)
        data["finding"] = json.loads(self.finding.to_json())
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CellRecord:
        """The record back from its JSON."""
        data = json.loads(text)
        data["finding"] = Finding.from_json(json.dumps(data["finding"]))
        return cls(**data)


class PolicyRun:
    """The run's options and its scope, loaded once on first use."""

    def __init__(self, config: pytest.Config) -> None:
        """Read the options; load nothing yet, so runs without guarantees need no snapshots."""
        self.config = config
        option = config.option
        directory = config.rootpath / (
            option.policy_snapshots or config.getini("policy_snapshots") or "policy_snapshots"
        )
        # Shown relative to where the user stands, as they would type it.
        cwd = Path.cwd()
        self.directory = directory.relative_to(cwd) if directory.is_relative_to(cwd) else directory
        self.chosen: list[str] = option.policy_snapshot or []
        self.regions: list[str] = option.policy_region or []
        self.as_of_text: str | None = option.policy_as_of
        self._scope: Scope | None = None

    @property
    def scope(self) -> Scope:
        """The snapshots and regions in scope, loaded on first use."""
        if self._scope is None:
            as_of = parse_date(self.as_of_text) if self.as_of_text else dt.datetime.now(tz=dt.UTC).date()
            snapshots = load_snapshots([self.directory], self.config.rootpath)
            self._scope = build_scope(snapshots, as_of, self.chosen, self.regions)
        return self._scope

    @property
    def explicit(self) -> bool:
        """Whether the run names snapshots, regions or a date, which must then be checked up front."""
        return bool(self.chosen or self.regions or self.as_of_text)

    def problem(self) -> str | None:
        """Why the scope cannot be loaded, in one message, or None when it can."""
        try:
            self.scope  # noqa: B018 (loading is the check)
        except InputError as error:
            if not self.directory.exists():
                return f"no snapshot folder {self.directory}; set --policy-snapshots"
            return f"invalid policy snapshot(s):\n{error}"
        except PolicyproofError as error:
            return str(error)
        return None


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options that choose what the guarantees are checked against."""
    group = parser.getgroup("policyproof", "policy guarantees")
    group.addoption(
        "--snapshot",
        dest="policy_snapshot",
        action="append",
        metavar="ID",
        help="check against this snapshot (platform@version; repeatable; 'all' for every one). "
        "Default: the latest of each platform in force on --as-of.",
    )
    group.addoption(
        "--region",
        dest="policy_region",
        action="append",
        metavar="GROUP",
        help="check only this region group (repeatable), e.g. EEA",
    )
    group.addoption(
        "--as-of",
        dest="policy_as_of",
        metavar="DATE",
        help="the date that decides which snapshots are in force (default: today)",
    )
    group.addoption(
        "--policy-snapshots",
        dest="policy_snapshots",
        metavar="DIR",
        help="the folder of policy snapshots (default: policy_snapshots)",
    )
    parser.addini("policy_snapshots", "the folder of policy snapshots, relative to the root", default="")


def pytest_configure(config: pytest.Config) -> None:
    """Register the severity markers and the run."""
    config.addinivalue_line("markers", "blocking: a guarantee whose failure fails the run")
    config.addinivalue_line("markers", "advisory: a guarantee whose failure is reported but does not fail the run")
    config.stash[_RUN] = PolicyRun(config)


def pytest_collection(session: pytest.Session) -> None:
    """Check scope options given on the command line before collecting: a bad one is a usage error."""
    run = session.config.stash[_RUN]
    if run.explicit:
        problem = run.problem()
        if problem is not None:
            raise pytest.UsageError(f"policyproof: {problem}")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool:
    """Make every Gherkin tag a registered marker, so that ``--strict-markers`` accepts it."""
    config = CONFIG_STACK[-1]
    if tag not in SEVERITIES:
        config.addinivalue_line("markers", f"{tag}: Gherkin tag")
    getattr(pytest.mark, tag)(function)
    return True


@pytest.fixture(autouse=True)
def policy_cell() -> Cell | None:
    """The cell a guarantee runs in; the plugin parametrizes it, and it is None for other tests."""
    return None


@pytest.fixture
def case(request: pytest.FixtureRequest, policy_cell: Cell | None) -> Case:
    """The state of the guarantee scenario in its cell."""
    if policy_cell is None:
        pytest.fail("the policyproof steps run only in guarantee scenarios", pytrace=False)
    the_case = Case(policy_cell, request.config.stash[_RUN].scope)
    request.node.stash[_CASE] = the_case
    return the_case


# --- collection -----------------------------------------------------------------------------------


def _template(function: object) -> ScenarioTemplate | None:
    return scenario_wrapper_template_registry.get(function)  # type: ignore[call-overload,no-any-return]


def _where(feature: Feature, line: int, root: Path) -> str:
    return f"{_shown_path(feature.filename, root)}:{line}"


@functools.cache
def _shown_path(filename: str, root: Path) -> str:
    """A feature file relative to the root; cached because every step of every cell names it."""
    path = Path(filename)
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def _pins(steps: list[Step], scope: Scope, where: Callable[[int], str]) -> Pins:
    values: dict[str, Any] = {}
    for a_step in steps:
        for name, key in (("pinned_snapshot", "snapshot"), ("pinned_platform", "platform"), ("member_in", "place")):
            match = catalogue.named(name).pattern.fullmatch(a_step.name)
            if match is None or a_step.type != "given":
                continue
            value = match.group(key)
            if key == "snapshot":
                scope.snapshot(value)
            if key == "place":
                groups = frozenset(g.id for s in scope.every.values() for g in s.region_groups)
                try:
                    value = parse_place(value, groups)
                except PolicyproofError as error:
                    message = f"{where(a_step.line_number)}: {a_step.keyword} {a_step.name}\n  {error}"
                    raise _CollectError(message) from None
            values[key] = value
    return Pins(**values)


class _CollectError(Exception):
    pass


def _step_problems(steps: list[Step], metafunc: pytest.Metafunc, where: Callable[[int], str]) -> list[str]:
    """Undefined and ambiguous steps, each with its location and the closest phrasings."""
    manager = metafunc.definition.session._fixturemanager  # noqa: SLF001 (as pytest-bdd finds steps)
    problems = []
    for a_step in steps:
        text = f"{a_step.keyword} {a_step.name}"
        defs = list(find_fixturedefs_for_step(a_step, manager, metafunc.definition))
        functions = {step_function_context_registry[d.func].step_func for d in defs}
        if not functions:
            close = "; ".join(f"'{doc.keyword} {doc.example}'" for doc in catalogue.suggest(a_step.name))
            problems.append(f"{where(a_step.line_number)}: undefined step: {text}\n  closest phrasings: {close}")
        elif len(functions) > 1:
            names = ", ".join(sorted(f"{f.__module__}.{f.__name__}" for f in functions))
            problems.append(f"{where(a_step.line_number)}: ambiguous step: {text}\n  it matches: {names}")
    return problems


def _tags(template: ScenarioTemplate) -> set[str]:
    rule_tags = template.rule.tags if template.rule is not None else set()
    return set(template.tags) | set(template.feature.tags) | set(rule_tags)


def _severity(tags: set[str]) -> str | None:
    found = [tag for tag in SEVERITIES if tag in tags]
    return found[0] if len(found) == 1 else None


def _guarantee_id(tags: set[str]) -> str | None:
    ids = sorted(tag for tag in tags if tag.startswith(GUARANTEE_PREFIX))
    return ids[0] if len(ids) == 1 else None


def _examples(template: ScenarioTemplate) -> list[dict[str, str]]:
    contexts = [dict(context) for examples in template.examples for context in examples.as_contexts()]
    return contexts or [{}]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Fan each guarantee scenario out to its cells; refuse undefined, ambiguous or untagged ones."""
    template = _template(metafunc.function)
    if template is None or "policy_cell" not in metafunc.fixturenames:
        return
    config = metafunc.config
    root = config.rootpath

    def where(line: int) -> str:
        return _where(template.feature, line, root)

    tags = _tags(template)
    problems = []
    if _severity(tags) is None:
        problems.append(
            f"{where(template.line_number)}: scenario '{template.name}' needs one severity tag: @blocking or @advisory"
        )
    if _guarantee_id(tags) is None:
        problems.append(
            f"{where(template.line_number)}: scenario '{template.name}' needs one guarantee id tag "
            f"starting with @{GUARANTEE_PREFIX} (on the scenario or its feature)"
        )
    run = config.stash[_RUN]
    problem = run.problem()
    if problem is not None:
        pytest.fail(f"policyproof: {problem}", pytrace=False)
    scope = run.scope
    cells: dict[Cell, None] = {}
    for example in _examples(template):
        steps = template.render(example).steps
        problems.extend(_step_problems(steps, metafunc, where))
        try:
            cells.update(dict.fromkeys(scope.cells(_pins(steps, scope, where))))
        except (_CollectError, PolicyproofError) as error:
            problems.append(str(error))
    if problems:
        pytest.fail("\n".join(dict.fromkeys(problems)), pytrace=False)
    chosen = list(cells) or [OUT_OF_SCOPE]
    metafunc.parametrize("policy_cell", chosen, ids=[cell.id or "out-of-scope" for cell in chosen])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect cells outside the scope, and outline examples whose place is in another region group."""
    keep, drop = [], []
    for item in items:
        cell = _cell_of(item)
        if cell is None:
            keep.append(item)
            continue
        if cell == OUT_OF_SCOPE or not _example_fits(item, cell, config):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _cell_of(item: pytest.Item) -> Cell | None:
    callspec = getattr(item, "callspec", None)
    cell = callspec.params.get("policy_cell") if callspec is not None else None
    return cell if isinstance(cell, Cell) else None


def _example_fits(item: pytest.Item, cell: Cell, config: pytest.Config) -> bool:
    template = _template(getattr(item, "obj", None))
    example = getattr(item, "callspec").params.get("_pytest_bdd_example")  # noqa: B009 (checked by _cell_of)
    if template is None or not example:
        return True
    scope = config.stash[_RUN].scope
    steps = template.render(example).steps
    return cell in scope.cells(_pins(steps, scope, str))


# --- running and reporting ------------------------------------------------------------------------

_CELL_OUTCOMES = (NotApplicable, GuaranteeBroken, PolicyproofError, StepDefinitionNotFoundError)


class CellOutcome(pytest.fail.Exception):  # type: ignore[name-defined,misc]
    """A cell's outcome (broken, not applicable, reviewer error) as pytest's traceback-free failure."""

    def __init__(self, cause: BaseException) -> None:
        """Keep the cause; pytest shows its message only, and spends no time on a traceback."""
        super().__init__(str(cause), pytrace=False)
        self.cause = cause


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """Turn a guarantee's outcome into a message-only failure; let real bugs keep their traceback."""
    try:
        return (yield)
    except _CELL_OUTCOMES as error:
        if _cell_of(pyfuncitem) is None:
            raise
        raise CellOutcome(error) from None


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Feature, step: Step) -> None:
    """Remember which step is running, so that a failure names its feature file, line and text."""
    where = _where(feature, step.line_number, request.config.rootpath)
    request.node.stash[_STEP] = f"{where}: {step.keyword} {step.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Record each cell's finding on its report; shorten reviewer-facing failures; soften advisory ones."""
    report: pytest.TestReport = yield
    cell = _cell_of(item)
    template = _template(getattr(item, "obj", None))
    if cell is None or template is None or call.when != "call":
        return report
    finding = _finding(item, call)
    step = item.stash.get(_STEP, "")
    if finding.status is Status.NOT_APPLICABLE:
        report.outcome = "passed"
        report.longrepr = None
    elif finding.status in {Status.FAIL, Status.ERROR}:
        report.longrepr = f"{step}\n{finding.sentence() if finding.status is Status.FAIL else finding.explanation}"
    tags = _tags(template)
    severity = _severity(tags) or "blocking"
    if finding.status is Status.FAIL and severity == "advisory":
        report.outcome = "skipped"
        report.wasxfail = f"advisory guarantee does not hold: {finding.explanation}"
    record = CellRecord(
        guarantee=_guarantee_id(tags) or "",
        title=template.feature.name,
        scenario=template.name,
        severity=severity,
        feature=_where(template.feature, template.line_number, item.config.rootpath),
        line=template.line_number,
        snapshot=cell.snapshot,
        region=cell.region,
        finding=finding,
    )
    report.user_properties.append((PROPERTY, record.to_json()))
    return report


def _finding(item: pytest.Item, call: pytest.CallInfo[None]) -> Finding:
    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, CellOutcome):
        error = error.cause
    if isinstance(error, NotApplicable | GuaranteeBroken):
        return error.finding
    if isinstance(error, PolicyproofError | StepDefinitionNotFoundError):
        return Finding(Status.ERROR, "", "error", "error", str(error))
    if error is not None:
        return Finding(Status.ERROR, "", "error", "error", f"{type(error).__name__}: {error}")
    case = item.stash.get(_CASE, None)
    findings = case.findings if case is not None else []
    if not findings:
        return Finding(Status.ERROR, "", "error", "error", "the scenario has no Then step, so it checks nothing")
    return findings[-1]


def record_of(report: pytest.TestReport) -> CellRecord | None:
    """The cell record a guarantee's report carries, if it is one."""
    for name, value in report.user_properties:
        if name == PROPERTY and isinstance(value, str):
            return CellRecord.from_json(value)
    return None


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """Show not-applicable and advisory-failed cells as such, never as a plain pass or xfail."""
    if report.when != "call":
        return None
    record = record_of(report)
    if record is None:
        return None
    if record.finding.status is Status.NOT_APPLICABLE:
        return "not applicable", "n", "NOT APPLICABLE"
    if record.finding.status is Status.FAIL and record.severity == "advisory":
        return "advisory failed", "a", "ADVISORY FAILED"
    return None
