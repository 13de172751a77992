"""The pre-commit hooks: a bad snapshot or guarantee blocks the commit, with its file and line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyproof.cli import main

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
SHARED = ("id", "entry", "files", "pass_filenames")


def hooks_offered() -> list[dict[str, Any]]:
    """The hooks of the root .pre-commit-hooks.yaml."""
    hooks: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hooks


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run git in the temporary repository."""
    return subprocess.run(  # noqa: S603 (git, on a repository of the test's own)
        ["git", *args],  # noqa: S607 (the git on PATH, as a user's commit runs it)
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # git's hook writes pre-commit's report to the error stream
        text=True,
        check=False,
    )


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding a project ``policyproof init`` wrote, its hooks installed, its first commit made."""
    folder = tmp_path / "repository"
    assert main(["init", str(folder)]) == 0
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Reviewer",
        "GIT_AUTHOR_EMAIL": "reviewer@example.com",
        "GIT_COMMITTER_NAME": "Reviewer",
        "GIT_COMMITTER_EMAIL": "reviewer@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    assert git("init", "-q", "-b", "main", cwd=folder, env=env).returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    assert git("add", ".", cwd=folder, env=env).returncode == 0
    first = git("commit", "-q", "-m", "Start", cwd=folder, env=env)
    assert first.returncode == 0, first.stdout
    return folder, env


def test_the_starter_configuration_offers_the_hooks_the_repository_offers() -> None:
    """The .pre-commit-config.yaml that init writes runs the root hooks' commands on the same files, offline."""
    config = yaml.safe_load((ROOT / "src/policyproof/starter/files/pre-commit-config.yaml").read_text())
    [local] = config["repos"]
    assert local["repo"] == "local"
    assert [{key: hook[key] for key in SHARED} for hook in local["hooks"]] == [
        {key: hook[key] for key in SHARED} for hook in hooks_offered()
    ]
    assert {hook["language"] for hook in local["hooks"]} == {"system"}
    assert [hook["id"] for hook in hooks_offered()] == ["policyproof-validate", "policyproof-lint-features"]


def test_a_bad_snapshot_blocks_the_commit_with_its_file_line_and_column(
    repository: tuple[Path, dict[str, str]],
) -> None:
    """A snapshot naming an unknown Fides key is refused by policyproof-validate, and the commit is not made."""
    folder, env = repository
    snapshot = folder / "policy_snapshots" / "example@2026-01-01.yaml"
    text = snapshot.read_text()
    line = text.splitlines().index("    fides: user.content.public") + 1
    snapshot.write_text(text.replace("fides: user.content.public", "fides: user.content.publik"))
    git("add", ".", cwd=folder, env=env)
    result = git("commit", "-q", "-m", "Change the snapshot", cwd=folder, env=env)
    assert result.returncode == 1
    assert (
        f"policy_snapshots/example@2026-01-01.yaml:{line}:5: $.categories[1].fides: 'user.content.publik' is no "
        "data category of fideslang's default taxonomy; did you mean 'user.content.public'"
    ) in result.stdout
    assert "policyproof validate (snapshots)" in result.stdout
    assert git("rev-list", "--count", "HEAD", cwd=folder, env=env).stdout == "1\n"


def test_a_bad_guarantee_blocks_the_commit_with_its_file_and_line(repository: tuple[Path, dict[str, str]]) -> None:
    """A feature file with an undefined step is refused by policyproof-lint-features, and the commit is not made."""
    folder, env = repository
    feature = folder / "features" / "private_messages_are_never_used_for_ai_training.feature"
    feature.write_text(feature.read_text().replace("Given a member\n", "Given a membr\n"))
    git("add", ".", cwd=folder, env=env)
    result = git("commit", "-q", "-m", "Change the guarantee", cwd=folder, env=env)
    assert result.returncode == 1
    assert "features/private_messages_are_never_used_for_ai_training.feature:11: undefined step: Given a membr" in (
        result.stdout
    )
    assert "policyproof lint-features (guarantees)" in result.stdout
    assert git("rev-list", "--count", "HEAD", cwd=folder, env=env).stdout == "1\n"


def test_a_sound_change_is_committed(repository: tuple[Path, dict[str, str]]) -> None:
    """A change that keeps the snapshots valid and the guarantees sound passes both hooks."""
    folder, env = repository
    feature = folder / "features" / "private_messages_are_never_used_for_ai_training.feature"
    feature.write_text(feature.read_text().replace("in any region.", "in any region, ever."))
    git("add", ".", cwd=folder, env=env)
    result = git("commit", "-q", "-m", "Reword the guarantee", cwd=folder, env=env)
    assert result.returncode == 0, result.stdout
    assert "policyproof lint-features (guarantees)" in result.stdout
    assert git("rev-list", "--count", "HEAD", cwd=folder, env=env).stdout == "2\n"
