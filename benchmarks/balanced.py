"""Sessions through HAProxy (deploy/serve.py): a browser-like client that keeps its cookies, and
the kill-one-worker run used by `make load` and tests/test_serve.py.

A browser loads the page (HAProxy inserts the affinity cookie), asks /_stcore/health (Streamlit sets
its XSRF cookie), then opens the websocket and sends uploads with those cookies, so all three reach one worker. When its
worker dies the websocket closes; Streamlit's frontend reconnects to the same URL and reruns the
page with the URL's query string: with `option redispatch` HAProxy sends it to a live worker, where
the view is rebuilt from the URL. `BalancedClient.reconnect` does the same.
"""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from benchmarks.common import RunResult, StreamlitClient
from deploy.serve import AFFINITY_COOKIE, HEALTH, WORKER_HEADER, Cluster

XSRF_COOKIE = "_streamlit_xsrf"
PAGE = "county_map"
OK = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")


class BalancedClient(StreamlitClient):
    """One browser session through the balancer, with its cookie jar."""

    def __init__(self, base_url: str, page: str = PAGE, query_string: str = "") -> None:
        super().__init__(base_url)
        self.base_url = base_url
        self.page = page
        self.query_string = query_string
        self.cookies: dict[str, str] = {}
        self.worker = ""  # the worker that accepted the websocket (HAProxy's X-Atlas-Worker)

    def _remember(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def http(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        """A request with this session's cookies: (status, worker that answered)."""
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers or {})
        if self.cookies:
            request.add_header("Cookie", self._cookie_header())
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status, got = response.status, response.headers
        except urllib.error.HTTPError as error:
            status, got = error.code, error.headers
        self._remember(got.get_all("Set-Cookie") or [])
        return status, got.get(WORKER_HEADER, "")

    async def open(self, timeout: float = 60.0) -> RunResult:
        """Load the page's HTML, open the websocket, run the page from the URL."""
        query = f"?{self.query_string}" if self.query_string else ""
        await asyncio.to_thread(self.http, "GET", f"/{self.page}{query}")
        await self.connect_ws(timeout)
        return await self.run(page_name=self.page, timeout=timeout)

    async def connect_ws(self, timeout: float) -> None:
        """As the frontend connects: /_stcore/health first (it sets the XSRF cookie), then the websocket."""
        await asyncio.to_thread(self.http, "GET", HEALTH)
        protocols = ("streamlit", self.cookies.get(XSRF_COOKIE, ""), *((self.session_id,) if self.session_id else ()))
        headers = {"Cookie": self._cookie_header(), "Origin": self.base_url}
        await self.connect(timeout, subprotocols=protocols, headers=headers)
        response = self.ws.response.headers
        self.worker = response.get(WORKER_HEADER, "")
        self._remember(response.get_all("Set-Cookie"))

    async def reconnect(self, timeout: float = 60.0) -> None:
        """What the frontend does when its websocket closes: the same URL again, offering its old
        session id. It keeps the page it shows and reruns nothing until the user acts."""
        try:
            await self.close()
        except Exception:  # noqa: BLE001 - the old socket is already gone
            self.ws = None
        await self.connect_ws(timeout)

    async def upload(self, name: str, data: bytes) -> tuple[int, str]:
        """PUT a file as st.file_uploader does: to this session's id, with the XSRF token."""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": self.cookies.get(XSRF_COOKIE, ""),
            "Origin": self.base_url,
        }
        path = f"/_stcore/upload_file/{self.session_id}/{uuid.uuid4().hex}"
        return await asyncio.to_thread(self.http, "PUT", path, body, headers)

    @property
    def affinity(self) -> str:
        return self.cookies.get(AFFINITY_COOKIE, "")

    def slider(self, key: str) -> list[float]:
        """The value the page drew for the slider with this key."""
        proto = self.widgets[self.widget_id(key, self.page)]
        return list(proto.value) or list(proto.default)


@dataclass
class FailoverSession:
    client: BalancedClient
    worker: str = ""
    year: int = 0  # the year in the session's URL before the kill
    errors: list[str] = field(default_factory=list)
    back_s: float | None = None  # seconds from the kill until the page was back on its URL's view
    upload_after: tuple[int, str] | None = None


