"""Streamlit glue shared by the pages: the view state, the URL and the chrome (shared data: atlas.ui.resources).

The view lives in `st.session_state["view"]` (a ViewState) and is mirrored into
`st.query_params` on every run, so a copied link reopens the same view.

Widgets drawn by a page script belong to that page (Streamlit keys their state by
page), so a widget bound to the view gets a per-page key "w_<field>@<page>":
`widget_key` seeds it from the view whenever it is new (first visit, or back from
another page) and `sync` folds its value back into the view.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any, NamedTuple
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from atlas import story
from atlas.export import FORMATS
from atlas.i18n import LANGS, Lang, t
from atlas.imported import ActiveImport, AppliedList, applied_note, county_values, overlay, user_facts
from atlas.legend import LEGEND_CSS, escape_markdown, sources_markdown
from atlas.player import opening_play
from atlas.ui import presenter_tools, resources
from atlas.url_state import DEFAULT, YEAR_KEYS, ParseResult, ViewState, encode, notice_text, parse
from loaders.schema import split_ids

CHINA_VIEW = (35.0, 104.0, 2.75)  # the mainland in a ~650 px wide map
CHINA_VIEW_NARROW = (35.0, 104.5, 2.45)  # the same in a ~500 px wide map column


APPLIED_LISTS = "applied_lists"


def applied_lists() -> tuple[AppliedList, ...]:
    """Membership lists this session applied on the Import page (never shared with other sessions)."""
    return tuple(st.session_state.get(APPLIED_LISTS, ()))


def session_poverty() -> pd.DataFrame | None:
    """`resources.poverty_table()` as this session sees it: with its applied lists overlaid on a copy
    (the bundled table, cached for every session, is never modified)."""
    base = resources.poverty_table()
    if base is None:  # no boundary layer: the table without today's names
        base = resources.atlas().poverty
    lists = applied_lists()
    if base is None or not lists:
        return base
    key = tuple(item.key for item in lists)
    cached = st.session_state.get("_session_poverty")
    if cached is None or cached[0] != key:
        cached = (key, overlay(base, lists))
        st.session_state["_session_poverty"] = cached
    return cached[1]


def user_data_note() -> str:
    """A note for legends and captions while this session uses user-supplied lists ('' otherwise)."""
    return applied_note(applied_lists(), lang())


ACTIVE_IMPORT = "import_active"


def active_import() -> ActiveImport | None:
    """The table this session imported on the Import page, if any."""
    return st.session_state.get(ACTIVE_IMPORT)


def imported_facts(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts-panel lines from this session's imports: flags set by a user list, imported values."""
    lines = user_facts(row, applied_lists(), lang())
    active = active_import()
    if active is not None and isinstance(row.get("code"), str):
        prefix = t("import_imported_values", lang())
        lines += [
            (f"{prefix} · {label}", f"{value} ({t('import_user_note', lang(), source=active.provenance.short())})")
            for label, value in county_values(active.result.rows, row["code"], active.value_columns, active.year_column)
        ]
    return lines


def caption_user_data() -> None:
    note = user_data_note()
    if note:
        st.caption(f":material/person: {escape_markdown(note)}")


def start() -> ViewState:
    """The view of this run: from the URL on a session's first run and after the browser's Back or
    Forward, otherwise from the session."""
    if "view" not in st.session_state:
        params = st.query_params.to_dict()
        result: ParseResult = parse(params, resources.vocabulary())
        state = result.state
        # A link that names a year holds it: it plays only with play=1 (or after Play).
        opening = opening_play(state.play, state.present, any(k in params for k in YEAR_KEYS))
        st.session_state["view"] = state if opening == state.playing else replace(state, play=opening)
        st.session_state["url_notices"] = list(result.notices)
    elif _history_navigation() and st.query_params.to_dict() != encode(view()):
        # Each view change pushed a history entry (write_url); Back returns to it. Without this the
        # run would write the session's view over the older URL, and that press of Back did nothing.
        restored = parse(st.query_params.to_dict(), resources.vocabulary()).state
        set_view(**{f.name: getattr(restored, f.name) for f in fields(restored)})
    return st.session_state["view"]


