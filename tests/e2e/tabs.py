"""A browser tab that keeps what assert_clean (test_browser) judges: console errors, failed requests,
and the frames the page sends its server; a context that keeps what its tabs asked of another host."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def record_outside(context):
    """Keep on the context every request its tabs make to a host other than this machine (the browser's
    flags make each fail: benchmarks.common.CHROMIUM_ARGS)."""
    context.outside_requests = []

    def seen(request) -> None:
        where = urlsplit(request.url)
        if where.scheme in ("http", "https") and where.hostname not in LOOPBACK:
            context.outside_requests.append(request.url)

    context.on("request", seen)
    return context


def fresh_tab(context, server: str):
    """A new tab of `context` with no local storage left at `server` (Streamlit keeps the sidebar's state
    there). Cleared through DevTools: a tab opened to clear it cost the browser twice the CPU."""
    tab = context.new_page()
    devtools = context.new_cdp_session(tab)
    devtools.send("Storage.clearDataForOrigin", {"origin": server, "storageTypes": "local_storage"})
    devtools.detach()
    return tab


def instrument(tab):
    tab.console_errors = []  # type: ignore[attr-defined]
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))  # type: ignore[attr-defined]
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    tab.failed_requests = []  # type: ignore[attr-defined]
    # What the page sends its server: a click deck.gl took as a tap sends the selection.
    tab.frames_sent = []  # type: ignore[attr-defined]
    tab.on("websocket", lambda ws: ws.on("framesent", lambda frame: tab.frames_sent.append(frame)))  # type: ignore[attr-defined]
    tab.on("response", lambda r: r.status >= 400 and tab.failed_requests.append(f"{r.status} {r.url}"))  # type: ignore[attr-defined]
    return tab
