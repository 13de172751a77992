"""Ctrl-C ends every command with one line and exit 130: no traceback, no partial output, no process left."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.audit.policy import choose
from policyproof.audit.synth import synthesise
from policyproof.entry import descendants
from policyproof.snapshot.loader import load_snapshots

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).parent.parent
SNAPSHOT = "linkedin@2025-11-03"
INTERRUPTED = "policyproof: interrupted\n"


def running(pid: int) -> bool:
    """Whether a process is there and not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def interrupt(
    args: list[str], cwd: Path, ready: Callable[[subprocess.Popen[str]], bool], timeout: float = 120
) -> tuple[int, str, str, set[int]]:
    """Start ``policyproof args`` in its own process group, press Ctrl-C there once ``ready``.

    Returns the exit code, stdout, stderr, and the processes it had started by then.
    """
    process = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole foreground group
    )
    deadline = time.monotonic() + timeout
    while not ready(process):
        assert process.poll() is None, f"the command ended before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline, "the command never got ready"
        time.sleep(0.005)
    started = set(descendants(process.pid))
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err, started


def assert_left_nothing_running(started: set[int]) -> None:
    """Every process the command started is gone (given a few seconds, as a loaded machine may need)."""
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if running(pid)]


def busy_for(seconds: float) -> Callable[[subprocess.Popen[str]], bool]:
    """Ready once the process has used ``seconds`` of processor time, whatever else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")

    def ready(process: subprocess.Popen[str]) -> bool:
        with contextlib.suppress(OSError, IndexError):
            fields = (Path("/proc") / str(process.pid) / "stat").read_text().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / ticks >= seconds
        return False

    return ready


def appeared(folder: Path, pattern: str) -> Callable[[subprocess.Popen[str]], bool]:
    """Ready once ``folder`` holds an entry matching ``pattern``."""
    return lambda _: any(folder.glob(pattern))


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["explain", "--snapshot", SNAPSHOT, "--place", "FR", "--data", "profile data", "--purpose", "ads"],
        ["diff", "linkedin"],
        ["check", "--snapshot", "all", "--no-report"],
    ],
    ids=["validate", "explain", "diff", "check"],
)
def test_ctrl_c_while_a_command_imports_exits_130_in_one_line(args: list[str]) -> None:
    """Ctrl-C while the command is still loading exits 130 with one line, never Python's traceback.

    The signal comes after 0.12 s of processor time: the handler is in place by about 0.05 s, and loading the
    command line alone takes about 0.3 s.
    """
    code, _, err, _ = interrupt(args, ROOT, busy_for(0.12))
    assert (code, err) == (130, INTERRUPTED)


def test_ctrl_c_at_any_moment_of_loading_exits_130_in_one_line() -> None:
    """Ctrl-C at each moment of loading, a module half imported included, gives exit 130 and the one line.

    The moments are 0.05 s to 0.21 s of processor time, 0.02 s apart, all before loading ends (about 0.3 s);
    a Ctrl-C as the interpreter shuts down may end it by the signal itself, which shells report as 130.
    """
    for step in range(9):
        at = 0.05 + 0.02 * step
        code, _, err, _ = interrupt(["validate"], ROOT, busy_for(at))
        assert (code, err) in {(130, INTERRUPTED), (-signal.SIGINT, "")}, f"at {at:.2f} s: {code} {err}"


@pytest.fixture
def slow_project(tmp_path: Path) -> Path:
    """A copy of the shipped project with a committed report, whose every scenario takes a while."""
    for name in ("features", "policy_snapshots", "pyproject.toml"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "reports", tmp_path / "reports")
    (tmp_path / "conftest.py").write_text(
        "import time\nfrom pathlib import Path\nimport pytest\n\n\n@pytest.fixture(autouse=True)\n"
        "def _slowly():\n    Path('started').touch()\n    time.sleep(0.05)\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_ctrl_c_during_check_leaves_the_report_as_it_was(slow_project: Path, workers: list[str]) -> None:
    """Ctrl-C while the guarantees run: exit 130, one line, the committed report untouched, no worker left."""
    before = {path.name: path.read_bytes() for path in (slow_project / "reports").iterdir()}
    code, _, err, started = interrupt(
        ["check", "--snapshot", "all", *workers], slow_project, appeared(slow_project, "started")
    )
    assert (code, err) == (130, INTERRUPTED)
    assert {path.name: path.read_bytes() for path in (slow_project / "reports").iterdir()} == before
    assert sorted(path.name for path in slow_project.iterdir() if path.name.startswith(".")) == []
    assert not (slow_project / "build").exists()
    assert_left_nothing_running(started)


def test_ctrl_c_during_mutate_stops_its_workers(slow_project: Path) -> None:
    """Ctrl-C while mutants are checked on worker processes: exit 130, one line, no worker left, no section."""
    before = {path.name: path.read_bytes() for path in (slow_project / "reports").iterdir()}
    code, _, err, started = interrupt(
        ["mutate", "-n", "2"], slow_project, lambda process: len(descendants(process.pid)) >= 2
    )
    assert (code, err) == (130, INTERRUPTED)
    assert started
    assert_left_nothing_running(started)
    assert {path.name: path.read_bytes() for path in (slow_project / "reports").iterdir()} == before


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic evidence large enough that judging it takes a moment."""
    folder = tmp_path_factory.mktemp("interrupt") / "evidence"
    policy = choose(load_snapshots([ROOT / "policy_snapshots"], ROOT), SNAPSHOT, None)
    synthesise(policy, folder, members=20_000, uses=600_000)
    return folder


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_ctrl_c_during_an_audit_exits_130_and_publishes_nothing(evidence: Path, tmp_path: Path, engine: str) -> None:
    """Ctrl-C while the uses are judged: exit 130 (never 1, a breach's code), one line, the old outputs kept."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "audit.json").write_text("earlier\n")
    args = ["audit", "--evidence", str(evidence), "--snapshot", SNAPSHOT, "--out", str(out), "--engine", engine]
    if engine == "duckdb":
        args += ["--threads", "1"]
    fresh = appeared(tmp_path, ".out.publishing-*[0-9a-f]")  # the output's fresh folder, not its scratch folder
    # Spark starts while DuckDB checks the evidence: its JVM is there too before the uses are judged.
    judging = fresh if engine == "duckdb" else lambda process: fresh(process) and bool(descendants(process.pid))
    code, _, err, started = interrupt(args, ROOT, judging)
    # Spark's JVM says a few words of its own on starting, on any run; after them, one line.
    assert code == 130
    assert err.endswith(INTERRUPTED)
    assert "Traceback" not in err
    assert "Exception" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    assert [path.name for path in out.iterdir()] == ["audit.json"]
    assert (out / "audit.json").read_text() == "earlier\n"
    if engine == "spark":
        assert started, "Spark's JVM was running"
    assert_left_nothing_running(started)


def jvm_for(seconds: float) -> Callable[[subprocess.Popen[str]], bool]:
    """Ready ``seconds`` after the command has started a process of its own (Spark's JVM, as it starts)."""
    seen: list[float] = []

    def ready(process: subprocess.Popen[str]) -> bool:
        if not seen and descendants(process.pid):
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= seconds

    return ready


@pytest.mark.parametrize("seconds", [0.5, 2.0, 4.0])
def test_ctrl_c_while_spark_starts_exits_130_in_one_line(evidence: Path, tmp_path: Path, seconds: float) -> None:
    """Ctrl-C at any moment of Spark's start is the command's: one line, exit 130, no traceback, no JVM left."""
    out = tmp_path / "out"
    args = ["audit", "--evidence", str(evidence), "--snapshot", SNAPSHOT, "--out", str(out), "--engine", "spark"]
    code, _, err, started = interrupt(args, ROOT, jvm_for(seconds))
    assert code == 130
    assert err.endswith(INTERRUPTED)
    assert "Traceback" not in err
    assert "Exception" not in err
    assert "ERROR" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == []
    assert started, "Spark's JVM was starting"
    assert_left_nothing_running(started)


def test_ctrl_c_during_synth_leaves_no_evidence(tmp_path: Path) -> None:
    """Ctrl-C while evidence is generated: exit 130, one line, no evidence folder and no fresh folder."""
    args = ["synth", "--out", str(tmp_path / "evidence"), "--members", "100000", "--uses", "3000000"]
    fresh = appeared(tmp_path, ".evidence.publishing-*[0-9a-f]")  # the fresh folder, not the scratch folder
    code, _, err, _ = interrupt([*args, "--snapshot", SNAPSHOT], ROOT, fresh)
    assert (code, err) == (130, INTERRUPTED)
    assert list(tmp_path.iterdir()) == []