def _history_navigation() -> bool:
    """This run comes from the browser's Back or Forward (not from a rerun sent before the browser
    had our last URL, which would carry an older query string too)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def view() -> ViewState:
    return st.session_state["view"]


def lang() -> Lang:
    return view().lang


def page_key(name: str) -> str:
    """A widget key that belongs to the current page."""
    return f"{name}@{st.session_state.get('page', '')}"


def _widget_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def widget_key(field: str) -> str:
    """Key of the current page's widget bound to view field `field`, seeded from the view when new."""
    key = page_key(f"w_{field}")
    if key not in st.session_state:
        st.session_state[key] = _widget_value(getattr(view(), field))
    st.session_state.setdefault("bound", {})[field] = key
    return key


def set_view(**changes: Any) -> None:
    """Change the view (and the widgets bound to the changed fields). Call it before those
    widgets are drawn, or from a callback."""
    st.session_state["view"] = replace(view(), **changes)
    bound = st.session_state.get("bound", {})
    for field, value in changes.items():
        key = bound.get(field)
        if key in st.session_state:
            st.session_state[key] = _widget_value(value)


def sync(*fields: str) -> ViewState:
    """Fold the values of the named widgets into the view; mirror the view into the URL."""
    changes: dict[str, Any] = {}
    bound = st.session_state.get("bound", {})
    for field in fields:
        key = bound.get(field)
        if key in st.session_state:
            value = st.session_state[key]
            changes[field] = tuple(value) if isinstance(value, list) else value
    if changes:
        st.session_state["view"] = replace(view(), **changes)
    write_url()
    return view()


def write_url() -> None:
    wanted = encode(view())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_notices() -> None:
    notices = st.session_state.pop("url_notices", [])
    if notices:
        text = ("；" if lang() == "zh" else "; ").join(notice_text(n, lang()) for n in notices)
        st.warning(t("url_notice", lang()) + escape_markdown(text), icon=":material/warning:")


def show_error(file_part: str) -> bool:
    """Show the error of a bad data file, if any; True when the file is usable."""
    error = resources.atlas().error_for(file_part)
    if error is None:
        return True
    st.error(t("data_error", lang()) + str(error), icon=":material/error:")
    return False


def sources_query() -> str:
    """What a link to the sources page carries, so that it opens in the reader's language."""
    return urlencode({"lang": lang()}) if lang() != DEFAULT.lang else ""


CAPTION_SOURCES = 4  # more would bury the figure under its footnote


def caption_sources(ids: list[str] | Any) -> None:
    """The source line under a chart or map: short citations, each linked to its row on the sources
    page; a column of rows gives its most cited sources first."""
    if not isinstance(ids, list):
        ids = [sid for sid, _ in Counter(sid for value in ids for sid in split_ids(value)).most_common()]
    text = sources_markdown(
        ids,
        resources.source_citations(),
        t("sources_short", lang()),
        t("sources_more", lang()),
        CAPTION_SOURCES,
        sources_query(),
    )
    if text:
        st.caption(text)


# Presenter mode: no chrome, large type, and every page's figure fits one screen (1366x768 up to
# 1920x1080): a map's height follows the viewport (less what its page shows above it, in rem),
# the legend and the year sit beside it.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], footer {display: none !important;}
.block-container {padding: 0.6rem 1.2rem 0.4rem 1.2rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 20px;}
h1 {font-size: clamp(1.3rem, 3.6vh, 2.4rem) !important; padding: 0 !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.45rem;}
[class*="st-key-pa_map_fit"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
[class*="st-key-pa_map_fit"] [data-testid="stFullScreenFrame"],
[class*="st-key-pa_map_fit"] [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 6rem) !important;
  min-height: 280px !important; max-height: none !important;}
