"""The guarantee suite at work in a pytest run: fans Gherkin guarantees out over snapshots and region groups.

Every scenario x snapshot in scope x region group is one cell, with outcome pass, fail or not applicable;
a failing ``@advisory`` guarantee is reported but does not fail the run. A scenario's cells in one snapshot
are checked by one test item, the scenario stepping through every region group at once, and the item
carries each cell's finding on pytest's own test report, so the report is the same with xdist as without.

:class:`PolicyPlugin` is registered by the entry point (:mod:`policyproof.guarantees.plugin`) only in a
project that uses policyproof; it holds the run's state, so nothing of one run outlives it.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from policyproof.exceptions import PolicyproofError
from policyproof.files import escapes
from policyproof.guarantees import phrasings
from policyproof.guarantees.bdd import example_of
from policyproof.guarantees.cases import Cases
from policyproof.guarantees.collection import (
    example_cells,
    fan_out,
    group_of,
    guarantee_id_of,
    refused,
    severity_of,
    tags_of,
    template_of,
    where_of,
)
from policyproof.guarantees.mistakes import SEVERITIES
from policyproof.guarantees.recording import (
    CELL_OUTCOMES,
    PROPERTY,
    CellOutcome,
    Scenario,
    record_cells,
    records_of,
    render_name,
)
from policyproof.guarantees.run import PolicyRun, shown_path
from policyproof.outcomes import PRECEDENCE, UNANSWERED, Against, Severity, Status
from policyproof.snapshot.yaml_loader import ESCAPES
from policyproof.untrusted import clean

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from pytest_bdd.parser import Feature, ScenarioTemplate, Step

    from policyproof.guarantees.scope import CellGroup
    from policyproof.outcomes import CellRecord
    from policyproof.report.evidence import EvidenceAudit

NAME = "policyproof-suite"
STEPS = phrasings.__name__  # the step library's pytest-bdd step definitions
_STEP = pytest.StashKey[str]()
_CASES = pytest.StashKey[Cases]()
_CELLS = pytest.StashKey["CellGroup"]()
_SCENARIO = pytest.StashKey[Scenario]()

# The terminal categories of items whose cells the policy leaves unanswered, and none fail.
UNANSWERED_ITEMS = ("unknown", "not covered")


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


def _regions(records: list[CellRecord]) -> str:
    """Which region groups had which outcome, worst first, for the verbose line of an item with mixed outcomes."""
    by_status: dict[Status, list[str]] = {status: [] for status in PRECEDENCE}
    for record in records:
        by_status[record.status].append(record.region)
    found = [
        f"{status.value.replace('-', ' ')}: {' '.join(regions)}" for status, regions in by_status.items() if regions
    ]
    return f" ({'; '.join(found)})" if len(found) > 1 else ""


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
        paths = self.config.option.policy_evidence_audit
        if not paths:
            return
        from policyproof.report.evidence import load_audit  # noqa: PLC0415 (only with --evidence-audit)

        try:
            self.audits = [load_audit(Path(path)) for path in paths]
        except PolicyproofError as error:
            raise pytest.UsageError(clean(f"policyproof: {error}")) from error

    # --- collection -------------------------------------------------------------------------------

    def pytest_collection(self, session: pytest.Session) -> None:
        """Check scope options given on the command line before collecting: a bad one is a usage error.

        A feature file that is a symbolic link leading outside the project is refused before pytest-bdd reads
        it: its text would be shown in the error a file that is not Gherkin makes.
        """
        del session
        escaping = escaping_features(self.config)
        if escaping:
            raise pytest.UsageError(clean("\n".join(f"policyproof: {path}: {ESCAPES}" for path in escaping)))
        if self.run.explicit:
            problem = self.run.problem
            if problem is not None:
                raise pytest.UsageError(clean(f"policyproof: {problem}"))

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
        # JUnit XML (pytest's --junitxml) names the test case after the item and lists these with it.
        item.user_properties += [
            ("guarantee", scenario.guarantee),
            ("scenario", scenario.name),
            ("feature", scenario.where),
            ("cells", ", ".join(f"{record.region}: {record.status.value}" for record in records)),
        ]
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
        statuses = {record.status for record in records}
        if report.failed:
            category, letter = "failed", "F"
        elif report.skipped and any(
            r.baseline is Against.UNCHANGED and (r.severity is Severity.BLOCKING or r.status is Status.ERROR)
            for r in records
        ):
            category, letter = "failing as in the baseline", "b"
        elif report.skipped:
            category, letter = ("advisory failed", "a") if Status.FAIL in statuses else ("waived", "w")
            if not statuses & {Status.FAIL, Status.WAIVED}:
                category, letter = ("not covered", "c") if Status.NOT_COVERED in statuses else ("unknown", "u")
        elif statuses == {Status.NOT_APPLICABLE}:
            category, letter = "not applicable", "n"
        else:
            category, letter = "passed", "."
        return category, letter, clean(f"{category.upper()}{_regions(records)}")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Generator[None, None, None]:
        """Gather the cell records from pytest's own reports, so xdist gives the same report as a serial run.

        Once every plugin has logged a guarantee's report, its records are taken off it: pytest keeps every
        report to the end of the run, and the records' text on each would cost more than the records kept
        once. Its status in the terminal, which pytest asks again in its summary, is kept instead.
        """
        records = self._records(report) if report.when == "call" else []
        self.run.keep(records)
        try:
            return (yield)
        finally:
            if records:
                status = self.pytest_report_teststatus(report)
                if status is not None:
                    self._statuses[report] = status
                    if status[0] in UNANSWERED_ITEMS:
                        first = next(r for r in records if r.status in UNANSWERED)
                        reason = f"{first.region}: {first.finding.explanation}"
                        self._unanswered.append(f"{status[0].upper()} {report.nodeid} - {reason}")
                report.user_properties = [entry for entry in report.user_properties if entry[0] != PROPERTY]
                self._last = None

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Build the compliance report once the run is over (on the controller, with xdist) and publish it.

        A session that did not finish (interrupted, or stopped by an error outside the guarantees) publishes
        nothing; one that pytest narrowed or stopped early says so in the report's header.
        """
        run = self.run
        # pytest-xdist gives its workers' configs a ``workerinput``; the controller gathers their records.
        if hasattr(session.config, "workerinput") or not run.records or run.problem is not None:
            return
        # The report stack (Jinja2 and the formats) is loaded only by a run that writes a report.
        from policyproof.report.formats import publish  # noqa: PLC0415
        from policyproof.report.results import build_report  # noqa: PLC0415

        stopped = session.shouldfail or session.shouldstop
        selection = run.selection(stopped if isinstance(stopped, str) else "stopped" if stopped else "")
        run.report = build_report(
            run.records,
            run.scope.every,
            run.as_of,
            run.coverage(selection),
            waivers=run.waivers,
            waivers_file=run.waivers_file,
            baseline=run.baseline,
            evidence=self.audits,
        )
        folder = run.report_folder(selection)
        if folder is None:
            return
        if exitstatus not in {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}:
            reason = pytest.ExitCode(exitstatus).name.lower().replace("_", " ")
            run.unwritten = f"report not written: the run did not finish ({reason})"
            return
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        try:
            run.written = publish(run.report, folder, Path(summary) if summary else None)
        except PolicyproofError as error:
            run.unwritten = f"report not written: {error}"
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Print the compact matrix, the waivers that matched nothing or expired, and where the report went.

        pytest calls this after every plugin's ``pytest_sessionfinish``, so the report is built by then.
        """
        run = self.run
        report = run.report
        if report is None:
            return
        from policyproof.report.formats import compact_matrix, count_lines  # noqa: PLC0415 (as above)

        # pytest lists skipped and xfailed items under -rs and -rx; unknown items are neither, so listed here.
        if set(self.config.option.reportchars or "") & {"x", "s", "a", "A"} and self._unanswered:
            terminalreporter.write_sep("=", "unknown and not covered: the first reason of each")
            for line in self._unanswered:
                terminalreporter.write_line(clean(line))
        lines = [compact_matrix(report), *count_lines(report)]
        lines += [f"unused waiver (matches no failing cell): {waiver.describe()}" for waiver in report.unused_waivers]
        lines += [f"expired waiver (counted as not there): {waiver.describe()}" for waiver in report.expired_waivers]
        lines += [f"report written: {shown_path(str(path), self.config.rootpath)}" for path in run.written]
        lines += [run.unwritten] if run.unwritten is not None else []
        terminalreporter.write_sep("=", "policy guarantees")
        for line in lines:
            terminalreporter.write_line(clean(line))
