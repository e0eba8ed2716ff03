"""Several `python -m atlas.ui.server` workers behind HAProxy (what `make serve WORKERS=N` runs).

    python -m deploy.serve [--workers 2] [--port 8501] [--first-port 8601] [--address 127.0.0.1]
                           [--remote host:port,...] [--no-balancer]

Workers listen on --address:--first-port, --first-port+1, ...; HAProxy listens on --port and
balances them and any --remote workers (other machines running `--no-balancer`). Every worker gets
the same `server.cookieSecret`: from $ATLAS_COOKIE_SECRET, else deploy/cookie_secret (generated
once, not in git; copy it to the other machines). A worker that exits is started again.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from string import Template

from loaders.schema import ROOT

DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "haproxy.cfg.in"
CONFIG = DEPLOY / "haproxy.cfg"
SECRET_FILE = DEPLOY / "cookie_secret"
SECRET_ENV = "ATLAS_COOKIE_SECRET"
AFFINITY_COOKIE = "ATLAS_WORKER"  # as named in haproxy.cfg.in
WORKER_HEADER = "X-Atlas-Worker"
HEALTH = "/_stcore/health"


def cookie_secret(path: Path = SECRET_FILE) -> str:
    """The secret all workers share (signed cookies must verify on whichever worker a request lands)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    if not path.is_file():
        path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def render_config(bind: str, workers: list[str], template: Path = TEMPLATE) -> str:
    """HAProxy's configuration for `workers` (host:port), each named and cookied by its address."""
    lines = [f"    server {w} {w} cookie {w}" for w in workers]
    return Template(template.read_text(encoding="utf-8")).substitute(bind=bind, servers="\n".join(lines) + "\n")


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        if healthy(url):
            return
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f} s")


def _stop(proc: subprocess.Popen | None) -> None:
    """Stop a process and its group (each was started in its own session)."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


class Cluster:
    """N workers on `address`:`ports` and HAProxy on `address`:`port`, stopped together."""

    def __init__(
        self,
        ports: list[int],
        port: int,
        address: str = "127.0.0.1",
        remote: list[str] | None = None,
        balancer: bool = True,
        config: Path = CONFIG,
        log_dir: Path | None = None,
    ) -> None:
        self.address, self.ports, self.port = address, list(ports), port
        self.remote = list(remote or [])
        self.balancer = balancer
        self.config = config
        self.log_dir = log_dir
        self.secret = cookie_secret()
        self.workers: dict[str, subprocess.Popen] = {}
        self.haproxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def names(self) -> list[str]:
        return [f"{self.address}:{p}" for p in self.ports]

    def _log(self, name: str):
        if self.log_dir is None:
            return subprocess.DEVNULL
        return open(self.log_dir / f"{name.replace(':', '_')}.log", "ab")

    def start_worker(self, name: str) -> subprocess.Popen:
        host, port = name.rsplit(":", 1)
        cmd = [sys.executable, "-m", "atlas.ui.server", "--server.port", port, "--server.address", host]
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self.secret}
        log = self._log(name)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if log is not subprocess.DEVNULL:
            log.close()
        self.workers[name] = proc
        return proc

    def start(self, timeout: float = 90.0) -> None:
        try:
            for name in self.names():
                self.start_worker(name)
            for name, proc in self.workers.items():
                wait_healthy(f"http://{name}", proc, timeout)
            if self.balancer:
                self.start_balancer(timeout)
        except BaseException:
            self.stop()
            raise

    def start_balancer(self, timeout: float) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.config.write_text(render_config(f"{self.address}:{self.port}", self.names() + self.remote), "utf-8")
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(self.config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy rejected {self.config}: {check.stdout}{check.stderr}")
        log = self._log("haproxy")
        self.haproxy = subprocess.Popen(
            [haproxy, "-db", "-f", str(self.config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if log is not subprocess.DEVNULL:
            log.close()
        wait_healthy(self.url, self.haproxy, timeout)

    def kill_worker(self, name: str) -> None:
        """SIGKILL one worker, as a crash would (no goodbye to its sessions)."""
        proc = self.workers[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        _stop(self.haproxy)
        for proc in self.workers.values():
            _stop(proc)

    def supervise(self, poll: float = 1.0) -> None:
        """Run until interrupted; a worker that exits is started again (its sessions have moved on)."""
        while True:
            time.sleep(poll)
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.haproxy.returncode}")
            for name, proc in list(self.workers.items()):
                if proc.poll() is not None:
                    print(f"worker {name} exited with {proc.returncode}; starting it again", flush=True)
                    self.start_worker(name)

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes on this machine")
    parser.add_argument("--port", type=int, default=8501, help="HAProxy's port (the link users open)")
    parser.add_argument("--first-port", type=int, default=8601, help="the first worker's port")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    parser.add_argument("--remote", default="", help="workers on other machines, host:port,host:port")
    parser.add_argument("--no-balancer", action="store_true", help="workers only (for another machine's HAProxy)")
    args = parser.parse_args(argv)
    remote = [w for w in args.remote.split(",") if w]
    cluster = Cluster(
        [args.first_port + i for i in range(args.workers)],
        args.port,
        args.address,
        remote=remote,
        balancer=not args.no_balancer,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        where = cluster.url if cluster.balancer else ", ".join(cluster.names())
        print(f"{len(cluster.workers)} workers {', '.join(cluster.names())} + {len(remote)} remote; open {where}")
        cluster.supervise()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