@dataclass
class FailoverResult:
    sessions: list[FailoverSession]
    killed: str

    @property
    def on_killed(self) -> list[FailoverSession]:
        return [s for s in self.sessions if s.worker == self.killed]

    @property
    def on_others(self) -> list[FailoverSession]:
        return [s for s in self.sessions if s.worker != self.killed]

    @property
    def lost(self) -> list[FailoverSession]:
        """Sessions of the killed worker not back on their URL's view."""
        return [s for s in self.on_killed if s.back_s is None]

    @property
    def other_errors(self) -> list[str]:
        return [e for s in self.on_others for e in s.errors]

    def table(self) -> str:
        back = sorted(s.back_s for s in self.on_killed if s.back_s is not None)
        slowest = f"{back[-1]:.1f} s" if back else "–"
        return "\n".join(
            [
                "| Kill one worker (SIGKILL) with sessions open | Value |",
                "|---|---|",
                f"| Sessions open / on the killed worker | {len(self.sessions)} / {len(self.on_killed)} |",
                f"| Errors in the other workers' sessions | {len(self.other_errors)} |",
                f"| Killed worker's sessions back on their URL's view | {len(back)} / {len(self.on_killed)} |",
                f"| Slowest back (kill → page rerun on a live worker) | {slowest} |",
            ]
        )


async def _open(session: FailoverSession, years: tuple[int, int], stagger: float, timeout: float) -> None:
    await asyncio.sleep(stagger)
    client = session.client
    try:
        opened = await client.open(timeout)
        session.errors += opened.errors
        changed = await client.set_slider("w_year", years[0], page_name=client.page, timeout=timeout)
        session.errors += changed.errors
        if changed.status not in OK:
            session.errors.append(f"year change finished with {changed.status}")
        session.worker, session.year = client.worker, years[0]
    except Exception as exc:  # noqa: BLE001 - every failure is counted
        session.errors.append(f"before the kill: {type(exc).__name__}: {exc}"[:200])


async def _after_kill(session: FailoverSession, killed: str, year: int, killed_at: float, timeout: float) -> None:
    client = session.client
    try:
        if session.worker != killed:  # carries on: another year change on the same websocket
            result = await client.set_slider("w_year", year, page_name=client.page, timeout=timeout)
            session.errors += result.errors
            if result.status not in OK:
                session.errors.append(f"year change finished with {result.status}")
            return
        await client.reconnect(timeout)
        # The user's next step (a fragment rerun): on the new worker the page runs whole, from the URL.
        result = await client.set_slider("w_year", year, page_name=client.page, timeout=timeout)
        session.errors += result.errors
        if client.slider("w_year") == [float(session.year)] and result.status in OK and not result.errors:
            session.back_s = time.perf_counter() - killed_at
        else:
            session.errors.append(f"back on year {client.slider('w_year')}, its URL says {session.year}")
        session.upload_after = await client.upload("after.csv", b"code,value\n")
    except Exception as exc:  # noqa: BLE001
        session.errors.append(f"after the kill: {type(exc).__name__}: {exc}"[:200])


async def failover(cluster: Cluster, sessions: int, timeout: float = 120.0) -> FailoverResult:
    """Open `sessions` on the county map through the balancer, move each to 2016, kill the worker
    holding the first session, then every session moves the year to 2019: the others on their
    websocket, the killed worker's sessions after reconnecting, and their page must come back on
    2016 (their URL's year; the step itself is lost with the worker)."""
    opened = [FailoverSession(BalancedClient(cluster.url)) for _ in range(sessions)]
    await asyncio.gather(*(_open(s, (2016, 2019), 0.05 * i, timeout) for i, s in enumerate(opened)))
    alive = [s for s in opened if s.worker]
    killed = alive[0].worker if alive else cluster.names()[0]
    try:
        await asyncio.to_thread(cluster.kill_worker, killed)
        killed_at = time.perf_counter()
        await asyncio.gather(*(_after_kill(s, killed, 2019, killed_at, timeout) for s in alive))
    finally:
        await asyncio.gather(*(_close(s.client) for s in opened))
    return FailoverResult(opened, killed)


async def _close(client: StreamlitClient) -> None:
    try:
        await asyncio.wait_for(client.close(), 10)
    except Exception:  # noqa: BLE001
        pass
