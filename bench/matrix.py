"""Benchmark: the cost of a report cell against a behave scenario, and the cost of fanning out.

Generates N guarantee scenarios over the real snapshots and runs them three ways, in the same run:

- the policyproof suite over every region group of linkedin@2025-11-03 (7 cells a scenario);
- the same suite narrowed to one region group (``--region EEA``, 1 cell a scenario);
- behave, on the same scenarios written for one member in Norway, with steps calling the same engine.

Each is timed as a whole command (start-up included) and again with no scenarios, so the marginal cost of a
cell and of a behave scenario can be told apart from start-up. Prints the figures; asserts nothing.

    .venv/bin/python bench/matrix.py [--scenarios N] [--repeat R]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["profile data", "public posts", "articles", "comments", "resumes", "group messages", "private messages"]
PURPOSES = ["generative AI training", "ad sharing with Microsoft"]
CONTROLS = {
    "generative AI training": "Data for Generative AI Improvement",
    "ad sharing with Microsoft": "Share data with affiliates and partners",
}

BEHAVE_STEPS = """
import datetime as dt
from pathlib import Path

from behave import given, then, use_step_matcher, when

from policyproof.engine import Member, SettingChange, decide
from policyproof.regions import parse_place
from policyproof.snapshots import load_snapshot

use_step_matcher("re")
SNAPSHOT = load_snapshot(Path(__file__).parents[2] / "policy_snapshots" / "linkedin@2025-11-03.yaml")
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


@then(r"it is not used because the member opted out")
def opted_out(context):
    assert not context.decision.used and context.decision.reason == "opted-out", context.decision


@then(r"it is not used")
def not_used(context):
    assert not context.decision.used, context.decision
"""


def scenario(index: int, member: str) -> str:
    """One generated scenario: a member who opted out, or not, asked about one category and purpose."""
    category = CATEGORIES[index % len(CATEGORIES)]
    purpose = PURPOSES[index % len(PURPOSES)]
    lines = [f"  Scenario: Generated guarantee {index}", f"    Given {member}"]
    if index % 3:
        lines.append(f'    And the member turned off "{CONTROLS[purpose]}" on 2025-10-{1 + index % 28:02d}')
        lines += [
            f"    When their {category} is considered for {purpose} on 2025-12-01",
            "    Then it is not used because the member opted out",
        ]
    else:
        lines += [f"    When their {category} is considered for {purpose} on 2025-12-01", "    Then it is not used"]
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
            header + "\n".join(scenario(i, "a member in Norway") for i in indexes)
        )


def timed(command: list[str], cwd: Path, repeat: int) -> float:
    """The best wall time of a command over ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def measure(count: int, repeat: int) -> dict[str, float]:
    """Time the three runs for ``count`` scenarios."""
    bin_dir = Path(sys.executable).parent
    pytest_cmd = [str(bin_dir / "pytest"), "-q", "-p", "no:cacheprovider", "--snapshot", "linkedin@2025-11-03"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_project(folder, count)
        if count == 0:
            (folder / "features" / "test_bench.py").write_text("def test_nothing() -> None:\n    pass\n")
        return {
            "fan_out": timed([*pytest_cmd, "features"], folder, repeat),
            "one_region": timed([*pytest_cmd, "--region", "EEA", "features"], folder, repeat),
            "behave": timed(
                [str(bin_dir / "behave"), "-f", "null", "--no-summary", "features"], folder / "behave", repeat
            ),
        }


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=280)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    groups = 7
    full = measure(args.scenarios, args.repeat)
    empty = measure(0, args.repeat)
    cells = args.scenarios * groups
    cell_ms = 1000 * (full["fan_out"] - empty["fan_out"]) / cells
    one_ms = 1000 * (full["one_region"] - empty["one_region"]) / args.scenarios
    behave_ms = 1000 * (full["behave"] - empty["behave"]) / args.scenarios
    print(f"scenarios: {args.scenarios}; region groups: {groups}; best of {args.repeat} runs")
    print(f"policyproof, fanned out: {cells} cells in {full['fan_out']:.2f} s = {cells / full['fan_out']:.0f} cells/s")
    print(f"policyproof, one region: {args.scenarios} cells in {full['one_region']:.2f} s")
    print(
        f"behave:                  {args.scenarios} scenarios in {full['behave']:.2f} s = "
        f"{args.scenarios / full['behave']:.0f} scenarios/s"
    )
    print(f"start-up (no scenarios): policyproof {empty['fan_out']:.2f} s, behave {empty['behave']:.2f} s")
    print(
        f"marginal cost: {cell_ms:.2f} ms a cell (fanned out), {one_ms:.2f} ms a cell (one region), "
        f"{behave_ms:.2f} ms a behave scenario"
    )
    print(f"a cell costs {cell_ms / behave_ms:.2f} x a behave scenario (goal: under 0.5)")
    print(
        f"fanning out over {groups} groups costs {full['fan_out'] / full['one_region']:.2f} x a one-region run "
        f"in wall time, and {cell_ms / one_ms:.2f} x per cell (goal: at most 1.5)"
    )


if __name__ == "__main__":
    main()
