"""Poverty Atlas: entry point. Sets up the page, the shared sidebar and the navigation."""
from __future__ import annotations

import streamlit as st

from atlas import ui
from atlas.i18n import LANGS, t

view = ui.start()
st.set_page_config(
    page_title=t("app_title", view.lang),
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if view.present else "auto",
)

PAGES = [
    ("pages/overview.py", "page_overview", "overview", "📊"),
    ("pages/county_map.py", "page_county_map", "county_map", "🗺️"),
    ("pages/areas.py", "page_areas", "areas", "⛰️"),
    ("pages/trends.py", "page_trends", "trends", "📈"),
    ("pages/export.py", "page_export", "export", "⬇️"),
    ("pages/sources.py", "page_sources", "sources", "📚"),
]
page = st.navigation(
    [st.Page(path, title=t(title, view.lang), url_path=slug, icon=icon, default=slug == "overview")
     for path, title, slug, icon in PAGES],
    position="hidden" if view.present else "sidebar",
)

with st.sidebar:
    st.radio(t("language", view.lang), LANGS, key=ui.widget_key("lang"),
             format_func=lambda code: {"zh": "中文", "en": "English"}[code], horizontal=True)
    st.toggle(t("presenter_mode", view.lang), key=ui.widget_key("present"), help=t("presenter_help", view.lang))
    st.toggle(t("basemap", view.lang), key=ui.widget_key("basemap"))
    st.caption(t("share_link", view.lang))
ui.sync("lang", "present", "basemap")

if ui.view().present:
    st.button("✕ " + t("presenter_mode", ui.lang()), key="leave_present",
              on_click=ui.set_view, kwargs={"present": False})

ui.page_style()
ui.show_notices()
page.run()
