"""Start the app: `python -m atlas.ui.server [streamlit options]` (what `make run` does).

Streamlit takes a folder named pages/ beside the entry script for its legacy
multipage layout and then runs a page script without app.py. This project keeps
its page scripts in pages/ but routes them with st.navigation in app.py, so the
legacy detection is switched off before the server starts.

Behind a balancer (`make serve`), a browser whose worker died reconnects to another one, where its
session is new; the frontend does not rerun the page on reconnect, and its next request is often a
fragment's (the county map's year slider), which Streamlit drops in a session that never drew that
fragment: the page would not answer. Such a first request runs the whole page instead, from the URL
the browser sends (the whole view is in it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.formparsers import MultiPartParser
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from loaders.tabular import MAX_UPLOAD_BYTES

APP = Path(__file__).resolve().parents[2] / "app.py"
# Room for the multipart framing around one file (Streamlit allows a little over maxUploadSize).
UPLOAD_FRAMING_BYTES = 2**20


def keep_uploads_in_memory() -> None:
    """Starlette (Streamlit's server) spools an uploaded file over 1 MB to a temporary file on disk
    while it parses the form. No upload can exceed server.maxUploadSize (.streamlit/config.toml, the
    importer's MAX_UPLOAD_BYTES), so a threshold above that keeps every upload in memory."""
    MultiPartParser.spool_max_size = MAX_UPLOAD_BYTES + UPLOAD_FRAMING_BYTES


_request_rerun = AppSession.request_rerun


def _first_request_runs_the_page(session: AppSession, client_state: ClientState | None) -> None:
    if client_state is not None and client_state.fragment_id and not getattr(session, "_atlas_started", False):
        client_state = ClientState.FromString(client_state.SerializeToString())
        client_state.ClearField("fragment_id")
    session._atlas_started = True  # type: ignore[attr-defined]
    _request_rerun(session, client_state)


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    keep_uploads_in_memory()
    AppSession.request_rerun = _first_request_runs_the_page  # type: ignore[method-assign]
    cli.main(args=["run", str(APP), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
