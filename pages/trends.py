"""Trends: incidence, funds and relocation — a choropleth for the chosen year and a linked line chart."""

from __future__ import annotations

import altair as alt
import streamlit as st

from atlas import county_map, layers, trends, ui
from atlas.i18n import label, t
from atlas.legend import escape_markdown, legend_html
from atlas.url_state import THEMES

lang = ui.chrome("trends").lang
st.title(t("page_trends", lang))
data = ui.atlas()

top = st.columns([2, 2, 2])
top[0].radio(
    t("theme", lang), THEMES, key=ui.widget_key("theme"), horizontal=True, format_func=lambda k: t(f"theme_{k}", lang)
)
theme = ui.sync("theme").theme
file_part = f"series/{theme}.csv"
if not ui.show_error(file_part) or theme not in data.series:
    st.stop()
series = data.series[theme]
measure_keys = trends.theme_measures(theme)
measure = top[1].selectbox(
    t("measure", lang),
    measure_keys,
    key=f"measure_{theme}",
    format_func=lambda k: trends.MEASURES[k].label_zh if lang == "zh" else trends.MEASURES[k].label_en,
    placeholder=t("choose_one", lang),
)
options = trends.variants(series, theme)
variant = (
    top[2].selectbox(
        t(f"variant_{theme}", lang),
        options,
        key=f"variant_{theme}",
        format_func=lambda v: label(v, lang),
        placeholder=t("choose_one", lang),
    )
    if options
    else None
)
frame = trends.long_frame(series, theme, measure, variant)
if frame.empty:
    st.info(t("no_data", lang))
    st.stop()

PLAY_SECONDS = 2.0
time_key = f"time_{theme}"


def toggle_play() -> None:
    st.session_state["trends_playing"] = not st.session_state.get("trends_playing", False)


playing = st.session_state.setdefault("trends_playing", ui.view().present)
st.button(
    t("pause", lang) if playing else t("play", lang),
    on_click=toggle_play,
    key="trends_play",
    icon=":material/pause:" if playing else ":material/play_arrow:",
)


@st.fragment(run_every=PLAY_SECONDS if playing else None)
def series_view() -> None:
    times = trends.times(frame)
    current = ui.view()
    wanted = str(current.series_year)
    # A year from the URL is kept; otherwise open on the latest year that can be mapped.
    opening = wanted if "syear" in st.query_params and wanted in times else trends.default_time(frame)
    if time_key not in st.session_state or st.session_state[time_key] not in times:
        st.session_state[time_key] = opening
    elif playing:  # each tick shows the next time that has data
        st.session_state[time_key] = times[(times.index(st.session_state[time_key]) + 1) % len(times)]
    time = st.select_slider(t("year", lang), times, key=time_key)
    if time.isdigit():
        ui.set_view(series_year=int(time))
    levels = trends.levels_at(frame, time)
    level = current.level if current.level in levels else (trends.finest_mappable(frame, time) or levels[0])
    level = st.radio(
        t("level", lang),
        levels,
        index=levels.index(level),
        horizontal=True,
        key=f"level_{theme}_{time}",
        format_func=lambda k: t(f"level_{k}", lang),
    )
    ui.set_view(level=level)
    ui.write_url()

    values = trends.values_at(frame, level, time)
    names = trends.unit_names(frame, lang, ui.place_names() | ui.area_names())
    unit = label(values["unit"].iloc[0], lang) if not values.empty else ""
    map_col, chart_col = st.columns([3, 2])
    with map_col:
        if level in trends.MAPPABLE and ui.geometries(trends.MAPPABLE[level]) is not None:
            level_geoms = ui.geometries(trends.MAPPABLE[level])
            geoms = level_geoms.pick(level_geoms.coarse, ui.CHINA_VIEW_NARROW)
            model = trends.choropleth(
                values, geoms, names, unit, t("no_data", lang), contrast=current.present, stroked=level != "province"
            )
            inputs = ui.map_inputs()
            base = [] if inputs is None else county_map.base_layers(inputs, ui.CHINA_VIEW_NARROW, current.present)
            st.pydeck_chart(
                layers.deck(model.layers + base, ui.CHINA_VIEW_NARROW, current.basemap), height=520, key="trend_map"
            )
            measure_info = trends.MEASURES[measure]
            title = f"{measure_info.label_zh if lang == 'zh' else measure_info.label_en} ({unit}), {time}"
            st.html(
                legend_html(
                    title,
                    model.legend,
                    f"{t('classification', lang)}: {label(model.method, lang)}",
                    large=current.present,
                )
            )
        else:
            for row in values.itertuples(index=False):
                st.metric(names.get(row.unit_code, row.unit_name_zh), f"{row.value:,.2f} {label(row.unit, lang)}")
        ui.caption_sources(values["source_id"])

    with chart_col:
        choices = trends.unit_choices(frame, level)
        default = [c for c in current.compare if c in choices] or list(choices)[:5]
        units = st.multiselect(
            t("units_compare", lang),
            list(choices),
            default=default,
            key=f"cmp_{theme}_{level}",
            format_func=lambda c: names.get(c, choices.get(c, c)),
            placeholder=t("choose_options", lang),
        )
        ui.set_view(compare=tuple(units))
        ui.write_url()
        lines = trends.line_data(frame, level, units, names=names)
        if lines.empty:
            st.info(t("no_data", lang))
        else:
            by_year = lines["time"].str.fullmatch(r"\d{4}").all()
            if by_year:  # years on a true scale, so uneven gaps between observations show as such
                lines = lines.assign(time=lines["time"].astype(int))
            chart = (
                alt.Chart(lines)
                .mark_line(point=True)
                .encode(
                    x=alt.X(
                        "time:Q" if by_year else "time:O",
                        title=t("year", lang),
                        axis=alt.Axis(format="d") if by_year else alt.Axis(),
                    ),
                    y=alt.Y("value:Q", title=unit),
                    color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
                    tooltip=["series", "time", "value"],
                )
            )
            st.altair_chart(chart, width="stretch")
            shown = frame[frame["unit_code"].isin(units) | (frame["level"] == "national")]
            ui.caption_sources(shown["source_id"])
    grid = trends.coverage_grid(frame, level, names)
    if not grid.empty:
        with st.expander(t("trends_coverage", lang, n=len(grid), years=len(grid.columns))):
            st.dataframe(grid, width="stretch")
    st.page_link("pages/import_data.py", label=t("trends_import_hint", lang), icon=":material/upload_file:")
    notes = values["notes"].dropna()
    if not notes.empty:
        with st.expander(t("notes", lang)):
            st.markdown("\n".join(f"- {escape_markdown(n)}" for n in notes.unique()))


series_view()
