"""Start the app: `python -m atlas.server [streamlit options]` (what `make run` does).

Streamlit takes a folder named pages/ beside the entry script for its legacy
multipage layout and then runs a page script without app.py. This project keeps
its page scripts in pages/ but routes them with st.navigation in app.py, so the
legacy detection is switched off before the server starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.formparsers import MultiPartParser
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from loaders.tabular import MAX_UPLOAD_BYTES

APP = Path(__file__).resolve().parent.parent / "app.py"
# Room for the multipart framing around one file (Streamlit allows a little over maxUploadSize).
UPLOAD_FRAMING_BYTES = 2**20


def keep_uploads_in_memory() -> None:
    """Starlette (Streamlit's server) spools an uploaded file over 1 MB to a temporary file on disk
    while it parses the form. No upload can exceed server.maxUploadSize (.streamlit/config.toml, the
    importer's MAX_UPLOAD_BYTES), so a threshold above that keeps every upload in memory."""
    MultiPartParser.spool_max_size = MAX_UPLOAD_BYTES + UPLOAD_FRAMING_BYTES


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    keep_uploads_in_memory()
    cli.main(args=["run", str(APP), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
