"""The pytest plugin: fans Gherkin guarantees out over snapshots and region groups, and records outcomes.

Every scenario x snapshot in scope x region group is one cell, with outcome pass, fail or not applicable;
a failing ``@advisory`` guarantee is reported but does not fail the run. A scenario's cells in one snapshot
are checked by one test item, the scenario stepping through every region group at once, and the item
carries each cell's finding on pytest's own test report, so the report is the same with xdist as without.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest import junitxml
from pytest_bdd.utils import CONFIG_STACK

from policyproof.guarantees import lookup
from policyproof.guarantees.cases import Cases
from policyproof.guarantees.collection import (
    example_cells,
    fan_out,
    group_of,
    refused,
    template_of,
    where_of,
)
from policyproof.guarantees.mistakes import SEVERITIES
from policyproof.guarantees.recording import CELL_OUTCOMES, CellOutcome, Scenario, record_cells, records_of
from policyproof.guarantees.run import PolicyRun, shown_path
from policyproof.report.baseline import UNCHANGED
from policyproof.report.evidence import load_audit
from policyproof.report.formats import compact_matrix, count_lines, write_reports
from policyproof.report.markdown import render_markdown
from policyproof.report.results import build_report
from policyproof.report.status import PRECEDENCE, Status
from policyproof.report.writer import append_summary

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, Step

    from policyproof.guarantees.scope import CellGroup
    from policyproof.report.results import CellRecord


pytest_plugins = [
    "policyproof.steps.scope",
    "policyproof.steps.member",
    "policyproof.steps.decision",
    "policyproof.steps.policy",
    "policyproof.steps.evidence",
]

_STEP = pytest.StashKey[str]()
_CASES = pytest.StashKey[Cases]()
_CELLS = pytest.StashKey["CellGroup"]()
_TAGS = pytest.StashKey[set[str]]()
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
        "--baseline",
        dest="policy_baseline",
        metavar="FILE",
        help="a previous compliance-report.json: fail only on failing cells that were not failing in it",
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
    group.addoption(
        "--fail-on",
        dest="policy_fail_on",
        action="append",
        choices=["unknown"],
        default=[],
        help="also fail the run where a blocking guarantee's cell is unknown (the policy does not say)",
    )
    group.addoption(
        "--evidence-audit",
        dest="policy_evidence_audit",
        action="append",
        default=[],
        metavar="FILE",
        help="an audit.json of policyproof audit, shown in the report's Evidence section (repeatable)",
    )
    parser.addini("policy_snapshots", "the folder of policy snapshots, relative to the root", default="")
    parser.addini("policy_waivers", "the waivers file, relative to the root", default="")
    parser.addini("policy_report", "the folder the compliance report is written to, relative to the root", default="")


_CONFIG: list[pytest.Config] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget the run's configuration."""
    if _CONFIG and _CONFIG[-1] is config:
        _CONFIG.pop()
    if not _CONFIG:
        lookup.uninstall()


def pytest_configure(config: pytest.Config) -> None:
    """Register the severity markers and the run."""
    _CONFIG.append(config)
    lookup.install()
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
    tags = config.stash.setdefault(_TAGS, set())
    if tag not in SEVERITIES and tag not in tags:
        tags.add(tag)
        config.addinivalue_line("markers", f"{tag}: Gherkin tag")
    getattr(pytest.mark, tag)(function)
    return True


@pytest.fixture(autouse=True)
def policy_cells() -> CellGroup | None:
    """The cells a guarantee runs in; the plugin parametrizes it, and it is None for other tests."""
    return None


@pytest.fixture
def cases(request: pytest.FixtureRequest, policy_cells: CellGroup | None) -> Cases:
    """The state of the guarantee scenario in each of its cells."""
    if policy_cells is None:
        pytest.fail("the policyproof steps run only in guarantee scenarios", pytrace=False)
    the_cases = Cases(request.node.stash[_CELLS].cells, request.config.stash[_RUN].scope)
    request.node.stash[_CASES] = the_cases
    return the_cases


