"""The Import page's "use as official flags" section: a user's list applied to this session as
contiguous_area, key_county or deep_poverty (see atlas.imported.plan_membership). Streamlit glue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import imported
from atlas.i18n import Lang, t
from atlas.legend import escape_markdown
from atlas.ui import chrome, import_session as session, resources, user_data
from loaders.data import Atlas


def remove_lists_button(lang: Lang) -> None:
    """While lists are applied, say so and offer to remove them (also when no table is loaded)."""
    if user_data.applied_lists():
        user_data.caption_user_data()
        st.button(
            t("import_remove_button", lang),
            on_click=session.remove_lists,
            key="import_remove_go",
            icon=":material/delete:",
        )


def flags_section(
    rows: pd.DataFrame,
    columns: list[str],
    role_key: str,
    provenance: imported.Provenance,
    data: Atlas,
    lang: Lang,
) -> None:
    """Which flag the list gives, for which areas, how complete it is; what applying it changes."""
    st.header(t("import_apply", lang))
    st.caption(t("import_apply_help", lang))
    poverty = resources.poverty_table()
    if poverty is not None:
        flag_cols = st.columns(3)
        flag = flag_cols[0].radio(
            t("import_flag", lang),
            imported.USER_FLAGS,
            format_func=lambda f: t(f, lang),
            **session.kept("import_flag", None),  # no default: the person says what the list is
        )
        if flag is None:
            st.caption(t("import_flag_choose", lang))
            return
        area_column = fixed_area = None
        area_names = chrome.area_names()
        if flag == "contiguous_area":
            area_column = (
                flag_cols[1].selectbox(
                    t("import_area_column", lang),
                    ["", *columns],
                    format_func=lambda c: imported.column_label(c, columns, lang) if c else t("import_role_none", lang),
                    placeholder=t("choose_one", lang),
                    **session.kept(f"import_area_col_{role_key}", ""),
                )
                or None
            )
            fixed_area = (
                flag_cols[1].selectbox(
                    t("import_fixed_area", lang),
                    ["", *area_names],
                    format_func=lambda a: area_names.get(a, t("import_role_none", lang)),
                    placeholder=t("choose_one", lang),
                    **session.kept("import_fixed_area", ""),
                )
                or None
            )
        scopes = ["no", "areas"] if flag == "contiguous_area" else ["no", "provinces", "national"]
        complete = flag_cols[2].radio(
            t("import_complete", lang),
            scopes,
            format_func=lambda s: t(f"import_complete_{s}", lang),
            **session.kept(f"import_complete_{flag}", "no"),
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
        for warning, text in imported.plan_notices(plan, lang):
            if warning:
                st.warning(escape_markdown(text), icon=":material/warning:")
            else:
                st.caption(escape_markdown(text))
        st.button(
            t("import_apply_button", lang),
            on_click=session.apply_list,
            args=(plan.applied,),
            key="import_apply_go",
            type="primary",
            disabled=plan.flagged == 0,
            icon=":material/flag:",
        )
