"""A set of output files is published whole or not at all, whatever step of the writer a kill lands on."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

import pytest

from policyproof import files
from policyproof.audit.engines import DuckDB
from policyproof.exceptions import OutputError
from policyproof.report.formats import NAMES
from policyproof.report.writer import publish_set

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

KILLED = 9  # the exit code of a child stopped at its chosen step, with no clean-up, as SIGKILL leaves it
# The writer's steps on the file system, each of which a kill may land before.
STEPS = frozenset({"open", "write", "fsync", "close", "rename", "replace", "chmod", "link", "mkdir", "unlink"})


def report(run: str) -> dict[str, str]:
    """The four report files of one run, each saying which run wrote it."""
    return {name: f"{name} of {run}\n" * 50 for name in NAMES}


class Counting:
    """``os`` as the writer sees it, counting its steps; at step ``kill_at`` the process ends at once."""

    def __init__(self, kill_at: int | None) -> None:
        """Count from nought; ``kill_at`` None counts without killing."""
        self.kill_at = kill_at
        self.steps = 0

    def step(self) -> None:
        """One step more; the chosen one ends the process like SIGKILL: no clean-up, no finally."""
        self.steps += 1
        if self.steps == self.kill_at:
            os._exit(KILLED)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 (whatever os holds)
        """The real ``os`` attribute, counted when it is a step."""
        real = getattr(os, name)
        if name not in STEPS:
            return real

        def counted(*args: object, **kwargs: object) -> object:
            self.step()
            return real(*args, **kwargs)

        return counted


def instrument(monkeypatch: pytest.MonkeyPatch, counting: Counting, *, exchange: bool) -> None:
    """Route the writer's steps through ``counting``; ``exchange`` False stands for a system without one."""
    real = files._exchange  # noqa: SLF001 (the step under test)

    def exchanging(first: Path, second: Path) -> bool:
        counting.step()
        return exchange and real(first, second)

    monkeypatch.setattr(files, "os", counting)
    monkeypatch.setattr(files, "_exchange", exchanging)


def in_child(work: Callable[[], object]) -> int:
    """Run ``work`` in a forked child; its exit code (KILLED when stopped at its step)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            work()
        except BaseException:  # noqa: BLE001 (any failure is the child's exit code)
            os._exit(3)
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def held(folder: Path) -> dict[str, str]:
    """The files a folder holds, by name."""
    return {path.name: path.read_text() for path in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_at_any_step_of_publishing_leaves_one_whole_run_and_the_next_run_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, exchange: bool
) -> None:
    """Killed before each write, rename and exchange in turn, the folder holds the old set or the new, never a mix.

    The next run removes what the killed one left (or puts back the folder it left aside) and publishes whole.
    """
    target = tmp_path / "reports"
    old, new, next_run = report("old"), report("new"), report("next")
    publish_set(target, {**old, "README.md": "kept\n"})
    counting = Counting(None)
    with monkeypatch.context() as patch:
        instrument(patch, counting, exchange=exchange)
        publish_set(target, new)
    total = counting.steps
    assert total > 2 * len(NAMES)
    seen = []
    for kill_at in range(1, total + 1):
        publish_set(target, {**old, "README.md": "kept\n"})
        with monkeypatch.context() as patch:
            instrument(patch, Counting(kill_at), exchange=exchange)
            assert in_child(lambda: publish_set(target, new)) == KILLED
        found = held(target)
        seen.append("new" if found == {**new, "README.md": "kept\n"} else "old" if found else "none")
        assert found in ({**old, "README.md": "kept\n"}, {**new, "README.md": "kept\n"}, {}), kill_at
        files.remove_leftovers(target)
        assert held(target) in ({**old, "README.md": "kept\n"}, {**new, "README.md": "kept\n"}), kill_at
        publish_set(target, next_run)
        assert held(target) == {**next_run, "README.md": "kept\n"}
        assert [path.name for path in tmp_path.iterdir()] == ["reports"], kill_at
    # Killed before the exchange: the old set; after it: the new one; between two renames: none, until put back.
    assert seen[0] == "old"
    assert seen[-1] == "new"
    assert ("none" in seen) == (not exchange)


class Failing(Counting):
    """``os`` as the writer sees it, failing at one step as a full disk would."""

    def step(self) -> None:
        """One step more; the chosen one fails."""
        self.steps += 1
        if self.steps == self.kill_at:
            raise OSError(28, "No space left on device")


def test_a_failure_at_any_step_publishes_one_whole_run_leaves_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that fails leaves the old set or the new one, no fresh folder, and one line naming the report."""
    target = tmp_path / "reports"
    old, new = report("old"), report("new")
    counting = Counting(None)
    with monkeypatch.context() as patch:
        instrument(patch, counting, exchange=True)
        publish_set(target, new)
    for fail_at in range(1, counting.steps + 1):
        publish_set(target, old)
        with monkeypatch.context() as patch:
            instrument(patch, Failing(fail_at), exchange=True)
            with pytest.raises(OutputError) as raised:
                publish_set(target, new)
        assert re.fullmatch(rf"{re.escape(str(target))}\S*: cannot [\w ]+: No space left on device", str(raised.value))
        assert held(target) in (old, new), fail_at
        assert [path.name for path in tmp_path.iterdir()] == ["reports"], fail_at


