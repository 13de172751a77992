"""The ``policyproof`` command: parses arguments, calls the library, turns the outcome into an exit code.

Exit codes: 0 all good, 1 something checked does not hold (an invalid snapshot, a failing blocking
guarantee, a mutant that survived and is not accepted, a use of member data that breaches the policy) or,
for ``diff``, the versions differ; 2 a usage or input error (bad evidence among them); 3 a bug in policyproof
(with its traceback); 130 interrupted by Ctrl-C. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof import __version__
from policyproof.engine.decisions import decide
from policyproof.engine.explain import render_decision, unrelated_controls
from policyproof.engine.member import Member, SettingChange
from policyproof.exceptions import PolicyproofError, UnknownNameError, UsageError
from policyproof.snapshot.loader import load_snapshots
from policyproof.snapshot.regions import parse_place
from policyproof.untrusted import clean
from policyproof.wording import parse_date

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence

    from policyproof.audit.policy import Policy
    from policyproof.mutation.mutants import Derived
    from policyproof.snapshot.model import Snapshot

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_PIPE = 141  # 128 + SIGPIPE, as shells report a command whose reader went away
EXIT_INTERRUPTED = 130  # 128 + SIGINT; the command line's entry point (policyproof.entry) exits so on Ctrl-C
DEFAULT_SNAPSHOTS = Path("policy_snapshots")
# Where ``check`` and ``mutate`` report: the committed folder for a full run, another otherwise (for
# ``check`` the plugin decides which, see policyproof.guarantees.run).
DEFAULT_REPORT = Path("reports")
NARROWED_REPORT = Path("build/policy-report")
_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
# pytest's own plugins that bring a guarantee run nothing but fixtures no library step asks for:
# doctest_namespace, monkeypatch, recwarn, subtests, and tmp_path with (through legacypath) tmpdir. pytest-bdd
# finds a step's definition by going through every fixture name there is, at every step of every scenario,
# so each name left out makes every step cheaper. A project's own step that needs one: `-- -p tmpdir`.
UNUSED_PLUGINS = ("doctest", "monkeypatch", "recwarn", "subtests", "tmpdir")


def _existing(paths: Sequence[Path]) -> list[Path]:
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return list(paths)


def run_validate(args: argparse.Namespace) -> int:
    """Validate snapshot files; print each problem on its own line and a summary."""
    from policyproof.snapshot.loader import validate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    paths = _existing(args.paths or [DEFAULT_SNAPSHOTS])
    results = validate(paths, Path.cwd())
    if not results:
        raise UsageError(f"no snapshot files (*.yaml, *.yml) in {', '.join(map(str, paths))}")
    invalid = 0
    for result in results:
        if result.problems:
            invalid += 1
            for problem in result.problems:
                print(problem)
        elif not args.quiet:
            print(clean(f"ok: {result.snapshot_id} ({result.path.as_posix()})"))
        for warning in result.warnings:
            print(clean(warning))
    problems = sum(len(result.problems) for result in results)
    if invalid:
        print(f"{invalid} of {len(results)} snapshot file(s) invalid, {problems} problem(s)", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        print(f"{len(results)} snapshot file(s) valid")
    return EXIT_OK


def _dated(text: str) -> tuple[str, dt.date]:
    """``LABEL@DATE`` as given to --turned-off and its kin."""
    label, at, date = text.rpartition("@")
    if not at or not label:
        raise UsageError(f"'{text}' needs the form LABEL@YYYY-MM-DD")
    return label, parse_date(date)


def run_explain(args: argparse.Namespace) -> int:
    """Print one decision, why it was made, the rule it came from and the sources that support it."""
    snapshots = {s.id: s for s in load_snapshots(_existing([args.snapshots]), Path.cwd())}
    if args.snapshot not in snapshots:
        raise UnknownNameError("snapshot", args.snapshot, sorted(snapshots))
    snapshot = snapshots[args.snapshot]
    member = Member(
        parse_place(args.place, frozenset(g.id for g in snapshot.region_groups)), args.age, args.believed_under_18
    )
    for text, turned_on in [(t, False) for t in args.turned_off] + [(t, True) for t in args.turned_on]:
        label, date = _dated(text)
        member = member.with_change(SettingChange(date, turned_on, control=snapshot.find_control(label).label))
    for text in args.opted_out:
        label, date = _dated(text)
        member = member.with_change(SettingChange(date, False, purpose=snapshot.find_purpose(label).label))
    on = parse_date(args.on)
    decision = decide(snapshot, member, args.data, args.purpose, on)
    question = f"{args.data} for {args.purpose} on {on.isoformat()}"
    print(clean(render_decision(snapshot, decision, question, member.place.shown)))
    changed = [_dated(text)[0] for text in (*args.turned_off, *args.turned_on)]
    for warning in unrelated_controls(snapshot, decision, changed):
        print(clean(warning), file=sys.stderr)
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """Print what changed between two versions; exit 0 when they state the same, 1 when they differ."""
    from policyproof.history.diff import diff  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.history.versions import backwards, pick  # noqa: PLC0415
    from policyproof.report.diff import RENDERERS  # noqa: PLC0415

    old, new = pick(load_snapshots(_existing([args.snapshots]), Path.cwd()), args.versions)
    if warning := backwards(old, new):
        print(warning, file=sys.stderr)
    changes = diff(old, new)
    print(clean(RENDERERS[args.format](changes)), end="")
    return EXIT_OK if changes.identical else EXIT_FAILED


def run_compare(args: argparse.Namespace) -> int:
    """Print the platforms side by side, as the versions in force on the date answer for each place."""
    from policyproof.report.compare import DEFAULT_PLACES, compare  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.report.comparison import RENDERERS  # noqa: PLC0415

    snapshots = load_snapshots(_existing([args.snapshots]), Path.cwd())
    on = parse_date(args.as_of) if args.as_of else None
    print(clean(RENDERERS[args.format](compare(snapshots, args.region or DEFAULT_PLACES, on))), end="")
    return EXIT_OK


def run_steps(_: argparse.Namespace) -> int:
    """Print the step catalogue as Markdown."""
    from policyproof.guarantees import catalogue  # noqa: PLC0415 (imports pytest-bdd, which `check` must let pytest load)

    catalogue.load()
    print(catalogue.markdown(), end="")
    return EXIT_OK


def _suite_options(features: Path, snapshots: Path) -> list[str]:
    """The pytest options of every run of the suite: its folder, and only the plugins it needs."""
    # The folder's test module collects its feature files with scenarios("."), which pytest-bdd reads from
    # bdd_features_base_dir: that is this folder, whatever the project's settings name.
    base = features if features.is_dir() else features.parent
    options = [str(features), "-o", f"bdd_features_base_dir={base.resolve()}"]
    options += ["-p", "no:cacheprovider", "-p", "pytest_bdd.plugin", "-p", "policyproof.guarantees.plugin"]
    options += [word for name in UNUSED_PLUGINS for word in ("-p", f"no:{name}")]
    return [*options, f"--policy-snapshots={snapshots}"]


@contextlib.contextmanager
def _own_plugins() -> Iterator[None]:
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


def _no_guarantees(features: Path) -> str:
    """Why a folder of guarantees collected nothing."""
    modules = [*features.glob("test_*.py"), *features.glob("*_test.py")] if features.is_dir() else [features]
    if modules:
        return f"no guarantee ran from {features} in this scope"
    return (
        f"{features} has no test module to collect its guarantees: add {features / 'test_guarantees.py'} with "
        "'from pytest_bdd import scenarios' and 'scenarios(\".\")'"
    )


def _check_options(args: argparse.Namespace) -> list[str]:
    """The pytest options a ``check`` stands for: the plugins it needs and the suite's own options.

    The suite's options are given as ``--option=value``: pytest finds its root folder before it knows a
    plugin's options, and would take the value of ``--option value`` for a path to test, moving the root to
    the folder that holds both (and away from the project's configuration) when the value is a file elsewhere.
    """
    options = _suite_options(args.features, args.snapshots)
    # Where the report goes, when --report does not say, is the plugin's to decide: only it knows whether
    # pytest's own options narrow the run. The committed folder is reports/, whatever the project's pytest
    # settings name for plain pytest runs.
    options += ["-o", f"policy_report={DEFAULT_REPORT}"]
    if args.no_report:
        options += ["--no-policy-report"]
    elif args.report is not None:
        options += [f"--policy-report={args.report}"]
    options += _evidence_audits(args.evidence_audit)
    named = (("--waivers", args.waivers), ("--baseline", args.baseline), ("--as-of", args.as_of))
    options += [f"{option}={value}" for option, value in named if value]
    repeated = (("--snapshot", args.snapshot), ("--region", args.region), ("--fail-on", args.fail_on))
    options += [f"{option}={value}" for option, values in repeated for value in values]
    if args.workers:
        options += ["-p", "xdist", "-n", str(args.workers)]
    return options


def _evidence_audits(paths: Sequence[Path]) -> list[str]:
    """The --evidence-audit options for pytest; a bad file is a usage error here, before pytest starts."""
    from policyproof.report.evidence import load_audit  # noqa: PLC0415 (only with --evidence-audit)

    options = []
    for path in _existing(paths):
        load_audit(path)
        options += [f"--evidence-audit={path}"]
    return options


def run_check(args: argparse.Namespace) -> int:
    """Run the guarantee suite with pytest; exit 0 when every blocking guarantee holds, 1 when one fails."""
    import pytest  # noqa: PLC0415 (only this command runs pytest)

    features = _existing([args.features])[0]
    if args.waivers is not None:
        _existing([args.waivers])
    with _own_plugins():
        code = int(pytest.main([*_check_options(args), *args.pytest_args]))
    if code in {EXIT_OK, EXIT_FAILED}:
        return code
    # pytest's own codes for interrupted runs (2), internal errors (3) and usage errors (4) are all input or
    # usage errors here.
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print(f"policyproof: error: {_no_guarantees(features)}", file=sys.stderr)
    return EXIT_USAGE


def run_lint_features(args: argparse.Namespace) -> int:
    """Collect the guarantees without running them; print each mistake; exit 1 when there is one."""
    from policyproof.guarantees.lint import lint  # noqa: PLC0415 (imports pytest, which only this needs here)

    features = _existing([args.features])[0]
    _existing([args.snapshots])
    with _own_plugins():
        linted = lint([*_suite_options(features, args.snapshots), "--snapshot=all", "--no-policy-report"])
    for problem in linted.problems:
        print(clean(problem))
    if linted.problems:
        print(f"{len(linted.problems)} module(s) of guarantees refused", file=sys.stderr)
        return EXIT_FAILED
    if not linted.collected:
        raise UsageError(_no_guarantees(features))
    if not args.quiet:
        print(f"{linted.collected} scenario run(s) collected from {features}, no mistake found")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    """Write a new project: pytest settings, a guarantee, a snapshot, waivers, pre-commit and CI."""
    from policyproof.starter.project import write_project  # noqa: PLC0415 (keeps `policyproof --help` fast)

    for path in write_project(args.folder, force=args.force):
        print(f"wrote {path.as_posix()}")
    here = args.folder.resolve() == Path.cwd().resolve()
    print("next: pytest" if here else f"next: cd {args.folder.as_posix()} && pytest")
    return EXIT_OK


class _Progress:
    """A progress bar on a terminal; nothing in CI or when the output is not a terminal."""

    WIDTH = 30

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} mutants", end=end, file=sys.stderr)


def _print_derived(derived: Sequence[Derived]) -> None:
    """Operators that found nothing to break, and mutants discarded as invalid, with the reason."""
    for found in derived:
        for name in found.empty:
            print(clean(f"{found.snapshot}: operator {name} yields no mutant (nothing it could break is stated)"))
        for discarded in found.discarded:
            print(
                clean(
                    f"{discarded.id}: discarded, the mutant would be invalid ({discarded.sentence}): {discarded.reason}"
                )
            )


def run_mutate(args: argparse.Namespace) -> int:
    """Derive mutants of the snapshots, run the suite on each, print who killed what; exit 1 on a survivor."""
    from policyproof.files import check_folder  # noqa: PLC0415
    from policyproof.mutation.accepted import load_accepted  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.mutation.mutants import choose_operators  # noqa: PLC0415
    from policyproof.mutation.project import derive_all, load_originals  # noqa: PLC0415
    from policyproof.mutation.runner import Executor, run_mutants  # noqa: PLC0415
    from policyproof.mutation.suite import load_suite  # noqa: PLC0415
    from policyproof.mutation.summary import summarise, table  # noqa: PLC0415
    from policyproof.report.strength import NAMES, write_strength  # noqa: PLC0415

    started = time.perf_counter()
    root = Path.cwd()
    features = _existing([args.features])[0]
    narrowing = [f"--snapshot {snapshot}" for snapshot in args.snapshot if "all" not in args.snapshot]
    narrowing += [f"--operator {operator}" for operator in args.operator]
    narrowed = bool(narrowing)
    folder = None if args.no_report else args.report or (NARROWED_REPORT if narrowed else DEFAULT_REPORT)
    if folder is not None:
        check_folder(folder, NAMES)
    operators = choose_operators(args.operator)
    originals = load_originals(_existing([args.snapshots])[0], root)
    accepted = load_accepted(args.accepted, args.accepted.as_posix())
    derived = derive_all(originals, args.snapshot, operators)
    executor = Executor(load_suite(features, root), [snapshot for _, snapshot in originals])
    mutants = [mutant for found in derived for mutant in found.mutants]
    results = run_mutants(executor, mutants, workers=args.workers, source=(features, root), progress=_Progress())
    _print_derived(derived)
    if results:
        print(clean(table(results, accepted)))
    summary = summarise(
        derived, results, accepted, executor.guarantees, [op.name for op in operators], narrowed=narrowing
    )
    for score in summary.strength.scores:
        print(f"mutation score {score.sentence()}")
    for line in summary.strength.stale:
        print(f"stale: {line}")
    idle = "killed nothing in this narrowed run" if narrowed else "killed nothing"
    for guarantee in summary.strength.idle_guarantees:
        print(f"{idle}: {guarantee}")
    if folder is not None:
        for path in write_strength(summary.strength, folder):
            print(f"report written: {path.as_posix()}")
    elapsed = time.perf_counter() - started
    print(f"{len(results)} mutant(s) checked in {elapsed:.1f}s on {max(args.workers, 1)} process(es)")
    for mutant in summary.unaccepted:
        print(clean(f"survived and not accepted in {args.accepted.as_posix()}: {mutant}"), file=sys.stderr)
    return EXIT_FAILED if summary.unaccepted else EXIT_OK


def _policy(args: argparse.Namespace) -> Policy:
    from policyproof.audit.policy import choose  # noqa: PLC0415 (keeps `policyproof --help` fast)

    snapshots = load_snapshots(_existing([args.snapshots]), Path.cwd())
    return choose(snapshots, args.snapshot, args.platform)


def run_audit(args: argparse.Namespace) -> int:
    """Judge every use in the evidence; print the table; exit 0 with no breach, 1 with breaches."""
    from tabulate import tabulate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    from policyproof.audit.evidence import Days  # noqa: PLC0415
    from policyproof.audit.results import STATUSES, TABLE_HEADERS  # noqa: PLC0415
    from policyproof.audit.run import Options, audit  # noqa: PLC0415

    if args.snapshot is None and args.platform is None:
        raise UsageError("audit needs --snapshot ID or --platform NAME")
    if (args.evidence is None) == (args.declarations is None):
        raise UsageError("audit needs --evidence DIR or --declarations FILE (one of them)")
    if args.declarations is not None:
        return _audit_declarations(args)
    days = Days(*(parse_date(text) if text else None for text in (args.first, args.last)))
    if days.first and days.last and days.first > days.last:
        raise UsageError(f"--from {days.first} is after --to {days.last}: no day would be audited")
    options = Options(
        days=days,
        engine=args.engine,
        spark_master=args.spark_master,
        memory_limit=args.memory_limit,
        threads=args.threads,
        progress=sys.stderr.isatty(),
    )
    evidence = _existing([args.evidence])[0]
    policy = _policy(args)
    result = audit(evidence, policy, args.out, options)
    print(clean(tabulate(result.table(policy.purpose_labels), headers=TABLE_HEADERS)))
    totals = ", ".join(f"{result.total(status)} {status.replace('_', ' ')}" for status in STATUSES)
    print(f"\n{result.checked} uses checked on {result.engine}: {totals}")
    print(f"wrote {args.out / 'audit.json'}, {result.breaches_file} and {result.to_remove_file}")
    return result.exit_code


def _audit_declarations(args: argparse.Namespace) -> int:
    """Hold a Fides system manifest against one snapshot; print the declarations it does not allow."""
    from tabulate import tabulate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    from policyproof.fides.declarations import HEADERS, judge, load_declarations  # noqa: PLC0415

    declarations = load_declarations(_existing([args.declarations])[0])
    judged = judge(_one_snapshot(args), declarations, args.declarations.as_posix())
    if judged.findings:
        print(clean(tabulate(judged.table(), headers=HEADERS)) + "\n")
    totals = ", ".join(f"{judged.total(status)} {status}" for status in ("breach", "unknown", "unmatched"))
    print(f"{judged.declarations} declaration(s) held against {judged.snapshot}: {totals}")
    return judged.exit_code


def _one_snapshot(args: argparse.Namespace) -> Snapshot:
    """The snapshot --snapshot names, or the version of --platform in force today."""
    import datetime as dt  # noqa: PLC0415

    from policyproof.fides.declarations import choose  # noqa: PLC0415

    snapshots = load_snapshots(_existing([args.snapshots]), Path.cwd())
    return choose(snapshots, args.snapshot, args.platform, dt.datetime.now(dt.UTC).date())


def run_export(args: argparse.Namespace) -> int:
    """Write a snapshot as a Fides policy: per region group, what it never uses or excludes."""
    from policyproof.fides.policy import fides_policy, manifest  # noqa: PLC0415 (keeps `policyproof --help` fast)

    args.platform = None
    text = manifest(fides_policy(_one_snapshot(args)))
    if args.out is None:
        print(text, end="")
    else:
        from policyproof.files import write_atomic  # noqa: PLC0415

        write_atomic(args.out, text)
        print(f"wrote {args.out.as_posix()}")
    return EXIT_OK


def run_synth(args: argparse.Namespace) -> int:
    """Write synthetic evidence with planted breaches and their truth."""
    from policyproof.audit.synth import synthesise  # noqa: PLC0415 (keeps `policyproof --help` fast)

    if min(args.members, args.uses, args.breaches) < 0:
        raise UsageError("--members, --uses and --breaches count rows: give 0 or more")
    if args.uses and not args.members:
        raise UsageError(f"--uses {args.uses} needs members whose data they use: give --members 1 or more")
    if not args.uses and not args.breaches:
        raise UsageError("--uses 0 and --breaches 0 would write no use, which the audit refuses: give one of them")
    result = synthesise(
        _policy(args),
        args.out,
        members=args.members,
        uses=args.uses,
        seed=args.seed,
        per_reason=args.breaches,
        by_day=args.partition_by == "day",
    )
    print(
        f"wrote {result.members} members and {result.uses} uses to {args.out}, {len(result.planted)} planted breaches"
    )
    if result.impossible:
        print(f"the policy cannot be breached for: {', '.join(result.impossible)} (none planted)")
    return EXIT_OK


def _snapshots_folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--snapshots",
        type=Path,
        default=DEFAULT_SNAPSHOTS,
        metavar="DIR",
        help="the folder of snapshots (default: policy_snapshots/)",
    )


def _mutate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mutate = commands.add_parser(
        "mutate",
        help="break each snapshot on purpose, one promise at a time, and show which guarantees notice",
        description="Derive mutants (one deliberate breach each) from every snapshot, run the guarantee suite on "
        "each, and print which guarantees killed it. Exit codes: 0 every mutant killed or accepted, 1 a mutant "
        "survived that mutants-accepted.yaml does not accept, 2 a usage or input error.",
    )
    mutate.add_argument(
        "--snapshot",
        action="append",
        default=[],
        metavar="ID",
        help="derive mutants of this snapshot (repeatable; default: every snapshot)",
    )
    mutate.add_argument(
        "--operator", action="append", default=[], metavar="NAME", help="use only this operator (repeatable)"
    )
    mutate.add_argument(
        "--features", type=Path, default=Path("features"), metavar="DIR", help="the folder of guarantees"
    )
    _snapshots_folder(mutate)
    mutate.add_argument(
        "--accepted",
        type=Path,
        default=Path("mutants-accepted.yaml"),
        metavar="FILE",
        help="the accepted survivors (default: mutants-accepted.yaml; none if it does not exist)",
    )
    mutate.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write the section 'How strong is this suite' here (default: reports/; build/policy-report/ when "
        "--snapshot or --operator narrows the run)",
    )
    mutate.add_argument("--no-report", action="store_true", help="do not write the section")
    mutate.add_argument("-n", "--workers", type=int, default=1, metavar="N", help="run on N worker processes")
    mutate.set_defaults(run=run_mutate)


def _compare_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    side = commands.add_parser(
        "compare",
        help="set the platforms side by side: who uses member data for what, where, and how to stop it",
        description="Each platform's answer as the version in force on the date states it, for a member in each "
        "place, per purpose, each answer with its rule (file:line) and sources. Exit codes: 0, or 2 an error.",
    )
    side.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="PLACE",
        help="a region group id, a country or the EU/EEA (repeatable; default: EEA, UK, US)",
    )
    side.add_argument("--as-of", metavar="DATE", help="the date whose versions answer, YYYY-MM-DD (default: today)")
    side.add_argument("--format", choices=("md", "json", "html"), default="md", help="the output form (default: md)")
    _snapshots_folder(side)
    side.set_defaults(run=run_compare)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="policyproof",
        description="Check platform data-use policy snapshots against the guarantees members are given.",
    )
    parser.add_argument("--version", action="version", version=f"policyproof {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="validate policy snapshots against the schema and each other")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="snapshot files or folders (default: policy_snapshots/)",
    )
    validate.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    validate.set_defaults(run=run_validate)

    explain = commands.add_parser("explain", help="decide one question and print why")
    explain.add_argument("--snapshot", required=True, metavar="ID", help="the snapshot, platform@version")
    explain.add_argument("--place", required=True, help="a country name or ISO code, or a region group id")
    explain.add_argument("--data", required=True, metavar="CATEGORY", help="a data category label")
    explain.add_argument("--purpose", required=True, help="a purpose label")
    explain.add_argument("--on", required=True, metavar="DATE", help="the date of the use, YYYY-MM-DD")
    explain.add_argument("--age", type=int, help="the member's age, as the platform knows it")
    explain.add_argument("--believed-under-18", action="store_true", help="the platform believes the member is a minor")
    explain.add_argument(
        "--turned-off",
        action="append",
        default=[],
        metavar="CONTROL@DATE",
        help="the member turned this control off on this date (repeatable)",
    )
    explain.add_argument(
        "--turned-on",
        action="append",
        default=[],
        metavar="CONTROL@DATE",
        help="the member turned this control on on this date (repeatable)",
    )
    explain.add_argument(
        "--opted-out",
        action="append",
        default=[],
        metavar="PURPOSE@DATE",
        help="the member opted out of this purpose on this date (repeatable)",
    )
    _snapshots_folder(explain)
    explain.set_defaults(run=run_explain)

    diff = commands.add_parser(
        "diff",
        help="say what changed between two versions of a platform's policy (exit 1 when they differ)",
        description="What changed, per purpose and region: a semantic diff, not a text diff. "
        "Exit codes: 0 the versions state the same, 1 they differ, 2 an error.",
    )
    diff.add_argument(
        "versions",
        nargs="+",
        metavar="VERSION",
        help="two snapshots (platform@version platform@version), or a platform for its latest two versions",
    )
    diff.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="the output form (default: text)"
    )
    _snapshots_folder(diff)
    diff.set_defaults(run=run_diff)

    _compare_parser(commands)

    steps = commands.add_parser("steps", help="print the step catalogue for writing guarantees, as Markdown")
    steps.set_defaults(run=run_steps)

    check = commands.add_parser("check", help="run the guarantee suite")
    check.add_argument(
        "--snapshot",
        action="append",
        default=[],
        metavar="ID",
        help="check this snapshot (repeatable; 'all' for every one; default: those in force)",
    )
    check.add_argument("--region", action="append", default=[], metavar="GROUP", help="check only this region group")
    check.add_argument("--as-of", metavar="DATE", help="the date that decides which snapshots are in force")
    check.add_argument(
        "--features",
        type=Path,
        default=Path("features"),
        metavar="DIR",
        help="the folder of guarantees (default: features/)",
    )
    _snapshots_folder(check)
    check.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write the compliance report here (default: reports/ with --snapshot all and no --region or "
        "--baseline; build/policy-report/ otherwise)",
    )
    check.add_argument("--no-report", action="store_true", help="do not write the compliance report")
    check.add_argument(
        "--fail-on",
        action="append",
        default=[],
        choices=["unknown"],
        help="also fail where a blocking guarantee's cell is unknown (the policy does not say)",
    )
    check.add_argument("--waivers", type=Path, metavar="FILE", help="the waivers file (default: waivers.yaml)")
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="a previous compliance-report.json: fail only on failing cells that were not failing in it",
    )
    check.add_argument(
        "--evidence-audit",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="an audit.json of policyproof audit, shown in the report's Evidence section (repeatable)",
    )
    check.add_argument("-n", "--workers", type=int, metavar="N", help="run on N processes (pytest-xdist)")
    check.add_argument(
        "pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS", help="further pytest options, after --"
    )
    check.set_defaults(run=run_check)

    _mutate_parser(commands)
    _audit_commands(commands)
    _adoption_commands(commands)
    return parser


def _adoption_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``export``, ``init`` and ``lint-features`` commands."""
    export = commands.add_parser(
        "export",
        help="write a snapshot in another tool's form: a Fides policy of what it never uses or excludes",
        description="Write SNAPSHOT as a fideslang policy manifest: per region group, rules matching what the "
        "snapshot says is never used or excluded.",
    )
    export.add_argument("format", choices=("fides",), help="the form to write")
    export.add_argument("snapshot", metavar="SNAPSHOT", help="the snapshot, platform@version")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: print it)")
    _snapshots_folder(export)
    export.set_defaults(run=run_export)

    init = commands.add_parser(
        "init",
        help="start a project that checks guarantees: pytest settings, a guarantee, a snapshot, pre-commit, CI",
        description="Write a working project into DIR. Exit codes: 0 written, 2 a file exists already "
        "(nothing is written) or another usage error.",
    )
    init.add_argument("folder", nargs="?", type=Path, default=Path(), metavar="DIR", help="where (default: here)")
    init.add_argument("--force", action="store_true", help="write over files that exist already")
    init.set_defaults(run=run_init)

    lint_features = commands.add_parser(
        "lint-features",
        help="check the guarantees without running them: undefined steps, unknown labels and places, tags, ids",
        description="Collect the guarantee suite against every snapshot, running no scenario. Exit codes: 0 no "
        "mistake, 1 a mistake (each printed with its file:line), 2 a usage or input error.",
    )
    lint_features.add_argument(
        "--features", type=Path, default=Path("features"), metavar="DIR", help="the folder of guarantees"
    )
    _snapshots_folder(lint_features)
    lint_features.add_argument("-q", "--quiet", action="store_true", help="print mistakes only")
    lint_features.set_defaults(run=run_lint_features)


