"""Import: the user's own county table or pasted list, matched to today's boundaries, mapped,
applied as official flags for this session, exported. Uploads live in this session's memory only;
the session (reads, matches, resolutions, kept widget values) is atlas.ui.import_session."""

from __future__ import annotations

import streamlit as st

from atlas import imported, layers
from atlas.i18n import t
from atlas.legend import escape_markdown, legend_html
from atlas.ui import (
    chrome,
    import_export,
    import_flags,
    import_session as session,
    play_button,
    publish,
    resources,
    state,
)
from loaders import match, tabular
from loaders.tabular.formats import sheet_names
from loaders.tabular.pasted import read_pasted
from loaders.tabular.rows import drop_duplicate_rows, duplicate_rows

EXCEL = (".xlsx", ".xls")
SHOWN_GROUPS = 10  # merged groups listed one by one; the rest are counted

view = chrome.chrome("import")
lang = view.lang
st.title(t("page_import", lang))
st.markdown(t("import_intro", lang))
st.caption(f":material/lock: {t('import_privacy', lang)}")
inputs = resources.map_inputs()
if inputs is None or not chrome.show_error("counties.parquet"):
    st.stop()
data = resources.atlas()
gazetteer = resources.gazetteer()
session.settle_shared_data()


def read_error(exc: tabular.UploadError) -> None:
    st.error(
        t("import_read_error", lang) + escape_markdown(imported.upload_error_text(exc, lang)), icon=":material/error:"
    )


