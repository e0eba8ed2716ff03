"""Several workers behind HAProxy (`make serve`): the config, affinity, XSRF, and a worker killed under sessions.

The cluster tests share two `atlas.ui.server` workers and HAProxy on free loopback ports (deploy/serve.py),
started once for the module; the test that kills a worker comes last. Sessions are websocket clients that
behave like the browser (benchmarks/balanced.py): they load the page, keep the cookies, open the websocket
and upload with them, and reconnect to the same URL when their websocket closes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks.balanced import BalancedClient, failover
from benchmarks.common import ROOT, free_port, in_thread
from deploy.serve import SECRET_ENV, Cluster, render_config

HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
# The cluster tests' marks; the config test is a pure function's and runs in `make test-fast` too.
CLUSTER_MARKS = (
    pytest.mark.e2e,
    pytest.mark.xdist_group("balancer_and_load"),  # one after another: they time and kill servers
    pytest.mark.skipif(not (ROOT / "geodata" / "counties.parquet").is_file(), reason="geodata not built"),
    pytest.mark.skipif(HAPROXY is None, reason="haproxy missing: `make haproxy` installs Debian's package"),
)


def on_the_cluster(test: Callable) -> Callable:
    for mark in CLUSTER_MARKS:
        test = mark(test)
    return test


@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("cluster")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_ENV, "test-secret-shared-by-the-workers")
        with Cluster([free_port(), free_port()], free_port(), config=folder / "haproxy.cfg", log_dir=folder) as c:
            yield c


@pytest.fixture
def cluster(shared_cluster: Cluster) -> Cluster:
    """The shared cluster, whole: the test that kills one of its workers runs last in this file."""
    dead = [name for name, proc in shared_cluster.workers.items() if proc.poll() is not None]
    assert not dead, f"worker {dead} of the shared cluster was killed by an earlier test"
    return shared_cluster


def test_config_names_each_worker_by_address_with_its_own_cookie() -> None:
    text = render_config("0.0.0.0:8501", ["10.0.0.1:8601", "10.0.0.2:8601"])
    assert "bind 0.0.0.0:8501" in text
    assert "server 10.0.0.1:8601 10.0.0.1:8601 cookie 10.0.0.1:8601" in text
    assert "server 10.0.0.2:8601 10.0.0.2:8601 cookie 10.0.0.2:8601" in text
    for needed in ("option redispatch", "timeout tunnel", "cookie ATLAS_WORKER insert", "GET /_stcore/health"):
        assert needed in text


@on_the_cluster
def test_a_sessions_websocket_and_upload_land_on_its_worker(cluster: Cluster) -> None:
    async def sessions() -> list[tuple[BalancedClient, tuple[int, str], tuple[int, str]]]:
        out = []
        for _ in range(4):  # round robin: the page loads alternate between the workers
            client = BalancedClient(cluster.url)
            opened = await client.open()
            assert opened.status == "FINISHED_SUCCESSFULLY" and not opened.errors, opened
            uploaded = await client.upload("mine.csv", b"code,value\n110101,1\n")
            token, client.cookies["_streamlit_xsrf"] = client.cookies["_streamlit_xsrf"], "2|00|00|0"
            forged = await client.upload("forged.csv", b"code,value\n")
            client.cookies["_streamlit_xsrf"] = token
            await client.close()
            out.append((client, uploaded, forged))
        return out

    results = in_thread(sessions())
    for client, (status, worker), (forged_status, _) in results:
        assert client.worker and client.worker == client.affinity == worker, (client.worker, client.affinity, worker)
        assert status == 204  # a worker that does not hold the session answers 400
        assert forged_status == 403  # XSRF protection is on
    assert {client.worker for client, _, _ in results} == set(cluster.names())


@on_the_cluster
def test_a_killed_worker_s_sessions_come_back_on_their_view_and_the_others_carry_on(cluster: Cluster) -> None:
    result = in_thread(failover(cluster, sessions=8))
    summary = "\n" + result.table() + "\n" + "\n".join(e for s in result.sessions for e in s.errors)
    assert len(result.on_killed) >= 1 and len(result.on_others) >= 1, summary
    assert not result.other_errors, summary
    assert not result.lost, summary
    live = next(name for name in cluster.names() if name != result.killed)
    for session in result.on_killed:
        assert session.client.worker == session.client.affinity == live, summary
        assert session.upload_after == (204, live), summary  # the new worker holds the session now
