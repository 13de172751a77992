"""The pytest entry point: policyproof's options, and the guarantee suite in projects that use policyproof.

Installed, policyproof is loaded by every pytest run in its environment (a ``pytest11`` entry point named
``policyproof``). It adds its options there and nothing more unless the project uses it: a
``policy_snapshots`` ini setting or ``--policy-snapshots`` option, a ``policy_snapshots/`` folder at the
root, or ``-p policyproof``. Only then does it register the suite
(:class:`~policyproof.guarantees.suite.PolicyPlugin`: markers, fixtures, hooks) and the step library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

# The names a run may load this module by with -p: the entry point's, and the module's own.
NAMES = frozenset({"policyproof", __name__})
FOLDER = "policy_snapshots"


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


def uses_policyproof(config: pytest.Config) -> bool:
    """Whether the project checks guarantees: it names a snapshot folder, has one at its root, or asks by -p."""
    option = config.option
    if NAMES.intersection(option.plugins or ()) or option.policy_snapshots or config.getini("policy_snapshots"):
        return True
    return (config.rootpath / FOLDER).is_dir()


def pytest_configure(config: pytest.Config) -> None:
    """Register the guarantee suite, in a project that uses policyproof only."""
    if uses_policyproof(config):
        # Imported here: elsewhere the suite, the step library and their dependencies are never loaded.
        from policyproof.guarantees.suite import PolicyPlugin  # noqa: PLC0415

        PolicyPlugin.register(config)