# --- 1. bring data ---------------------------------------------------------------------------
kind = st.radio(
    t("import_source", lang),
    ["upload", "paste"],
    horizontal=True,
    format_func=lambda k: t(f"import_{k}", lang),
    **session.kept("import_kind", "upload"),
)
if kind == "upload":
    st.caption(t("import_limits", lang, mb=tabular.MAX_UPLOAD_BYTES // 2**20, rows=f"{tabular.MAX_ROWS:,}"))
    upload = st.file_uploader(
        t("import_file", lang),
        type=["csv", "tsv", "txt", "xlsx", "xls"],
        key="import_file",
        max_upload_size=max(1, tabular.MAX_UPLOAD_BYTES // 2**20),
        on_change=session.uploader_changed,
    )
    if upload is None and session.upload_gone():
        st.warning(t("import_session_ended", lang), icon=":material/restart_alt:")
    if upload is not None:
        raw = upload.getvalue()
        try:
            sheet, header_row = None, None
            if upload.name.lower().endswith(EXCEL):
                cols = st.columns(2)
                sheet = cols[0].selectbox(
                    t("import_sheet", lang),
                    sheet_names(raw, upload.name),
                    key="import_sheet",
                    placeholder=t("choose_one", lang),
                )
                header_row = cols[1].number_input(t("import_header_row", lang), 0, 50, 0, key="import_header") or None
            read = session.read_file(raw, upload.name, sheet, header_row)
        except tabular.UploadError as exc:
            read_error(exc)
        else:
            session.use_input(read.frame, imported.provenance_of(read.filename, raw, read.sha256), read.notices)
else:
    st.text_area(t("import_paste_label", lang), key="import_text", height=140)
    st.button(t("import_paste_button", lang), on_click=session.take_pasted, key="import_paste_go", type="primary")
    if session.pasted().strip():
        try:
            read = read_pasted(session.pasted(), t("import_pasted_name", lang))
        except tabular.UploadError as exc:
            read_error(exc)
        else:
            session.use_input(
                read.frame, imported.provenance_of(read.filename, session.pasted().encode("utf-8")), read.notices
            )

current = session.current_input()
if current is None:
    session.forget_input()
    import_flags.remove_lists_button(lang)
    state.write_url()
    st.stop()
table, provenance, notices = current
loaded = dict(name=provenance.filename, rows=len(table), cols=len(table.columns), sha=provenance.sha256[:12])
st.caption(escape_markdown(t("import_loaded", lang, time=provenance.time, **loaded)))
for notice in notices:
    st.caption(f":material/info: {escape_markdown(imported.notice_text(notice, lang))}")

# --- 2. column roles -------------------------------------------------------------------------
columns = [str(c) for c in table.columns]
guess = match.guess_roles(table)
role_key = provenance.sha256[:16]  # a new file starts from its own guesses
st.header(t("import_roles", lang))
chosen: dict[str, str | None] = {}
for holder, role in zip(st.columns(len(match.COLUMN_ROLES)), match.COLUMN_ROLES):
    guessed = getattr(guess, role)
    chosen[role] = (
        holder.selectbox(
            t(f"import_role_{role}", lang),
            ["", *columns],
            format_func=lambda c: imported.column_label(c, columns, lang) if c else t("import_role_none", lang),
            placeholder=t("choose_one", lang),
            **session.kept(f"import_role_{role}_{role_key}", guessed if guessed in columns else ""),
        )
        or None
    )
values = st.multiselect(
    t("import_role_values", lang),
    columns,
    format_func=lambda c: imported.column_label(c, columns, lang),
    placeholder=t("choose_options", lang),
    **session.kept(f"import_role_values_{role_key}", session.value_defaults(table, role_key, guess.values)),
)
roles = match.ColumnRoles(**chosen, values=tuple(values))
if not (roles.code or roles.name):
    st.warning(t("import_need_key", lang), icon=":material/warning:")
    st.stop()
table, totals = session.without_totals(table, roles, gazetteer, role_key)
if totals is not None:  # 全国, 合计, a province's or prefecture's row: set aside
    st.caption(f":material/functions: {escape_markdown(imported.notice_text(totals, lang))}")

repeated = duplicate_rows(table)
if repeated:
    shown = ", ".join(map(str, repeated[:30]))
    st.warning(
        escape_markdown(t("import_duplicates", lang, n=len(repeated), rows=shown)), icon=":material/content_copy:"
    )
    if st.checkbox(t("import_drop_duplicates", lang), **session.kept(f"import_dedupe_{role_key}", False)):
        table = drop_duplicate_rows(table)  # each kept row keeps its input number

# --- 3. matching, with the user's resolutions re-applied ---------------------------------------
result = session.matched(table, provenance, roles, gazetteer)
rows = result.rows
st.header(t("import_report", lang))
summary = result.summary()
for holder, (label, figure) in zip(st.columns(2 + len(match.STATUSES)), imported.summary_metrics(summary, lang)):
    holder.metric(label, figure)
report = session.report_frame(result, lang)
# st.dataframe draws cells as text on a canvas: names holding HTML or Markdown stay text.
st.dataframe(report, hide_index=True, width="stretch", height=min(320, 35 * (len(report) + 1) + 3))
groups = session.merged_groups(result)
province_names = chrome.province_names()
shown_groups = list(groups.items())[:SHOWN_GROUPS]
group_names = imported.boundary_labels([c for c, _ in shown_groups], inputs.boundaries, province_names, lang)
for code, group in shown_groups:
    rows_text = ", ".join(map(str, group))
    text = t("import_merged_group", lang, n=len(group), name=group_names[code], code=code, rows=rows_text)
    st.info(escape_markdown(text), icon=":material/merge:")
if len(groups) > SHOWN_GROUPS:
    st.caption(t("import_merged_more", lang, n=len(groups) - SHOWN_GROUPS))

open_rows = imported.unresolved(rows)
with st.expander(f"{t('import_resolve', lang)} ({len(open_rows)})", expanded=not open_rows.empty):
    if open_rows.empty:
        st.caption(t("import_resolve_none", lang))
    else:
        choices = imported.row_choices(open_rows, rows[roles.name or roles.code], lang)
        picked_row = st.selectbox(
            t("import_resolve_row", lang),
            list(choices),
            key="import_resolve_row",
            format_func=choices.get,
            placeholder=t("choose_one", lang),
        )
        query = st.text_input(t("import_resolve_search", lang), key="import_resolve_query")
        this = open_rows[open_rows["row"] == picked_row].iloc[0]
        offered = imported.offered_codes(this, inputs.boundaries, query)
        offered_names = imported.boundary_labels(offered, inputs.boundaries, province_names, lang)
        code = st.selectbox(
            t("import_resolve_pick", lang),
            offered,
            key="import_resolve_code",
            format_func=lambda c: offered_names.get(c, c),
            index=None,  # never a preselected guess: the person picks
            placeholder=t("choose_one", lang),
        )
        st.button(
            t("import_resolve_apply", lang),
            on_click=session.resolve_row,
            args=(picked_row, code),
            key="import_resolve_go",
            disabled=not code,
            type="primary",
        )

# --- 4. the map ----------------------------------------------------------------------------------
st.header(t("import_map", lang))
year_rows = session.rows_by_year(rows, roles.year)
years = sorted(year_rows)
year_key = f"import_year_{role_key}"


if len(years) > 1:
    play_button.button(lang, "import_play")
fitted = session.fitted_view(rows, data.counties, chrome.CHINA_VIEW)
column_options = list(roles.values) or [""]
default_column = session.default_column(rows, roles.values) or ""


# A fragment: another column or year redraws the map alone, not the match report above it.
@st.fragment(run_every=play_button.run_every() if len(years) > 1 else None)
def map_section() -> None:
    controls = st.columns([3, 2, 2])
    column = controls[0].selectbox(
        t("import_map_column", lang),
        column_options,
        format_func=lambda c: c or t("import_listed", lang),
        placeholder=t("choose_one", lang),
        **session.kept_choice(f"import_map_column_{role_key}", column_options, default_column),
    )
    show_poverty = controls[1].toggle(
        t("import_overlay_poverty", lang), **session.kept("import_overlay_poverty", False)
    )
    show_areas = controls[2].toggle(t("import_overlay_areas", lang), **session.kept("import_overlay_areas", False))
    if column:
        classes, bad, numeric = session.column_classes(rows, column, lang, view.present)
        if numeric and bad:
            cells = "; ".join(f"{r}: {text}" for r, text in bad[:20]) + (" …" if len(bad) > 20 else "")
            warning = t("import_not_numeric", lang, column=column, n=len(bad), cells=cells)
            st.warning(escape_markdown(warning), icon=":material/warning:")
    else:
        classes = imported.listed_classes(rows, lang)
        st.caption(t("import_no_values", lang))
    year = None
    if years:
        shown = st.session_state.get(year_key)
        st.session_state[year_key] = play_button.tick(years, shown if shown in years else years[-1])
        if len(years) > 1:
            year = st.select_slider(t("year", lang), years, key=year_key)
        else:
            year = years[0]
    model = imported.map_model(
        inputs,
        rows if year is None else year_rows[year],
        column or roles.name or roles.code,
        classes,
        None,
        year,
        lang,
        fitted,
        session.map_context(show_poverty, show_areas),
        view.present,
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
    play_button.drawn(year)


map_section()

# --- 5. a membership list as official flags ----------------------------------------------------------
import_flags.flags_section(rows, columns, role_key, provenance, data, lang)
import_flags.remove_lists_button(lang)

# --- 6. published for everyone (a signed-in publisher) -------------------------------------------------
publish.publish_section(result, roles, columns, role_key, provenance, lang)

# --- 7. export --------------------------------------------------------------------------------------
st.header(t("import_export", lang))
st.caption(t("import_export_note", lang))
import_export.export_section(result, provenance, lang)
state.write_url()
