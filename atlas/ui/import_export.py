"""The Import page's export (Streamlit glue): the form (rows, or a panel's wide or long form) and the
format chosen, the file built on request with a progress bar, then offered for download. The files are
loaders.match.export's, the same as `python -m loaders.match` writes."""

from __future__ import annotations

import streamlit as st

from atlas import imported
from atlas.export import FORMATS
from atlas.i18n import Lang, t
from atlas.ui import import_session as session, resources
from loaders import match

BUILT = "import_export_built"  # (what was built, its bytes): the last file, kept until another is asked for


def export_section(result: match.MatchResult, provenance: imported.Provenance, lang: Lang) -> None:
    forms = list(match.FORMS) if result.roles.year else ["rows"]
    cols = st.columns(2)
    form = cols[0].radio(
        t("import_export_form", lang),
        forms,
        format_func=lambda f: t(f"import_form_{f}", lang),
        **session.kept_choice("import_export_form", forms, "rows"),
    )
    formats = [f for f in match.FILE_FORMATS if not (form == "long" and f == "geojson")]
    file_format = cols[1].radio(
        t("import_export_format", lang),
        formats,
        format_func=lambda f: t(f"download_{f}", lang).removeprefix("下载 ").removeprefix("Download "),
        **session.kept_choice("import_export_format", formats, formats[0]),
    )
    st.caption(t(f"import_form_{form}_note", lang))
    wanted = (session.version(), form, file_format)
    if st.button(t("import_export_build", lang), key="import_export_go", icon=":material/build:"):
        bar = st.progress(0.0, text=t("import_export_building", lang))
        data = match.export_joined(
            result,
            provenance,
            resources.atlas().counties,
            file_format,
            form,
            resources.data_build(),
            progress=lambda share: bar.progress(share, text=t("import_export_building", lang)),
        )
        bar.empty()
        st.session_state[BUILT] = (wanted, data)
    built = st.session_state.get(BUILT)
    if built is not None and built[0] == wanted:
        suffix, mime = FORMATS[file_format]
        name = f"{imported.file_stem(provenance.filename)}{'' if form == 'rows' else '_' + form}.{suffix}"
        size = f"{len(built[1]) / 2**20:.1f} MB"
        st.download_button(
            t("import_export_download", lang, name=name, size=size),
            built[1],
            name,
            mime,
            key="import_export_file",
            on_click="ignore",
            icon=":material/download:",
        )