def _audit_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``audit`` and ``synth`` commands."""
    audit = commands.add_parser(
        "audit",
        help="judge every use of member data in an evidence folder (exit 1 when a use breaches the policy)",
        description="Judge every use of member data in the evidence folder (tables members, settings and uses, "
        "as schemas/evidence.md describes them) against the policy; print a table per snapshot, region group and "
        "purpose and write audit.json and breaches.parquet. Exit codes: 0 no use breaches the policy, 1 a use "
        "does, 2 a usage or input error (bad evidence, named by file, column and row), 3 a bug in policyproof, "
        "130 interrupted.",
    )
    audit.add_argument("--evidence", type=Path, metavar="DIR", help="the evidence folder")
    audit.add_argument(
        "--declarations",
        type=Path,
        metavar="FILE",
        help="a Fides system manifest: report every privacy declaration the snapshot does not allow",
    )
    _which_policy(audit)
    audit.add_argument(
        "--out", type=Path, default=Path("build/audit"), metavar="DIR", help="where to write (default: build/audit/)"
    )
    audit.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", help="the engine (default: duckdb)")
    audit.add_argument(
        "--spark-master", default="local[*]", metavar="URL", help="Spark's master URL (default: local[*])"
    )
    audit.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="DuckDB's memory limit, and the memory of the Spark driver the audit starts, e.g. 4GB "
        "(default: DuckDB's 80%% of RAM, Spark's 1GB)",
    )
    audit.add_argument("--threads", type=int, metavar="N", help="DuckDB's threads (default: one a core)")
    audit.add_argument(
        "--from", dest="first", metavar="DATE", help="judge only uses on or after this day (UTC date of used_at)"
    )
    audit.add_argument("--to", dest="last", metavar="DATE", help="judge only uses on or before this day (UTC date)")
    audit.set_defaults(run=run_audit)

    synth = commands.add_parser("synth", help="write synthetic evidence with planted breaches and a truth.json")
    synth.add_argument("--out", required=True, type=Path, metavar="DIR", help="the evidence folder to write")
    synth.add_argument(
        "--members", required=True, type=int, metavar="N", help="how many members, besides the planted ones"
    )
    synth.add_argument("--uses", required=True, type=int, metavar="M", help="how many uses, besides the planted ones")
    synth.add_argument("--seed", type=int, default=0, metavar="S", help="the random seed (default: 0)")
    synth.add_argument("--breaches", type=int, default=10, metavar="K", help="planted breaches a reason (default: 10)")
    synth.add_argument(
        "--partition-by",
        choices=("day",),
        help="write the uses as uses/date=YYYY-MM-DD/*.parquet, one folder a day (default: one uses.parquet)",
    )
    _which_policy(synth)
    synth.set_defaults(run=run_synth)


def _which_policy(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--snapshot", metavar="ID", help="judge every use against this snapshot (platform@version)")
    which.add_argument(
        "--platform", metavar="NAME", help="judge each use against the version of this platform in force on its date"
    )
    _snapshots_folder(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()  # a reader gone is met here when the whole output fitted in the buffer
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end as a command in a pipe does, quietly, with SIGPIPE's code.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    except PolicyproofError as error:
        for line in str(error).splitlines():
            print(clean(f"policyproof: error: {line}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("policyproof: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # noqa: BLE001 (a bug: its traceback, and a code no outcome of a check has)
        traceback.print_exc()
        print("policyproof: internal error (a bug in policyproof; the traceback is above)", file=sys.stderr)
        return EXIT_INTERNAL
    return code
