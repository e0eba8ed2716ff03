"""The Datasets page (Streamlit glue): every published dataset with its versions, provenance, match report
and a diff between two versions; withdrawing (a publisher their own versions, an admin any), the atlas's
default list per flag and the audit log (admins). Titles, citations and reasons are people's text: shown
as text (escaped Markdown, st.text, tables), never as markup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.datasets import LIST_KINDS, Actor, DatasetError, DatasetVersion, NotAllowed, Store, UnknownDataset, parse_ref
from atlas.i18n import Lang, t
from atlas.imported.report import STATUS_LABELS
from atlas.legend import escape_markdown
from atlas.ui import account, state, store as shared
from atlas.ui.publish import KIND_LABELS, SOURCE_LABELS

WHEN = "%Y-%m-%d %H:%M UTC"
SHOWN_ROWS = 2000  # rows and diffs listed on the page; the rest are counted


def _when(moment) -> str:
    return moment.strftime(WHEN) if moment is not None else ""


def _text(label: str, value: str) -> None:
    """A labelled line of someone's text, shown as text whatever it holds."""
    st.markdown(f"**{escape_markdown(label)}** {escape_markdown(value)}")


def _selected(store: Store, lang: Lang) -> tuple[str | None, int | None]:
    """The dataset and version the URL names (dataset=<id>@<v>), or a notice and (None, None)."""
    raw = state.view().dataset
    if not raw:
        return None, None
    try:
        dataset_id, version = parse_ref(raw)
        found = store.get(dataset_id, version)
    except UnknownDataset:
        st.warning(t("datasets_unknown", lang, ref=escape_markdown(raw)), icon=":material/warning:")
        return None, None
    except DatasetError:
        st.warning(t("datasets_bad_ref", lang, ref=escape_markdown(raw)), icon=":material/warning:")
        return None, None
    return found.dataset_id, found.version


def _pick() -> None:
    """The dataset box changed: the URL names it (its newest version is shown)."""
    state.set_view(dataset=st.session_state.get("datasets_pick") or None)


def _pick_version(dataset_id: str) -> None:
    version = st.session_state.get("datasets_version")
    state.set_view(dataset=f"{dataset_id}@{version}" if version else dataset_id)


def page(lang: Lang) -> None:
    who = account.actor()
    store = shared.store()
    if store is None:
        st.info(t("datasets_store_down", lang), icon=":material/cloud_off:")
        return
    try:
        _page(store, who, lang)
    except NotAllowed:
        st.error(t("publish_not_allowed", lang), icon=":material/lock:")


def _page(store: Store, who: Actor, lang: Lang) -> None:
    wanted_id, wanted_version = _selected(store, lang)
    summaries = shared.call(lambda s: s.datasets())
    if summaries is None:
        return
    if not summaries:
        st.info(t("datasets_none", lang), icon=":material/info:")
    else:
        listing = pd.DataFrame(
            {
                t("datasets_col_id", lang): [d.dataset_id for d in summaries],
                t("datasets_col_kind", lang): [t(KIND_LABELS[d.kind], lang) for d in summaries],
                t("datasets_col_title", lang): [d.title for d in summaries],
                t("datasets_col_latest", lang): [
                    str(d.latest_version) if d.latest_version else t("datasets_all_withdrawn", lang) for d in summaries
                ],
                t("datasets_col_versions", lang): [d.versions for d in summaries],
                t("datasets_col_by", lang): [d.created_by for d in summaries],
                t("datasets_col_at", lang): [_when(d.created_at) for d in summaries],
            }
        )
        st.dataframe(listing, hide_index=True, width="stretch")  # a canvas of text: titles stay text
        titles = {d.dataset_id: d.title for d in summaries}
        st.session_state["datasets_pick"] = wanted_id if wanted_id in titles else None  # the URL decides
        chosen = st.selectbox(
            t("datasets_pick", lang),
            list(titles),
            format_func=lambda d: f"{titles[d]} ({d})",
            placeholder=t("choose_one", lang),
            key="datasets_pick",
            on_change=_pick,
        )
        if chosen:
            _dataset(store, who, chosen, wanted_version if chosen == wanted_id else None, lang)
    if who.is_admin:
        _admin(store, who, summaries, lang)


def _dataset(store: Store, who: Actor, dataset_id: str, wanted: int | None, lang: Lang) -> None:
    versions = store.versions(dataset_id)
    by_number = {v.version: v for v in versions}
    live = [v.version for v in versions if not v.is_withdrawn]
    default = wanted if wanted in by_number else (live or list(by_number))[-1]
    st.session_state["datasets_version"] = default
    number = st.selectbox(
        t("datasets_version", lang),
        list(by_number),
        format_func=lambda n: (
            t("datasets_version_label", lang, n=n)
            + (f" · {t('datasets_withdrawn_mark', lang)}" if by_number[n].is_withdrawn else "")
        ),
        key="datasets_version",
        on_change=_pick_version,
        args=(dataset_id,),
    )
    state.set_view(dataset=f"{dataset_id}@{number}")
    v = by_number[number]
    st.subheader(escape_markdown(v.title))
    if v.is_withdrawn:
        st.error(
            escape_markdown(
                t("datasets_withdrawn", lang, at=_when(v.withdrawn_at), by=v.withdrawn_by, reason=v.withdraw_reason)
            ),
            icon=":material/block:",
        )
    elif live and number < live[-1]:
        st.info(t("datasets_newer", lang, n=live[-1]), icon=":material/update:")
    _provenance(v, lang)
    _report(store, v, lang)
    with st.expander(t("datasets_rows", lang, n=v.row_count)):
        rows = store.rows(v.dataset_id, v.version)
        st.dataframe(rows.head(SHOWN_ROWS), hide_index=True, width="stretch")
    if len(versions) > 1:
        _diff(store, dataset_id, list(by_number), lang)
    mine = v.published_by == who.identity and "publisher" in who.roles
    if not v.is_withdrawn and (mine or who.is_admin):
        _withdraw_form(store, v, lang)


