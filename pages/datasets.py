"""Datasets: every published dataset with its versions, provenance, match report and diffs; withdrawing
and (for admins) the atlas's default lists and the audit log. The glue is atlas.ui.datasets_view."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui import chrome, datasets_view, state

view = chrome.chrome("datasets")
st.title(t("page_datasets", view.lang))
st.markdown(t("datasets_intro", view.lang))
datasets_view.page(view.lang)
state.write_url()
