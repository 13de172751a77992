"""Benchmark: the cost of a report cell against a behave scenario, and the cost of fanning out.

Generates N guarantee scenarios over the real snapshots and runs them four ways, in the same run:

- the policyproof suite over every region group of linkedin@2025-11-03 (a cell a region group, one test item);
- the same suite narrowed to one region group (``--region EEA``, 1 cell a scenario);
- behave, on the same scenarios written for one member in the United States, with steps calling the same engine;
- ``policyproof check`` over every region group, as the first run but with only the plugins the suite needs.

Each is timed as a whole command (start-up included) and again with one scenario, so the marginal cost of a
cell and of a behave scenario can be told apart from start-up. The time is the processor time (user and
system) the command used, not the time on the clock: on a machine other work shares, the clock counts the
waits for a processor too, which have nothing to do with the cost measured. Each run must pass (a run that fails stops
the benchmark, so no figure comes from a broken run). Prints the figures; asserts nothing.

    .venv/bin/python bench/matrix.py [--scenarios N] [--repeat R]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from policyproof.snapshot.loader import load_snapshot

ROOT = Path(__file__).resolve().parent.parent
# Categories each purpose uses, so that every generated guarantee holds (or does not apply), as in a real suite.
USED = {
    "generative AI training": ["profile data", "public posts", "articles", "comments", "resumes", "group messages"],
    "ad sharing with Microsoft": ["profile data", "feed activity", "ad engagement"],
}
CONTROLS = {
    "generative AI training": "Data for Generative AI Improvement",
    "ad sharing with Microsoft": "Share data with affiliates and partners",
}

BEHAVE_STEPS = """
import datetime as dt
from pathlib import Path

from behave import given, then, use_step_matcher, when

from policyproof.engine.decisions import decide
from policyproof.engine.member import Member, SettingChange
from policyproof.snapshot.regions import parse_place
from policyproof.snapshot.loader import load_snapshot

use_step_matcher("re")
SNAPSHOT = load_snapshot(Path(__file__).parents[3] / "policy_snapshots" / "linkedin@2025-11-03.yaml")
GROUPS = frozenset(g.id for g in SNAPSHOT.region_groups)


@given(r"a member in (?P<place>.+)")
def member(context, place):
    context.member = Member(parse_place(place, GROUPS))


@given(r'the member turned off "(?P<control>[^"]+)" on (?P<date>.+)')
def turned_off(context, control, date):
    change = SettingChange(dt.date.fromisoformat(date), False, control=SNAPSHOT.find_control(control).label)
    context.member = context.member.with_change(change)


@when(r"their (?P<data>.+?) (?:is|are) considered for (?P<purpose>.+) on (?P<date>.+)")
def considered(context, data, purpose, date):
    context.decision = decide(SNAPSHOT, context.member, data, purpose, dt.date.fromisoformat(date))


@then(r"it is not used because the (?P<who>member opted out|category is excluded)")
def not_used_because(context, who):
    reason = "opted-out" if who == "member opted out" else "excluded-category"
    assert not context.decision.used and context.decision.reason == reason, context.decision
