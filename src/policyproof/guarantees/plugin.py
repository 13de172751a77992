"""The pytest entry point: policyproof's options, and the guarantee suite in projects that use policyproof.

Installed, policyproof is loaded by every pytest run in its environment (a ``pytest11`` entry point named
``policyproof``). It adds its options there and nothing more unless the project uses it: a
``policy_snapshots`` ini setting or ``--policy-snapshots`` option, a ``policy_snapshots/`` folder at the
root, or ``-p policyproof``. Only then does it register the suite
(:class:`~policyproof.guarantees.suite.PolicyPlugin`: markers, fixtures, hooks) and the step library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees.options import OPTIONS, SNAPSHOTS

if TYPE_CHECKING:
    import pytest

# The names a run may load this module by with -p: the entry point's, and the module's own.
NAMES = frozenset({"policyproof", __name__})


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options that choose what the guarantees are checked against (the table ``policyproof check`` shares)."""
    group = parser.getgroup("policyproof", "policy guarantees")
    for option in OPTIONS:
        option.add_to_pytest(group)
    parser.addini("policy_snapshots", "the folder of policy snapshots, relative to the root", default="")
    parser.addini("policy_waivers", "the waivers file, relative to the root", default="")
    parser.addini("policy_report", "the folder the compliance report is written to, relative to the root", default="")


def uses_policyproof(config: pytest.Config) -> bool:
    """Whether the project checks guarantees: it names a snapshot folder, has one at its root, or asks by -p."""
    option = config.option
    if NAMES.intersection(option.plugins or ()) or option.policy_snapshots or config.getini("policy_snapshots"):
        return True
    return (config.rootpath / SNAPSHOTS).is_dir()


def pytest_configure(config: pytest.Config) -> None:
    """Register the guarantee suite, in a project that uses policyproof only."""
    if uses_policyproof(config):
        # Imported here: elsewhere the suite, the step library and their dependencies are never loaded.
        from policyproof.guarantees.suite import PolicyPlugin  # noqa: PLC0415

        PolicyPlugin.register(config)
