"""Mutation testing: each operator on a small snapshot, kills and survivors, accepted mutants, the report section."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.cli import main
from policyproof.mutation.mutants import choose_operators
from policyproof.mutation.operators import NAMES
from policyproof.mutation.project import derive_all, load_originals
from policyproof.report.strength import Score, Strength, render_strength_markdown

if TYPE_CHECKING:
    from collections.abc import Callable

    from policyproof.mutation.mutants import Derived, Mutant
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule

DATA = Path(__file__).parent / "data" / "mutation"
SNAPSHOT = DATA / "policy_snapshots" / "acme@2025-01-01.yaml"


def _derived() -> Derived:
    return derive_all(load_originals(DATA / "policy_snapshots", DATA), [], choose_operators([]))[0]


def _ai(snapshot: Snapshot, region: str = "EU") -> Rule:
    rule = snapshot.rule_for("ai_training", region)
    assert rule is not None
    return rule


def _ads(snapshot: Snapshot) -> Rule:
    rule = snapshot.rule_for("ad_sharing", "ROW")
    assert rule is not None
    return rule


# What each operator's first mutant of the Acme snapshot changes, read back from the built mutant.
CHANGES: dict[str, Callable[[Snapshot], bool]] = {
    "never-used-to-used": lambda s: "messages" in _ai(s).uses and "messages" not in _ai(s).never_uses,
    "never-used-dropped": lambda s: "messages" not in _ai(s).uses + _ai(s).never_uses,
    "age-limit-dropped": lambda s: _ai(s).excluded.age_below is None and _ai(s).excluded.believed_under_18 is True,
    "age-limit-lowered": lambda s: _ai(s).excluded.age_below == 16,
    "under-18-exclusion-dropped": lambda s: _ai(s).excluded.believed_under_18 is False,
    "control-removed": lambda s: _ai(s).controls == () and _ai(s, "ROW").controls == ("ai_setting",),
    "default-on": lambda s: _ads(s).default_on,
    "active-earlier": lambda s: _ai(s).active_from == dt.date(2024, 12, 31),
    "country-moved": lambda s: getattr(s.group_of_country("DE"), "id", None) == "ROW",
    "opt-out-ineffective": lambda s: _ai(s).controls == ("ai_training_unrelated_control",),
    "opt-out-not-retroactive": lambda s: _ai(s).retroactive is False,
    "legal-basis-removed": lambda s: _ai(s).legal_basis is None,
    "announced-later": lambda s: s.announced == dt.date(2024, 12, 31),
    "source-removed": lambda s: _ai(s).sources == ("acme-help",),
    "statement-silenced": lambda s: s.not_active_for("ai_training", "CH") is None,
}


def test_every_operator_is_tested() -> None:
    """The table of expected changes names every operator, so a new operator needs a test."""
    assert set(CHANGES) == set(NAMES)


@pytest.mark.parametrize("operator", NAMES)
def test_each_operator_makes_a_valid_mutant_that_changes_what_it_says(operator: str) -> None:
    """Each operator's first valid mutant of the small snapshot is built and changes exactly what its sentence says."""
    derived = _derived()
    mutant: Mutant = next(m for m in derived.mutants if m.operator == operator)
    assert mutant.id.startswith(f"acme@2025-01-01~{operator}-")
    assert mutant.snapshot.id == "acme@2025-01-01"
    assert mutant.location.startswith("policy_snapshots/acme@2025-01-01.yaml:")
    assert CHANGES[operator](mutant.snapshot)


def test_mutants_are_built_in_memory_and_never_written() -> None:
    """Deriving every mutant leaves the snapshot file byte for byte as it was."""
    before = SNAPSHOT.read_bytes()
    assert _derived().mutants
    assert SNAPSHOT.read_bytes() == before


def test_a_mutant_that_makes_the_snapshot_invalid_is_discarded_with_the_reason() -> None:
    """Removing a rule's only source breaks the schema: the mutant is discarded, with the line and the problem."""
    discarded = {d.id: d for d in _derived().discarded}
    only_source = discarded["acme@2025-01-01~source-removed-2"]
    assert only_source.sentence == "the rule for ad sharing in ROW no longer cites acme-notice"
    assert only_source.reason == "line 82: $.purposes[1].rules[0].sources: needs at least 1 item(s)"


