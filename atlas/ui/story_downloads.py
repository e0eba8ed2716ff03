"""Streamlit glue for stories' files: what drawing a view needs, and the download buttons of the
files for a room with no network (the Story page's PPTX/PDF, the county map's GIF/MP4)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from atlas import map_image, slide_images, story_pdf, story_pptx, year_play
from atlas.i18n import Lang, t
from atlas.story import Story, to_json
from atlas.ui import chrome, downloads, published, resources, state, user_data
from atlas.ui.filter_panel import filter_names
from atlas.url_state import MAP_YEARS, ViewState


def ingredients(views: Sequence[ViewState] = ()) -> slide_images.Ingredients | None:
    """The session's data and the image outlines in the current language (None: a bad data file), and
    the data of the published datasets these views (a story's slides) recorded: lists and panels."""
    poverty, geometry = user_data.session_poverty(), resources.image_geometry()
    if poverty is None or geometry is None:
        return None
    recorded = {view.datasets for view in views if view.datasets is not None}
    tables = {refs: published.table_for(refs) for refs in recorded}
    with_panel = tuple(dict.fromkeys(ref for v in views if v.panel is not None for ref in v.datasets or ()))
    return slide_images.Ingredients(
        poverty,
        geometry,
        filter_names(),
        chrome.area_names(),
        resources.source_citations(),
        resources.atlas().series,
        {refs: (table, cited) for refs, (table, cited) in tables.items() if table is not None},
        published.panels_for(with_panel, chrome.CHINA_VIEW) if with_panel else {},
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _drawn_slides(
    story_json: str, lang: Lang, lists: tuple[str, ...], _built: Story, _ing
) -> list[slide_images.DrawnSlide]:
    """The slides' map images and what the notes say of them, drawn once for the PPTX and the PDF of one
    story (keyed by the story's file text, the language and the session's applied lists, which colour the map)."""
    return [slide_images.draw_slide(slide, _ing, lang) for slide in _built.slides]


def story_downloads(built: Story, stem: str) -> None:
    """PPTX and PDF of the story, drawn on the server when clicked."""
    lang = state.lang()
    ing = ingredients([slide.view for slide in built.slides])
    if ing is None or not built.slides:
        return
    key = (to_json(built), lang, tuple(item.key for item in user_data.lists_in_force()))

    def drawn() -> list[slide_images.DrawnSlide]:
        return _drawn_slides(*key, built, ing)

    pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    downloads.file_buttons(
        [
            downloads.FileButton(
                "PowerPoint (PPTX)",
                lambda: story_pptx.story_pptx(built, ing, lang, drawn()),
                f"{stem}.pptx",
                pptx,
                "story_pptx",
                ":material/slideshow:",
            ),
            downloads.FileButton(
                "PDF",
                lambda: story_pdf.story_pdf(built, ing, lang, drawn()),
                f"{stem}.pdf",
                "application/pdf",
                "story_pdf",
                ":material/picture_as_pdf:",
            ),
        ],
        t("story_files_help", lang),
    )


def image_downloads(shown: ViewState, stem: str) -> None:
    """PNG and SVG of the view's county map (its published panel column when it shows one), drawn on the
    server only when clicked, from the view taken now (the click runs outside the page's script)."""
    lang = state.lang()
    shown = published.pinned(shown)
    ing = ingredients([shown])
    if ing is None:
        return
    st.caption(t("download_image", lang))
    downloads.file_buttons(
        [
            downloads.FileButton(
                "PNG",
                lambda: map_image.render_png(slide_images.map_spec(shown, ing, lang), ing.geometry),
                f"{stem}.png",
                "image/png",
                "image_png",
                ":material/image:",
            ),
            downloads.FileButton(
                "SVG",
                lambda: map_image.render_svg(slide_images.map_spec(shown, ing, lang), ing.geometry),
                f"{stem}.svg",
                "image/svg+xml",
                "image_svg",
                ":material/draw:",
            ),
        ],
        t("image_help", lang),
    )


def play_downloads(shown: ViewState, stem: str) -> None:
    """The year play of the view as animated GIF and MP4, one frame per year, drawn when clicked."""
    lang = state.lang()
    ing = ingredients()
    if ing is None:
        return
    st.caption(t("play_download", lang))
    downloads.file_buttons(
        [
            downloads.FileButton(
                "GIF",
                lambda: year_play.to_gif(year_play.year_frames(shown, ing, lang)),
                f"{stem}.gif",
                "image/gif",
                "play_gif",
                ":material/gif_box:",
            ),
            downloads.FileButton(
                "MP4",
                lambda: year_play.to_mp4(year_play.year_frames(shown, ing, lang)),
                f"{stem}.mp4",
                "video/mp4",
                "play_mp4",
                ":material/movie:",
            ),
        ],
        t("play_download_help", lang, first=MAP_YEARS[0], last=MAP_YEARS[1]),
    )
