"""The state of one pytest run: its options, its scope of snapshots, its waivers and its cell records."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.exceptions import InputError, PolicyproofError, UsageError
from policyproof.guarantees.mistakes import Labels
from policyproof.guarantees.options import COMMITTED, NARROWED, SNAPSHOTS
from policyproof.guarantees.scope import ALL, Scope, build_scope
from policyproof.report.baseline import Baseline, load_baseline
from policyproof.report.results import Chosen, Coverage
from policyproof.report.waivers import Waiver, load_waivers
from policyproof.snapshot.loader import load_snapshots
from policyproof.wording import parse_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pytest
    from pytest_bdd.parser import ScenarioTemplate

    from policyproof.outcomes import CellRecord, Finding
    from policyproof.report.results import Report
    from policyproof.snapshot.model import Snapshot


@functools.cache
def shown_path(filename: str, root: Path) -> str:
    """A file relative to the root, as reports show it; cached because every step of every cell names one."""
    path = Path(filename)
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def _near(path: Path) -> Path:
    """A path relative to where the user stands, as they would type it, when it lies below."""
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def _option_path(config: pytest.Config, given: str | None, ini: str, default: str) -> Path:
    """A path from the command line, else from the ini file, else the default.

    A command-line path is relative to where pytest was started, as a user expects; the others to the root.
    """
    if given:
        return _near(config.invocation_params.dir / given)
    return _near(config.rootpath / (config.getini(ini) or default))


class PolicyRun:
    """The run's options and its scope, loaded once on first use."""

    def __init__(self, config: pytest.Config) -> None:
        """Read the options; load nothing yet, so runs without guarantees need no snapshots."""
        self.config = config
        option = config.option
        self.directory = _option_path(config, option.policy_snapshots, "policy_snapshots", SNAPSHOTS)
        self.chosen: list[str] = option.policy_snapshot or []
        self.regions: list[str] = option.policy_region or []
        self.as_of_text: str | None = option.policy_as_of
        self.fail_on_unknown = "unknown" in option.policy_fail_on
        self.waivers_path = _option_path(config, option.policy_waivers, "policy_waivers", "waivers.yaml")
        # A waivers file named on the command line or in the settings must exist; the default may not.
        self.waivers_named = bool(option.policy_waivers or config.getini("policy_waivers"))
        given = option.policy_report
        self.report_given = _near(config.invocation_params.dir / given) if given else None
        self.committed = _near(config.rootpath / (config.getini("policy_report") or COMMITTED))
        self.narrowed_default = _near(config.rootpath / NARROWED)
        self.no_report: bool = option.no_policy_report
        given = option.policy_baseline
        self.baseline_path = _near(config.invocation_params.dir / given) if given else None
        self.records: list[CellRecord] = []
        self._findings: dict[Finding, Finding] = {}
        self.written: list[Path] = []
        self.unwritten: str | None = None  # a line saying why the report was not written, or not where asked
        self.report: Report | None = None
        # Collection: the reviewer's mistakes found so far, and a scenario of the feature each guarantee id is in.
        self.mistakes: list[str] = []
        self.guarantee_ids: dict[str, ScenarioTemplate] = {}
        self._scope: Scope | None = None
        self._waivers: tuple[Waiver, ...] | None = None
        self._baseline: Baseline | None = None
        self._as_of: dt.date | None = None

    def keep(self, records: Iterable[CellRecord]) -> None:
        """Keep cell records for the report, each finding said once in the run however many cells conclude it.

        The cells of a scenario, and many scenarios, often conclude in the same words: sharing the finding keeps
        the memory a scenario costs small in a suite of thousands.
        """
        for record in records:
            finding = self._findings.setdefault(record.finding, record.finding)
            self.records.append(record if finding is record.finding else replace(record, finding=finding))

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

    @functools.cached_property
    def labels(self) -> Labels:
        """The labels of the loaded snapshots, which collection checks the steps' words against."""
        return Labels(self.scope)

    @property
    def waivers(self) -> tuple[Waiver, ...]:
        """The waivers file's waivers (none when there is no file)."""
        if self._waivers is None:
            self._waivers = load_waivers(self.waivers_path, shown_path(str(self.waivers_path), self.config.rootpath))
        return self._waivers

    @property
    def baseline(self) -> Baseline | None:
        """The baseline's failing cells, when the run has one."""
        if self.baseline_path is not None and self._baseline is None:
            self._baseline = load_baseline(self.baseline_path, shown_path(str(self.baseline_path), Path.cwd()))
        return self._baseline

    @property
    def waivers_file(self) -> str | None:
        """The waivers file as reports name it, or None when there is none."""
        return shown_path(str(self.waivers_path), self.config.rootpath) if self.waivers_path.exists() else None

    def coverage(self, selection: tuple[str, ...] = ()) -> Coverage:
        """What the run checked, for the report to state; ``selection`` says how pytest narrowed it."""
        chosen = Chosen.EVERY if ALL in self.chosen else Chosen.NAMED if self.chosen else Chosen.IN_FORCE
        regions = tuple(dict.fromkeys(self.regions))
        return Coverage(tuple(s.id for s in self.scope.snapshots), chosen, regions, selection=selection)

    def selection(self, stopped: str = "") -> tuple[str, ...]:
        """How pytest's own options narrowed the scenarios run, in words; ``stopped`` is why it stopped early."""
        option, words = self.config.option, []
        if option.keyword:
            words.append(f"the scenarios pytest's -k '{option.keyword}' selects")
        if option.markexpr:
            words.append(f"the scenarios pytest's -m '{option.markexpr}' selects")
        if option.deselect:
            words.append(f"the scenarios not left out with --deselect ({', '.join(option.deselect)})")
        # pytest's cache plugin (absent under policyproof check) runs a part of the suite with these.
        if getattr(option, "lf", False) or getattr(option, "stepwise", False):
            words.append("the scenarios pytest's --lf or --sw runs again")
        named = [arg for arg in self.config.args if "::" in arg]
        if named:
            words.append(f"the tests named on the command line ({', '.join(named)})")
        if stopped:
            words.append(f"the scenarios run before pytest stopped early ({stopped})")
        return tuple(words)

    def full(self, selection: tuple[str, ...]) -> bool:
        """Whether the run is a full report: every snapshot, every region group, every scenario."""
        return ALL in self.chosen and not self.regions and not selection

    def report_folder(self, selection: tuple[str, ...]) -> Path | None:
        """Where the report goes; never the committed folder for a narrowed run.

        --policy-report if given, else the committed folder for a full run without a baseline and
        build/policy-report/ for any other.
        ``selection`` is pytest's narrowing at the end of the run: a run that stopped early after starting
        as a full one reports to build/policy-report/, and ``unwritten`` says why.
        """
        if self.no_report:
            return None
        # A run against a baseline gates a change; it is not the project's report, which may be its baseline.
        committed = self.full(self.selection()) and self.baseline_path is None
        folder = self.report_given or (self.committed if committed else self.narrowed_default)
        if self.full(selection) or not self._protected(folder):
            return folder
        self.unwritten = (
            f"report not written to {self.committed.as_posix()}/: it holds only the report of a full run, "
            "and this one stopped early"
        )
        return self.narrowed_default

    def check_report_folder(self) -> None:
        """Refuse a report folder that cannot be written, or the committed one for a run narrowed from the start."""
        from policyproof.files import check_folder  # noqa: PLC0415 (only a run that writes a report)
        from policyproof.report.formats import NAMES  # noqa: PLC0415

        selection = self.selection()
        if self.report_given is not None and self._protected(self.report_given) and not self.full(selection):
            raise UsageError(
                f"{self.report_given.as_posix()}: this folder holds only the report of a full run (--snapshot all, "
                f"no --region, every scenario); give another report folder, or none to write "
                f"{self.narrowed_default.as_posix()}"
            )
        folder = self.report_folder(selection)
        if folder is None:
            return
        baseline = self.baseline_path
        if baseline is not None and baseline.name in NAMES and _same(baseline.parent, folder):
            raise UsageError(
                f"{baseline.as_posix()}: this run's baseline would be overwritten by its report in "
                f"{folder.as_posix()}/; give the report another folder with --report DIR"
            )
        check_folder(folder, NAMES)

    def _protected(self, folder: Path) -> bool:
        """Whether ``folder`` is the committed one, which a narrowed run must not write.

        A project whose committed folder is build/policy-report/ (reports kept out of version control) has none.
        """
        return _same(folder, self.committed) and not _same(self.committed, self.narrowed_default)

    @property
    def explicit(self) -> bool:
        """Whether the run names snapshots, regions, a date or files, which must then be checked up front."""
        return bool(self.chosen or self.regions or self.as_of_text or self.baseline_path or self.waivers_named)

    @functools.cached_property
    def problem(self) -> str | None:  # noqa: PLR0911 (one return a thing that may be wrong)
        """Why the scope or the waivers cannot be loaded, in one message, or None when they can.

        Worked out once: every scenario asks, and a failed load is not retried for each.
        """
        try:
            self.scope  # noqa: B018 (loading is the check)
        except InputError as error:
            if not self.directory.exists():
                return f"no snapshot folder {self.directory}; set --policy-snapshots"
            return f"invalid policy snapshot(s):\n{error}"
        except PolicyproofError as error:
            return str(error)
        if self.waivers_named and not self.waivers_path.exists():
            return f"no waivers file {self.waivers_path.as_posix()}"
        try:
            self.waivers  # noqa: B018 (loading is the check)
        except InputError as error:
            return f"invalid waivers file:\n{error}"
        try:
            self.baseline  # noqa: B018 (loading is the check)
        except InputError as error:
            return f"invalid baseline:\n{error}"
        return None


def _same(first: Path, second: Path) -> bool:
    return first.resolve() == second.resolve()
