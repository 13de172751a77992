"""The audit on a real Spark cluster: a standalone master and worker on loopback give DuckDB's verdicts."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyspark
import pytest
from evidence_cases import edges, generate, policies

from policyproof.audit import validation
from policyproof.audit.engines import DuckDB
from policyproof.audit.evidence import locate
from policyproof.audit.run import Options, audit, prepare, verdicts
from policyproof.audit.spark import Spark, start_spark

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SPARK_CLASS = Path(pyspark.__file__).parent / "bin" / "spark-class"
CORES = 3  # the worker's, unlike the machine's, so the partitions show whose cores they come from
READY = 120.0  # seconds a Spark daemon may take to start on a busy machine
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the one that started it ends (Linux)


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _end_with_parent() -> None:
    """Have the kernel end this process when the test process ends, even by a signal that skips the fixture's end."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def daemon(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """A Spark daemon from pyspark's own launcher, in a process group of its own (its executors join it)."""
    with log.open("wb") as sink:
        return subprocess.Popen(  # noqa: S603 (pyspark's launcher)
            [str(SPARK_CLASS), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_end_with_parent,  # noqa: PLW1509 (the daemons start before this process has a JVM's threads)
        )


def master_state(ui: int) -> dict[str, Any]:
    """The master's state as its web UI gives it in JSON, or nothing while it is not up."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=2) as answer:
            return dict(json.load(answer))
    except OSError:
        return {}


def wait_for(ready: Callable[[], bool], what: str, logs: list[Path]) -> None:
    """Poll until ``ready()``; fail with the daemons' logs after ``READY`` seconds."""
    deadline = time.monotonic() + READY
    while not ready():
        if time.monotonic() > deadline:
            said = "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)
            pytest.fail(f"{what} within {READY:.0f} s:\n{said}")
        time.sleep(0.5)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a daemon and every process of its group (a worker's executors), by the group's id."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # an executor its worker did not end


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A standalone master and one worker on 127.0.0.1 at free ports, and a session on them; all stopped after."""
    folder = tmp_path_factory.mktemp("cluster")
    port, ui, worker_ui = free_port(), free_port(), free_port()
    url = f"spark://127.0.0.1:{port}"
    logs = [folder / "master.log", folder / "worker.log"]
    started: list[subprocess.Popen[bytes]] = []
    session = None
    try:
        master_args = ["--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui)]
        started.append(daemon(["org.apache.spark.deploy.master.Master", *master_args], logs[0]))
        wait_for(lambda: master_state(ui).get("status") == "ALIVE", "the master did not start", logs)
        worker_args = ["--host", "127.0.0.1", "--cores", str(CORES), "--memory", "1g", "--webui-port", str(worker_ui)]
        worker_args += ["--work-dir", str(folder / "work"), url]
        started.append(daemon(["org.apache.spark.deploy.worker.Worker", *worker_args], logs[1]))
        wait_for(lambda: master_state(ui).get("aliveworkers") == 1, "the worker did not join the master", logs)
        session = start_spark(url)
        context = session.sparkContext
        # The driver counts as an executor of its own; the worker's executor registers a moment after the session.
        wait_for(lambda: len(context.statusTracker().getExecutorInfos()) > 1, "no executor started", logs)
        yield session
    finally:
        if session is not None:
            session.stop()
        for process in reversed(started):
            stop(process)


def spark_verdicts(session: Any, folder: Path) -> list[tuple[object, ...]]:  # noqa: ANN401
    """Every use's verdict as Spark's audit gives it: the evidence checked, and the small tables made, by DuckDB."""
    evidence = locate(folder)
    work = folder.parent / "prepared"
    work.mkdir(exist_ok=True)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()["platform"], duck)
        engine = Spark(session=session)
        prepare(engine, evidence.tables, policies()["platform"], naive, small=duck, work=work)
        return verdicts(engine)


def duckdb_verdicts(folder: Path) -> list[tuple[object, ...]]:
    """Every use's verdict as DuckDB's audit gives it."""
    evidence = locate(folder)
    with DuckDB() as duck:
        naive = validation.check(evidence, policies()["platform"], duck)
        prepare(duck, evidence.tables, policies()["platform"], naive)
        return verdicts(duck)


def test_an_audit_on_a_standalone_cluster_gives_duckdbs_verdict_for_every_use(cluster: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """On spark://127.0.0.1:PORT each use gets DuckDB's verdict, and the summary and breaches are DuckDB's."""
    assert cluster.sparkContext.master.startswith("spark://127.0.0.1:")
    evidence = generate(5, members=30, uses=300)
    named = edges()
    evidence.members.update(named.members)
    evidence.settings.update(named.settings)
    evidence.uses += named.uses
    folder = evidence.write(tmp_path / "evidence")
    on_cluster = spark_verdicts(cluster, folder)
    assert on_cluster == duckdb_verdicts(folder)
    assert on_cluster == evidence.expected(policies()["platform"])
    on_duckdb = audit(folder, policies()["platform"], tmp_path / "duckdb")
    on_spark = audit(folder, policies()["platform"], tmp_path / "spark", Options(engine="spark", spark_session=cluster))
    assert on_spark.as_json()["rows"] == on_duckdb.as_json()["rows"]
    assert on_spark.total("breach") > 0
    with DuckDB() as duck:
        breaches = {
            out: duck.rows(f"SELECT * FROM read_parquet('{tmp_path / out / 'breaches.parquet'}')")
            for out in ("duckdb", "spark")
        }
    assert breaches["spark"] == breaches["duckdb"]


def test_a_cluster_shuffles_into_partitions_from_its_own_cores(cluster: Any, tmp_path: Path) -> None:  # noqa: ANN401
    """Reading small uses on a cluster sets twice the worker's cores as shuffle partitions, not Spark's 200."""
    folder = edges().write(tmp_path / "evidence")
    Spark(session=cluster).read(locate(folder).uses)
    assert cluster.conf.get("spark.sql.shuffle.partitions") == str(2 * CORES)
