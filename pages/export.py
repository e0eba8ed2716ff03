"""Export: exactly what the current filters select, as GeoJSON, CSV (zip) and GeoPackage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import export, filters, image_spec, imported
from atlas.i18n import t
from atlas.legend import escape_markdown
from atlas.ui import chrome, downloads, published, resources, user_data
from atlas.ui.filter_panel import filter_names, filter_panel
from loaders.tabular.formulas import safe_for_spreadsheet

lang = chrome.chrome("export").lang
st.title(t("page_export", lang))
st.markdown(t("export_intro", lang))
if not (
    chrome.show_error("poverty_counties") and chrome.show_error("counties.parquet") and chrome.show_error("sources.csv")
):
    st.stop()
data = resources.atlas()
poverty = user_data.session_poverty()
flt = filter_panel(poverty)
rows = filters.apply(poverty, flt)
described = filters.describe(flt, filter_names())
stem = export.file_stem(filters.slug(flt))

st.header(t("export_filter", lang))
# On screen in the reader's words; the files' metadata keep `described` as it is.
st.markdown(escape_markdown(image_spec.describe_filter(flt, filter_names(), lang) or t("all_counties", lang)))
st.markdown(f"**{t('selected_counties', lang, n=len(rows))}**")
if rows.empty:
    st.info(t("export_empty", lang))
    st.stop()


@st.cache_data(show_spinner=False, max_entries=32)
def build_files(
    codes: tuple[str, ...], described: tuple[str, ...], stem: str, lists: tuple[str, ...]
) -> dict[str, bytes]:
    """The three files for one selection; cached so a rerun with the same filter (and the same
    user lists, by content hash) costs nothing."""
    data = resources.atlas()
    chosen = user_data.session_poverty()
    chosen = chosen[chosen["code"].isin(codes)]
    frame = export.export_frame(chosen, data.counties)
    if lists:  # which values came from a user's list or a published dataset, row by row
        for column in ("user_supplied", "published"):
            if chosen[column].astype(bool).any():
                frame[column] = chosen[column].to_numpy()
    in_force = user_data.lists_in_force()
    sources = imported.with_user_sources(export.cited_sources(chosen, data.sources), in_force)
    user = [{"flag": a.flag, **a.provenance.as_dict()} for a in user_data.applied_lists()]
    shared = [{"flag": a.flag, **a.provenance.as_dict()} for a in published.lists()]
    meta = export.ExportMeta(stem, list(described), resources.data_build(), len(frame), user, shared)
    meta = meta.as_dict(sources)
    return {
        "geojson": export.to_geojson(frame, meta),
        "csv": export.to_csv_zip(frame, meta, sources, stem),
        "gpkg": export.to_geopackage(frame, meta, sources),
    }


files = build_files(tuple(rows["code"]), tuple(described), stem, tuple(a.key for a in user_data.lists_in_force()))
user_data.caption_user_data()
downloads.download_row(files, stem, "dl_")

preview = export.preview_frame(rows, lang, chrome.place_names(), chrome.area_names())
st.dataframe(safe_for_spreadsheet(preview), hide_index=True, width="stretch", height=320)
with st.expander(t("export_attributes", lang)):
    attributes = pd.DataFrame(export.attribute_dictionary())
    heads = {
        "name": "attribute_name",
        "type": "attribute_type",
        "unit": "attribute_unit",
        "description": "attribute_description",
    }
    st.dataframe(
        attributes.rename(columns={c: t(heads[c], lang) for c in attributes.columns}),
        hide_index=True,
        width="stretch",
    )
chrome.caption_sources(rows["source_ids"])
