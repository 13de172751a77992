"""What the commands share: exit codes, default folders, the options that name snapshots, and the suite's run."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from policyproof.exceptions import UsageError
from policyproof.guarantees.options import COMMITTED, NARROWED, SNAPSHOTS
from policyproof.snapshot.loader import load_snapshots

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator, Sequence

    from policyproof.audit.policy import Policy
    from policyproof.snapshot.model import Snapshot

# What each command module's ``add`` is given: the parser's sub-commands.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # noqa: SLF001 (argparse names it so only)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_PIPE = 141  # 128 + SIGPIPE, as shells report a command whose reader went away
EXIT_INTERRUPTED = 130  # 128 + SIGINT; the command line's entry point (policyproof.entry) exits so on Ctrl-C
DEFAULT_SNAPSHOTS = Path(SNAPSHOTS)
DEFAULT_FEATURES = Path("features")
# Where ``check`` and ``mutate`` report: the committed folder for a full run, another otherwise (for
# ``check`` the plugin decides which, see policyproof.guarantees.run).
DEFAULT_REPORT = Path(COMMITTED)
NARROWED_REPORT = Path(NARROWED)
_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
# pytest's own plugins that bring a guarantee run nothing but fixtures no library step asks for:
# doctest_namespace, monkeypatch, recwarn, subtests, and tmp_path with (through legacypath) tmpdir. pytest-bdd
# finds a step's definition by going through every fixture name there is, at every step of every scenario,
# so each name left out makes every step cheaper. A project's own step that needs one: `-- -p tmpdir`.
UNUSED_PLUGINS = ("doctest", "monkeypatch", "recwarn", "subtests", "tmpdir")


def existing(paths: Sequence[Path]) -> list[Path]:
    """The paths, each of which must exist."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return list(paths)


def snapshots_folder(parser: argparse.ArgumentParser) -> None:
    """The ``--snapshots`` option: where the snapshots are."""
    parser.add_argument(
        "--snapshots",
        type=Path,
        default=DEFAULT_SNAPSHOTS,
        metavar="DIR",
        help="the folder of snapshots (default: policy_snapshots/)",
    )


def which_policy(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """``--snapshot`` or ``--platform``: the version to judge by, or the one in force on each use's date.

    ``writes`` words them for ``synth``, which writes evidence for the policy rather than judging it.
    """
    which = parser.add_mutually_exclusive_group()
    first = "with neither: the platform whose name comes first"
    if writes:
        snapshot = "write evidence for this snapshot"
        platform = f"write evidence for the versions of this platform ({first})"
    else:
        snapshot = "judge every use against this snapshot"
        platform = f"judge each use against the version of this platform in force on its date ({first}; "
        platform += "--declarations needs one of them)"
    which.add_argument("--snapshot", metavar="ID", help=f"{snapshot} (platform@version)")
    which.add_argument("--platform", metavar="NAME", help=platform)
    snapshots_folder(parser)


def snapshots(args: argparse.Namespace) -> list[Snapshot]:
    """The snapshots of the folder ``--snapshots`` names."""
    return load_snapshots(existing([args.snapshots]), Path.cwd())


def policy(args: argparse.Namespace) -> Policy:
    """The policy ``--snapshot`` or ``--platform`` names."""
    from policyproof.audit.policy import choose  # noqa: PLC0415 (keeps `policyproof --help` fast)

    return choose(snapshots(args), args.snapshot, args.platform)


def one_snapshot(args: argparse.Namespace) -> Snapshot:
    """The snapshot ``--snapshot`` names, or the version of ``--platform`` in force today."""
    import datetime as dt  # noqa: PLC0415

    from policyproof.fides.declarations import choose  # noqa: PLC0415 (keeps `policyproof --help` fast)

    return choose(snapshots(args), args.snapshot, args.platform, dt.datetime.now(dt.UTC).date())


def suite_options(features: Path) -> list[str]:
    """The pytest options of every run of the suite: its folder, and only the plugins it needs."""
    # The folder's test module collects its feature files with scenarios("."), which pytest-bdd reads from
    # bdd_features_base_dir: that is this folder, whatever the project's settings name.
    base = features if features.is_dir() else features.parent
    options = [str(features), "-o", f"bdd_features_base_dir={base.resolve()}"]
    options += ["-p", "no:cacheprovider", "-p", "pytest_bdd.plugin", "-p", "policyproof.guarantees.plugin"]
    return options + [word for name in UNUSED_PLUGINS for word in ("-p", f"no:{name}")]


@contextlib.contextmanager
def own_plugins() -> Iterator[None]:
    """Only the plugins the suite needs while pytest runs it.

    Other plugins installed beside policyproof (hypothesis, for one) cost start-up time and may change how
    pytest behaves. pytest reads the switch from the environment.
    """
    autoload = os.environ.get(_AUTOLOAD)
    os.environ[_AUTOLOAD] = "1"
    try:
        yield
    finally:
        if autoload is None:
            del os.environ[_AUTOLOAD]
        else:
            os.environ[_AUTOLOAD] = autoload


def no_guarantees(features: Path) -> str:
    """Why a folder of guarantees collected nothing."""
    modules = [*features.glob("test_*.py"), *features.glob("*_test.py")] if features.is_dir() else [features]
    if modules:
        return f"no guarantee ran from {features} in this scope"
    return (
        f"{features} has no test module to collect its guarantees: add {features / 'test_guarantees.py'} with "
        "'from pytest_bdd import scenarios' and 'scenarios(\".\")'"
    )
