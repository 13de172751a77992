"""The pytest plugin: fans Gherkin guarantees out over snapshots and region groups, and records outcomes.

Every scenario x snapshot in scope x region group is one test item (a cell). Its outcome is pass, fail or
not applicable; a failing ``@advisory`` guarantee is reported but does not fail the run. Each item carries
its finding on pytest's own test report, so the report is the same with xdist as without.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest import junitxml
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.scenario import find_fixturedefs_for_step, scenario_wrapper_template_registry
from pytest_bdd.steps import step_function_context_registry
from pytest_bdd.utils import CONFIG_STACK

from policyproof import catalogue
from policyproof.cases import Case, parse_date
from policyproof.exceptions import InputError, PolicyproofError
from policyproof.markdown import render_markdown
from policyproof.outcomes import Finding, GuaranteeBroken, NotApplicable, Status
from policyproof.regions import parse_place
from policyproof.reports import compact_matrix, write_reports
from policyproof.results import CellRecord, Report, build_report
from policyproof.scope import ALL, Cell, Pins, Scope, build_scope
from policyproof.snapshots import load_snapshots
from policyproof.waivers import Waiver, find_waiver, load_waivers
from policyproof.writer import append_summary

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, ScenarioTemplate, Step

    from policyproof.model import Snapshot

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


def _near(path: Path) -> Path:
    """A path relative to where the user stands, as they would type it, when it lies below."""
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


class PolicyRun:
    """The run's options and its scope, loaded once on first use."""

    def __init__(self, config: pytest.Config) -> None:
        """Read the options; load nothing yet, so runs without guarantees need no snapshots."""
        self.config = config
        option = config.option
        self.directory = _near(
            config.rootpath / (option.policy_snapshots or config.getini("policy_snapshots") or "policy_snapshots")
        )
        self.chosen: list[str] = option.policy_snapshot or []
        self.regions: list[str] = option.policy_region or []
        self.as_of_text: str | None = option.policy_as_of
        waivers = option.policy_waivers or config.getini("policy_waivers") or "waivers.yaml"
        self.waivers_path = _near(config.rootpath / waivers)
        report = option.policy_report or config.getini("policy_report") or "reports"
        self.report_dir: Path | None = None if option.no_policy_report else config.rootpath / report
        self.records: list[CellRecord] = []
        self.written: list[Path] = []
        self._scope: Scope | None = None
        self._waivers: tuple[Waiver, ...] | None = None
        self._as_of: dt.date | None = None

    @property
    def scope(self) -> Scope:
        """The snapshots and regions in scope, loaded on first use."""
        if self._scope is None:
            snapshots = load_snapshots([self.directory], self.config.rootpath)
            self._as_of = self._resolve_as_of(snapshots)
            self._scope = build_scope(snapshots, self._as_of, self.chosen, self.regions)
        return self._scope

    def _resolve_as_of(self, snapshots: list[Snapshot]) -> dt.date:
        """The --as-of date if given; else, for ``--snapshot all``, the latest effective date; else today.

        A ``--snapshot all`` report so does not change with the calendar.
        """
        if self.as_of_text:
            return parse_date(self.as_of_text)
        if ALL in self.chosen and snapshots:
            return max(snapshot.effective for snapshot in snapshots)
        return dt.datetime.now(tz=dt.UTC).date()

    @property
    def as_of(self) -> dt.date:
        """The date that decides which snapshots are in force and which waivers have expired."""
        self.scope  # noqa: B018 (resolving the scope resolves the date)
        assert self._as_of is not None  # noqa: S101 (set with the scope)
        return self._as_of

    @property
    def waivers(self) -> tuple[Waiver, ...]:
        """The waivers file's waivers (none when there is no file)."""
        if self._waivers is None:
            self._waivers = load_waivers(self.waivers_path, _shown_path(str(self.waivers_path), self.config.rootpath))
        return self._waivers

    @property
    def explicit(self) -> bool:
        """Whether the run names snapshots, regions or a date, which must then be checked up front."""
        return bool(self.chosen or self.regions or self.as_of_text)

    def problem(self) -> str | None:
        """Why the scope or the waivers cannot be loaded, in one message, or None when they can."""
        try:
            self.scope  # noqa: B018 (loading is the check)
        except InputError as error:
            if not self.directory.exists():
                return f"no snapshot folder {self.directory}; set --policy-snapshots"
            return f"invalid policy snapshot(s):\n{error}"
        except PolicyproofError as error:
            return str(error)
        try:
            self.waivers  # noqa: B018 (loading is the check)
        except InputError as error:
            return f"invalid waivers file:\n{error}"
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
    group.addoption(
        "--waivers",
        dest="policy_waivers",
        metavar="FILE",
        help="the waivers file (default: waivers.yaml; none if it does not exist)",
    )
    group.addoption(
        "--policy-report",
        dest="policy_report",
        metavar="DIR",
        help="write the compliance report (Markdown, HTML, JSON) to DIR (default: reports)",
    )
    group.addoption(
        "--no-policy-report", dest="no_policy_report", action="store_true", help="do not write the compliance report"
    )
    parser.addini("policy_snapshots", "the folder of policy snapshots, relative to the root", default="")
    parser.addini("policy_waivers", "the waivers file, relative to the root", default="")
    parser.addini("policy_report", "the folder the compliance report is written to, relative to the root", default="")


