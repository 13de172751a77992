"""The state of one pytest run: its options, its scope of snapshots, its waivers and its cell records."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.exceptions import InputError, PolicyproofError
from policyproof.guarantees.mistakes import Labels
from policyproof.guarantees.scope import ALL, Scope, build_scope
from policyproof.report.baseline import Baseline, load_baseline
from policyproof.report.results import Chosen, Coverage, Finding
from policyproof.report.waivers import Waiver, load_waivers
from policyproof.snapshot.loader import load_snapshots
from policyproof.wording import parse_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pytest
    from pytest_bdd.parser import ScenarioTemplate

    from policyproof.report.results import CellRecord, Report
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
        self.directory = _option_path(config, option.policy_snapshots, "policy_snapshots", "policy_snapshots")
        self.chosen: list[str] = option.policy_snapshot or []
        self.regions: list[str] = option.policy_region or []
        self.as_of_text: str | None = option.policy_as_of
        self.fail_on_unknown = "unknown" in option.policy_fail_on
        self.waivers_path = _option_path(config, option.policy_waivers, "policy_waivers", "waivers.yaml")
        report = _option_path(config, option.policy_report, "policy_report", "reports")
        self.report_dir: Path | None = None if option.no_policy_report else report
        given = option.policy_baseline
        self.baseline_path = _near(config.invocation_params.dir / given) if given else None
        self.records: list[CellRecord] = []
        self._findings: dict[Finding, Finding] = {}
        self.written: list[Path] = []
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

    @property
    def coverage(self) -> Coverage:
        """What the run was asked to check, for the report to state."""
        chosen = Chosen.EVERY if ALL in self.chosen else Chosen.NAMED if self.chosen else Chosen.IN_FORCE
        return Coverage(tuple(s.id for s in self.scope.snapshots), chosen, tuple(dict.fromkeys(self.regions)))

    @property
    def explicit(self) -> bool:
        """Whether the run names snapshots, regions or a date, which must then be checked up front."""
        return bool(self.chosen or self.regions or self.as_of_text or self.baseline_path)

    @functools.cached_property
    def problem(self) -> str | None:
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
        try:
            self.waivers  # noqa: B018 (loading is the check)
        except InputError as error:
            return f"invalid waivers file:\n{error}"
        try:
            self.baseline  # noqa: B018 (loading is the check)
        except InputError as error:
            return f"invalid baseline:\n{error}"
        return None