def _provenance(v: DatasetVersion, lang: Lang) -> None:
    _text(t("datasets_ref", lang), v.ref)
    _text(t("datasets_kind", lang), t(KIND_LABELS[v.kind], lang))
    _text(t("datasets_published", lang), t("datasets_published_by", lang, by=v.published_by, at=_when(v.published_at)))
    _text(t("datasets_file", lang), f"{v.file_name} · SHA-256 {v.sha256}")
    _text(t("datasets_row_count", lang), str(v.row_count))
    st.markdown(f"**{escape_markdown(t('datasets_source', lang))}**")
    # st.text: the citation exactly as typed, in a fixed font; nothing in it is interpreted
    st.text(
        "\n".join(
            f"{t(SOURCE_LABELS[name], lang)}: {getattr(v.source, name)}"
            for name in ("title", "publisher", "date", "where")
        )
    )


def _report(store: Store, v: DatasetVersion, lang: Lang) -> None:
    """The match report published with the version: how many input rows had each status, then the rows."""
    report = store.report(v.dataset_id, v.version)
    counts = report["status"].astype("string").value_counts()
    st.markdown(f"**{escape_markdown(t('datasets_report', lang))}**")
    for holder, status in zip(st.columns(len(STATUS_LABELS)), STATUS_LABELS):
        holder.metric(t(STATUS_LABELS[status], lang), f"{int(counts.get(status, 0)):,}")
    with st.expander(t("datasets_report_rows", lang, n=len(report))):
        st.dataframe(report.head(SHOWN_ROWS), hide_index=True, width="stretch")


def _diff(store: Store, dataset_id: str, numbers: list[int], lang: Lang) -> None:
    st.markdown(f"**{escape_markdown(t('datasets_diff', lang))}**")
    cols = st.columns(2)
    old = cols[0].selectbox(t("datasets_diff_old", lang), numbers, index=len(numbers) - 2, key="datasets_old")
    new = cols[1].selectbox(t("datasets_diff_new", lang), numbers, index=len(numbers) - 1, key="datasets_new")
    if old == new:
        st.caption(t("datasets_diff_same", lang))
        return
    diff = store.diff(dataset_id, old, new)
    figures = st.columns(3)
    figures[0].metric(t("datasets_added", lang), len(diff.added))
    figures[1].metric(t("datasets_removed", lang), len(diff.removed))
    figures[2].metric(t("datasets_changed", lang), len(diff.changed_codes))
    for key, frame in (
        ("datasets_added", diff.added),
        ("datasets_removed", diff.removed),
        ("datasets_changed", diff.changed),
    ):
        if len(frame):
            with st.expander(f"{t(key, lang)} ({len(frame)})"):
                st.dataframe(frame.head(SHOWN_ROWS), hide_index=True, width="stretch")


def _withdraw_form(store: Store, v: DatasetVersion, lang: Lang) -> None:
    with st.form(f"withdraw_{v.ref}"):
        st.markdown(f"**{escape_markdown(t('datasets_withdraw', lang))}**")
        reason = st.text_input(t("datasets_reason", lang), max_chars=1000)
        pressed = st.form_submit_button(t("datasets_withdraw_button", lang), icon=":material/block:")
    if pressed:
        if not reason.strip():
            st.error(t("datasets_reason_needed", lang), icon=":material/error:")
            return
        who = account.actor()  # roles as the store has them now; the Store checks ownership again
        try:
            done = shared.call(lambda s: s.withdraw(v.dataset_id, v.version, reason.strip(), who))
        except NotAllowed:
            st.error(t("datasets_withdraw_not_allowed", lang), icon=":material/lock:")
            return
        except DatasetError as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            return
        if done is not None:
            st.rerun()


def _set_default(kind: str) -> None:
    chosen = st.session_state.get(f"datasets_default_{kind}") or None
    who = account.actor()
    dataset_id, _, version = (chosen or "").partition("@")
    try:
        shared.call(lambda s: s.set_default(kind, dataset_id or None, int(version) if version else None, who))
    except (NotAllowed, DatasetError) as exc:
        st.session_state["datasets_default_error"] = str(exc)


def _admin(store: Store, who: Actor, summaries, lang: Lang) -> None:
    st.header(t("datasets_defaults", lang))
    st.caption(t("datasets_defaults_help", lang))
    current = store.defaults()
    cols = st.columns(len(LIST_KINDS))
    for holder, kind in zip(cols, LIST_KINDS):
        options = [""] + [
            f"{d.dataset_id}@{v.version}"
            for d in (summaries or [])
            if d.kind == kind
            for v in store.versions(d.dataset_id)
            if not v.is_withdrawn
        ]
        now = current.get(kind)
        st.session_state[f"datasets_default_{kind}"] = now.ref if now is not None and now.ref in options else ""
        holder.selectbox(
            t(KIND_LABELS[kind], lang),
            options,
            format_func=lambda o: o or t("datasets_default_none", lang),
            key=f"datasets_default_{kind}",
            on_change=_set_default,
            args=(kind,),
        )
    problem = st.session_state.pop("datasets_default_error", None)
    if problem:
        st.error(escape_markdown(problem), icon=":material/error:")
    st.header(t("datasets_audit", lang))
    st.dataframe(store.audit(), hide_index=True, width="stretch")