_CONFIG: list[pytest.Config] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget the run's configuration."""
    if _CONFIG and _CONFIG[-1] is config:
        _CONFIG.pop()


def pytest_configure(config: pytest.Config) -> None:
    """Register the severity markers and the run."""
    _CONFIG.append(config)
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
    guarantee = _guarantee_id(tags) or ""
    status, waiver, justification, note = finding.status, "", "", ""
    if status is Status.FAIL:
        run = item.config.stash[_RUN]
        live, expired = find_waiver(run.waivers, guarantee, cell.snapshot, cell.region, run.as_of)
        if live is not None:
            status, waiver, justification = Status.WAIVED, live.describe(), live.justification
            report.outcome = "skipped"
            report.wasxfail = f"waived: {live.justification} ({live.location})"
        elif expired is not None:
            note = f"a waiver expired on {expired.expires.isoformat()} ({expired.location}), so it no longer applies"
            report.longrepr = f"{report.longrepr}\n{note}"
    if status is Status.FAIL and severity == "advisory":
        report.outcome = "skipped"
        report.wasxfail = f"advisory guarantee does not hold: {finding.explanation}"
    example = getattr(item, "callspec").params.get("_pytest_bdd_example") or {}  # noqa: B009 (a cell has one)
    record = CellRecord(
        guarantee=guarantee,
        title=template.feature.name,
        scenario=_render(template.name, example),
        severity=severity,
        feature=_where(template.feature, template.line_number, item.config.rootpath),
        snapshot=cell.snapshot,
        region=cell.region,
        status=status,
        finding=finding,
        waiver=waiver,
        justification=justification,
        note=note,
    )
    report.user_properties.append((PROPERTY, record.to_json()))
    return report


def _render(name: str, example: dict[str, str]) -> str:
    """A scenario outline's name with its example's values in place of the placeholders."""
    for key, value in example.items():
        name = name.replace(f"<{key}>", value)
    return name


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
    if record.status is Status.NOT_APPLICABLE:
        return "not applicable", "n", "NOT APPLICABLE"
    if record.status is Status.WAIVED:
        return "waived", "w", "WAIVED"
    if record.status is Status.FAIL and record.severity == "advisory":
        return "advisory failed", "a", "ADVISORY FAILED"
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Gather each cell's record from pytest's own report, so xdist gives the same report as a serial run."""
    if report.when != "call":
        return
    record = record_of(report)
    if record is not None:
        _CONFIG[-1].stash[_RUN].records.append(record)
    xml = _CONFIG[-1].stash.get(junitxml.xml_key, None)
    if record is not None and xml is not None:
        # JUnit names the test case by its Gherkin feature and scenario rather than its Python name.
        reporter = xml.node_reporter(report)
        reporter.add_attribute("classname", f"{record.guarantee} {record.title}")
        reporter.add_attribute("name", f"{record.scenario} [{record.snapshot} {record.region}]")


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def build_run_report(config: pytest.Config) -> Report | None:
    """The report of this run's cells, or None when no guarantee ran."""
    run = config.stash[_RUN]
    if not run.records or run.problem() is not None:
        return None
    return build_report(run.records, run.scope.every, run.as_of, run.waivers)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the compliance report once the run is over (on the controller, with xdist)."""
    config = session.config
    run = config.stash[_RUN]
    if not _is_controller(config) or run.report_dir is None:
        return
    report = build_run_report(config)
    if report is None:
        return
    run.written = write_reports(report, run.report_dir)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        append_summary(Path(summary), render_markdown(report))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the compact matrix, the waivers that matched nothing or expired, and where the report went."""
    report = build_run_report(config)
    if report is None or not _is_controller(config):
        return
    terminalreporter.write_sep("=", "policy guarantees")
    terminalreporter.write_line(compact_matrix(report))
    for waiver in report.unused_waivers:
        terminalreporter.write_line(f"unused waiver (matches no failing cell): {waiver.describe()}")
    for waiver in report.expired_waivers:
        terminalreporter.write_line(f"expired waiver (counted as not there): {waiver.describe()}")
    for path in config.stash[_RUN].written:
        terminalreporter.write_line(f"report written: {_shown_path(str(path), config.rootpath)}")