def test_an_unknown_operator_is_refused_with_the_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt --operator is a usage error naming the closest operator."""
    assert main(["mutate", "--operator", "default-of", "--snapshots", str(DATA / "policy_snapshots")]) == 2
    assert "unknown operator 'default-of'; did you mean 'default-on'?" in capsys.readouterr().err


def _mutate(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("CI", "1")
    return main(["mutate", "--no-report", *args])


def test_an_operator_with_nothing_to_break_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot whose purposes are all on by default gives the default-on operator nothing, and the run says so."""
    suite = Path(__file__).parent / "data" / "suite" / "policy_snapshots"
    assert _mutate(monkeypatch, "--snapshots", str(suite), "--operator", "default-on") == 0
    out = capsys.readouterr().out
    assert "acme@2025-01-01: operator default-on yields no mutant (nothing it could break is stated)" in out
    assert "mutation score overall: 100% (0 of 0 mutants killed)" in out


def test_a_weak_suite_leaves_a_known_mutant_alive_and_says_which_and_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With only a private-messages guarantee, moving payment data into use survives; the run names it and fails."""
    code = _mutate(monkeypatch, "--features", "weak_features", "--operator", "never-used-to-used")
    captured = capsys.readouterr()
    assert code == 1
    lines = {line.split()[0]: line for line in captured.out.splitlines() if line.startswith("acme@")}
    assert (
        "killed by G-PRIVATE in EU, ROW (fail) at weak_features/private_messages_are_never_used.feature:4"
        in (lines["acme@2025-01-01~never-used-to-used-1"])
    )
    survivor = lines["acme@2025-01-01~never-used-to-used-2"]
    assert "payment data are used for AI training in EU, ROW instead of never being used" in survivor
    assert survivor.endswith("SURVIVED")
    assert "mutation score acme@2025-01-01: 50% (1 of 2 mutants killed)" in captured.out
    assert "survived and not accepted in mutants-accepted.yaml: acme@2025-01-01~never-used-to-used-2" in captured.err


def test_a_sharper_suite_kills_the_survivor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A guarantee that payment data is never used kills the mutant the weak suite left alive."""
    assert _mutate(monkeypatch, "--operator", "never-used-to-used") == 0
    out = capsys.readouterr().out
    assert "killed by G-PAYMENT in EU, ROW (fail) at features/payment_data_is_never_used.feature:4" in out
    assert "mutation score overall: 100% (2 of 2 mutants killed)" in out


