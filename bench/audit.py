"""How fast the evidence audit runs and how much memory it takes: DuckDB, Spark local, and decide() in Python.

Generates synthetic evidence (policyproof synth, DuckDB SQL straight into Parquet) of each size, then runs
each engine in a child process of its own, so its peak memory (resident set, with the JVM for Spark) is
measured alone. Prints uses per second for the whole audit (checking the evidence, starting the engine,
judging every use, writing the summary and breaches.parquet) and for judging alone (reading the tables,
the setting timelines and the one pass over the uses), decide()'s rate on a sample in a plain Python loop,
and how the time grew from the smallest size to the largest. Beside them it times an expert's floor (the
uses joined to their members and setting intervals, counted by cell: no check, verdict or output) and
prints the whole DuckDB audit against it, and Spark against DuckDB, in wall time and processor time. Sizes
are given on the command line; the defaults are the figures quoted in the README.

    python bench/audit.py --sizes 10000000 100000000 --spark-sizes 10000000 100000000 --memory-limit 4GB
    python bench/audit.py --stages --work DIR   # where the DuckDB pass spends its time, on evidence made before
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from policyproof.audit import query, validation
from policyproof.audit.engines import DuckDB, Engine
from policyproof.audit.evidence import locate
from policyproof.audit.policy import Policy, choose
from policyproof.audit.reference import Change, Person, judge
from policyproof.audit.run import judge_uses, prepare
from policyproof.audit.spark import Spark
from policyproof.audit.sql import bind
from policyproof.audit.synth import synthesise
from policyproof.snapshot.loader import load_snapshots

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = 20_000  # uses judged by decide() in the Python loop


def policy() -> Policy:
    """Every version of LinkedIn's policy, as the audit judges by version in force."""
    return choose(load_snapshots([ROOT / "policy_snapshots"]), platform="linkedin")


def floor(folder: Path, memory_limit: str | None) -> dict[str, Any]:
    """An expert's floor on DuckDB: the uses joined to their members and setting intervals, counted by cell.

    The least any audit must do on the same files: read the uses, find each one's member and cell and the
    interval of the member's settings it falls in, and count. Nothing is checked, judged or written; the
    policy's small tables (cells by country, the controls each cell's settings concern) are given to it.
    """
    the_policy = policy()
    tables = {table.name: table.files for table in locate(folder).tables}
    with DuckDB(memory_limit=memory_limit) as duck:
        started, processor = time.perf_counter(), _processor()
        for name, data in the_policy.tables().items():
            duck.load(name, data)
        counted = duck.rows(
            bind(
                f"""
WITH intervals AS (
  SELECT s.member_id, c.cset, s.changed_at AS start_at, s.state,
         LEAD(s.changed_at) OVER (PARTITION BY s.member_id, c.cset ORDER BY s.changed_at) AS end_at
  FROM read_parquet(:settings) AS s JOIN concerns AS c ON c.control = s.control
), placed AS ({query.PLACED})
SELECT p.cell, t.state, COUNT(*) AS uses
FROM read_parquet(:uses) AS u
JOIN read_parquet(:members) AS m ON m.member_id = u.member_id
LEFT JOIN placed AS p ON p.snap = {the_policy.version_sql("CAST(u.used_at AS DATE)")} AND p.country = m.country
 AND p.purpose = u.purpose AND p.category = u.category
LEFT JOIN intervals AS t ON t.member_id = u.member_id AND t.cset = p.cset
 AND t.start_at <= u.used_at AND (t.end_at IS NULL OR u.used_at < t.end_at)
GROUP BY ALL
""",
                **tables,
            )
        )
        done, used = _since(started, processor)
    uses = sum(int(row[-1]) for row in counted)
    return {"uses": uses, "breaches": 0, "total": done, "check": 0.0, "judge": done, "write": 0.0, "processor": used}


