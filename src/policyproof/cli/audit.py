"""``policyproof audit``: judge every use of member data in an evidence folder, or a Fides system's declarations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.cli.common import existing, one_snapshot, policy, which_policy
from policyproof.exceptions import UsageError
from policyproof.untrusted import clean
from policyproof.wording import parse_date

if TYPE_CHECKING:
    import argparse

    from policyproof.audit.run import Options
    from policyproof.cli.common import Commands


def add(commands: Commands) -> None:
    """The command's options."""
    audit = commands.add_parser(
        "audit",
        help="judge every use of member data in an evidence folder (exit 1 when a use breaches the policy)",
        description="Judge every use of member data in the evidence folder (tables members, settings and uses, "
        "as schemas/evidence.md describes them) against the policy; print a table per snapshot, region group and "
        "purpose and write audit.json, breaches.parquet and to-remove.parquet (uses not breaches when made, of "
        "data a later opt-out asks to remove). Exit codes: 0 no use breaches the policy, 1 a use does, 2 a usage or "
        "input error (bad evidence, named by file, column and row), 3 a bug in policyproof, 130 interrupted.",
    )
    audit.add_argument("--evidence", type=Path, metavar="DIR", help="the evidence folder")
    audit.add_argument(
        "--declarations",
        type=Path,
        metavar="FILE",
        help="a Fides system manifest: report every privacy declaration the snapshot does not allow",
    )
    which_policy(audit)
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
    audit.set_defaults(run=run)


def _options(args: argparse.Namespace) -> Options:
    """How the audit runs: the days it judges, the engine and its resources."""
    from policyproof.audit.evidence import Days  # noqa: PLC0415 (keeps `policyproof --help` fast)
    from policyproof.audit.run import Options  # noqa: PLC0415

    return Options(
        days=Days(*(parse_date(text) if text else None for text in (args.first, args.last))),
        engine=args.engine,
        spark_master=args.spark_master,
        memory_limit=args.memory_limit,
        threads=args.threads,
        progress=sys.stderr.isatty(),
    )


def run(args: argparse.Namespace) -> int:
    """Judge every use in the evidence; print the table; exit 0 with no breach, 1 with breaches."""
    from tabulate import tabulate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    from policyproof.audit.results import STATUSES, TABLE_HEADERS  # noqa: PLC0415
    from policyproof.audit.run import audit  # noqa: PLC0415

    if args.snapshot is None and args.platform is None:
        raise UsageError("audit needs --snapshot ID or --platform NAME")
    if (args.evidence is None) == (args.declarations is None):
        raise UsageError("audit needs --evidence DIR or --declarations FILE (one of them)")
    if args.declarations is not None:
        return _declarations(args)
    options = _options(args)
    evidence = existing([args.evidence])[0]
    chosen = policy(args)
    result = audit(evidence, chosen, args.out, options)
    print(clean(tabulate(result.table(chosen.purpose_labels), headers=TABLE_HEADERS)))
    totals = ", ".join(f"{result.total(status)} {status.replace('_', ' ')}" for status in STATUSES)
    print(f"\n{result.checked} uses checked on {result.engine}: {totals}")
    print(f"wrote {args.out / 'audit.json'}, {result.breaches_file} and {result.to_remove_file}")
    return result.exit_code


def _declarations(args: argparse.Namespace) -> int:
    """Hold a Fides system manifest against one snapshot; print the declarations it does not allow."""
    from tabulate import tabulate  # noqa: PLC0415 (keeps `policyproof --help` fast)

    from policyproof.fides.declarations import HEADERS, judge, load_declarations  # noqa: PLC0415

    declarations = load_declarations(existing([args.declarations])[0])
    judged = judge(one_snapshot(args), declarations, args.declarations.as_posix())
    if judged.findings:
        print(clean(tabulate(judged.table(), headers=HEADERS)) + "\n")
    totals = ", ".join(f"{judged.total(status)} {status}" for status in ("breach", "unknown", "unmatched"))
    print(f"{judged.declarations} declaration(s) held against {judged.snapshot}: {totals}")
    return judged.exit_code
