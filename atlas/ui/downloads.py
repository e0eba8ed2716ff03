"""Download buttons: one file each, built only when clicked."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import streamlit as st

from atlas.export import FORMATS
from atlas.i18n import t
from atlas.ui import state


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
    labels = {"csv": "download_csv", "geojson": "download_geojson", "gpkg": "download_gpkg"}
    buttons = []
    for name, data in files.items():
        suffix, mime = FORMATS[name]
        buttons.append(FileButton(t(labels[name], state.lang()), data, f"{stem}.{suffix}", mime, f"{key_prefix}{name}"))
    file_buttons(buttons, width="stretch")
