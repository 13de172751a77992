"""Starting a project elsewhere: ``policyproof init`` and ``policyproof lint-features``."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from policyproof.cli import main
from policyproof.starter.project import FILES

if TYPE_CHECKING:
    from pathlib import Path

WRITTEN = [target for _, target in FILES]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m policyproof`` as a user would."""
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project ``policyproof init`` wrote."""
    assert main(["init", str(tmp_path / "project")]) == 0
    return tmp_path / "project"


def test_init_writes_a_whole_project_and_says_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The init command writes the settings, a guarantee, a snapshot, waivers, pre-commit and CI, and names each file."""
    assert main(["init", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    for target in WRITTEN:
        assert (tmp_path / "new" / target).is_file()
        assert f"wrote {(tmp_path / 'new' / target).as_posix()}\n" in out
    assert out.endswith(f"next: cd {(tmp_path / 'new').as_posix()} && pytest\n")
    assert sorted(path.name for path in (tmp_path / "new" / "policy_snapshots").iterdir()) == [
        "example@2026-01-01.yaml"
    ]


def test_init_refuses_to_write_over_existing_files_and_names_them(tmp_path: Path) -> None:
    """The init command exits 2 naming every file that exists already, and writes nothing."""
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "test_guarantees.py").write_text("mine\n")
    (tmp_path / "waivers.yaml").write_text("waivers: []\n")
    result = run("init", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "policyproof: error: not writing over existing files: features/test_guarantees.py, waivers.yaml "
        "(give --force to write over them)\n"
    )
    assert (tmp_path / "features" / "test_guarantees.py").read_text() == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["features", "waivers.yaml"]


def test_init_writes_over_existing_files_when_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --force, init replaces files that exist already, and in the current folder says to run pytest."""
    (tmp_path / "waivers.yaml").write_text("mine\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["init", "--force"]) == 0
    assert (tmp_path / "waivers.yaml").read_text().startswith("# Failures accepted for a time")
    assert capsys.readouterr().out.endswith("wrote .github/workflows/policyproof.yml\nnext: pytest\n")


def test_init_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    """The init command refuses a DIR that is a file, with exit 2 and one line."""
    (tmp_path / "taken").write_text("")
    result = run("init", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "policyproof: error: taken is a file, not a folder\n"


def test_the_example_snapshot_validates_and_cites_its_sources(project: Path) -> None:
    """The example snapshot of a fictional platform is valid, with no warning, and every rule cites a source."""
    result = run("validate", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "ok: example@2026-01-01 (policy_snapshots/example@2026-01-01.yaml)\n1 snapshot file(s) valid\n"
    )
    text = (project / "policy_snapshots" / "example@2026-01-01.yaml").read_text()
    assert "sources: [example-privacy-notice]" in text
    assert "address: https://example.com/" in text


def test_the_workflow_checks_with_a_baseline_and_uploads_the_sarif_file(project: Path) -> None:
    """The GitHub Actions workflow runs check with a baseline and uploads the SARIF report to code scanning."""
    workflow = (project / ".github" / "workflows" / "policyproof.yml").read_text()
    assert "--baseline baseline/compliance-report.json" in workflow
    assert "github/codeql-action/upload-sarif@v3" in workflow
    assert "sarif_file: reports/compliance-report.sarif" in workflow
    assert "security-events: write" in workflow


def test_lint_features_passes_a_sound_project(project: Path) -> None:
    """lint-features collects the example guarantee against the example snapshot and finds no mistake."""
    result = run("lint-features", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "2 scenario run(s) collected from features, no mistake found\n"


def test_lint_features_names_every_mistake_with_its_file_and_line(project: Path) -> None:
    """Undefined steps, unknown labels and places, a missing severity and a duplicate id: each at its line, exit 1."""
    (project / "features" / "broken.feature").write_text(
        "@G-PRIVATE-MESSAGES\n"
        "Feature: Broken guarantee\n"
        "\n"
        "  Scenario: Somewhere else\n"
        "    Given a member in Atlantis\n"
        "    When their privat messages are considered for AI training 30 days after the policy takes effect\n"
        "    Then it is not used because the category is excluded\n"
        "\n"
        "  Scenario: Undefined\n"
        "    Given a member\n"
        "    When the member dances\n"
        "    Then it is not used because the category is excluded\n"
    )
    result = run("lint-features", "--quiet", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "features/broken.feature:4: scenario 'Somewhere else' needs one severity tag: @blocking or @advisory",
        "features/broken.feature:5: Given a member in Atlantis",
        "  unknown place 'Atlantis' in ISO 3166 country names and codes or the region groups EEA, ROW; did you mean 'Albania'?",
        "features/broken.feature:6: unknown category 'privat messages': When their privat messages are considered for AI training 30 days after the policy takes effect",
        "  did you mean 'private messages'?",
        "features/broken.feature:9: scenario 'Undefined' needs one severity tag: @blocking or @advisory",
        "features/broken.feature:11: undefined step: When the member dances",
        "  closest phrasings: 'When their public posts are considered for generative AI training on 2025-12-01'; 'Given a member in Norway'; 'Given a member'",
        "features/private_messages_are_never_used_for_ai_training.feature:1: guarantee id @G-PRIVATE-MESSAGES is also the id of features/broken.feature:1",
        "  a guarantee is one feature file with an id of its own: give one of them a new id",
    ]
    assert result.stderr == "1 module(s) of guarantees refused\n"


def test_lint_features_refuses_a_snapshot_that_does_not_load_with_its_line_and_column(project: Path) -> None:
    """A snapshot the guarantees cannot be collected against is a usage error naming file:line:col."""
    snapshot = project / "policy_snapshots" / "example@2026-01-01.yaml"
    text = snapshot.read_text()
    line = next(k for k, said in enumerate(text.splitlines(), 1) if said.strip() == "fides: train_ai_system")
    snapshot.write_text(text.replace("fides: train_ai_system", "fides: train_ai"))
    result = run("lint-features", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "policyproof: error: invalid policy snapshot(s):",
        f"policyproof: error: policy_snapshots/example@2026-01-01.yaml:{line}:5: $.purposes[0].fides: 'train_ai' is "
        "no data use of fideslang's default taxonomy; did you mean 'train_ai_system'?",
    ]


def test_lint_features_without_a_test_module_says_what_to_add(project: Path) -> None:
    """A features folder with no test module is a usage error that says which two lines to add."""
    (project / "features" / "test_guarantees.py").unlink()
    result = run("lint-features", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "policyproof: error: features has no test module to collect its guarantees: add "
        "features/test_guarantees.py with 'from pytest_bdd import scenarios' and 'scenarios(\".\")'\n"
    )


def test_place_names_show_unescaped_in_test_ids(project: Path) -> None:
    """A project ``init`` wrote shows an outline's place as written in its test ids: Réunion, not escaped."""
    (project / "features" / "places.feature").write_text(
        "@G-PLACES @advisory\nFeature: Places\n  Scenario Outline: A member in <place>\n"
        '    Given a member in "<place>"\n    Then every rule cites a source\n\n'
        "    Examples:\n      | place   |\n      | Réunion |\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "-Réunion]" in result.stdout
    assert "R\\xe9union" not in result.stdout
