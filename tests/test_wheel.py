"""The wheel on its own: built from the tree, installed in a fresh venv, used in a folder outside the repository.

Slow (a build and an install of every dependency, a few minutes): marked ``slow`` to say so, and run by
``make test`` like every other test. The venv is built once for all of them, whichever pytest-xdist worker
asks first; the others wait for it.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


def _call(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (pytest-xdist's workers share the venv and wait for each other)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site packages) with the wheel built from the tree installed: its bin folder."""
    # pytest-xdist's workers each have a folder in the run's: the venv goes there, beside them.
    run = tmp_path_factory.getbasetemp()
    shared = (run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "policyproof-wheel"
    shared.mkdir(exist_ok=True)
    with _locked(shared / "lock"):
        venv = shared / "venv"
        if not (shared / "done").exists():
            shutil.rmtree(shared / "dist", ignore_errors=True)
            shutil.rmtree(venv, ignore_errors=True)
            _call([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", shared / "dist"], shared)
            _call([sys.executable, "-m", "venv", venv], shared)
            [wheel] = (shared / "dist").glob("policyproof-*.whl")
            _call([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], shared)
            (shared / "done").touch()
    return venv / "bin"


@pytest.fixture(scope="session")
def wheel(installed: Path) -> Path:
    """The wheel the venv was installed from."""
    [found] = (installed.parent.parent / "dist").glob("policyproof-*.whl")
    return found


def outside(bin_folder: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command of the venv with nothing of the repository or of the tests' environment in reach."""
    env = {"PATH": f"{bin_folder}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(  # noqa: S603 (the venv's own commands)
        [bin_folder / str(args[0]), *map(str, args[1:])], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project(installed: Path, tmp_path: Path) -> Path:
    """A project the installed ``policyproof init`` wrote into an empty folder."""
    folder = tmp_path / "guarantees"
    folder.mkdir()
    result = outside(installed, "policyproof", "init", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("wrote .github/workflows/policyproof.yml\nnext: pytest\n")
    return folder


def test_the_venv_holds_nothing_of_the_repository(installed: Path) -> None:
    """The venv imports policyproof from the installed wheel, and sees neither the tree nor the tests' packages."""
    result = outside(
        installed,
        "python",
        "-c",
        "import policyproof, sys; print(policyproof.__file__); print(sys.path)",
        cwd=installed,
    )
    assert result.returncode == 0
    module, path = result.stdout.splitlines()
    assert module.startswith(str(installed.parent / "lib"))
    packages = [entry for entry in ast.literal_eval(path) if "site-packages" in entry or entry.startswith(str(ROOT))]
    assert packages == [str(installed.parent / "lib" / "python3.11" / "site-packages")]
    assert outside(installed, "python", "-c", "import hypothesis", cwd=installed).returncode == 1


def test_init_then_pytest_is_green_and_writes_the_report(installed: Path, project: Path) -> None:
    """In the project init wrote, a plain pytest passes the example guarantee and writes the compliance report."""
    result = outside(installed, "pytest", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout
    assert "G-PRIVATE-MESSAGES    blocking    pass   pass" in result.stdout
    report = json.loads((project / "build" / "policy-report" / "compliance-report.json").read_text())
    assert report["snapshots"][0]["id"] == "example@2026-01-01"
    assert (project / "build" / "policy-report" / "compliance-report.sarif").is_file()


def test_the_wheel_ships_schemas_templates_steps_and_the_starter(wheel: Path) -> None:
    """Schemas, report templates, the step library and init's files are inside the package."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in ("policy-snapshot", "waivers", "report", "diff", "audit", "mutants-accepted"):
        assert f"policyproof/schemas/{schema}.schema.json" in names
    assert "policyproof/report/templates/report.html.j2" in names
    assert {"policyproof/steps/decision.py", "policyproof/steps/member.py", "policyproof/steps/policy.py"} <= names
    assert "policyproof/starter/files/example-snapshot.yaml" in names
    assert not [name for name in names if name.startswith(("tests/", "features/", "schemas/", "policy_snapshots/"))]


def test_spark_is_the_one_extra_a_user_needs(wheel: Path) -> None:
    """The wheel's metadata offers the extra spark, which brings pyspark; everything else is a plain dependency."""
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode())
    assert metadata.get_all("Provides-Extra") == ["spark", "test"]
    requires = metadata.get_all("Requires-Dist") or []
    assert [r for r in requires if 'extra == "spark"' in r] == ['pyspark>=4.0; extra == "spark"']
    plain = [r.split(">")[0].split("<")[0] for r in requires if "extra ==" not in r]
    assert {"duckdb", "sqlglot", "fideslang", "jinja2", "pytest-bdd"} <= set(plain)


def test_validate_check_explain_and_synth_then_audit_work_outside_the_repository(
    installed: Path, project: Path
) -> None:
    """The installed commands validate, check, explain, write evidence and audit it, in the project init wrote."""
    validate = outside(installed, "policyproof", "validate", cwd=project)
    assert validate.stdout.endswith("1 snapshot file(s) valid\n")
    check = outside(installed, "policyproof", "check", "--snapshot", "all", "--report", "reports", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "report written: reports/compliance-report.html" in check.stdout
    explain = outside(
        installed,
        "policyproof",
        "explain",
        "--snapshot",
        "example@2026-01-01",
        "--place",
        "Norway",
        "--data",
        "private messages",
        "--purpose",
        "AI training",
        "--on",
        "2026-02-01",
        cwd=project,
    )
    assert explain.returncode == 0, explain.stderr
    assert "Decision:  NOT USED (excluded-category)" in explain.stdout
    assert "policy_snapshots/example@2026-01-01.yaml:" in explain.stdout
    synth = outside(
        installed, "policyproof", "synth", "--snapshot", "example@2026-01-01", "--out", "evidence",
        "--members", "20", "--uses", "40", "--breaches", "1", cwd=project,
    )  # fmt: skip
    assert synth.returncode == 0, synth.stderr
    audit = outside(
        installed, "policyproof", "audit", "--evidence", "evidence", "--snapshot", "example@2026-01-01", cwd=project
    )
    assert audit.returncode == 1, audit.stderr
    assert "wrote build/audit/audit.json" in audit.stdout
    assert "uses checked on duckdb: " in audit.stdout
    assert json.loads((project / "build" / "audit" / "audit.json").read_text())["totals"]["breach"] >= 1


def test_diff_and_a_bad_snapshot_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    """The diff command compares two versions, and validate locates a problem by the schema shipped inside the package."""
    shutil.copytree(ROOT / "policy_snapshots", tmp_path / "policy_snapshots")
    diff = outside(installed, "policyproof", "diff", "linkedin", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert "linkedin@2024-09-18" in diff.stdout
    assert "linkedin@2025-11-03" in diff.stdout
    bad = tmp_path / "policy_snapshots" / "linkedin@2025-11-03.yaml"
    bad.write_text(bad.read_text().replace("effective: 2025-11-03", "effective: soon"))
    validate = outside(installed, "policyproof", "validate", "--quiet", cwd=tmp_path)
    assert validate.returncode == 1
    assert "policy_snapshots/linkedin@2025-11-03.yaml:15:1: $.effective: 'soon' is not a date" in validate.stdout
