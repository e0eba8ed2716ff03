"""Poverty Atlas: entry point. Reads the view from the URL, sets up the page and the navigation.

The shared sidebar (language, presenter mode) is drawn by each page through
`chrome.chrome()`, so that it is part of every run, whichever script runs it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.i18n import t
from atlas.ui import state

view = state.start()
st.set_page_config(
    page_title=t("app_title", view.lang),
    # A file of ours: a Material icon as favicon makes the browser fetch it from fonts.gstatic.com
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if view.present else "auto",
)

PAGES = [
    # Material icons ship with Streamlit's own font: they render offline, unlike emoji.
    ("pages/overview.py", "page_overview", "overview", ":material/dashboard:"),
    ("pages/county_map.py", "page_county_map", "county_map", ":material/map:"),
    ("pages/areas.py", "page_areas", "areas", ":material/landscape:"),
    ("pages/trends.py", "page_trends", "trends", ":material/show_chart:"),
    ("pages/story.py", "page_story", "story", ":material/slideshow:"),
    ("pages/import_data.py", "page_import", "import", ":material/upload_file:"),
    ("pages/export.py", "page_export", "export", ":material/download:"),
    ("pages/sources.py", "page_sources", "sources", ":material/menu_book:"),
]
page = st.navigation(
    [
        st.Page(path, title=t(title, view.lang), url_path=slug, icon=icon, default=slug == "overview")
        for path, title, slug, icon in PAGES
    ],
    position="hidden" if view.present else "sidebar",
)
page.run()