def one(engine: str, folder: Path, memory_limit: str | None) -> dict[str, Any]:
    """Audit once on one engine (in this process), stage by stage as ``audit()`` runs them; the seconds of each."""
    the_policy = policy()
    evidence = locate(folder)
    out = folder.parent / f"out-{engine}-{folder.name}"
    out.mkdir(parents=True, exist_ok=True)
    with DuckDB(memory_limit=memory_limit) as duck:
        started, processor = time.perf_counter(), _processor()
        # As audit() does: Spark's JVM starts on a thread of its own while DuckDB checks the evidence.
        chosen: Engine = duck if engine == "duckdb" else Spark(master="local[2]", memory=memory_limit)
        naive = validation.check(evidence, the_policy, duck)
        checked = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=out) as work:
            prepare(chosen, evidence.tables, the_policy, naive, small=duck, work=Path(work))
            counted = judge_uses(chosen)
            judged = time.perf_counter()
            chosen.write_parquet(query.BREACHES, out / "breaches.parquet")
            done, used = time.perf_counter(), _processor() - processor  # Spark's JVM counted before it stops
        if chosen is not duck:
            chosen.close()
    uses = sum(int(row[-1]) for row in counted)
    breaches = sum(int(row[-1]) for row in counted if row[3] == "breach")
    return {
        "uses": uses,
        "breaches": breaches,
        "total": done - started,
        "check": checked - started,
        "judge": judged - checked,  # the tables, the setting timelines, the pass over the uses (and Spark's start)
        "write": done - judged,
        "processor": used,
    }


# The pass over the uses, cut down to less and less of what it does: how much of DuckDB's time each part takes.
STAGES = (
    (
        "read the four columns a verdict needs",
        "SELECT COUNT(*), SUM(LENGTH(member_id) + LENGTH(category) + LENGTH(purpose)), SUM(EPOCH(used_at)) FROM uses",
    ),
    (
        "... and find each use's member",
        (
            "SELECT COUNT(m.country), SUM(LENGTH(u.category) + LENGTH(u.purpose)), SUM(EPOCH(u.used_at)) "
            "FROM uses AS u LEFT JOIN members AS m ON m.member_id = u.member_id"
        ),
    ),
    ("... and find its cell and setting interval, counted by cell", "SELECT cell, COUNT(*) FROM judging GROUP BY cell"),
    (
        "... and judge it, counted by cell and reason",
        "SELECT cell, reason, COUNT(*) FROM judging GROUP BY cell, reason",
    ),
    ("the audit's pass: counted by version, cell and reason, breaches whole", query.TALLY),
)


def stages(folder: Path, memory_limit: str | None, runs: int = 2) -> dict[str, Any]:
    """Time the audit's pass on DuckDB and the cut-down passes of ``STAGES``: best of ``runs``, wall and processor."""
    the_policy = policy()
    evidence = locate(folder)
    figures: dict[str, Any] = {"uses": 0, "stages": []}
    with DuckDB(memory_limit=memory_limit) as duck:
        naive = validation.check(evidence, the_policy, duck)
        started, processor = time.perf_counter(), _processor()
        prepare(duck, evidence.tables, the_policy, naive)
        figures["stages"].append(("build the policy tables and setting timelines", *_since(started, processor)))
        figures["uses"] = duck.rows("SELECT COUNT(*) FROM uses")[0][0]
        for name, sql in STAGES:
            best = min(_timed(duck, sql) for _ in range(runs))
            figures["stages"].append((name, *best))
    return figures


def _timed(duck: DuckDB, sql: str) -> tuple[float, float]:
    started, processor = time.perf_counter(), _processor()
    duck.rows(sql)
    return _since(started, processor)


