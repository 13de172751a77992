"""Fides: a snapshot exported as a fideslang policy, and a Fides system manifest held against a snapshot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fideslang.models import Policy

from policyproof.cli import main
from policyproof.snapshot.loader import load_snapshot
from policyproof.starter.project import write_project

ROOT = Path(__file__).parent.parent
SYSTEMS = Path(__file__).parent / "data" / "fides" / "systems.yaml"
META = load_snapshot(ROOT / "policy_snapshots" / "meta@2025-05-27.yaml", ROOT)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m policyproof`` as a user would."""
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def rules_by_name(text: str) -> dict[str, dict[str, list[str]]]:
    """The rules of the one policy of a manifest, validated by fideslang, as their keys by rule name."""
    [data] = yaml.safe_load(text)["policy"]
    policy = Policy.model_validate(data)
    return {
        rule.name: {
            "data_categories": [rule.data_categories.matches.value, *rule.data_categories.values],
            "data_uses": [rule.data_uses.matches.value, *rule.data_uses.values],
        }
        for rule in policy.rules
    }


def test_the_example_snapshot_exports_as_a_fides_policy_of_what_it_never_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Per region group, the policy rules out private messages and children's data for AI training."""
    write_project(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["export", "fides", "example@2026-01-01"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("policy:\n- fides_key: example_2026_01_01\n")
    lines = (tmp_path / "policy_snapshots" / "example@2026-01-01.yaml").read_text().splitlines()
    at = f"policy_snapshots/example@2026-01-01.yaml:{lines.index('      - regions: [EEA, ROW]') + 1}"
    assert rules_by_name(text) == {
        f"AI training in EEA: members under 18 excluded ({at})": {
            "data_categories": ["ANY", "user.childrens"],
            "data_uses": ["ANY", "train_ai_system"],
        },
        f"AI training in EEA: never uses ({at})": {
            "data_categories": ["ANY", "user.content.private"],
            "data_uses": ["ANY", "train_ai_system"],
        },
        f"AI training in ROW: members under 18 excluded ({at})": {
            "data_categories": ["ANY", "user.childrens"],
            "data_uses": ["ANY", "train_ai_system"],
        },
        f"AI training in ROW: never uses ({at})": {
            "data_categories": ["ANY", "user.content.private"],
            "data_uses": ["ANY", "train_ai_system"],
        },
    }
    [data] = yaml.safe_load(text)["policy"]
    assert data["rules"][0]["data_subjects"]["values"][:2] == ["anonymous_user", "citizen_voter"]


def test_a_purpose_not_used_in_a_region_group_rules_out_every_category_there(tmp_path: Path) -> None:
    """LinkedIn's ad sharing with Microsoft, not used in the EEA, is a rule on all member data, written to --out."""
    out = tmp_path / "linkedin.yaml"
    result = run("export", "fides", "linkedin@2025-11-03", "--out", str(out))
    assert (result.returncode, result.stdout) == (0, f"wrote {out.as_posix()}\n")
    snapshot = load_snapshot(ROOT / "policy_snapshots" / "linkedin@2025-11-03.yaml", ROOT)
    [purpose] = [p for p in snapshot.purposes if p.id == "affiliate_ad_sharing"]
    line = purpose.not_active[0].line
    rules = rules_by_name(out.read_text())
    name = f"ad sharing with Microsoft in EEA: not used (policy_snapshots/linkedin@2025-11-03.yaml:{line})"
    assert rules[name] == {"data_categories": ["ANY", "user"], "data_uses": ["ANY", "third_party_sharing"]}
    assert not [rule for rule in rules if rule.startswith("ad sharing with Microsoft in US:")]


def test_exporting_an_unknown_snapshot_is_a_usage_error() -> None:
    """An unknown snapshot id exits 2 with the closest ids."""
    result = run("export", "fides", "linkedin@2025-11-04")
    assert result.returncode == 2
    assert result.stderr.startswith("policyproof: error: unknown snapshot 'linkedin@2025-11-04'; did you mean")


def test_declarations_the_snapshot_rules_out_are_breaches_with_the_rule_that_says_so() -> None:
    """Training on inbox messages breaches Meta's rules where they never use private messages: exit 1."""
    result = run("audit", "--declarations", str(SYSTEMS.relative_to(ROOT)), "--snapshot", "meta@2025-05-27")
    assert result.returncode == 1, result.stderr
    [purpose] = META.purposes
    lines = {rule.regions[0]: rule.line for rule in purpose.rules}
    rows = [" ".join(line.split()) for line in result.stdout.splitlines()[2:]]
    inbox = "tests/data/fides/systems.yaml:11 Content models: Train writing assistants on inbox messages"
    never = "generative AI training never uses private messages"
    at = "policy_snapshots/meta@2025-05-27.yaml"
    for region in ("EEA", "GB", "CH", "ROW"):
        assert f"{inbox} train_ai_system user.content.private {region} breach {at}:{lines[region]} {never}" in rows
    assert (
        f"{inbox} train_ai_system user.content.private BR unknown {at}:{lines['BR']} the rule does not say whether "
        "generative AI training uses private messages"
    ) in rows
    assert (
        "tests/data/fides/systems.yaml:19 Support desk: Answer members essential.service.operations.support "
        "user.contact.email unmatched no purpose of meta@2025-05-27 has the data use essential.service.operations.support"
    ) in rows
    assert not [row for row in rows if "public posts" in row and "breach" in row]
    assert result.stdout.endswith("3 declaration(s) held against meta@2025-05-27: 4 breach, 3 unknown, 1 unmatched\n")


def test_declarations_the_snapshot_allows_exit_0(tmp_path: Path) -> None:
    """Training on public posts, which the example snapshot uses everywhere, is allowed: nothing listed, exit 0."""
    write_project(tmp_path)
    (tmp_path / "systems.yaml").write_text(
        "system:\n"
        "  - fides_key: models\n"
        "    system_type: Service\n"
        "    privacy_declarations:\n"
        "      - data_categories: [user.content.public]\n"
        "        data_use: train_ai_system\n"
    )
    result = run("audit", "--declarations", "systems.yaml", "--platform", "example", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "1 declaration(s) held against example@2026-01-01: 0 breach, 0 unknown, 0 unmatched\n"


def test_a_manifest_fideslang_refuses_names_each_problem_with_its_line() -> None:
    """A system without its type and a declaration whose categories are no list: exit 2, each at file:line:col."""
    result = run("audit", "--declarations", "tests/data/fides/bad-systems.yaml", "--snapshot", "linkedin@2025-11-03")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "policyproof: error: tests/data/fides/bad-systems.yaml:2:5: $.system[0].system_type: fideslang: Field required",
        "policyproof: error: tests/data/fides/bad-systems.yaml:6:9: $.system[0].privacy_declarations[0]"
        ".data_categories: fideslang: Input should be a valid list",
    ]


def test_a_file_with_no_systems_is_refused(tmp_path: Path) -> None:
    """A YAML file without a list of systems is refused, naming the file."""
    (tmp_path / "empty.yaml").write_text("dataset: []\n")
    result = run("audit", "--declarations", str(tmp_path / "empty.yaml"), "--snapshot", "meta@2025-05-27")
    assert result.returncode == 2
    assert result.stderr == (
        f"policyproof: error: {tmp_path / 'empty.yaml'}:1:1: $.system: a Fides system manifest has a list "
        "'system:' of systems\n"
    )


def test_audit_takes_evidence_or_declarations_not_both() -> None:
    """Giving both --evidence and --declarations, or neither, is a usage error."""
    both = run("audit", "--evidence", "x", "--declarations", "y", "--snapshot", "meta@2025-05-27")
    neither = run("audit", "--snapshot", "meta@2025-05-27")
    message = "policyproof: error: audit needs --evidence DIR or --declarations FILE (one of them)\n"
    assert (both.returncode, both.stderr) == (2, message)
    assert (neither.returncode, neither.stderr) == (2, message)
