"""The mutation run's executor judges the shipped suite exactly as the pytest plugin does, cell for cell."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from policyproof.guarantees.scope import Scope
from policyproof.mutation.suite import load_suite, run_suite
from policyproof.outcomes import PRECEDENCE
from policyproof.snapshot.loader import load_snapshots

ROOT = Path(__file__).parent.parent
# The committed report of every snapshot, written by the plugin (a test holds it up to date).
REPORT = json.loads((ROOT / "reports" / "compliance-report.json").read_text())
SNAPSHOTS = {s.id: s for s in load_snapshots([ROOT / "policy_snapshots"], ROOT)}
SCENARIOS = load_suite(ROOT / "features", ROOT)


@pytest.mark.parametrize("section", REPORT["snapshots"], ids=[s["id"] for s in REPORT["snapshots"]])
def test_the_executor_gives_the_plugins_matrix_and_counts(section: dict[str, object]) -> None:
    """Every guarantee x region cell and scenario x region count is the plugin's, a waived cell counting as its failure."""
    snapshot = SNAPSHOTS[str(section["id"])]
    outcomes = run_suite(SCENARIOS, Scope((snapshot,), frozenset(), SNAPSHOTS), snapshot.id).values()
    worst: dict[tuple[str, str], list[str]] = {}
    for outcome in outcomes:
        worst.setdefault((SCENARIOS[outcome.key[0]].guarantee, outcome.region), []).append(outcome.status)
    matrix = {key: next(status.value for status in PRECEDENCE if status in statuses) for key, statuses in worst.items()}
    guarantees = section["guarantees"]
    assert isinstance(guarantees, list)
    # Waivers play no part in the executor: a cell the plugin shows as waived is the failure it waives.
    expected = {
        (row["id"], region): "fail" if status == "waived" else status
        for row in guarantees
        for region, status in row["cells"].items()
        if status is not None
    }
    assert matrix == expected
    counts = Counter(outcome.status.value for outcome in outcomes)
    overall = section["scenario_overall"]
    assert isinstance(overall, dict)
    unwaived = Counter({status: count for status, count in overall.items() if status != "waived"})
    unwaived["fail"] += overall.get("waived", 0)
    assert {status: count for status, count in unwaived.items() if count} == dict(counts)