def _processor() -> float:
    """Processor seconds this process and those it started (Spark's JVM) have used so far, from /proc (Linux).

    On a machine shared with others, wall time grows with their load; processor time much less so.
    """
    ticks = 0
    for pid in _family(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def _since(started: float, processor: float) -> tuple[float, float]:
    """Seconds and processor seconds since the given readings."""
    return time.perf_counter() - started, _processor() - processor


def python_loop(folder: Path) -> dict[str, Any]:
    """decide() on a sample of uses in a plain Python loop; only the sample's members and settings are read."""
    the_policy = policy()
    with DuckDB() as duck:
        duck.define(
            "sample",
            bind(
                "SELECT member_id, category, purpose, used_at FROM read_parquet(:uses) "
                f"USING SAMPLE reservoir({SAMPLE} ROWS) REPEATABLE (1)",
                uses=str(folder / "uses.parquet"),
            ),
            materialise=True,
        )
        uses = duck.rows("SELECT * FROM sample")
        sampled = "WHERE member_id IN (SELECT member_id FROM sample)"
        members = {
            row[0]: Person(row[1], row[2], row[3])
            for row in duck.rows(
                f"SELECT * FROM read_parquet($file) {sampled}", {"file": str(folder / "members.parquet")}
            )
        }
        settings: dict[str, list[Change]] = {}
        for member_id, control, state, at in duck.rows(
            f"SELECT * FROM read_parquet($file) {sampled}", {"file": str(folder / "settings.parquet")}
        ):
            settings.setdefault(member_id, []).append(Change(control, state, at))
    started = time.perf_counter()
    for member_id, category, purpose, used_at in uses:
        judge(
            the_policy,
            members.get(member_id),
            settings.get(member_id, ()),
            category=category,
            purpose=purpose,
            used_at=used_at,
        )
    seconds = time.perf_counter() - started
    return {"uses": len(uses), "total": seconds, "check": 0.0, "judge": seconds, "write": 0.0}


def measured(args: list[str], work: Path) -> tuple[dict[str, Any], float]:
    """Run this script on one measurement in a child process; its figures and its peak memory in GB.

    The peak is the most that the child and every process it started (Spark's JVM, which nobody waits for,
    so wait4 would not count it) held resident at once, read from /proc every tenth of a second (Linux).
    """
    output = work / "figures.json"
    with output.open("w") as sink:
        child = subprocess.Popen([sys.executable, __file__, *args], stdout=sink)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _resident(_family(child.pid)))
            time.sleep(0.1)
    if child.returncode != 0:
        raise SystemExit(f"the measurement {args} failed ({child.returncode})")
    figures = json.loads(output.read_text().strip().splitlines()[-1])
    return figures, peak / 1024**3


def _family(root: int) -> list[int]:
    """The process and all its descendants, from each process's parent in /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    family, queue = [], [root]
    while queue:
        pid = queue.pop()
        family.append(pid)
        queue.extend(parents.get(pid, []))
    return family


def _resident(pids: list[int]) -> int:
    """Bytes the processes hold resident together."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def measure(engine: str, folder: Path, memory_limit: str | None) -> dict[str, Any]:
    """One measurement's figures, taken in this process."""
    if engine == "stages":
        return stages(folder, memory_limit)
    if engine == "python":
        return python_loop(folder)
    if engine == "floor":
        return floor(folder, memory_limit)
    return one(engine, folder, memory_limit)


