"""Stories: an ordered list of slides, each a saved view of a page with a title and a caption in
Chinese and English. No Streamlit here.

A slide's view is the page's URL state: it is written with `url_state.encode` and read back with
`url_state.parse` (the one URL parser), so a slide opens exactly the view a link would.

The file is small JSON ("format": "poverty-atlas-story", "version": 1); the URL form is the same
JSON, compressed and base64url-encoded, used when it fits `url_state.STORY_TOKEN_MAX`. Reading
either never raises: a problem becomes a `Problem` (an i18n key and the values naming what was
wrong). Titles and captions are kept as plain text whatever they hold (HTML, Markdown, a
spreadsheet formula); every place that shows them escapes them (see `inert`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from atlas.i18n import LANGS, Lang, label, t
from atlas.url_state import STORY_TOKEN_MAX, FilterFields, ViewState, Vocabulary, encode, parse
from loaders.schema import ROOT

STORIES_DIR = ROOT / "stories"  # the bundled stories, built by pipeline.stories
STORY_FORMAT = "poverty-atlas-story"
STORY_VERSION = 1
# The pages a slide may show (the Story, Import and Export pages are tools, not views).
STORY_PAGES = ("overview", "county_map", "areas", "trends", "sources")
MAX_SLIDES = 60  # a long meeting; thousands of slides is a broken or hostile file
MAX_FILE_BYTES = 512_000
MAX_TITLE = 120
MAX_CAPTION = 800
MAX_SOURCES = 20
# The view's fields each page reads (atlas.url_state.ViewState): a slide keeps these, the language, the
# base map and the published datasets applied, and nothing of another page (a county chosen on the map is
# not a Trends slide's).
PAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "overview": (),
    "county_map": (
        *FilterFields.__dataclass_fields__,
        *("year", "layer", "county", "view", "year2", "layer2", "panel", "panel_year"),
    ),
    "areas": ("area_unit",),
    "trends": ("theme", "level", "series_year", "measure", "variant", "compare"),
    "sources": ("source",),
}
_KEPT = ("lang", "basemap", "datasets")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_SOURCE_KEY = "source"
_ANY = Vocabulary()  # no data to check codes against: any well-formed code passes


@dataclass(frozen=True)
class Text:
    """One text in both languages."""

    zh: str = ""
    en: str = ""

    def pick(self, lang: Lang) -> str:
        """The text in `lang` only: a page is wholly in one language (an empty text stays empty)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Slide:
    page: str
    view: ViewState
    title: Text = Text()
    caption: Text = Text()
    sources: tuple[str, ...] = ()  # source ids of the numbers in the caption (speaker notes, PDF)


@dataclass(frozen=True)
class Story:
    title: Text = Text()
    slides: tuple[Slide, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What was wrong, as an i18n key and the values its text names."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Loaded:
    story: Story | None  # None: the file was rejected (see errors)
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # the story loaded; something in it was dropped or cut


def saved_view(state: ViewState, page: str) -> ViewState:
    """The view a slide of `page` keeps: that page's settings only (no presenter mode, auto-play or story)."""
    return ViewState(**{name: getattr(state, name) for name in (*_KEPT, *PAGE_FIELDS.get(page, ()))})


def played_view(slide: Slide, lang: Lang) -> ViewState:
    """The slide's view as shown while playing: presenter mode, the year held (never auto-play), in the
    language the story is played in (its captions are in both)."""
    return replace(slide.view, present=True, play=False, story=None, lang=lang)


def new_slide(
    page: str,
    state: ViewState,
    title: Text = Text(),
    caption: Text = Text(),
    names: Mapping[Lang, Mapping[str, str]] | None = None,
) -> Slide:
    """A slide of `page` on `state`; without a title, titled from its view in both languages (`names`:
    place names by language for that title, see `view_title`)."""
    if page not in STORY_PAGES:
        raise ValueError(f"a slide cannot show the page '{page}'")
    view = saved_view(state, page)
    if not (title.zh or title.en):
        title = Text(*(view_title(page, view, lang, (names or {}).get(lang, {})) for lang in LANGS))
    return Slide(page, view, title, caption)


def view_title(page: str, view: ViewState, lang: Lang, names: Mapping[str, str]) -> str:
    """The view in words, e.g. '县级地图 · 年末状态 · 2019 · 四川省' or 'Trends · Poverty incidence · 2016 ·
    Province': the page, what it shows, the year and the place. `names`: province, prefecture, area and
    county codes -> names in `lang` (a code without a name is shown as the code)."""
    from atlas.county_map import LAYER_TITLES  # the pages' own words, imported late: they pull in pydeck
    from atlas.trends import MEASURES

    parts = [t(f"page_{page}", lang)]
    if page == "county_map" and view.panel is not None:  # a published panel column (its latest year: none named)
        parts.append(view.panel.partition(":")[2])
        parts += [str(view.panel_year)] if view.panel_year else []
    elif page == "county_map":
        shown = dict.fromkeys(t(LAYER_TITLES[layer], lang) for layer in (view.layer, view.layer2 or view.layer))
        parts.append(" / ".join(shown))
        parts.append(" / ".join(dict.fromkeys(str(y) for y in (view.year, view.year2 or view.year))))
    if page == "county_map":
        places = [view.county] if view.county else [*view.provinces, *view.prefectures, *view.areas]
        joiner = "、" if lang == "zh" else ", "
        parts += [joiner.join(names.get(code, code) for code in places)] if places else []
        parts += [t("sanqu_sanzhou", lang)] if view.sanqu_only and not view.county else []
    elif page == "areas" and view.area_unit not in (None, "all"):
        unit = view.area_unit
        parts.append(t("sanqu_sanzhou", lang) if unit == "sanqu_sanzhou" else names.get(unit, unit))
    elif page == "trends":
        measure = MEASURES.get(view.measure or "")
        named = (measure.label_zh if lang == "zh" else measure.label_en) if measure else None
        parts.append(named or t(f"theme_{view.theme}", lang))
        parts += [label(view.variant, lang)] if view.variant else []
        parts += [str(view.series_year)] if view.series_year else []
        parts += [t(f"level_{view.level}", lang)] if view.level else []
    elif page == "sources" and view.source:
        parts.append(view.source)
    return " · ".join(parts)


def appended(story: Story, slide: Slide) -> Story:
    if len(story.slides) >= MAX_SLIDES:
        return story
    return replace(story, slides=(*story.slides, slide))


def moved(story: Story, index: int, step: int) -> Story:
    """The slide at `index` moved `step` places (kept inside the story)."""
    slides = list(story.slides)
    target = min(max(index + step, 0), len(slides) - 1)
    if not 0 <= index < len(slides) or target == index:
        return story
    slides.insert(target, slides.pop(index))
    return replace(story, slides=tuple(slides))


def removed(story: Story, index: int) -> Story:
    return replace(story, slides=tuple(s for i, s in enumerate(story.slides) if i != index))


def edited(story: Story, index: int, **changes: object) -> Story:
    slides = list(story.slides)
    slides[index] = replace(slides[index], **changes)  # type: ignore[arg-type]
    return replace(story, slides=tuple(slides))


def inert(text: str) -> str:
    """Text kept as text: control characters out. HTML, Markdown and formulas stay as written;
    the page escapes them, and the PPTX and PDF take them as plain runs of characters."""
    return _CONTROL.sub("", text)


# --- Writing ---------------------------------------------------------------------------------------


def _text(text: Text) -> dict[str, str]:
    return {lang: text.pick(lang) for lang in LANGS}


def as_dict(story: Story) -> dict[str, object]:
    return {
        "format": STORY_FORMAT,
        "version": STORY_VERSION,
        "title": _text(story.title),
        "slides": [
            {
                "page": s.page,
                "view": encode(s.view),
                "title": _text(s.title),
                "caption": _text(s.caption),
                **({"sources": list(s.sources)} if s.sources else {}),
            }
            for s in story.slides
        ],
    }


def to_json(story: Story) -> str:
    """The story file: UTF-8 JSON, Chinese as written (not \\u escapes), one key per line."""
    return json.dumps(as_dict(story), ensure_ascii=False, indent=1) + "\n"


def to_token(story: Story) -> str | None:
    """The story as one URL parameter value, or None when it is longer than a link should carry."""
    compact = json.dumps(as_dict(story), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    token = base64.urlsafe_b64encode(zlib.compress(compact, 9)).decode("ascii").rstrip("=")
    return token if len(token) <= STORY_TOKEN_MAX else None


# --- Reading ---------------------------------------------------------------------------------------


def from_token(token: str, vocab: Vocabulary = _ANY) -> Loaded:
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_FILE_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        return Loaded(None, (Problem("story_err_token"),))
    return load(raw, vocab)


def load(data: bytes | str, vocab: Vocabulary = _ANY) -> Loaded:
    """A story file as uploaded (bytes) or pasted (str): the story, or what was wrong with it."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        return Loaded(None, (Problem("story_err_size", {"kb": size // 1000, "max": MAX_FILE_BYTES // 1000}),))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return Loaded(None, (Problem("story_err_encoding", {"at": error.start}),))
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, RecursionError) as error:
        where = {"line": error.lineno, "col": error.colno} if isinstance(error, json.JSONDecodeError) else {}
        return Loaded(None, (Problem("story_err_json", where or {"line": 0, "col": 0}),))
    if not isinstance(document, dict) or document.get("format") != STORY_FORMAT:
        return Loaded(None, (Problem("story_err_format"),))
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return Loaded(None, (Problem("story_err_version", {"version": _show(version)}),))
    if version > STORY_VERSION:
        return Loaded(None, (Problem("story_err_newer", {"version": version, "ours": STORY_VERSION}),))
    slides = document.get("slides")
    if not isinstance(slides, list):
        return Loaded(None, (Problem("story_err_slides"),))
    if len(slides) > MAX_SLIDES:
        return Loaded(None, (Problem("story_err_many", {"n": len(slides), "max": MAX_SLIDES}),))
    errors: list[Problem] = []
    warnings: list[Problem] = []
    title = _read_text(document.get("title"), 0, "title", MAX_TITLE, errors, warnings)
    read: list[Slide] = []
    for number, item in enumerate(slides, start=1):
        slide = _read_slide(item, number, vocab, errors, warnings)
        if slide is not None:
            read.append(slide)
    if errors:
        return Loaded(None, tuple(errors), tuple(warnings))
    return Loaded(Story(title, tuple(read)), (), tuple(warnings))


def _show(value: object) -> str:
    """A short, inert rendering of a rejected value for a message."""
    text = inert(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:60])
    return text if len(text) <= 40 else text[:37] + "..."


def _read_text(
    value: object, number: int, what: str, limit: int, errors: list[Problem], warnings: list[Problem]
) -> Text:
    if value is None:
        return Text()
    if isinstance(value, str):  # one text for both languages, as a hand-written file might have it
        value = {lang: value for lang in LANGS}
    if not isinstance(value, dict) or not all(isinstance(value.get(lang, ""), str) for lang in LANGS):
        errors.append(Problem("story_err_text", {"n": number, "what": what}))
        return Text()
    texts: dict[str, str] = {}
    for lang in LANGS:
        raw = value.get(lang, "")
        clean = inert(raw)
        if clean != raw:
            warnings.append(Problem("story_warn_control", {"n": number, "what": what}))
        if len(clean) > limit:
            warnings.append(Problem("story_warn_cut", {"n": number, "what": what, "max": limit}))
            clean = clean[:limit]
        texts[lang] = clean
    return Text(**texts)


def _read_slide(
    item: object, number: int, vocab: Vocabulary, errors: list[Problem], warnings: list[Problem]
) -> Slide | None:
    if not isinstance(item, dict):
        errors.append(Problem("story_err_slide", {"n": number}))
        return None
    page = item.get("page")
    if page not in STORY_PAGES:
        errors.append(Problem("story_err_page", {"n": number, "page": _show(page), "pages": ", ".join(STORY_PAGES)}))
        return None
    params = item.get("view", {})
    if not isinstance(params, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
        errors.append(Problem("story_err_view", {"n": number}))
        return None
    result = parse(params, vocab)
    if result.notices:
        errors.append(Problem("story_err_params", {"n": number, "notices": "; ".join(result.notices)}))
        return None
    sources = item.get("sources", [])
    if not isinstance(sources, list) or len(sources) > MAX_SOURCES or not all(isinstance(s, str) for s in sources):
        errors.append(Problem("story_err_sources", {"n": number, "max": MAX_SOURCES}))
        return None
    bad = [s for s in sources if parse({_SOURCE_KEY: s}, vocab).notices]
    if bad:
        errors.append(Problem("story_err_source_ids", {"n": number, "ids": ", ".join(map(_show, bad))}))
        return None
    return Slide(
        page,
        saved_view(result.state, page),
        _read_text(item.get("title"), number, "title", MAX_TITLE, errors, warnings),
        _read_text(item.get("caption"), number, "caption", MAX_CAPTION, errors, warnings),
        tuple(dict.fromkeys(sources)),
    )


def bundled(vocab: Vocabulary = _ANY) -> dict[str, Story]:
    """The bundled stories by file name (a file that does not load is left out; its test fails)."""
    stories = {}
    for path in sorted(STORIES_DIR.glob("*.json")):
        loaded = load(path.read_bytes(), vocab)
        if loaded.story is not None:
            stories[path.name] = loaded.story
    return stories


def describe(problems: Sequence[Problem], lang: Lang) -> list[str]:
    """Each problem in words: where (the story or slide n), what (its title or caption) and what was wrong."""
    out = []
    for problem in problems:
        values = dict(problem.values)
        if "n" in values:
            values["where"] = (
                t("story_where_slide", lang, n=values["n"]) if values["n"] else t("story_where_story", lang)
            )
        if "what" in values:
            values["what"] = t({"title": "story_field_title", "caption": "story_field_caption"}[values["what"]], lang)
        out.append(t(problem.key, lang, **values))
    return out