def test_a_set_replaces_only_its_own_files_and_drops_the_temporary_files_older_writers_left(tmp_path: Path) -> None:
    """Another command's set beside the report is kept; the report's own files and leftovers are not carried over."""
    target = tmp_path / "reports"
    target.mkdir()
    (target / "suite-strength.md").write_text("strength\n")
    (target / "history").mkdir()
    (target / "history" / "2024.md").write_text("then\n")
    (target / ".compliance-report.md.k3j_x9.tmp").write_text("half a report")
    (target / "compliance-report.sarif").write_text("a format this run does not write\n")
    with files.publishing(target, NAMES) as fresh:  # a run that writes one file of the set
        (fresh / "compliance-report.md").write_text("new\n")
    assert sorted(path.name for path in target.iterdir()) == ["compliance-report.md", "history", "suite-strength.md"]
    assert (target / "history" / "2024.md").read_text() == "then\n"
    assert (target / "suite-strength.md").read_text() == "strength\n"
    assert (target / "compliance-report.md").read_text() == "new\n"


def test_a_fresh_folder_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    """Only fresh folders of runs no longer alive are removed: a concurrent run's own folder is not touched."""
    target = tmp_path / "reports"
    live = tmp_path / f".reports.publishing-{os.getppid()}-0a1b2c3d"
    dead = tmp_path / ".reports.publishing-999999999-0a1b2c3d"
    for folder in (live, dead):
        folder.mkdir()
        (folder / "compliance-report.md").write_text("half\n")
    publish_set(target, report("new"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [live.name, "reports"]


def test_a_scratch_folder_is_private_removed_after_and_removed_on_interrupt_while_in_use(tmp_path: Path) -> None:
    """A scratch folder sits beside the target, private, listed for an interrupted run to remove, gone after use."""
    target = tmp_path / "audit"
    with files.scratch(target) as folder:
        assert folder.parent == tmp_path
        assert folder.name.startswith(f".audit.publishing-{os.getpid()}-")
        assert folder.name.endswith(".scratch")
        assert folder.stat().st_mode & 0o777 == 0o700
        assert folder in files.in_progress()
        (folder / "spill.tmp").write_bytes(b"spilled")
    assert list(tmp_path.iterdir()) == []
    assert folder not in files.in_progress()


def test_a_scratch_folder_of_a_dead_run_is_removed_by_the_next(tmp_path: Path) -> None:
    """A killed run's scratch folder is removed by the next run on the same target; a live run's is left alone."""
    live = tmp_path / f".reports.publishing-{os.getppid()}-0a1b2c3d.scratch"
    dead = tmp_path / ".reports.publishing-999999999-0a1b2c3d.scratch"
    for folder in (live, dead):
        folder.mkdir()
        (folder / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    publish_set(tmp_path / "reports", report("new"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [live.name, "reports"]


def test_duckdb_spills_into_the_folder_it_is_given(tmp_path: Path) -> None:
    """DuckDB's temporary files go where the audit says, not into ``.tmp`` of the working folder."""
    with files.scratch(tmp_path / "audit") as folder, DuckDB(spill=folder) as duck:
        assert duck.rows("SELECT current_setting('temp_directory')") == [(str(folder),)]
    with DuckDB() as duck:
        assert duck.rows("SELECT current_setting('temp_directory')") == [(".tmp",)]


def test_the_published_folder_and_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """A new report folder gets the permissions any new folder gets, its files 0644; a kept folder keeps its own."""
    mask = os.umask(0o022)
    try:
        publish_set(tmp_path / "reports", report("new"))
        assert (tmp_path / "reports").stat().st_mode & 0o777 == 0o755
        assert {path.stat().st_mode & 0o777 for path in (tmp_path / "reports").iterdir()} == {0o644}
        (tmp_path / "reports").chmod(0o750)
        publish_set(tmp_path / "reports", report("next"))
        assert (tmp_path / "reports").stat().st_mode & 0o777 == 0o750
    finally:
        os.umask(mask)


def test_a_folder_in_the_way_of_a_report_file_is_refused(tmp_path: Path) -> None:
    """A folder named like a file of the set would be lost to the new set, so it is refused before any work."""
    (tmp_path / "reports" / "compliance-report.json").mkdir(parents=True)
    with pytest.raises(OutputError) as raised:
        files.check_folder(tmp_path / "reports", NAMES)
    assert str(raised.value) == (
        f"{tmp_path / 'reports' / 'compliance-report.json'}: a folder is where this file is to be written"
    )