[class*="st-key-pa_map_fit_pair"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
[class*="st-key-pa_map_fit_pair"] [data-testid="stFullScreenFrame"],
[class*="st-key-pa_map_fit_pair"] [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 8rem) !important;}
h1 {line-height: 1.25 !important; margin: 0 !important;}
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
h2, h3 {font-size: clamp(1.1rem, 3.4vh, 1.8rem) !important; padding: 0.1rem 0 !important;}
[data-testid="stMetricValue"] {font-size: clamp(2rem, 6.5vh, 3.2rem) !important;}
.st-key-pa_fig_overview [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_overview [data-testid="stFullScreenFrame"],
.st-key-pa_fig_overview [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 19rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.st-key-pa_fig_areas [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_areas [data-testid="stFullScreenFrame"],
.st-key-pa_fig_areas [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 9.5rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.st-key-pa_fig_trends [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_trends [data-testid="stFullScreenFrame"],
.st-key-pa_fig_trends [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 14rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.pa-map-label {font-size: 1.2rem; font-weight: 600; margin: 1rem 0 0 0;}
.pa-year {font-size: clamp(3rem, 11vh, 7.5rem); font-weight: 700; line-height: 1; margin: 0;
  font-variant-numeric: tabular-nums;}
.pa-year-pair {font-size: clamp(2rem, 7vh, 4.8rem);}
</style>
"""


HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Streamlit's grey captions (its text at 60% opacity: 3.9:1 on white) and their links (3.0:1) fall short
# of WCAG AA's 4.5:1; these are 7:1 and 8:1.
# A page's sections are h2 under its h1 (headings in order, for screen readers), drawn the size of
# Streamlit's subheader as before.
READABLE_CSS = """
<style>
[data-testid="stCaptionContainer"] {opacity: 1 !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #555352 !important;}
[data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a {color: #1d4c91 !important;}
h2 {font-size: 1.75rem !important; padding: 0.75rem 0 1rem !important; line-height: 1.2 !important;}
</style>
"""


# Streamlit's file uploader has no option for its texts ("Upload", "20MB per file • …"): in Chinese the
# button says ours and the English limits line is hidden (the Import page states its limits itself).
UPLOADER_ZH_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0 !important;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem;}
[data-testid="stFileUploaderDropzoneInstructions"] {display: none !important;}
</style>
"""


def page_style() -> None:
    # Streamlit writes <html lang="en"> whatever the page's language: screen readers and fonts need ours.
    # Set once and kept: an observer puts it back whenever the frontend writes its own.
    lang_script = (
        f"<script>(() => {{ window.__paLang = '{HTML_LANG[lang()]}'; const root = document.documentElement;"
        "const keep = () => { if (root.lang !== window.__paLang) root.lang = window.__paLang; }; keep();"
        "if (!window.__paLangKept) { window.__paLangKept = new MutationObserver(keep);"
        "window.__paLangKept.observe(root, {attributes: true, attributeFilter: ['lang']}); } })();</script>"
    )
    st.html(
        LEGEND_CSS
        + READABLE_CSS
        + (UPLOADER_ZH_CSS if lang() == "zh" else "")
        + (PRESENTER_CSS if view().present else "")
        + lang_script,
        unsafe_allow_javascript=True,
    )


def province_names() -> dict[str, str]:
    """Province code -> display name in the current language."""
    return resources.province_names(lang())


def area_names() -> dict[str, str]:
    """Contiguous-area id -> display name in the current language."""
    return resources.area_names(lang())


def prefecture_names() -> dict[str, str]:
    """Prefecture code -> name in the current language, for the prefectures that hold poverty counties."""
    return resources.prefecture_names(lang())


def place_names() -> dict[str, str]:
    """Province and prefecture code -> name in the current language (facts, tables)."""
    return resources.place_names(lang())


class FileButton(NamedTuple):
    """One file to download; `build` runs only when its button is clicked (bytes: already built)."""

    label: str
    build: bytes | Callable[[], bytes]
    name: str
    mime: str
    key: str
    icon: str | None = None


def file_buttons(files: Sequence[FileButton], help_text: str | None = None, width: str = "content") -> None:
    """The files' download buttons side by side."""
    for col, f in zip(st.columns(len(files)), files):
        col.download_button(
            f.label, f.build, f.name, f.mime, key=f.key, on_click="ignore", icon=f.icon, help=help_text, width=width
        )


def download_row(files: Mapping[str, bytes | Callable[[], bytes]], stem: str, key_prefix: str) -> None:
    """One download button per format of `files` (export.FORMATS), side by side; a callable is
    built only when its button is clicked."""
    buttons = []
    for name, data in files.items():
        suffix, mime = FORMATS[name]
        buttons.append(FileButton(t(f"download_{name}", lang()), data, f"{stem}.{suffix}", mime, f"{key_prefix}{name}"))
    file_buttons(buttons, width="stretch")


def selection_key(flt: Hashable) -> tuple:
    """What names the rows a filter selects in this session: the filter and the lists it applied."""
    return flt, tuple(item.key for item in applied_lists())


def chrome(page: str) -> ViewState:
    """The shared sidebar (language, presenter mode, basemap), page style and URL notices.

    Every page calls this first with its name: it is part of each run, and returns the view."""
    story_step(page)
    if st.session_state.get("page") != page:
        # Entering a page: its view-bound widgets start again from the view.
        for key in [k for k in st.session_state if isinstance(k, str) and k.endswith(f"@{page}")]:
            del st.session_state[key]
        st.session_state["page"] = page
        st.session_state["bound"] = {}
        if page != "sources" and view().source:  # a highlighted source belongs to the sources page only
            set_view(source=None)
        if page != "story" and view().story:  # so does a story carried by a link to the Story page
            set_view(story=None)
    slide_bar(page)
    if page in story.STORY_PAGES:
        st.session_state[LAST_PAGE] = page
    current = view()
    with st.sidebar:
        st.radio(
            t("language", current.lang),
            LANGS,
            key=widget_key("lang"),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            horizontal=True,
        )
        st.toggle(t("presenter_mode", current.lang), key=widget_key("present"), help=t("presenter_help", current.lang))
        st.toggle(t("basemap", current.lang), key=widget_key("basemap"))
        st.caption(t("share_link", current.lang))
        if page in story.STORY_PAGES:
            st.button(
                t("story_add", current.lang),
                key="story_add",
                icon=":material/playlist_add:",
                on_click=_add_view,
                args=(page,),
            )
    current = sync("lang", "present", "basemap")
    if current.present:
        add = (lambda: _add_view(page)) if page in story.STORY_PAGES else None
        presenter_tools.corner(current.lang, add, lambda: set_view(present=False))
    page_style()
    show_notices()
    return current


# --- Stories (atlas.story): the story being built lives in the session; playing it moves between
# pages with st.switch_page, so the session (and the story) stays while each slide's page opens on
# the slide's saved view, and the URL shows that view's own link.
STORY = "story"  # the story being built (atlas.story.Story)
STORY_SLIDE = "story_slide"  # index of the slide on screen while a story plays
STORY_GOTO = "story_goto"  # the slide a Previous/Next click asked for (switched to at the next run)
LAST_PAGE = "story_last_page"  # the last page whose view can be a slide


def current_story() -> story.Story:
    return st.session_state.get(STORY, story.Story())


def _add_view(page: str) -> None:
    built = current_story()
    if len(built.slides) >= story.MAX_SLIDES:
        st.toast(t("story_full", lang(), max=story.MAX_SLIDES), icon=":material/warning:")
        return
    st.session_state[STORY] = story.appended(built, story.new_slide(page, view(), names=resources.slide_names()))
    st.toast(t("story_added", lang(), n=len(built.slides) + 1), icon=":material/playlist_add_check:")


def play_slide(index: int, page: str) -> None:
    """Open slide `index` of the current story: its page, on its saved view, in presenter mode.

    A slide on the page now running is drawn by this run (the map is updated in place, as for a year
    step); a slide on another page switches to it."""
    slides = current_story().slides
    index = min(max(index, 0), len(slides) - 1)
    slide = slides[index]
    st.session_state[STORY_SLIDE] = index
    st.session_state["view"] = story.played_view(slide, lang())
    st.session_state["page"] = None  # the page's widgets start again from the slide's view
    st.session_state.pop("last_filter", None)  # the county map keeps the slide's zoom
    if slide.page != page:
        st.switch_page(f"pages/{slide.page}.py")


def goto_slide(index: int | None) -> None:
    st.session_state[STORY_GOTO] = index


# Presentation clickers send PageDown/PageUp (some arrows, or space): each clicks the page's own
# Next or Previous button, unless the person is typing in a field.
STORY_KEYS_JS = """
<script>
(() => {
  if (window.__paStoryKeys) document.removeEventListener('keydown', window.__paStoryKeys, true);
  window.__paStoryKeys = (event) => {
    const target = event.target || {};
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || '') || target.isContentEditable) return;
    const role = target.getAttribute ? target.getAttribute('role') || '' : '';
    if (['slider', 'listbox', 'combobox', 'option', 'textbox'].includes(role)) return;
    const next = ['PageDown', 'ArrowRight', 'ArrowDown', ' ', 'Spacebar'].includes(event.key);
    const previous = ['PageUp', 'ArrowLeft', 'ArrowUp'].includes(event.key);
    if (!next && !previous) return;
    const button = document.querySelector(next ? '.st-key-story_next button' : '.st-key-story_prev button');
    if (!button) return;  // no story on screen (it ended): the keys scroll as usual
    event.preventDefault();
    event.stopPropagation();
    if (!button.disabled) button.click();
  };
  document.addEventListener('keydown', window.__paStoryKeys, true);
})();
</script>
"""
STORY_BAR_CSS = """
<style>
.st-key-pa_story_bar {position: fixed; left: 0; right: 0; bottom: 0; z-index: 999980;
  background: rgba(255, 255, 255, 0.94); border-top: 1px solid #ccc; padding: 0.3rem 1.2rem 0.3rem 1.2rem;}
.pa-story-caption {font-size: 1.05rem; line-height: 1.35; margin: 0; max-height: 4.2em; overflow: hidden;}
.pa-story-title {font-weight: 700;}
.pa-story-number {font-variant-numeric: tabular-nums; color: #555; margin-right: 0.6rem;}
html body [class*="st-key-pa_map_fit"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
html body [class*="st-key-pa_map_fit"] [data-testid="stFullScreenFrame"],
html body [class*="st-key-pa_map_fit"] [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 10rem) !important;}
</style>
"""


def story_step(page: str) -> None:
    """Go to the slide a Previous / Next / End click asked for (before the page draws anything)."""
    goto = st.session_state.pop(STORY_GOTO, False)
    if goto is None:  # End: back to the Story page, out of presenter mode
        st.session_state.pop(STORY_SLIDE, None)
        st.session_state["view"] = replace(view(), present=False, play=None)
        st.switch_page("pages/story.py")
    if goto is not False:
        play_slide(goto, page)


def slide_bar(page: str) -> None:
    """While a story plays, on the slide's page: the slide bar (number, title, caption, Previous /
    Next / End) and the clicker's keys."""
    index = st.session_state.get(STORY_SLIDE)
    slides = current_story().slides
    if index is None or index >= len(slides) or slides[index].page != page:
        st.session_state.pop(STORY_SLIDE, None)  # the person left the story for another page
        return
    slide, language = slides[index], lang()
    title = slide.title.pick(language) or t(f"page_{page}", language)
    with st.container(key="pa_story_bar"):
        text, prev_col, next_col, end_col = st.columns([10, 1.3, 1.3, 1.3], vertical_alignment="center")
        text.html(
            f'<p class="pa-story-caption" data-testid="pa-story-caption"><span class="pa-story-number" '
            f'data-testid="pa-story-number">{index + 1} / {len(slides)}</span><span class="pa-story-title">'
            f"{html.escape(title)}</span> · {html.escape(slide.caption.pick(language))}</p>"
        )
        prev_col.button(
            t("story_prev", language), key="story_prev", on_click=goto_slide, args=(index - 1,), disabled=index == 0
        )
        next_col.button(
            t("story_next", language),
            key="story_next",
            on_click=goto_slide,
            args=(index + 1,),
            disabled=index + 1 == len(slides),
        )
        end_col.button(
            t("story_end", language), key="story_end", on_click=goto_slide, args=(None,), help=t("story_keys", language)
        )
    st.html(STORY_BAR_CSS + STORY_KEYS_JS, unsafe_allow_javascript=True)