def main() -> None:
    """Generate, measure and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000_000, 100_000_000],
        help="uses to audit (default: 10000000 100000000)",
    )
    parser.add_argument(
        "--spark-sizes",
        type=int,
        nargs="*",
        default=[10_000_000, 100_000_000],
        help="the sizes Spark audits too (default: 10000000 100000000; the option alone leaves Spark out)",
    )
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB's memory_limit (default: 4GB)")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "bench-audit",
        help="where the evidence is made and kept between runs (default: build/bench-audit/)",
    )
    parser.add_argument("--stages", action="store_true", help="where DuckDB's pass spends its time, stage by stage")
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, folder = args.one
        print(json.dumps(measure(engine, Path(folder), args.memory_limit)))
        return
    if args.stages:
        print_stages(args)
        return
    print(
        f"policyproof audit benchmark: DuckDB memory_limit {args.memory_limit}, "
        f"Spark local[2] with {args.memory_limit} of driver memory, 2 cores"
    )
    print(
        f"{'uses':>12} {'engine':>8} {'whole audit':>12} {'uses/s':>12} {'check':>7} {'judging':>9} {'uses/s':>12} "
        f"{'write':>7} {'processor':>10} {'peak GB':>8}"
    )
    seconds: dict[str, list[tuple[int, float, float]]] = {}
    for size in args.sizes:
        total: dict[str, float] = {}  # the engines measured at this size only
        processor: dict[str, float] = {}
        folder = args.work / f"evidence-{size}"
        if not (folder / "truth.json").exists():
            started = time.perf_counter()
            synthesise(policy(), folder, members=max(size // 20, 1), uses=size, seed=1)
            print(f"generated {size:,} uses in {time.perf_counter() - started:.1f} s")
        engines = ["floor", "duckdb", *(["spark"] if size in args.spark_sizes else []), "python"]
        for engine in engines:
            figures, peak = measured(["--one", engine, str(folder), "--memory-limit", args.memory_limit], args.work)
            seconds.setdefault(engine, []).append((figures["uses"], figures["total"], figures["judge"]))
            total[engine] = figures["total"]
            processor[engine] = figures.get("processor", 0.0)
            whole = figures["uses"] / figures["total"]
            judging = figures["uses"] / figures["judge"]
            print(
                f"{figures['uses']:>12,} {engine:>8} {figures['total']:>10.1f} s {whole:>12,.0f} "
                f"{figures['check']:>5.1f} s {figures['judge']:>7.1f} s {judging:>12,.0f} "
                f"{figures.get('write', 0.0):>5.1f} s {processor[engine]:>8.1f} s {peak:>8.2f}",
                flush=True,
            )
        print_ratios(size, total, processor)
    for engine, runs in seconds.items():
        if engine not in {"python", "floor"} and len(runs) > 1:
            (small, small_total, small_judge), (big, big_total, big_judge) = runs[0], runs[-1]
            print(
                f"{engine}: {big / small:.1f} x the uses took {big_total / small_total:.2f} x the time "
                f"({big_judge / small_judge:.2f} x for judging)"
            )


def print_ratios(size: int, total: dict[str, float], processor: dict[str, float]) -> None:
    """The whole DuckDB audit against the floor, and Spark's against DuckDB's, at one size: wall and processor time.

    The two engines are measured one after the other; on a machine shared with others the load may differ
    between them, which processor time feels less than wall time.
    """
    for clock, figures in (("time", total), ("processor time", processor)):
        ratio = figures["duckdb"] / figures["floor"]
        print(f"{size:,} uses, {clock}: DuckDB's whole audit takes {ratio:.2f} x the floor", end="")
        if "spark" in figures:
            print(f"; Spark's takes {figures['spark'] / figures['duckdb']:.2f} x DuckDB's", end="")
        print(flush=True)


def print_stages(args: argparse.Namespace) -> None:
    """Where DuckDB's pass over the uses spends its time, for each size, against a pass at 10 M uses a second."""
    for size in args.sizes:
        folder = args.work / f"evidence-{size}"
        if not (folder / "truth.json").exists():
            raise SystemExit(f"no evidence of {size:,} uses in {folder}: run the benchmark without --stages first")
        figures, peak = measured(["--one", "stages", str(folder), "--memory-limit", args.memory_limit], args.work)
        print(
            f"DuckDB, {figures['uses']:,} uses, memory_limit {args.memory_limit}, best of 2 runs "
            f"(10 M uses a second would be {figures['uses'] / 10_000_000:.1f} s in all); peak {peak:.2f} GB"
        )
        print(f"  {'stage':<72} {'seconds':>8} {'processor':>10} {'uses/s':>12}")
        for name, seconds, processor in figures["stages"]:
            print(f"  {name:<72} {seconds:>6.1f} s {processor:>8.1f} s {figures['uses'] / seconds:>12,.0f}")


if __name__ == "__main__":
    main()
