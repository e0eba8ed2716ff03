"""The pages' CSS and scripts (the text is in atlas/ui/assets/): readable captions, presenter mode, the
Chinese file uploader, and the page's language on <html>.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from atlas.i18n import HTML_LANG, Lang, t
from atlas.legend import LEGEND_CSS
from atlas.ui import state

# Presenter mode: no chrome.chrome, large type, and every page's figure fits one screen (1366x768 up to
# 1920x1080): a map's height follows the viewport (less what its page shows above it, in rem),
# the legend and the year sit beside it.
ASSETS = Path(__file__).resolve().parent / "assets"


def asset(name: str) -> str:
    """The text of atlas/ui/assets/<name>, read once at import."""
    return (ASSETS / name).read_text(encoding="utf-8")


PRESENTER_CSS = asset("presenter.css")





# Streamlit's grey captions (its text at 60% opacity: 3.9:1 on white) and their links (3.0:1) fall short
# of WCAG AA's 4.5:1; these are 7:1 and 8:1.
# A page's sections are h2 under its h1 (headings in order, for screen readers), drawn the size of
# Streamlit's subheader as before.
READABLE_CSS = asset("readable.css")


# Streamlit's file uploader has no option for its texts ("Upload", "20MB per file • …"): in Chinese the
# button says ours and the English limits line is hidden (the Import page states its limits itself).
UPLOADER_ZH_CSS = asset("uploader_zh.css")



SKIP_LINK_JS = asset("skip_link.js")
# Where the skip link leads on a page (the title when not named here).
SKIP_TARGETS = {"county_map": (".st-key-county_search input", "skip_to_search")}


def skip_link_script(page: str, lang: Lang) -> str:
    target, label = SKIP_TARGETS.get(page, ('[data-testid="stMain"] h1', "skip_to_content"))
    return (
        "<script>"
        + SKIP_LINK_JS.replace("__LABEL__", json.dumps(t(label, lang))).replace("__TARGET__", json.dumps(target))
        + "</script>"
    )


ARIA_LABELS_JS = asset("aria_labels.js")
ARIA_EXACT = (
    "aria_link_to_heading",
    "aria_collapse_sidebar",
    "aria_expand_sidebar",
    "aria_download_csv",
    "aria_download_png",
    "aria_copy_spec",
    "aria_fullscreen",
    "aria_close_fullscreen",
    "aria_search",
    "aria_show_data",
    "aria_show_hide_columns",
    "aria_vega",
    "aria_vega_document",
    "aria_vega_group",
    "aria_app_pages",
    "aria_sidebar",
    "aria_open",
    "aria_close",
    "aria_clear_all",
    "aria_clear",
    "aria_selected_values",
    "aria_file_upload",
    "aria_lock_icon",
    "aria_show_password",
    "aria_hide_password",
)
ARIA_AROUND = ("aria_help_for", "aria_fullscreen_of", "aria_remove", "aria_start", "aria_end")  # around a label {x}


def aria_labels_script() -> str:
    """Streamlit's English accessible names put in Chinese (a Chinese page only; the keys' en is Streamlit's)."""

    def words(keys: tuple[str, ...]) -> str:
        # t() of a pattern with {x} left as it is: the script puts the widget's own label there.
        return json.dumps({t(key, "en", x="{x}"): t(key, "zh", x="{x}") for key in keys}, ensure_ascii=False)

    script = ARIA_LABELS_JS.replace("__EXACT__", words(ARIA_EXACT)).replace("__AROUND__", words(ARIA_AROUND))
    return f"<script>{script}</script>"


def page_style() -> None:
    # Streamlit writes <html lang="en"> whatever the page's language: screen readers and fonts need ours.
    # Set once and kept: an observer puts it back whenever the frontend writes its own.
    lang_script = (
        f"<script>(() => {{ window.__paLang = '{HTML_LANG[state.lang()]}'; const root = document.documentElement;"
        "const keep = () => { if (root.lang !== window.__paLang) root.lang = window.__paLang; }; keep();"
        "if (!window.__paLangKept) { window.__paLangKept = new MutationObserver(keep);"
        "window.__paLangKept.observe(root, {attributes: true, attributeFilter: ['lang']}); } })();</script>"
    )
    st.html(
        LEGEND_CSS
        + READABLE_CSS
        + (UPLOADER_ZH_CSS if state.lang() == "zh" else "")
        + (PRESENTER_CSS if state.view().present else "")
        + lang_script
        + skip_link_script(st.session_state.get("page", ""), state.lang())
        + (aria_labels_script() if state.lang() == "zh" else ""),
        unsafe_allow_javascript=True,
    )
