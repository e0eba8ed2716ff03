"""Start the app: `python -m atlas.server [streamlit options]` (what `make run` does).

Streamlit takes a folder named pages/ beside the entry script for its legacy
multipage layout and then runs a page script without app.py. This project keeps
its page scripts in pages/ but routes them with st.navigation in app.py, so the
legacy detection is switched off before the server starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    cli.main(args=["run", str(APP), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
