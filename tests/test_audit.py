"""The evidence audit on DuckDB: every use gets decide()'s verdict; bad evidence is refused, naming the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from evidence_cases import CONTROLS, EDGES, edges, generate, policies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyproof.audit import validation
from policyproof.audit.engines import DuckDB
from policyproof.audit.evidence import locate
from policyproof.audit.run import prepare, verdicts

if TYPE_CHECKING:
    from pathlib import Path


# The first version has no objection form: evidence judged by it alone names only its controls.
CONTROLS_OF = {"platform": CONTROLS, "snapshot": CONTROLS, "superseded": ("ai_setting", "ads_setting")}


def duckdb_verdicts(folder: Path, mode: str) -> list[tuple[object, ...]]:
    """Every use's verdict as DuckDB's audit gives it."""
    evidence = locate(folder)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()[mode], duck)
        prepare(duck, evidence.tables, policies()[mode], naive)
        return verdicts(duck)


@pytest.mark.parametrize("mode", ["platform", "snapshot", "superseded"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_duckdb_gives_decides_verdict_for_every_use(
    tmp_path_factory: pytest.TempPathFactory, mode: str, seed: int
) -> None:
    """For generated evidence on the policy's edges, DuckDB's verdict of each use is decide()'s."""
    evidence = generate(seed, controls=CONTROLS_OF[mode])
    folder = evidence.write(tmp_path_factory.mktemp("evidence"))
    assert duckdb_verdicts(folder, mode) == evidence.expected(policies()[mode])


def test_named_edges_get_the_stated_verdict_from_decide_and_duckdb(tmp_path: Path) -> None:
    """Each named edge (opt-out instant, 18th birthday, effective dates, toggles, ...) gets its stated verdict."""
    evidence = edges()
    stated = [(f"e{n:02}", status, reason) for n, (*_, status, reason) in enumerate(EDGES)]
    by_decide = [(row[0], row[3], row[4]) for row in evidence.expected(policies()["platform"])]
    by_duckdb = [(row[0], row[3], row[4]) for row in duckdb_verdicts(evidence.write(tmp_path), "platform")]
    assert by_decide == stated
    assert by_duckdb == stated
