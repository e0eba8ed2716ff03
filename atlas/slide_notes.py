"""A slide's words beside its picture in the files: its title, and the speaker notes (the caption, the
sources, the published datasets it applies, the link to its view in the app)."""

from __future__ import annotations

import os
from collections import Counter
from urllib.parse import urlencode

from atlas.i18n import Lang, t
from atlas.slide_images import Ingredients, SlidePicture, slide_ingredients
from atlas.story import Slide, Story, view_title
from atlas.url_state import encode


def place_names(ing: Ingredients, lang: Lang) -> dict[str, str]:
    """Province, prefecture, area and county codes -> names in `lang`, for a view in words."""
    counties = ing.poverty.drop_duplicates("code")
    names = counties["name_zh"] if lang == "zh" else counties["name_en"].fillna(counties["name_zh"])
    return {**dict(zip(counties["code"], names)), **ing.names, **ing.area_names}


def slide_title(story: Story, index: int, lang: Lang, ing: Ingredients) -> str:
    """The slide's title, or its view in words (a slide saved before slides were titled)."""
    slide = story.slides[index]
    return slide.title.pick(lang) or view_title(slide.page, slide.view, lang, place_names(ing, lang))


BASE_URL = "http://localhost:8501"  # the app's address in the notes' links, unless ATLAS_BASE_URL says otherwise


def view_link(slide: Slide) -> str:
    """The absolute address of the slide's view (ATLAS_BASE_URL, default BASE_URL; the Overview is the app's root)."""
    base = (os.environ.get("ATLAS_BASE_URL") or BASE_URL).rstrip("/")
    query = urlencode(encode(slide.view))
    return f"{base}/{'' if slide.page == 'overview' else slide.page}{'?' + query if query else ''}"


NOTES_MAP_SOURCES = 5  # the map's most cited sources in the notes; the rest are on the Sources page


def notes_text(slide: Slide, picture: SlidePicture, ing: Ingredients, lang: Lang) -> str:
    """Speaker notes: the caption, the sources of its numbers, the map's most cited sources (of its
    `picture`), the published datasets it applies, the view's link."""
    ing, datasets = slide_ingredients(slide, ing)
    cited = Counter({sid: n for sid, n in picture.cited.items() if sid not in slide.sources})
    ids = [*slide.sources, *(sid for sid, _ in cited.most_common(NOTES_MAP_SOURCES))]
    lines = [slide.caption.pick(lang), ""]
    lines += [t("sources_short", lang)] + [f"- {sid}: {ing.citations.get(sid, sid)}" for sid in ids]
    if len(cited) > NOTES_MAP_SOURCES:
        lines.append(t("image_more_sources", lang, n=len(cited) - NOTES_MAP_SOURCES))
    if datasets:
        lines += ["", t("published_slide_note", lang, lists="; ".join(datasets))]
    lines += ["", f"{t('story_notes_view', lang)}{view_link(slide)}"]
    if not picture.own_map:
        lines.append(t("story_slide_other_page", lang))
    lines += picture.said
    return "\n".join(lines)
