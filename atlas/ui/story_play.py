"""Playing a story (atlas.story): the story being built lives in the session; playing it moves between
pages with st.switch_page, so the session (and the story) stays while each slide's page opens on
the slide's saved view, and the URL shows that view's own link.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from atlas import story
from atlas.i18n import t
from atlas.ui import published, resources, state, style

STORY = "story"  # the story being built (atlas.story.Story)
STORY_SLIDE = "story_slide"  # index of the slide on screen while a story plays
STORY_GOTO = "story_goto"  # the slide a Previous/Next click asked for (switched to at the next run)
SLIDES_OPENED = "story_slides_opened"  # how many slides this session has opened (each opens at its top)
LAST_PAGE = "story_last_page"  # the last page whose state.view can be a slide


def current_story() -> story.Story:
    return st.session_state.get(STORY, story.Story())


def add_view(page: str) -> None:
    if page not in story.STORY_PAGES:  # the Import page: a slide cannot carry a file from this session
        st.toast(t("story_import_not_included", state.lang()), icon=":material/info:")
        return
    built = current_story()
    if len(built.slides) >= story.MAX_SLIDES:
        st.toast(t("story_full", state.lang(), max=story.MAX_SLIDES), icon=":material/warning:")
        return
    st.session_state[STORY] = story.appended(
        built, story.new_slide(page, published.pinned(state.view()), names=resources.slide_names())
    )
    st.toast(t("story_added", state.lang(), n=len(built.slides) + 1), icon=":material/playlist_add_check:")


def play_slide(index: int, page: str) -> None:
    """Open slide `index` of the current story: its page, on its saved state.view, in presenter mode.

    A slide on the page now running is drawn by this run (the map is updated in place, as for a year
    step); a slide on another page switches to it."""
    slides = current_story().slides
    index = min(max(index, 0), len(slides) - 1)
    slide = slides[index]
    st.session_state[STORY_SLIDE] = index
    st.session_state[SLIDES_OPENED] = st.session_state.get(SLIDES_OPENED, 0) + 1
    st.session_state["view"] = story.played_view(slide, state.lang())
    st.session_state["page"] = None  # the page's widgets state.start again from the slide's state.view
    st.session_state.pop("last_filter", None)  # the county map keeps the slide's zoom
    if slide.page != page:
        st.switch_page(f"pages/{slide.page}.py")


def goto_slide(index: int | None) -> None:
    st.session_state[STORY_GOTO] = index


# Presentation clickers send PageDown/PageUp (some arrows, or space): each clicks the page's own
# Next or Previous button, unless the person is typing in a field.
STORY_KEYS_JS = style.asset("story_keys.js")
# A slide opens at its top: the page may keep where the last slide (or the Story page) was scrolled to.
SLIDE_TOP_JS = style.asset("slide_top.js")
STORY_BAR_CSS = style.asset("story_bar.css")


def story_step(page: str) -> None:
    """Go to the slide a Previous / Next / End click asked for (before the page draws anything)."""
    goto = st.session_state.pop(STORY_GOTO, False)
    if goto is None:  # End: back to the Story page, out of presenter mode
        st.session_state.pop(STORY_SLIDE, None)
        st.session_state["view"] = replace(state.view(), present=False, play=None)
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
    slide, language = slides[index], state.lang()
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
    opened = SLIDE_TOP_JS.replace("__OPENED__", str(st.session_state.get(SLIDES_OPENED, 0)))
    st.html(STORY_BAR_CSS + STORY_KEYS_JS + opened, unsafe_allow_javascript=True)