# --- collection -----------------------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Fan each guarantee scenario out to its cells; refuse undefined, ambiguous or untagged ones."""
    template = template_of(metafunc.function)
    if template is not None and "policy_cells" in metafunc.fixturenames:
        groups = fan_out(metafunc, template, metafunc.config.stash[_RUN])
        metafunc.parametrize("policy_cells", groups, ids=[group.snapshot or "out-of-scope" for group in groups])


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Refuse a module whose guarantees have mistakes, with every mistake found in it, not only the first."""
    run = collector.config.stash[_RUN]
    start = len(run.mistakes)
    report = yield
    return refused(report, run.mistakes[start:])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect scenarios with no cell in scope, and outline examples whose place is in another region group."""
    keep, drop = [], []
    for item in items:
        group = group_of(item)
        if group is None:
            keep.append(item)
            continue
        # A scenario out of scope has a group with no regions; so may an outline example, for its place.
        cells = example_cells(item, group, config.stash[_RUN])
        if cells.regions:
            item.stash[_CELLS] = cells
            keep.append(item)
        else:
            drop.append(item)
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
        if group_of(pyfuncitem) is None:
            raise
        raise CellOutcome(error) from None


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Feature, step: Step) -> None:
    """Remember which step is running, so that a failure names its feature file, line and text."""
    where = where_of(feature, step.line_number, request.config.rootpath)
    text = f"{where}: {step.keyword} {step.name}"
    request.node.stash[_STEP] = text
    the_cases = request.node.stash.get(_CASES, None)
    if the_cases is not None:
        the_cases.step = text


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Record each cell's finding on the item's report; settle the item's outcome from its cells."""
    report: pytest.TestReport = yield
    template = template_of(getattr(item, "obj", None))
    if template is None or call.when != "call" or _CELLS not in item.stash:
        return report
    run = item.config.stash[_RUN]
    the_cases = item.stash.get(_CASES, None) or Cases(item.stash[_CELLS].cells, run.scope)
    example = getattr(item, "callspec").params.get("_pytest_bdd_example") or {}  # noqa: B009 (a guarantee has one)
    scenario = Scenario(template, example, where_of(template.feature, template.line_number, item.config.rootpath))
    error = call.excinfo.value if call.excinfo else None
    record_cells(report, the_cases, scenario, run, error=error, step=item.stash.get(_STEP, ""))
    return report


def _regions(records: list[CellRecord]) -> str:
    """Which region groups had which outcome, worst first, for the verbose line of an item with mixed outcomes."""
    by_status: dict[Status, list[str]] = {status: [] for status in PRECEDENCE}
    for record in records:
        by_status[record.status].append(record.region)
    found = [
        f"{status.value.replace('-', ' ')}: {' '.join(regions)}" for status, regions in by_status.items() if regions
    ]
    return f" ({'; '.join(found)})" if len(found) > 1 else ""


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """Show not-applicable, advisory-failed and waived items as such, never as a plain pass or xfail."""
    if report.when != "call":
        return None
    records = records_of(report)
    if not records:
        return None
    statuses = {record.status for record in records}
    if report.failed:
        category, letter = "failed", "F"
    elif report.skipped and any(
        r.baseline == UNCHANGED and (r.severity == "blocking" or r.status is Status.ERROR) for r in records
    ):
        category, letter = "failing as in the baseline", "b"
    elif report.skipped:
        category, letter = ("advisory failed", "a") if Status.FAIL in statuses else ("waived", "w")
        if not statuses & {Status.FAIL, Status.WAIVED}:
            category, letter = "unknown", "u"
    elif statuses == {Status.NOT_APPLICABLE}:
        category, letter = "not applicable", "n"
    else:
        category, letter = "passed", "."
    return category, letter, f"{category.upper()}{_regions(records)}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Gather the cell records from pytest's own reports, so xdist gives the same report as a serial run."""
    if report.when != "call":
        return
    records = records_of(report)
    _CONFIG[-1].stash[_RUN].records.extend(records)
    xml = _CONFIG[-1].stash.get(junitxml.xml_key, None)
    if records and xml is not None:
        # JUnit names the test case by its Gherkin feature and scenario rather than its Python name.
        record = records[0]
        reporter = xml.node_reporter(report)
        reporter.add_attribute("classname", f"{record.guarantee} {record.title}")
        reporter.add_attribute("name", f"{record.scenario} [{record.snapshot}]")


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Build the compliance report once the run is over (on the controller, with xdist) and write it."""
    config = session.config
    run = config.stash[_RUN]
    if not _is_controller(config) or not run.records or run.problem is not None:
        return
    run.report = build_report(
        run.records,
        run.scope.every,
        run.as_of,
        run.coverage,
        waivers=run.waivers,
        waivers_file=run.waivers_file,
        baseline=run.baseline,
        evidence=[load_audit(Path(path)) for path in run.config.option.policy_evidence_audit],
    )
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
    for line in count_lines(report):
        terminalreporter.write_line(line)
    for waiver in report.unused_waivers:
        terminalreporter.write_line(f"unused waiver (matches no failing cell): {waiver.describe()}")
    for waiver in report.expired_waivers:
        terminalreporter.write_line(f"expired waiver (counted as not there): {waiver.describe()}")
    for path in run.written:
        terminalreporter.write_line(f"report written: {shown_path(str(path), config.rootpath)}")
