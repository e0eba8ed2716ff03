"""The Import page's Publish section (Streamlit glue): a matched list or panel published to the shared
store as a new dataset or a new version of one, with its title, source citation (all four fields
required), provenance, match report and the resolutions chosen. Only a signed-in person whose role (read
from the store now) allows it sees the form; the Store checks the role again when it writes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.datasets import KINDS, Actor, DatasetError, NotAllowed, SourceCitation, Store, area_names, rows_from_match
from atlas.datasets.rows import PublishRows
from atlas.i18n import Lang, t
from atlas.imported import Provenance, column_label
from atlas.legend import escape_markdown
from atlas.published import KIND_OF_FLAG
from atlas.ui import account, import_session as session, state, store as shared
from loaders import match

DONE = "publish_done"  # (file SHA-256, ref, kind) of the version this session published last, for its success message
CITATION = ("title", "publisher", "date", "where")
KIND_LABELS = dict(zip(KINDS, ("publish_kind_area", "publish_kind_key", "publish_kind_deep", "publish_kind_panel")))
SOURCE_LABELS = dict(
    zip(CITATION, ("publish_source_title", "publish_source_publisher", "publish_source_date", "publish_source_where"))
)
NEW = ""  # the "new dataset" choice of the target box


def _choices(store: Store, kind: str, who: Actor) -> dict[str, str]:
    """Datasets of `kind` this person may add a version to: their own, or any for an admin."""
    return {
        d.dataset_id: d.title
        for d in store.datasets()
        if d.kind == kind and (who.is_admin or d.created_by == who.identity)
    }


def missing_field(title: str, citation: dict[str, str]) -> str | None:
    """The first required field left empty: "title" (the dataset's) or a citation field; else None."""
    if not title.strip():
        return "title"
    return next((name for name in CITATION if not citation[name].strip()), None)


def _open_dataset(ref: str) -> None:
    state.set_view(dataset=ref)
    st.session_state["publish_open"] = True


def publish_section(
    result: match.MatchResult,
    roles: match.ColumnRoles,
    columns: list[str],
    role_key: str,
    provenance: Provenance,
    lang: Lang,
) -> None:
    """The section under a match: an explanation for viewers, the form for a publisher."""
    st.header(t("publish_header", lang))
    if st.session_state.pop("publish_open", False):
        st.switch_page("pages/datasets.py")
    who = account.actor()
    if not who.can_publish:
        st.caption(t("publish_need_role", lang))
        return
    if shared.store() is None:
        st.caption(t("publish_store_down", lang))
        return
    st.caption(t("publish_help", lang))
    kind = st.radio(
        t("publish_kind", lang),
        KINDS,
        format_func=lambda k: t(KIND_LABELS[k], lang),
        horizontal=True,
        # What the list is, the user says: the list type chosen above, else nothing until one is picked.
        **session.kept("publish_kind", KIND_OF_FLAG.get(st.session_state.get("import_flag", ""))),
    )
    if kind is None:
        st.caption(t("publish_choose_kind", lang))
        return
    area_column = None
    if kind == "area":
        area_column = (
            st.selectbox(
                t("import_area_column", lang),
                ["", *columns],
                format_func=lambda c: column_label(c, columns, lang) if c else t("import_role_none", lang),
                placeholder=t("choose_one", lang),
                **session.kept(f"publish_area_col_{role_key}", st.session_state.get(f"import_area_col_{role_key}", "")),
            )
            or None
        )
    if kind == "panel" and not roles.year:
        st.warning(t("publish_need_year", lang), icon=":material/warning:")
        return
    if kind == "area" and not area_column:
        st.warning(t("publish_need_area", lang), icon=":material/warning:")
        return
    try:
        planned = rows_from_match(
            result.rows,
            kind,
            area_column=area_column,
            areas=area_names(),
            year_column=roles.year,
            value_columns=roles.values,
        )
    except DatasetError as exc:
        st.warning(escape_markdown(str(exc)), icon=":material/warning:")
        return
    st.markdown(escape_markdown(t("publish_plan", lang, rows=len(planned.rows), left=len(planned.left_out))))
    if kind == "panel":
        st.caption(escape_markdown(t("publish_panel_columns", lang, year=roles.year, values=", ".join(roles.values))))
    if planned.left_out:
        with st.expander(t("publish_left_out", lang, n=len(planned.left_out))):
            st.dataframe(
                pd.DataFrame(
                    [(left.row, left.why(lang)) for left in planned.left_out],
                    columns=[t("publish_input_row", lang), t("publish_why", lang)],
                ),
                hide_index=True,
            )
    mine = shared.call(lambda s: _choices(s, kind, who)) or {}
    target = st.selectbox(
        t("publish_target", lang),
        [NEW, *mine],
        format_func=lambda d: t("publish_target_new", lang) if d == NEW else f"{mine[d]} ({d})",
        key=f"publish_target_{kind}",
    )
    with st.form("publish_form"):
        title = st.text_input(t("publish_title", lang), value=mine.get(target, ""), max_chars=300)
        citation = {
            name: st.text_input(
                t(SOURCE_LABELS[name], lang),
                max_chars=1000,
                placeholder=t("publish_date_placeholder", lang) if name == "date" else None,
            )
            for name in CITATION
        }
        pressed = st.form_submit_button(t("publish_button", lang), type="primary", icon=":material/publish:")
    if pressed:
        _publish(kind, title, citation, planned, target or None, provenance, lang)
    published_file, done, done_kind = st.session_state.get(DONE, (None, None, None))
    if done and published_file == provenance.sha256:
        st.success(escape_markdown(t("publish_done", lang, ref=done)), icon=":material/check_circle:")
        st.markdown(f"[{escape_markdown(t('publish_link', lang))}](datasets?dataset={done}&lang={lang})")
        if done_kind != "panel":  # a list: its flag as the County map's layer, from that version (ds=)
            where = f"county_map?layer={done_kind}&ds={done}&lang={lang}"
            st.markdown(f"[{escape_markdown(t('publish_map_link', lang))}]({where})")
        st.button(t("publish_open", lang), on_click=_open_dataset, args=(done,), key="publish_open_go")


def _publish(
    kind: str,
    title: str,
    citation: dict[str, str],
    planned: PublishRows,
    target: str | None,
    provenance: Provenance,
    lang: Lang,
) -> None:
    missing = missing_field(title, citation)
    if missing:
        field = t("publish_title", lang) if missing == "title" else t(SOURCE_LABELS[missing], lang)
        st.error(t("publish_missing", lang, field=field), icon=":material/error:")
        return
    source = SourceCitation(*(citation[name].strip() for name in CITATION))
    try:
        source.validate()
    except DatasetError as exc:
        why = t("publish_bad_date", lang, date=source.date) if "source date" in str(exc) else str(exc)
        st.error(t("publish_refused", lang) + escape_markdown(why), icon=":material/error:")
        return
    who = account.actor()  # roles as the store has them at this moment
    chosen = {str(row): code for row, code in st.session_state.get(session.RESOLUTIONS, {}).items()}
    try:
        published = shared.call(
            lambda store: store.publish(
                kind,
                title.strip(),
                source,
                planned.rows,
                planned.report,
                actor=who,
                file_name=provenance.filename,
                sha256=provenance.sha256,
                resolutions=chosen,
                dataset_id=target,
            )
        )
    except NotAllowed:
        st.error(t("publish_not_allowed", lang), icon=":material/lock:")
        return
    except DatasetError as exc:
        st.error(t("publish_refused", lang) + escape_markdown(str(exc)), icon=":material/error:")
        return
    if published is not None:
        st.session_state[DONE] = (provenance.sha256, published.ref, kind)
        st.rerun()  # the target box then offers the new dataset for a next version
