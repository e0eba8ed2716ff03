"""Shared machinery of the benchmark and the load test: a Streamlit server
subprocess, its memory from /proc, and a websocket client that speaks
Streamlit's protocol (protobuf BackMsg/ForwardMsg over /_stcore/stream).

The client behaves like the frontend: on connect it sends `rerun_script` with
the page's URL path (`page_name`) and query string; a widget change is a
`rerun_script` carrying the widget's new state (and, for a widget inside an
`st.fragment`, the fragment id, as the browser does).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from loaders.schema import ROOT

PYTHON = sys.executable
DEBUG = bool(os.environ.get("BENCH_DEBUG"))
# Debian's Chromium, as the benchmarks and the browser tests start it (one list for both)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # deck.gl needs WebGL: without a GPU, Chromium's software rasteriser provides it.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    # Offline, as in a meeting room: every host but loopback goes to a proxy that is not there (Chromium
    # never proxies loopback), so a request to another host fails. Tests record such requests (tests/e2e/tabs.py)
    # without routing, which would turn the HTTP cache off.
    "--proxy-server=127.0.0.1:9",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status_kb(pid: int, field_name: str) -> int:
    """A /proc/<pid>/status field in kB (VmRSS, VmHWM); 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


OUR_APP = ["-m", "atlas.ui.server"]  # app.py, with Streamlit's legacy pages/ routing switched off
NAIVE_APP = ["-m", "streamlit", "run", "benchmarks/naive_app.py"]


class Server:
    """`python <command> --server.port <port> ...` on 127.0.0.1, killed (its whole process group) on exit.

    `command` is OUR_APP or NAIVE_APP (Python arguments before the Streamlit options).
    Headless mode and no usage statistics come from .streamlit/config.toml (cwd is the repository).
    """

    def __init__(
        self,
        command: list[str],
        env: dict[str, str] | None = None,
        port: int | None = None,
        extra: list[str] | None = None,
    ) -> None:
        self.command = list(command)
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.extra = extra or []
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.log = ROOT / "benchmarks" / f".server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait for /_stcore/health; returns seconds until healthy. Kills the server on failure."""
        cmd = [
            PYTHON,
            *self.command,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            *self.extra,
        ]
        self.started = time.perf_counter()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            deadline = self.started + timeout
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            return time.perf_counter() - self.started
                except OSError:
                    time.sleep(0.1)
            raise TimeoutError(f"server not healthy after {timeout}s")
        except BaseException:
            self.stop()
            raise

    def rss_mb(self) -> float:
        return proc_status_kb(self.proc.pid, "VmRSS") / 1024 if self.proc else 0.0

    def hwm_mb(self) -> float:
        return proc_status_kb(self.proc.pid, "VmHWM") / 1024 if self.proc else 0.0

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        try:
            self.log.unlink()
        except OSError:
            pass

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class RunResult:
    seconds: float  # BackMsg sent -> script_finished received
    bytes: int  # websocket payload bytes received during the run
    messages: int
    status: str
    errors: list[str] = field(default_factory=list)
    deck_json_bytes: int = 0  # size of the pydeck spec(s) in this run's deltas