"""


def scenario(index: int, member: str) -> str:
    """One generated scenario: an opt-out honoured, or private messages never used."""
    lines = [f"  Scenario: Generated guarantee {index}", f"    Given {member}"]
    if index % 3:
        purpose = list(USED)[index % 2]
        category = USED[purpose][index % len(USED[purpose])]
        lines += [
            f'    And the member turned off "{CONTROLS[purpose]}" on 2025-10-{1 + index % 28:02d}',
            f"    When their {category} is considered for {purpose} on 2025-12-01",
            "    Then it is not used because the member opted out",
        ]
    else:
        lines += [
            "    When their private messages are considered for generative AI training on 2025-12-01",
            "    Then it is not used because the category is excluded",
        ]
    return "\n".join(lines) + "\n"


def write_project(folder: Path, count: int) -> None:
    """A policyproof project and a behave project with the same scenarios."""
    shutil.copytree(ROOT / "policy_snapshots", folder / "policy_snapshots")
    (folder / "pytest.ini").write_text("[pytest]\n")
    features = folder / "features"
    behave_features = folder / "behave" / "features"
    (behave_features / "steps").mkdir(parents=True)
    features.mkdir()
    (features / "test_bench.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    (behave_features / "steps" / "steps.py").write_text(BEHAVE_STEPS)
    for start in range(0, count, 50):
        indexes = range(start, min(start + 50, count))
        header = f"@G-BENCH-{start} @blocking\nFeature: Generated guarantees {start}\n\n"
        (features / f"bench_{start}.feature").write_text(header + "\n".join(scenario(i, "a member") for i in indexes))
        (behave_features / f"bench_{start}.feature").write_text(
            header + "\n".join(scenario(i, "a member in the United States") for i in indexes)
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str], cwd: Path, expect: str) -> float:
    """The processor time of one run of a command, in seconds; the run must succeed as expected."""
    start = _children_cpu()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = _children_cpu() - start
    if result.returncode != 0 or expect not in result.stdout:
        output = result.stdout[-3000:] + result.stderr[-3000:]
        sys.exit(f"benchmark run failed (wanted {expect!r}): {' '.join(command)}\n{output}")
    return elapsed


def commands(folder: Path, count: int) -> dict[str, tuple[list[str], Path, str]]:
    """The three runs for a project of ``count`` scenarios: command, folder, and what its output must say."""
    bin_dir = Path(sys.executable).parent
    pytest_cmd = [str(bin_dir / "pytest"), "-q", "-p", "no:cacheprovider", "--snapshot", "linkedin@2025-11-03"]
    # Every generated guarantee holds where the policy says: each cell passes, is not applicable, or is unknown
    # (the region groups the sources leave open), so the run succeeds and counts its cells.
    return {
        "fan_out": ([*pytest_cmd, "features"], folder, "scenario x region cell"),
        "one_region": ([*pytest_cmd, "--region", "EEA", "features"], folder, "scenario x region cell"),
        "behave": (
            [str(bin_dir / "behave"), "--format", "progress", "features"],
            folder / "behave",
            f"{count} scenario{'s' if count > 1 else ''} passed, 0 failed",
        ),
        "check": (
            [str(bin_dir / "policyproof"), "check", "--snapshot", "linkedin@2025-11-03"],
            folder,
            "scenario x region cell",
        ),
    }


def measure(count: int, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """The best time of each run, for ``count`` scenarios and for one.

    The runs take turns, round after round, so that a slower spell of the machine falls on all of them alike.
    """
    with tempfile.TemporaryDirectory() as tmp:
        full, base = Path(tmp) / "full", Path(tmp) / "base"
        write_project(full, count)
        write_project(base, 1)
        runs = {("full", k): v for k, v in commands(full, count).items()}
        runs |= {("base", k): v for k, v in commands(base, 1).items()}
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(repeat):
            for key, (command, cwd, expect) in runs.items():
                best[key] = min(best[key], run_once(command, cwd, expect))
    return {k: t for (size, k), t in best.items() if size == "full"}, {
        k: t for (size, k), t in best.items() if size == "base"
    }


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Enough scenarios that the marginal cost stands well clear of the start-up time's run-to-run noise.
    parser.add_argument("--scenarios", type=int, default=700)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    groups = len(load_snapshot(ROOT / "policy_snapshots" / "linkedin@2025-11-03.yaml").region_groups)
    full, base = measure(args.scenarios, args.repeat)
    cells = args.scenarios * groups
    extra = args.scenarios - 1
    cell_ms = 1000 * (full["fan_out"] - base["fan_out"]) / (extra * groups)
    one_ms = 1000 * (full["one_region"] - base["one_region"]) / extra
    behave_ms = 1000 * (full["behave"] - base["behave"]) / extra
    check_ms = 1000 * (full["check"] - base["check"]) / extra
    print(f"scenarios: {args.scenarios}; region groups: {groups}; processor time, best of {args.repeat} runs")
    print(f"policyproof, fanned out: {cells} cells in {full['fan_out']:.2f} s = {cells / full['fan_out']:.0f} cells/s")
    print(f"policyproof, one region: {args.scenarios} cells in {full['one_region']:.2f} s")
    print(
        f"behave:                  {args.scenarios} scenarios in {full['behave']:.2f} s = "
        f"{args.scenarios / full['behave']:.0f} scenarios/s"
    )
    print(f"policyproof check:       {cells} cells in {full['check']:.2f} s")
    print(f"one scenario (start-up): policyproof {base['fan_out']:.2f} s, behave {base['behave']:.2f} s")
    print(
        f"a scenario over {groups} groups (one test item): {cell_ms * groups:.2f} ms with pytest, "
        f"{check_ms:.2f} ms with policyproof check"
    )
    print(
        f"marginal cost: {cell_ms:.2f} ms a cell (fanned out), {one_ms:.2f} ms a cell (one region), "
        f"{behave_ms:.2f} ms a behave scenario"
    )
    print(f"a cell costs {cell_ms / behave_ms:.2f} x a behave scenario (goal: under 0.5)")
    print(
        f"fanning out over {groups} groups costs {full['fan_out'] / full['one_region']:.2f} x a one-region run "
        f"in all, and {cell_ms / one_ms:.2f} x per cell (goal: at most 1.5)"
    )


if __name__ == "__main__":
    main()
