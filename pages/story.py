"""Story: build a sequence of saved views with captions, keep it as a file or a link, play it with a
clicker, and take it into a room with no network as PPTX or PDF (atlas.story, atlas.story_pptx, atlas.story_pdf)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from atlas import story
from atlas.i18n import t
from atlas.legend import escape_markdown
from atlas.ui import chrome, resources, state, story_downloads, story_play
from atlas.url_state import encode

view = chrome.chrome("story")
lang = view.lang
st.title(t("page_story", lang))
st.caption(t("story_intro", lang))
REVISION = "story_revision"  # widget keys carry it: a reorder or a new story redraws the fields


def replace_story(new: story.Story) -> None:
    st.session_state[story_play.STORY] = new
    st.session_state[REVISION] = st.session_state.get(REVISION, 0) + 1


def report(loaded: story.Loaded) -> None:
    """What opening a file or a link did, every problem named (as text, never markup)."""
    if loaded.story is None:
        st.session_state["story_message"] = (
            "error",
            t("story_rejected", lang) + "; ".join(story.describe(loaded.errors, lang)),
        )
        return
    replace_story(loaded.story)
    title = loaded.story.title.pick(lang) or t("story_untitled", lang)
    text = t("story_opened", lang, title=title, n=len(loaded.story.slides))
    if loaded.warnings:
        text += " " + t("story_warned", lang) + "; ".join(story.describe(loaded.warnings, lang))
    st.session_state["story_message"] = ("warning" if loaded.warnings else "success", text)


# A story carried by the link opens once.
if view.story and st.session_state.get("story_token_opened") != view.story:
    st.session_state["story_token_opened"] = view.story
    report(story.from_token(view.story, resources.vocabulary()))


def open_upload() -> None:
    upload = st.session_state.get("story_upload")
    if upload is not None:
        report(story.load(upload.getvalue(), resources.vocabulary()))


def open_bundled() -> None:
    chosen = story.STORIES_DIR / st.session_state["story_bundled_pick"]
    report(story.load(chosen.read_bytes(), resources.vocabulary()))


bundled = story.bundled(resources.vocabulary())
with st.container(border=True):
    cols = st.columns([3, 1.3, 1.3], vertical_alignment="bottom")
    if bundled:
        cols[0].selectbox(
            t("story_bundled", lang),
            list(bundled),
            key="story_bundled_pick",
            format_func=lambda name: bundled[name].title.pick(lang) or name,
            placeholder=t("choose_one", lang),  # Streamlit's own is English
        )
        cols[1].button(t("story_bundled_open", lang), on_click=open_bundled, icon=":material/auto_stories:")
    cols[2].button(t("story_new", lang), on_click=replace_story, args=(story.Story(),), icon=":material/note_add:")
    st.file_uploader(t("story_open_file", lang), type=["json"], key="story_upload", on_change=open_upload)

message = st.session_state.pop("story_message", None)
if message:
    kind, text = message
    getattr(st, kind)(escape_markdown(text))

built = story_play.current_story()
revision = st.session_state.get(REVISION, 0)


def edit_story_title(field: str) -> None:
    title = built.title
    value = story.inert(st.session_state[f"story_title_{field}_{revision}"])
    st.session_state[story_play.STORY] = story.Story(
        story.Text(**{**title.__dict__, field: value}), story_play.current_story().slides
    )


def edit_slide(index: int, part: str, field: str) -> None:
    current = story_play.current_story()
    old = getattr(current.slides[index], part)
    value = story.inert(st.session_state[f"story_{part}_{field}_{index}_{revision}"])
    st.session_state[story_play.STORY] = story.edited(
        current, index, **{part: story.Text(**{**old.__dict__, field: value})}
    )


def restructure(change, *args) -> None:
    replace_story(change(story_play.current_story(), *args))


title_cols = st.columns(2)
for col, (field, label_key) in zip(title_cols, (("zh", "story_title_zh"), ("en", "story_title_en"))):
    col.text_input(
        t(label_key, lang),
        value=built.title.pick(field),
        key=f"story_title_{field}_{revision}",
        max_chars=story.MAX_TITLE,
        on_change=edit_story_title,
        args=(field,),
    )

last_page = st.session_state.get(story_play.LAST_PAGE)
if last_page:
    names = resources.slide_names()
    summary = story.view_title(last_page, story.saved_view(view, last_page), lang, names[lang])
    st.button(
        t("story_add_last", lang, view=summary),
        on_click=lambda: restructure(story.appended, story.new_slide(last_page, view, names=names)),
        icon=":material/playlist_add:",
        disabled=len(built.slides) >= story.MAX_SLIDES,
    )

if not built.slides:
    st.info(t("story_empty", lang))
for index, slide in enumerate(built.slides):
    with st.container(border=True, key=f"story_slide_{index}"):
        head, *buttons = st.columns([3, 1.1, 1.1, 1.1, 1.5], vertical_alignment="center")
        query = urlencode(encode(slide.view))
        head.markdown(
            f"**{t('story_slide_head', lang, n=index + 1, page=t(f'page_{slide.page}', lang))}** · "
            f"[{t('story_view_link', lang)}](/{slide.page}{'?' + query if query else ''})"
        )
        buttons[0].button(
            t("story_up", lang),
            key=f"story_up_{index}",
            on_click=restructure,
            args=(story.moved, index, -1),
            disabled=index == 0,
        )
        buttons[1].button(
            t("story_down", lang),
            key=f"story_down_{index}",
            on_click=restructure,
            args=(story.moved, index, 1),
            disabled=index + 1 == len(built.slides),
        )
        buttons[2].button(
            t("story_remove", lang), key=f"story_remove_{index}", on_click=restructure, args=(story.removed, index)
        )
        buttons[3].button(
            t("story_play_from", lang), key=f"story_play_{index}", on_click=story_play.goto_slide, args=(index,)
        )
        text_cols = st.columns(2)
        fields = (
            ("zh", "story_slide_title_zh", "story_caption_zh"),
            ("en", "story_slide_title_en", "story_caption_en"),
        )
        for col, (field, title_key, caption_key) in zip(text_cols, fields):
            col.text_input(
                t(title_key, lang),
                value=slide.title.pick(field),
                key=f"story_title_{field}_{index}_{revision}",
                max_chars=story.MAX_TITLE,
                on_change=edit_slide,
                args=(index, "title", field),
            )
            col.text_area(
                t(caption_key, lang),
                value=slide.caption.pick(field),
                key=f"story_caption_{field}_{index}_{revision}",
                max_chars=story.MAX_CAPTION,
                height=90,
                on_change=edit_slide,
                args=(index, "caption", field),
            )

built = story_play.current_story()
if built.slides:
    st.button(
        t("story_play", lang),
        type="primary",
        icon=":material/slideshow:",
        on_click=story_play.goto_slide,
        args=(0,),
        key="story_play",
    )
    st.header(t("story_file", lang))
    st.download_button(
        t("story_download_json", lang),
        story.to_json(built).encode("utf-8"),
        "poverty-atlas-story.json",
        "application/json",
        icon=":material/download:",
        on_click="ignore",
    )
    token = story.to_token(built)
    state.set_view(story=token)
    st.session_state["story_token_opened"] = token  # the story's own link: nothing to open again
    if token:
        st.caption(t("story_link", lang))
        st.code(f"/story?{urlencode({'story': token})}", language=None, wrap_lines=True)
    else:
        st.caption(t("story_link_long", lang))
    st.header(t("story_offline", lang))
    story_downloads.story_downloads(built, "poverty-atlas-story")
state.write_url()
