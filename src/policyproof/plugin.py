"""The pytest plugin: fans Gherkin guarantees out over snapshots and region groups, and records outcomes.

Every scenario x snapshot in scope x region group is one test item (a cell). Its outcome is pass, fail or
not applicable; a failing ``@advisory`` guarantee is reported but does not fail the run. Each item carries
its finding on pytest's own test report, so the report is the same with xdist as without.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest import junitxml
from pytest_bdd.utils import CONFIG_STACK

from policyproof.cases import Case
from policyproof.collection import (
    OUT_OF_SCOPE,
    SEVERITIES,
    cell_of,
    example_fits,
    fan_out,
    template_of,
    where_of,
)
from policyproof.markdown import render_markdown
from policyproof.outcomes import Status
from policyproof.recording import CELL_OUTCOMES, CellOutcome, finding_of, record_cell, record_of
from policyproof.reports import compact_matrix, write_reports
from policyproof.results import build_report
from policyproof.run import PolicyRun, shown_path
from policyproof.writer import append_summary

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, Step

    from policyproof.scope import Cell


pytest_plugins = [
    "policyproof.steps.scope",
    "policyproof.steps.member",
    "policyproof.steps.decision",
    "policyproof.steps.policy",
]

_STEP = pytest.StashKey[str]()
_CASE = pytest.StashKey[Case]()
_RUN = pytest.StashKey[PolicyRun]()


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
        problem = run.problem
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Fan each guarantee scenario out to its cells; refuse undefined, ambiguous or untagged ones."""
    template = template_of(metafunc.function)
    if template is not None and "policy_cell" in metafunc.fixturenames:
        cells = fan_out(metafunc, template, metafunc.config.stash[_RUN])
        metafunc.parametrize("policy_cell", cells, ids=[cell.id or "out-of-scope" for cell in cells])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect cells outside the scope, and outline examples whose place is in another region group."""
    keep, drop = [], []
    for item in items:
        cell = cell_of(item)
        if cell is None:
            keep.append(item)
            continue
        if cell == OUT_OF_SCOPE or not example_fits(item, cell, config.stash[_RUN]):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --- running and reporting ------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """Turn a guarantee's outcome into a message-only failure; let real bugs keep their traceback."""
    try:
        return (yield)
    except CELL_OUTCOMES as error:
        if cell_of(pyfuncitem) is None:
            raise
        raise CellOutcome(error) from None


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Feature, step: Step) -> None:
    """Remember which step is running, so that a failure names its feature file, line and text."""
    where = where_of(feature, step.line_number, request.config.rootpath)
    request.node.stash[_STEP] = f"{where}: {step.keyword} {step.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Record each cell's finding on its report; shorten reviewer-facing failures; soften advisory ones."""
    report: pytest.TestReport = yield
    cell = cell_of(item)
    template = template_of(getattr(item, "obj", None))
    if cell is None or template is None or call.when != "call":
        return report
    case = item.stash.get(_CASE, None)
    finding = finding_of(call.excinfo.value if call.excinfo else None, case.findings if case else [])
    example = getattr(item, "callspec").params.get("_pytest_bdd_example") or {}  # noqa: B009 (a cell has one)
    where = where_of(template.feature, template.line_number, item.config.rootpath)
    record_cell(report, finding, item.stash.get(_STEP, ""), template, cell, example, where, item.config.stash[_RUN])
    return report


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


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Build the compliance report once the run is over (on the controller, with xdist) and write it."""
    config = session.config
    run = config.stash[_RUN]
    if not _is_controller(config) or not run.records or run.problem is not None:
        return
    run.report = build_report(run.records, run.scope.every, run.as_of, run.waivers)
    if run.report_dir is None:
        return
    run.written = write_reports(run.report, run.report_dir)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        append_summary(Path(summary), render_markdown(run.report))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the compact matrix, the waivers that matched nothing or expired, and where the report went.

    pytest calls this after every plugin's ``pytest_sessionfinish``, so the report is built by then.
    """
    run = config.stash[_RUN]
    report = run.report
    if report is None:
        return
    terminalreporter.write_sep("=", "policy guarantees")
    terminalreporter.write_line(compact_matrix(report))
    for waiver in report.unused_waivers:
        terminalreporter.write_line(f"unused waiver (matches no failing cell): {waiver.describe()}")
    for waiver in report.expired_waivers:
        terminalreporter.write_line(f"expired waiver (counted as not there): {waiver.describe()}")
    for path in run.written:
        terminalreporter.write_line(f"report written: {shown_path(str(path), config.rootpath)}")
