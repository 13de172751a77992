"""The options of a guarantee run, stated once.

pytest's (``--snapshot``, ``--policy-report``, ...) and ``policyproof check``'s are both built from this table,
help text included, and ``check`` hands its own to pytest by the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    import pytest

# The folder a project keeps its snapshots in; the report folder of a full run (every snapshot and region
# group, every scenario, a run that finished), kept in version control; and where any other run reports unless
# told otherwise. A narrowed run never writes the committed folder.
SNAPSHOTS = "policy_snapshots"
COMMITTED = "reports"
NARROWED = "build/policy-report"


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One option of a guarantee run: its name under pytest and under ``check``, and what it takes."""

    flag: str  # the name under pytest
    check: str = ""  # the name under `policyproof check`, when it is not pytest's
    dest: str
    help: str
    metavar: str | None = None
    repeat: bool = False
    switch: bool = False
    choices: tuple[str, ...] | None = None
    path: bool = False  # under `check`, the value is a path
    check_default: object = None
    # Under `check`, the switch (its dest) that makes this option moot: then `check` does not hand it to pytest.
    moot_with: str = ""

    @property
    def check_name(self) -> str:
        """The option's name under ``policyproof check``."""
        return self.check or self.flag

    def _kwargs(self) -> dict[str, Any]:
        if self.switch:
            return {"action": "store_true", "help": self.help}
        kwargs: dict[str, Any] = {"metavar": self.metavar, "help": self.help}
        if self.repeat:
            kwargs |= {"action": "append", "default": []}
        if self.choices is not None:
            kwargs |= {"choices": list(self.choices), "metavar": None}
        return kwargs

    def add_to_pytest(self, group: pytest.OptionGroup) -> None:
        """Add the option to pytest's group of policyproof options."""
        group.addoption(self.flag, dest=self.dest, **self._kwargs())

    def add_to_check(self, parser: argparse.ArgumentParser) -> None:
        """Add the option to ``policyproof check``."""
        kwargs = self._kwargs()
        if self.path:
            kwargs["type"] = Path
        if self.check_default is not None:
            kwargs["default"] = self.check_default
        parser.add_argument(self.check_name, dest=self.dest, **kwargs)

    def for_pytest(self, args: argparse.Namespace) -> list[str]:
        """The option as pytest is given it by ``check``, from ``check``'s own.

        Given as ``--option=value``: pytest finds its root folder before it knows a plugin's options, and would
        take the value of ``--option value`` for a path to test, moving the root to the folder that holds both
        (and away from the project's configuration) when the value is a file elsewhere.
        """
        value = getattr(args, self.dest)
        if self.moot_with and getattr(args, self.moot_with):
            return []
        if self.switch:
            return [self.flag] if value else []
        if self.repeat:
            return [f"{self.flag}={item}" for item in value]
        return [f"{self.flag}={value}"] if value else []


# What a run checks: the snapshots, the region groups, the date.
SCOPE = (
    Option(
        flag="--snapshot",
        dest="policy_snapshot",
        repeat=True,
        metavar="ID",
        help="check against this snapshot (platform@version; repeatable; 'all' for every one; default: the latest "
        "of each platform in force on --as-of)",
    ),
    Option(
        flag="--region",
        dest="policy_region",
        repeat=True,
        metavar="GROUP",
        help="check only this region group (repeatable), e.g. EEA",
    ),
    Option(
        flag="--as-of",
        dest="policy_as_of",
        metavar="DATE",
        help="the date that decides which snapshots are in force and which waivers have expired (default: today; "
        "with --snapshot all, the latest snapshot's date)",
    ),
)
# The files a run reads and writes, and when it fails.
FILES = (
    Option(
        flag="--policy-snapshots",
        check="--snapshots",
        dest="policy_snapshots",
        metavar="DIR",
        path=True,
        check_default=Path(SNAPSHOTS),
        help="the folder of snapshots (default: policy_snapshots/)",
    ),
    Option(
        flag="--policy-report",
        check="--report",
        dest="policy_report",
        metavar="DIR",
        path=True,
        moot_with="no_policy_report",
        help="write the compliance report (Markdown, HTML, JSON, SARIF) here (default: reports/ for a full run: "
        "--snapshot all, no --region or --baseline, every scenario; build/policy-report/ otherwise)",
    ),
    Option(
        flag="--no-policy-report",
        check="--no-report",
        dest="no_policy_report",
        switch=True,
        help="do not write the compliance report",
    ),
    Option(
        flag="--fail-on",
        dest="policy_fail_on",
        repeat=True,
        choices=("unknown",),
        help="also fail where a blocking guarantee's cell is unknown or not covered (the policy or the snapshot "
        "does not say)",
    ),
    Option(
        flag="--waivers",
        dest="policy_waivers",
        metavar="FILE",
        path=True,
        help="the waivers file (default: waivers.yaml; none if it does not exist)",
    ),
    Option(
        flag="--baseline",
        dest="policy_baseline",
        metavar="FILE",
        path=True,
        help="a previous compliance-report.json: fail only on failing cells that were not failing in it",
    ),
    Option(
        flag="--evidence-audit",
        dest="policy_evidence_audit",
        repeat=True,
        metavar="FILE",
        path=True,
        help="an audit.json of policyproof audit, shown in the report's Evidence section (repeatable)",
    ),
)
OPTIONS = (*SCOPE, *FILES)
