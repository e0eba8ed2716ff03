"""Uploads stay in memory (README, Import): Starlette, under Streamlit's upload route, spools a form
part over 1 MB to a temporary file unless atlas.ui.server raised its threshold; the server's upload cap
matches the importer's limit, so no upload can pass the threshold."""

from __future__ import annotations

import tomllib

import pytest
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from atlas.ui import server
from benchmarks.common import ROOT, in_thread
from loaders.tabular import MAX_UPLOAD_BYTES


def _parsed_upload(size: int):
    boundary = "synthetic-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="synthetic.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    scope = {
        "type": "http",
        "method": "PUT",
        "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())],
    }
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]

    async def receive():
        return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}

    async def parse():
        form = await Request(scope, receive).form()
        upload = form["file"]
        return upload.file._rolled, len(await upload.read())

    return in_thread(parse())


@pytest.fixture
def default_threshold(monkeypatch):
    monkeypatch.setattr(MultiPartParser, "spool_max_size", MultiPartParser.spool_max_size)


def test_an_upload_at_the_limit_is_parsed_in_memory(default_threshold):
    assert _parsed_upload(2 * 2**20)[0] is True  # Starlette's default: to a temporary file
    server.keep_uploads_in_memory()
    rolled, size = _parsed_upload(MAX_UPLOAD_BYTES)
    assert (rolled, size) == (False, MAX_UPLOAD_BYTES)


def test_the_server_refuses_uploads_over_the_importers_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES
