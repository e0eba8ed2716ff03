"""Legends and source lines as small HTML fragments; every label is escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode

from atlas.colours import RGBA, css

COMPACT_ROWS = 8


def legend_html(title: str, items: Sequence[tuple[str, RGBA]], note: str = "", large: bool = False) -> str:
    """A legend: a title, one swatch per class (the 'no data' class included by the caller), a note.
    A large legend of many rows (the 15 areas) is packed tighter, so it fits a 1366×768 screen."""
    packed = large and len(items) > COMPACT_ROWS
    size = ("1.1rem" if packed else "1.35rem") if large else "0.9rem"
    swatch = "1.2em" if packed else "1.4em" if large else "1em"
    spacing = "line-height:1.2;" if packed else ""
    rows = "".join(
        f'<div class="pa-legend-row"><span class="pa-swatch" style="background:{css(rgba)};'
        f'width:{swatch};height:{swatch}"></span>{html.escape(label)}</div>'
        for label, rgba in items
    )
    note_html = f'<div class="pa-legend-note">{html.escape(note)}</div>' if note else ""
    return (
        f'<div class="pa-legend" style="font-size:{size};{spacing}">'
        f'<div class="pa-legend-title">{html.escape(title)}</div>{rows}{note_html}</div>'
    )


LEGEND_CSS = """
<style>
.pa-legend {line-height:1.6; margin:0.25rem 0 0.75rem 0}
.pa-legend-title {font-weight:600; margin-bottom:0.2rem}
.pa-legend-row {display:flex; align-items:center; gap:0.5em}
.pa-swatch {display:inline-block; border:1px solid #8a8a8a; border-radius:2px; flex:none}
.pa-legend-note {color:#5f5f5f; font-size:0.85em; margin-top:0.3rem}
</style>
"""


def sources_markdown(
    source_ids: Sequence[str],
    citations: Mapping[str, str],
    prefix: str,
    more: str = "",
    limit: int | None = None,
    query: str = "",
) -> str:
    """'Sources: [publisher, “short title”, date](./sources?source=id); …' as Markdown, every label
    escaped; past `limit` sources, `more` ("{n} more") links to the whole sources page.
    `query` ("lang=en") goes into every link, so the sources page opens in the same language."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return ""
    shown = ids if limit is None else ids[:limit]
    parts = [f"[{escape_markdown(citations.get(sid) or sid)}]({source_link(sid, query)})" for sid in shown]
    if len(shown) < len(ids) and more:
        rest = "./sources" + (f"?{query}" if query else "")
        parts.append(f"[{escape_markdown(more.format(n=len(ids) - len(shown)))}]({rest})")
    return escape_markdown(prefix) + "; ".join(parts)


def source_link(source_id: str, query: str = "") -> str:
    """The sources page showing one source: ./sources?source=<id> (the id percent-encoded)."""
    return "./sources?" + urlencode({"source": source_id}, quote_via=quote) + (f"&{query}" if query else "")


def anchor(source_id: str) -> str:
    """The HTML id of a source's entry on the sources page."""
    return "src-" + "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in source_id)


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def escape_markdown(text: str) -> str:
    """Text shown through st.markdown as plain text: Markdown and HTML characters escaped."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