class StreamlitClient:
    """One browser-like session over Streamlit's websocket."""

    def __init__(self, base_url: str) -> None:
        self.ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = None
        self.session_id = ""  # the server's id of this session (uploads are addressed to it)
        self.page_script_hash = ""
        self.query_string = ""
        self.widgets: dict[str, object] = {}  # widget id -> last element proto
        self.fragment_of: dict[str, str] = {}  # widget id -> fragment id

    async def connect(
        self, timeout: float = 30.0, subprotocols: tuple[str, ...] = ("streamlit",), headers: dict | None = None
    ) -> None:
        """Open the websocket; `subprotocols` and `headers` as a browser sends them (see BalancedClient)."""
        import websockets

        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                subprotocols=list(subprotocols),
                additional_headers=headers,
                max_size=None,
                open_timeout=timeout,
                ping_interval=None,
                compression=None,
            ),
            timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(
        self,
        page_name: str = "",
        query_string: str | None = None,
        widget_states=None,
        fragment_id: str = "",
        timeout: float = 60.0,
    ) -> RunResult:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string if query_string is None else query_string
        cs.page_script_hash = self.page_script_hash
        cs.page_name = page_name
        if fragment_id:
            cs.fragment_id = fragment_id
        if widget_states is not None:
            cs.widget_states.CopyFrom(widget_states)
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-US"
        cs.context_info.url = self.ws_url.replace("ws://", "http://").replace("/_stcore/stream", "/" + page_name)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        nbytes = nmsgs = deck = 0
        errors: list[str] = []
        deadline = started + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no script_finished")
            data = await asyncio.wait_for(self.ws.recv(), remaining)
            nbytes += len(data)
            nmsgs += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = fwd.new_session.page_script_hash or self.page_script_hash
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":  # st.navigation names the page that ran, as the frontend keeps it
                self.page_script_hash = fwd.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "delta":
                deck += self._note_delta(fwd, errors)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # a rerun the script asked for (st.rerun / query params); wait for it
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    errors.append(status)
                return RunResult(time.perf_counter() - started, nbytes, nmsgs, status, errors, deck)
            elif kind == "session_event":
                ev = fwd.session_event.WhichOneof("type")
                if ev in ("script_compilation_exception", "script_changed_on_disk"):
                    errors.append(f"session_event {ev}")

    def _note_delta(self, fwd, errors: list[str]) -> int:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return 0
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            errors.append(
                f"exception: {element.exception.type}: {element.exception.message[:200]}"
                + (" @ " + " / ".join(element.exception.stack_trace) if DEBUG else "")
            )
        elif kind == "alert" and element.alert.format == 1:  # ERROR
            errors.append(f"st.error: {element.alert.body[:200]}")
        elif kind == "deck_gl_json_chart":
            return len(element.deck_gl_json_chart.json.encode("utf-8"))
        inner = getattr(element, kind, None) if kind else None
        wid = getattr(inner, "id", "") if inner is not None else ""
        if isinstance(wid, str) and wid:
            self.widgets[wid] = inner
            if delta.fragment_id:
                self.fragment_of[wid] = delta.fragment_id
        return 0

    def widget_id(self, key: str, page: str = "") -> str:
        """The id of the widget created with `key`. Streamlit puts the user key at the end of the id;
        the app scopes it to a page as `key@page` (e.g. `w_year@county_map`); a bare `key` is accepted too.
        With `page`, `key@page` is preferred over other pages' and bare keys."""

        def matches(w: str) -> bool:
            return w.endswith("-" + key) or ("-" + key + "@") in w

        hits = [w for w in self.widgets if matches(w)]
        exact = [w for w in hits if page and w.endswith(f"-{key}@{page}")]
        if not hits:
            raise KeyError(f"no widget with key {key!r} among {list(self.widgets)[:20]}")
        return (exact or hits)[0]

    async def set_slider(self, key: str, value: float, page_name: str = "", timeout: float = 60.0) -> RunResult:
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        wid = self.widget_id(key, page_name)
        states = WidgetStates()
        state = states.widgets.add()
        state.id = wid
        state.double_array_value.data.append(float(value))
        return await self.run(
            page_name=page_name, widget_states=states, fragment_id=self.fragment_of.get(wid, ""), timeout=timeout
        )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages: figures from a shared machine need them."""
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def in_thread(coro):
    """asyncio.run in a worker thread: Playwright's sync API owns the main thread's event loop (in the
    benchmarks, and in a test run once a browser test has run)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def write_figures(title: str, note: str, rows: list[tuple[str, str]], path: Path) -> str:
    """A benchmark's figures as Markdown (a title, a line saying when and how, a two-column table),
    printed and written to `path`; returns the text."""
    lines = [f"# {title}", "", f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · {note}", ""]
    lines += ["| what | figure |", "| --- | --- |", *[f"| {name} | {figure} |" for name, figure in rows], ""]
    text = "\n".join(lines)
    print(text)
    path.write_text(text, encoding="utf-8")
    return text
