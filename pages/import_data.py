"""Import: the user's own county table or pasted list, matched to today's boundaries, mapped,
applied as official flags for this session, exported. Uploads live in this session's memory only."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import export, imported, layers, player_ui, ui
from atlas.i18n import t
from atlas.legend import escape_markdown, legend_html
from loaders import match, tabular
from loaders.tabular import safe_for_spreadsheet

ROLE_FIELDS = ("code", "name", "province", "prefecture", "year")
EXCEL = (".xlsx", ".xls")

view = ui.chrome("import")
lang = view.lang
st.title(t("page_import", lang))
st.markdown(t("import_intro", lang))
st.caption(f":material/lock: {t('import_privacy', lang)}")
inputs = ui.map_inputs()
if inputs is None or not ui.show_error("counties.parquet"):
    st.stop()
data = ui.atlas()
gazetteer = ui.gazetteer()


KEPT = "import_kept"
INPUT = "import_input"  # (table, provenance, notices): what this session brought, in its memory only


def kept(key: str, default: object) -> str:
    """A widget key whose value outlives a visit to another page (Streamlit drops a page's widget
    state when another page runs); pass `on_change=keep, args=(key,)` with it."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.setdefault(KEPT, {}).get(key, default)
    return key


def keep(key: str) -> None:
    st.session_state.setdefault(KEPT, {})[key] = st.session_state[key]


def read_file(data_bytes: bytes, filename: str, sheet: str | None, header_row: int | None) -> tabular.ImportedTable:
    """Read an upload once per (content, sheet, header row)."""
    key = (hashlib.sha256(data_bytes).hexdigest(), filename, sheet, header_row)
    cached = st.session_state.get("import_read")
    if cached is None or cached[0] != key:
        cached = (key, tabular.read_upload(data_bytes, filename, sheet=sheet, header_row=header_row))
        st.session_state["import_read"] = cached
    return cached[1]


def use_input(table: pd.DataFrame, provenance: imported.Provenance, notices: tuple[str, ...] = ()) -> None:
    current = st.session_state.get(INPUT)
    if current is None or current[1].sha256 != provenance.sha256:
        st.session_state[INPUT] = (table, provenance, notices)
        st.session_state.pop("import_resolutions", None)


def uploader_changed() -> None:
    if st.session_state.get("import_file") is None:  # the user removed the file
        st.session_state.pop(INPUT, None)


def take_pasted() -> None:
    st.session_state["import_pasted"] = st.session_state.get("import_text", "")


def remove_lists() -> None:
    st.session_state.pop(ui.APPLIED_LISTS, None)


def remove_lists_button() -> None:
    """While lists are applied, say so and offer to remove them (also when no table is loaded)."""
    if ui.applied_lists():
        ui.caption_user_data()
        st.button(
            t("import_remove_button", lang), on_click=remove_lists, key="import_remove_go", icon=":material/delete:"
        )