def test_an_advisory_guarantee_notices_but_does_not_kill(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Removing the legal basis is noticed only by an advisory guarantee, whose failure fails no run: it survives."""
    assert _mutate(monkeypatch, "--operator", "legal-basis-removed") == 1
    out = capsys.readouterr().out
    assert (
        "SURVIVED; noticed only by advisory G-ADVISORY-BASIS in EU, ROW (fail) at "
        "features/ai_training_needs_an_advisory_look.feature:4"
    ) in out


def test_an_accepted_survivor_passes_and_an_accepted_killed_mutant_is_stale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Accepting the survivor makes the run pass; accepting a killed mutant is reported as stale."""
    accepted = tmp_path / "mutants-accepted.yaml"
    accepted.write_text(
        "accepted:\n"
        "  - mutant: acme@2025-01-01~never-used-to-used-2\n"
        "    justification: Payment data are covered by a separate review of the billing pipeline.\n"
        "    owner: billing reviewers\n"
        "  - mutant: acme@2025-01-01~never-used-to-used-1\n"
        "    justification: Private messages were thought to be covered elsewhere.\n"
        "    owner: billing reviewers\n",
        encoding="utf-8",
    )
    code = _mutate(
        monkeypatch, "--features", "weak_features", "--operator", "never-used-to-used", "--accepted", str(accepted)
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"survived, accepted ({accepted.as_posix()}:2)" in out
    assert (
        f"stale: acme@2025-01-01~never-used-to-used-1 is accepted ({accepted.as_posix()}:5) but killed: "
        "remove the acceptance"
    ) in out


def test_a_malformed_accepted_file_names_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An acceptance without an owner is an input error that names the file and line."""
    accepted = tmp_path / "mutants-accepted.yaml"
    accepted.write_text(
        "accepted:\n  - mutant: acme@2025-01-01~default-on-1\n    justification: Reviewed and signed off by counsel.\n"
    )
    assert _mutate(monkeypatch, "--accepted", str(accepted)) == 2
    assert f"{accepted.as_posix()}:2:5: $.accepted[0]: " in capsys.readouterr().err


def test_the_report_section_names_score_survivors_and_idle_guarantees(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The section 'How strong is this suite' has the score, each survivor's sentence and guarantees that killed nothing."""
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("CI", "1")
    code = main(["mutate", "--features", "weak_features", "--operator", "default-on", "--report", str(tmp_path)])
    assert code == 1
    capsys.readouterr()
    section = (tmp_path / "suite-strength.md").read_text(encoding="utf-8")
    assert section.startswith("## How strong is this suite\n")
    assert "- acme@2025-01-01: 0% (0 of 1 mutants killed)" in section
    assert "ad sharing is on by default in ROW, where members had to turn it on" in section
    assert "**not accepted**" in section
    assert "- `G-PRIVATE (blocking)`" in section


def test_a_narrowed_run_does_not_call_idle_guarantees_candidates_for_deletion(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A run narrowed by --operator says so of the guarantees that killed nothing, and names no candidate for deletion."""
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("CI", "1")
    main(["mutate", "--features", "weak_features", "--operator", "default-on", "--report", str(tmp_path)])
    out = capsys.readouterr().out
    assert "killed nothing in this narrowed run: G-PRIVATE (blocking)" in out
    assert "killed nothing: " not in out
    section = (tmp_path / "suite-strength.md").read_text(encoding="utf-8")
    assert "Candidates for deletion" not in section
    assert (
        "This run was narrowed (--operator default-on): these guarantees killed none of its mutants, and may kill "
        "those it left out. Run \\`policyproof mutate\\` without --snapshot and --operator to find the candidates "
        "for deletion or rewriting."
    ) in section
    data = json.loads((tmp_path / "suite-strength.json").read_text(encoding="utf-8"))
    assert data["narrowed"] == ["--operator default-on"]


def test_a_full_run_names_idle_guarantees_candidates_for_deletion() -> None:
    """Without narrowing options, the guarantees that killed nothing are named candidates for deletion."""
    strength = Strength((Score("overall", 1, 1),), (), ("G-IDLE (blocking)",), ())
    section = render_strength_markdown(strength)
    assert (
        "Candidates for deletion or rewriting: no mutant made any of their cells go from kept to broken.\n\n"
        "- `G-IDLE (blocking)`"
    ) in section
    assert "narrowed" not in section


def test_worker_processes_give_the_same_results(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Run on two worker processes, the table is the one a single process prints."""
    features = tmp_path / "features"
    shutil.copytree(DATA / "features", features)
    _mutate(monkeypatch, "--features", str(features))
    serial = [line for line in capsys.readouterr().out.splitlines() if line.startswith("acme@")]
    _mutate(monkeypatch, "--features", str(features), "-n", "2")
    parallel = [line for line in capsys.readouterr().out.splitlines() if line.startswith("acme@")]
    assert serial == parallel
    assert len(serial) > 20


def test_the_committed_suite_strength_is_up_to_date(tmp_path: Path) -> None:
    """reports/suite-strength.md and .json are what `policyproof mutate` writes today (`make report` writes them)."""
    root = Path(__file__).parent.parent
    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "mutate", "--report", str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for name in ("suite-strength.md", "suite-strength.json"):
        assert (tmp_path / name).read_text() == (root / "reports" / name).read_text(), f"run `make report`: {name}"
