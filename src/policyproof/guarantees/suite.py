"""The guarantee suite at work in a pytest run: fans Gherkin guarantees out over snapshots and region groups.

Every scenario x snapshot in scope x region group is one cell, with outcome pass, fail or not applicable;
a failing ``@advisory`` guarantee is reported but does not fail the run. A scenario's cells in one snapshot
are checked by one test item, the scenario stepping through every region group at once, and the item
carries each cell's finding on pytest's own test report, so the report is the same with xdist as without.

:class:`PolicyPlugin` is registered by the entry point (:mod:`policyproof.guarantees.plugin`) only in a
project that uses policyproof; it holds the run's state, so nothing of one run outlives it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from policyproof.exceptions import PolicyproofError
from policyproof.guarantees import phrasings
from policyproof.guarantees.bdd import example_of
from policyproof.guarantees.cases import Cases
from policyproof.guarantees.collection import (
    before_collecting,
    example_cells,
    fan_out,
    group_of,
    refused,
    scenario_of,
    template_of,
    where_of,
)
from policyproof.guarantees.mistakes import SEVERITIES
from policyproof.guarantees.recording import (
    CELL_OUTCOMES,
    PROPERTY,
    CellOutcome,
    Scenario,
    junit_properties,
    record_cells,
    records_of,
    warnings_of,
)
from policyproof.guarantees.reporting import finish, load_audits
from policyproof.guarantees.run import PolicyRun
from policyproof.guarantees.terminal import UNANSWERED_ITEMS, status_of, summary_lines, unanswered
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, Step

    from policyproof.guarantees.scope import CellGroup
    from policyproof.outcomes import CellRecord
    from policyproof.report.evidence import EvidenceAudit

NAME = "policyproof-suite"
STEPS = phrasings.__name__  # the step library's pytest-bdd step definitions
_STEP = pytest.StashKey[str]()
_CASES = pytest.StashKey[Cases]()
_CELLS = pytest.StashKey["CellGroup"]()
_SCENARIO = pytest.StashKey[Scenario]()


class PolicyPlugin:
    """The suite's hooks and fixtures for one pytest run, with the run's options, scope and cell records."""

    def __init__(self, config: pytest.Config) -> None:
        """Read the run's options; load nothing yet."""
        self.config = config
        self.run = PolicyRun(config)
        self.tags: set[str] = set()
        # The records of the report read last: the hooks reading a report straight after it is made (its
        # status, the records) need not parse them again.
        self._last: tuple[pytest.TestReport, list[CellRecord]] | None = None
        self.audits: list[EvidenceAudit] = []  # read from --evidence-audit when the session starts
        # The terminal status of each guarantee's report whose records were taken off it once logged.
        self._statuses: dict[pytest.TestReport, tuple[str, str, str]] = {}
        # Each unknown or not covered item with its first reason, for the summary that -rx (or -ra) asks for.
        self._unanswered: list[str] = []
        self._warnings: dict[str, None] = {}  # the steps' warnings, each once, in the order first given

    @classmethod
    def register(cls, config: pytest.Config) -> PolicyPlugin:
        """Register the suite, its severity markers and the step library with a run."""
        plugin = cls(config)
        config.pluginmanager.register(plugin, NAME)
        if not config.pluginmanager.is_registered(phrasings):
            config.pluginmanager.register(phrasings, STEPS)
        config.addinivalue_line("markers", "blocking: a guarantee whose failure fails the run")
        config.addinivalue_line("markers", "advisory: a guarantee whose failure is reported but does not fail the run")
        return plugin

    # --- fixtures ---------------------------------------------------------------------------------

    @pytest.fixture(autouse=True)
    def policy_cells(self) -> CellGroup | None:
        """The cells a guarantee runs in; the plugin parametrizes it, and it is None for other tests."""
        return None

    @pytest.fixture
    def cases(self, request: pytest.FixtureRequest, policy_cells: CellGroup | None) -> Cases:
        """The state of the guarantee scenario in each of its cells."""
        if policy_cells is None or _CELLS not in request.node.stash:
            pytest.fail("the policyproof steps run only in guarantee scenarios", pytrace=False)
        the_cases = Cases(request.node.stash[_CELLS].cells, self.run.scope)
        # The first step that asks for the cases makes them after pytest_bdd_before_step has named it.
        the_cases.step = request.node.stash.get(_STEP, "")
        request.node.stash[_CASES] = the_cases
        return the_cases

    # --- session ----------------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Check the report folder and read the ``--evidence-audit`` audits before anything runs.

        A folder that cannot take the report, or a bad audit, is a usage error.
        """
        if not hasattr(session.config, "workerinput"):
            try:
                self.run.check_report_folder()
            except PolicyproofError as error:
                raise pytest.UsageError(f"policyproof: {error}") from error
        try:
            self.audits = load_audits(self.config.option.policy_evidence_audit or [])
        except PolicyproofError as error:
            raise pytest.UsageError(clean(f"policyproof: {error}")) from error

    # --- collection -------------------------------------------------------------------------------

    def pytest_collection(self, session: pytest.Session) -> None:
        """Refuse a bad scope option, or a feature file leading outside the project, before collecting."""
        del session
        problem = before_collecting(self.config, self.run)
        if problem is not None:
            raise pytest.UsageError(clean(problem))

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag: str, function: Callable[..., object]) -> bool:
        """Make every Gherkin tag a registered marker, so that ``--strict-markers`` accepts it."""
        if tag not in SEVERITIES and tag not in self.tags:
            self.tags.add(tag)
            self.config.addinivalue_line("markers", f"{tag}: Gherkin tag")
        getattr(pytest.mark, tag)(function)
        return True

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Fan each guarantee scenario out to its cells; refuse undefined, ambiguous or untagged ones."""
        template = template_of(metafunc.function)
        if template is not None and "policy_cells" in metafunc.fixturenames:
            groups = fan_out(metafunc, template, self.run)
            metafunc.parametrize("policy_cells", groups, ids=[group.snapshot or "out-of-scope" for group in groups])

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        """Refuse a module whose guarantees have mistakes, with every mistake found in it, not only the first."""
        del collector
        start = len(self.run.mistakes)
        report = yield
        return refused(report, self.run.mistakes[start:])

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """Deselect scenarios with no cell in scope, and outline examples whose place is in another region group."""
        keep, drop = [], []
        for item in items:
            group = group_of(item)
            template = template_of(getattr(item, "obj", None))
            if group is None or template is None:
                keep.append(item)
                continue
            # A scenario out of scope has a group with no regions; so may an outline example, for its place.
            cells = example_cells(item, group, self.run)
            if cells.regions:
                item.stash[_CELLS] = cells
                item.stash[_SCENARIO] = scenario_of(template, example_of(item), config.rootpath)
                keep.append(item)
            else:
                drop.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    # --- running ----------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, object, object]:
        """Turn a guarantee's outcome into a message-only failure; let real bugs keep their traceback."""
        try:
            return (yield)
        except CELL_OUTCOMES as error:
            if _SCENARIO not in pyfuncitem.stash:
                raise
            raise CellOutcome(error) from None

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, feature: Feature, step: Step) -> None:
        """Remember which step is running, so that a failure names its feature file, line and text."""
        node = request.node
        if _SCENARIO not in node.stash:
            return
        text = f"{where_of(feature, step.line_number, self.config.rootpath)}: {step.keyword} {step.name}"
        node.stash[_STEP] = text
        the_cases = node.stash.get(_CASES, None)
        if the_cases is not None:
            the_cases.step = text

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        """Record each cell's finding on the item's report; settle the item's outcome from its cells.

        The cases are dropped once recorded: only the records, which the report needs, are kept for the run.
        """
        report: pytest.TestReport = yield
        if call.when != "call" or _SCENARIO not in item.stash:
            return report
        scenario = item.stash[_SCENARIO]
        the_cases = item.stash.get(_CASES, None) or Cases(item.stash[_CELLS].cells, self.run.scope)
        step = item.stash.get(_STEP, "")
        if _CASES in item.stash:
            del item.stash[_CASES]
        if _STEP in item.stash:
            del item.stash[_STEP]
        error = call.excinfo.value if call.excinfo else None
        records = record_cells(report, the_cases, scenario, self.run, error=error, step=step)
        self._last = (report, records)
        item.user_properties += junit_properties(scenario, records)
        return report

    # --- reporting --------------------------------------------------------------------------------

    def _records(self, report: pytest.TestReport) -> list[CellRecord]:
        if self._last is None or self._last[0] is not report:
            self._last = (report, records_of(report))
        return self._last[1]

    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        """Show not-applicable, unknown, advisory-failed, waived and baseline items as such, never as a plain pass."""
        if report.when != "call":
            return None
        if report in self._statuses:
            return self._statuses[report]
        records = self._records(report)
        if not records:
            return None
        category, letter, word = status_of(report, records)
        return category, letter, clean(word)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Generator[None, None, None]:
        """Gather the cell records from pytest's own reports, so xdist gives the same report as a serial run.

        Once every plugin has logged a guarantee's report, its records are taken off it: pytest keeps every
        report to the end of the run, and the records' text on each would cost more than the records kept
        once. Its status in the terminal, which pytest asks again in its summary, is kept instead.
        """
        records = self._records(report) if report.when == "call" else []
        self.run.keep(records)
        self._warnings.update(dict.fromkeys(warnings_of(report) if records else []))
        try:
            return (yield)
        finally:
            if records:
                status = self.pytest_report_teststatus(report)
                if status is not None:
                    self._statuses[report] = status
                    if status[0] in UNANSWERED_ITEMS:
                        self._unanswered.append(unanswered(status[0], report.nodeid, records))
                report.user_properties = [entry for entry in report.user_properties if entry[0] != PROPERTY]
                self._last = None

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Build the compliance report once the run is over (on the controller, with xdist) and publish it.

        A folder that cannot take the report makes the run a usage error.
        """
        run = self.run
        # pytest-xdist gives its workers' configs a ``workerinput``; the controller gathers their records.
        if hasattr(session.config, "workerinput") or not run.records or run.problem is not None:
            return
        stopped = session.shouldfail or session.shouldstop
        reason = stopped if isinstance(stopped, str) else "stopped" if stopped else ""
        if not finish(run, self.audits, stopped=reason, exitstatus=exitstatus):
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Print the compact matrix, the waivers that matched nothing or expired, and where the report went.

        pytest calls this after every plugin's ``pytest_sessionfinish``, so the report is built by then.
        """
        if self.run.report is None:
            return
        # pytest lists skipped and xfailed items under -rs and -rx; unknown items are neither, so listed here.
        if set(self.config.option.reportchars or "") & {"x", "s", "a", "A"} and self._unanswered:
            terminalreporter.write_sep("=", "unknown and not covered: the first reason of each")
            for line in self._unanswered:
                terminalreporter.write_line(clean(line))
        terminalreporter.write_sep("=", "policy guarantees")
        for line in summary_lines(self.run, self.config.rootpath, self._warnings):
            terminalreporter.write_line(clean(line))