# --- 1. bring data ---------------------------------------------------------------------------
kind = st.radio(
    t("import_source", lang),
    ["upload", "paste"],
    horizontal=True,
    key=kept("import_kind", "upload"),
    on_change=keep,
    args=("import_kind",),
    format_func=lambda k: t(f"import_{k}", lang),
)
if kind == "upload":
    st.caption(t("import_limits", lang, mb=tabular.MAX_UPLOAD_BYTES // 2**20, rows=f"{tabular.MAX_ROWS:,}"))
    upload = st.file_uploader(
        t("import_file", lang),
        type=["csv", "tsv", "txt", "xlsx", "xls"],
        key="import_file",
        max_upload_size=max(1, tabular.MAX_UPLOAD_BYTES // 2**20),
        on_change=uploader_changed,
    )
    if upload is not None:
        raw = upload.getvalue()
        try:
            sheet, header_row = None, None
            if upload.name.lower().endswith(EXCEL):
                sheets = tabular.sheet_names(raw, upload.name)
                cols = st.columns(2)
                sheet = cols[0].selectbox(t("import_sheet", lang), sheets, key="import_sheet")
                header_row = cols[1].number_input(t("import_header_row", lang), 0, 50, 0, key="import_header") or None
            read = read_file(raw, upload.name, sheet, header_row)
        except tabular.UploadError as exc:
            st.error(t("import_read_error", lang) + escape_markdown(str(exc)), icon=":material/error:")
        else:
            use_input(read.frame, imported.provenance_of(read.filename, raw, read.sha256), read.notices)
else:
    st.text_area(t("import_paste_label", lang), key="import_text", height=140)
    st.button(t("import_paste_button", lang), on_click=take_pasted, key="import_paste_go", type="primary")
    pasted = st.session_state.get("import_pasted", "")
    if pasted.strip():
        try:
            use_input(
                tabular.parse_pasted(pasted),
                imported.provenance_of(t("import_pasted_name", lang), pasted.encode("utf-8")),
            )
        except tabular.UploadError as exc:
            st.error(t("import_read_error", lang) + escape_markdown(str(exc)), icon=":material/error:")

if INPUT not in st.session_state:
    st.session_state.pop(ui.ACTIVE_IMPORT, None)
    remove_lists_button()
    ui.write_url()
    st.stop()
table, provenance, notices = st.session_state[INPUT]
st.caption(
    escape_markdown(
        t(
            "import_loaded",
            lang,
            name=provenance.filename,
            rows=len(table),
            cols=len(table.columns),
            sha=provenance.sha256[:12],
            time=provenance.time,
        )
    )
)
for notice in notices:
    st.caption(f":material/info: {escape_markdown(notice)}")

# --- 2. column roles -------------------------------------------------------------------------
columns = [str(c) for c in table.columns]
guess = match.guess_roles(table)
role_key = provenance.sha256[:16]  # a new file starts from its own guesses
st.subheader(t("import_roles", lang))
role_cols = st.columns(len(ROLE_FIELDS))
chosen: dict[str, str | None] = {}
for holder, role in zip(role_cols, ROLE_FIELDS):
    guessed = getattr(guess, role)
    options = [""] + columns
    key = kept(f"import_role_{role}_{role_key}", guessed if guessed in options else "")
    chosen[role] = (
        holder.selectbox(
            t(f"import_role_{role}", lang),
            options,
            key=key,
            on_change=keep,
            args=(key,),
            format_func=lambda c: c or t("import_role_none", lang),
        )
        or None
    )
key = kept(f"import_role_values_{role_key}", [c for c in guess.values if c in columns])
values = st.multiselect(t("import_role_values", lang), columns, key=key, on_change=keep, args=(key,))
roles = match.ColumnRoles(**chosen, values=tuple(values))
if not (roles.code or roles.name):
    st.warning(t("import_need_key", lang), icon=":material/warning:")
    st.stop()

repeated = tabular.duplicate_rows(table)
if repeated:
    st.warning(
        escape_markdown(t("import_duplicates", lang, n=len(repeated), rows=", ".join(map(str, repeated[:30])))),
        icon=":material/content_copy:",
    )
    key = kept(f"import_dedupe_{role_key}", False)
    if st.checkbox(t("import_drop_duplicates", lang), key=key, on_change=keep, args=(key,)):
        table = table.drop(index=[r for r in repeated if r in table.index])

# --- 3. matching, with the user's resolutions re-applied ---------------------------------------
match_key = (provenance.sha256, roles, len(table))
resolutions: dict = st.session_state.setdefault("import_resolutions", {})
if st.session_state.get("import_match_key") != match_key:
    st.session_state["import_match_key"] = match_key
    st.session_state["import_matched"] = match.match_table(table, roles, gazetteer)
    resolutions.clear()
result: match.MatchResult = st.session_state["import_matched"]
for row_id, code in resolutions.items():
    result = match.resolve(result, row_id, code, gazetteer)
rows = result.rows
active = imported.ActiveImport(result, provenance, tuple(columns), roles.values, roles.year)
st.session_state[ui.ACTIVE_IMPORT] = active

st.subheader(t("import_report", lang))
summary = result.summary()
metric_cols = st.columns(2 + len(match.STATUSES))
metric_cols[0].metric(t("import_match_rate", lang), f"{summary.get('match_rate', 0.0):.1%}")
metric_cols[1].metric(t("import_rows", lang), f"{summary.get('total', len(rows)):,}")
for holder, status in zip(metric_cols[2:], match.STATUSES):
    holder.metric(t(f"status_{status}", lang), f"{summary.get(status, 0):,}")


def status_label(status: object) -> str:
    key = f"status_{status}"
    try:
        return t(key, lang)
    except KeyError:
        return str(status)


input_text = rows[roles.name] if roles.name else rows[roles.code]
report = pd.DataFrame(
    {
        t("import_col_row", lang): rows["row"],
        t("import_col_input", lang): input_text.astype("string"),
        t("import_col_status", lang): rows["match_status"].map(status_label),
        t("import_col_code", lang): rows["boundary_code"].astype("string"),
        t("import_col_name", lang): rows["boundary_name_zh" if lang == "zh" else "boundary_name_en"].astype("string"),
        t("import_col_method", lang): rows["match_method"].astype("string"),
    }
)
# st.dataframe draws cells as text on a canvas: names holding HTML or Markdown stay text.
st.dataframe(
    safe_for_spreadsheet(report), hide_index=True, width="stretch", height=min(320, 35 * (len(report) + 1) + 3)
)
for code, group in result.merged_groups().items():
    name = imported.boundary_label(code, inputs.boundaries, ui.province_names(), lang)
    st.info(
        escape_markdown(
            t("import_merged_group", lang, n=len(group), name=name, code=code, rows=", ".join(map(str, group)))
        ),
        icon=":material/merge:",
    )

open_rows = imported.unresolved(rows)
with st.expander(f"{t('import_resolve', lang)} ({len(open_rows)})", expanded=not open_rows.empty):
    if open_rows.empty:
        st.caption(t("import_resolve_none", lang))
    else:
        row_ids = open_rows["row"].tolist()
        labels = dict(zip(row_ids, input_text.loc[open_rows.index].astype("string").fillna("")))
        statuses = dict(zip(row_ids, open_rows["match_status"]))
        picked_row = st.selectbox(
            t("import_resolve_row", lang),
            row_ids,
            key="import_resolve_row",
            format_func=lambda r: f"{r}: {labels.get(r, '')} · {status_label(statuses.get(r))}",
        )
        this = open_rows[open_rows["row"] == picked_row].iloc[0]
        offered = imported.candidate_codes(this.get("candidates")) + imported.candidate_codes(this.get("suggestions"))
        query = st.text_input(t("import_resolve_search", lang), key="import_resolve_query")
        offered += [c for c in imported.search_boundaries(inputs.boundaries, query) if c not in offered]
        names = ui.province_names()
        code = st.selectbox(
            t("import_resolve_pick", lang),
            offered,
            key="import_resolve_code",
            format_func=lambda c: imported.boundary_label(c, inputs.boundaries, names, lang),
        )

        def apply_resolution(row_id=picked_row, chosen_code=code) -> None:
            if chosen_code:
                st.session_state["import_resolutions"][row_id] = chosen_code

        st.button(
            t("import_resolve_apply", lang),
            on_click=apply_resolution,
            key="import_resolve_go",
            disabled=not code,
            type="primary",
        )

# --- 4. the map ----------------------------------------------------------------------------------
st.subheader(t("import_map", lang))
controls = st.columns([3, 2, 2])
column_options = list(roles.values) or [""]
key = kept("import_map_column", column_options[0])
if st.session_state[key] not in column_options:
    st.session_state[key] = column_options[0]
column = controls[0].selectbox(
    t("import_map_column", lang),
    column_options,
    key=key,
    on_change=keep,
    args=(key,),
    format_func=lambda c: c or t("import_listed", lang),
)
show_poverty = controls[1].toggle(
    t("import_overlay_poverty", lang),
    key=kept("import_overlay_poverty", False),
    on_change=keep,
    args=("import_overlay_poverty",),
)
show_areas = controls[2].toggle(
    t("import_overlay_areas", lang),
    key=kept("import_overlay_areas", False),
    on_change=keep,
    args=("import_overlay_areas",),
)
if column:
    numbers, bad = tabular.numeric_values(rows, column)
    known = numbers.notna().sum()
    is_numeric = known > 0 and len(bad) <= known  # mostly numbers: a numeric column, the rest reported
    if is_numeric and bad:
        cells = "; ".join(f"{r}: {text}" for r, text in bad[:20]) + (" …" if len(bad) > 20 else "")
        st.warning(
            escape_markdown(t("import_not_numeric", lang, column=column, n=len(bad), cells=cells)),
            icon=":material/warning:",
        )
    classes = imported.value_classes(rows, column, numbers if is_numeric else None, lang, view.present)
    shown_column = column
else:
    classes = imported.listed_classes(rows, lang)
    shown_column = roles.name or roles.code
    st.caption(t("import_no_values", lang))
years = imported.years_of(rows, roles.year)
year_key = f"import_year_{role_key}"


if len(years) > 1:
    player_ui.button(lang, "import_play")
context = imported.MapContext(
    poverty_codes=tuple(ui.session_poverty()["code"]) if show_poverty and ui.session_poverty() is not None else (),
    outlines=ui.geometries("outlines") if show_areas else None,
    outline_ids=tuple(data.outlines.loc[data.outlines["kind"].isin(["area", "sanqu_sanzhou"]), "unit_id"])
    if show_areas and data.outlines is not None
    else (),
)


@st.fragment(run_every=player_ui.run_every() if len(years) > 1 else None)
def map_section() -> None:
    year = None
    if years:
        shown = st.session_state.get(year_key)
        st.session_state[year_key] = player_ui.tick(years, shown if shown in years else years[-1])
        if len(years) > 1:
            year = st.select_slider(t("year", lang), years, key=year_key)
        else:
            year = years[0]
    fitted = imported.fit_view(data.counties, imported.located(rows)["boundary_code"], ui.CHINA_VIEW)
    model = imported.map_model(
        inputs,
        rows,
        shown_column,
        classes,
        roles.year if years else None,
        year,
        lang,
        fitted,
        context,
        contrast=view.present,
    )
    map_col, side = st.columns([3, 1])
    with map_col:
        st.pydeck_chart(
            layers.deck(model.layers, fitted, view.basemap, layers.name_tooltip(lang)),
            height=560,
            key="import_map_chart",
        )
        st.html(model.tooltip_css)
    with side:
        note = " · ".join(filter(None, [classes.note, t("import_user_note", lang, source=provenance.short())]))
        st.html(legend_html(model.title, model.legend, note, large=view.present))
    player_ui.drawn(year)


map_section()

# --- 5. a membership list as official flags ----------------------------------------------------------
st.subheader(t("import_apply", lang))
st.caption(t("import_apply_help", lang))
poverty = ui.poverty_table()
if poverty is not None:
    flag_cols = st.columns(3)
    flag = flag_cols[0].radio(
        t("import_flag", lang),
        imported.USER_FLAGS,
        key=kept("import_flag", "deep_poverty"),
        on_change=keep,
        args=("import_flag",),
        format_func=lambda f: t(f, lang),
    )
    area_column = fixed_area = None
    area_names = ui.area_names()
    if flag == "contiguous_area":
        key = kept(f"import_area_col_{role_key}", "")
        area_column = (
            flag_cols[1].selectbox(
                t("import_area_column", lang),
                ["", *columns],
                key=key,
                on_change=keep,
                args=(key,),
                format_func=lambda c: c or t("import_role_none", lang),
            )
            or None
        )
        fixed_area = (
            flag_cols[1].selectbox(
                t("import_fixed_area", lang),
                ["", *area_names],
                key=kept("import_fixed_area", ""),
                on_change=keep,
                args=("import_fixed_area",),
                format_func=lambda a: area_names.get(a, t("import_role_none", lang)),
            )
            or None
        )
    scopes = ["no", "areas"] if flag == "contiguous_area" else ["no", "provinces", "national"]
    key = kept(f"import_complete_{flag}", "no")
    complete = flag_cols[2].radio(
        t("import_complete", lang),
        scopes,
        key=key,
        on_change=keep,
        args=(key,),
        format_func=lambda s: t(f"import_complete_{s}", lang),
    )
    plan = imported.plan_membership(
        rows,
        flag,
        poverty,
        provenance,
        area_column=area_column,
        fixed_area=fixed_area,
        areas=data.areas,
        complete=complete,
    )
    st.markdown(escape_markdown(t("import_plan", lang, flagged=plan.flagged, cleared=plan.cleared)))
    if plan.non_poverty:
        listed = ", ".join(f"{r} {name or code}" for r, code, name in plan.non_poverty[:30])
        st.caption(escape_markdown(t("import_non_poverty", lang, n=len(plan.non_poverty), rows=listed)))
    if plan.unknown_areas:
        listed = ", ".join(f"{r} “{text}”" for r, text in plan.unknown_areas[:30])
        st.warning(
            escape_markdown(t("import_unknown_areas", lang, n=len(plan.unknown_areas), rows=listed)),
            icon=":material/warning:",
        )
    if plan.unplaced:
        st.caption(
            escape_markdown(
                t("import_unplaced", lang, n=len(plan.unplaced), rows=", ".join(map(str, plan.unplaced[:30])))
            )
        )

    def apply_list(applied: imported.AppliedList = plan.applied) -> None:
        others = [a for a in ui.applied_lists() if a.flag != applied.flag]
        st.session_state[ui.APPLIED_LISTS] = (*others, applied)

    st.button(
        t("import_apply_button", lang),
        on_click=apply_list,
        key="import_apply_go",
        type="primary",
        disabled=plan.flagged == 0,
        icon=":material/flag:",
    )
remove_lists_button()

# --- 6. export --------------------------------------------------------------------------------------
st.subheader(t("import_export", lang))
st.caption(t("import_export_note", lang))
stem = re.sub(r"[^\w.-]+", "_", Path(provenance.filename).stem).strip("_") or "import"
stem = f"{stem}_joined"


def joined() -> tuple:
    frame = imported.export_frame(rows, data.counties)
    meta = imported.export_meta(provenance, summary, imported.input_columns(rows), ui.data_build(), len(frame))
    return frame, meta, imported.user_source_table(provenance)


def geojson_bytes() -> bytes:
    frame, meta, _ = joined()
    return export.to_geojson(frame, meta)


def csv_bytes() -> bytes:
    frame, meta, sources = joined()
    return export.to_csv_zip(frame, meta, sources, stem)


def gpkg_bytes() -> bytes:
    frame, meta, sources = joined()
    return export.to_geopackage(frame, meta, sources)


# Files are built when a button is clicked, not on every rerun.
dl = st.columns(3)
dl[0].download_button(
    t("download_geojson", lang),
    geojson_bytes,
    f"{stem}.geojson",
    "application/geo+json",
    key="import_dl_geojson",
    width="stretch",
    on_click="ignore",
)
dl[1].download_button(
    t("download_csv", lang),
    csv_bytes,
    f"{stem}.zip",
    "application/zip",
    key="import_dl_csv",
    width="stretch",
    on_click="ignore",
)
dl[2].download_button(
    t("download_gpkg", lang),
    gpkg_bytes,
    f"{stem}.gpkg",
    "application/geopackage+sqlite3",
    key="import_dl_gpkg",
    width="stretch",
    on_click="ignore",
)
ui.write_url()
