"""Trends: incidence, funds and relocation — a choropleth for the chosen year and a linked line chart."""

from __future__ import annotations

import streamlit as st

from atlas import county_map, layers, map_table, trends
from atlas.i18n import label, t
from atlas.legend import legend_html
from atlas.ui import chart_size, chrome, play_button, resources, state, table_view
from atlas.url_state import THEMES

lang = chrome.chrome("trends").lang
st.title(t("page_trends", lang))
data = resources.atlas()

top = st.columns([2.6, 2, 2, 1], vertical_alignment="bottom")
top[0].radio(
    t("theme", lang),
    THEMES,
    key=state.widget_key("theme"),
    horizontal=True,
    format_func=lambda k: t(f"theme_{k}", lang),
    on_change=lambda: state.set_view(measure=None, variant=None, level=None, series_year=None),  # chosen from the data
)
theme = state.sync("theme").theme
file_part = f"series/{theme}.csv"
if not chrome.show_error(file_part) or theme not in data.series:
    st.stop()
series = data.series[theme]
measure_keys = trends.theme_measures(theme)
measure_key, variant_key = f"measure_{theme}", f"variant_{theme}"
options = trends.variants(series, theme)
# What the URL (or a widget) does not name opens where the sources cover the most units.
named = state.view().measure if state.view().measure in measure_keys else None
named_variant = state.view().variant if state.view().variant in options else None
coverage = resources.series_coverage(theme)
opening = trends.opening(coverage, named, named_variant, state.view().level, state.view().series_year)
if opening is None:
    st.info(t("no_data", lang))
    st.stop()
st.session_state[measure_key] = opening.measure
measure = top[1].selectbox(
    t("measure", lang),
    measure_keys,
    key=measure_key,
    format_func=lambda k: trends.MEASURES[k].label_zh if lang == "zh" else trends.MEASURES[k].label_en,
    on_change=lambda: state.set_view(measure=st.session_state[measure_key]),
    placeholder=t("choose_one", lang),
)
state.set_view(measure=measure)
options = trends.variants_of(coverage, measure, options)
if options:
    st.session_state[variant_key] = opening.variant if opening.variant in options else options[0]
variant = (
    top[2].selectbox(
        t(
            {"incidence": "variant_incidence", "funds": "variant_funds", "relocation": "variant_relocation"}[theme],
            lang,
        ),
        options,
        key=variant_key,
        format_func=lambda v: label(v, lang),
        on_change=lambda: state.set_view(variant=st.session_state[variant_key]),
        placeholder=t("choose_one", lang),
    )
    if options
    else None
)
state.set_view(variant=variant)
frame = trends.long_frame(series, theme, measure, variant)
if frame.empty:
    st.info(t("no_data", lang))
    st.stop()
play_button.button(lang, "trends_play", top[3])


@st.fragment(run_every=play_button.run_every())
def series_view() -> None:
    # Level, measure and year are the view's (the URL's): the player walks the years of the level
    # shown and never changes the level by itself.
    current = state.view()
    shown_at = trends.opening(resources.series_coverage(theme), measure, variant, current.level, current.series_year)
    level = (
        shown_at.level
        if shown_at is not None and shown_at.level in trends.levels_of(frame)
        else trends.levels_of(frame)[0]
    )
    times = trends.level_times(frame, level)
    time_key = f"time_{theme}_{measure}_{level}"
    shown = st.session_state.get(time_key)
    if shown not in times:
        shown = shown_at.time if shown_at is not None and shown_at.time in times else times[-1]
    st.session_state[time_key] = play_button.tick(times, shown)
    controls = st.columns([3, 2], vertical_alignment="bottom")
    with controls[0]:
        time = st.select_slider(t("year", lang), times, key=time_key) if len(times) > 1 else times[0]
    # The level and year shown go into the view, so that a link holds them.
    state.set_view(level=level, **({"series_year": int(time)} if time.isdigit() else {}))
    level_key = f"level_{theme}_{measure}"
    st.session_state[level_key] = level
    controls[1].radio(
        t("level", lang),
        trends.levels_of(frame),
        horizontal=True,
        key=level_key,
        format_func=lambda k: trends.level_label(k, lang),
        on_change=lambda: state.set_view(level=st.session_state[level_key]),
    )
    state.write_url()

    values = trends.values_at(frame, level, time)
    names = trends.unit_names(frame, lang, chrome.place_names() | chrome.area_names())
    unit = label(values["unit"].iloc[0], lang) if not values.empty else ""
    if current.present:  # map, legend and chart side by side: all in the first screen, 1366x768 too
        map_col, legend_col, chart_col = st.columns([2.3, 1.1, 2])
    else:
        map_col, chart_col = st.columns([3, 2])
        legend_col = map_col  # below the map
    with map_col:
        if level in trends.MAPPABLE and resources.geometries(trends.MAPPABLE[level]) is not None:
            level_geoms = resources.geometries(trends.MAPPABLE[level])
            geoms = level_geoms.pick(level_geoms.coarse, chrome.CHINA_VIEW_NARROW)
            model = trends.choropleth(
                values, geoms, names, unit, t("no_data", lang), contrast=current.present, stroked=level != "province"
            )
            inputs = resources.map_inputs()
            base = [] if inputs is None else county_map.base_layers(inputs, chrome.CHINA_VIEW_NARROW, current.present)
            # Presenter mode: the map fills the screen's height, fitted to its real size; the legend beside it.
            shown_view = (
                chart_size.fitted_view(data.country, chrome.CHINA_VIEW_NARROW)
                if current.present
                else chrome.CHINA_VIEW_NARROW
            )
            with st.container(key="pa_fig_trends" if current.present else None):
                st.pydeck_chart(
                    layers.deck(model.layers + base, shown_view, current.basemap), height=520, key="trend_map"
                )
            measure_info = trends.MEASURES[measure]
            title = f"{measure_info.label_zh if lang == 'zh' else measure_info.label_en} ({unit}), {time}"
            legend_col.html(
                legend_html(
                    title,
                    model.legend,
                    f"{t('classification', lang)}: {label(model.method, lang)}",
                    large=current.present,
                )
            )
            sources = map_table.ids_by_code(values["unit_code"], values["source_id"])
            with legend_col:
                table_view.unit_table_view(
                    "trends_table",
                    model.codes,
                    chrome.place_names() | names,
                    model.value_text,
                    model.class_text,
                    sources,
                    title,
                )
        else:
            for row in values.itertuples(index=False):
                st.metric(names.get(row.unit_code, row.unit_name_zh), f"{row.value:,.2f} {label(row.unit, lang)}")
        chrome.caption_sources(values["source_id"])

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
        state.set_view(compare=tuple(units))
        state.write_url()
        lines = trends.line_data(frame, level, units, names=names)
        if lines.empty:
            st.info(t("no_data", lang))
        else:
            by_year = lines["time"].str.fullmatch(r"\d{4}").all()
            if by_year:  # years on a true scale, so uneven gaps between observations show as such
                lines = lines.assign(time=lines["time"].astype(int))
            measure_label = trends.MEASURES[measure].label_zh if lang == "zh" else trends.MEASURES[measure].label_en
            description = trends.lines_description(lines, measure_label, unit, lang)
            chart = trends.line_chart(lines, t("year", lang), unit, by_year, t("table_line", lang), description)
            st.altair_chart(chart, width="stretch", height=260 if current.present else "content")
            table_view.table_view(
                "trends_line_table",
                t("table_chart", lang),
                lambda: trends.line_table(lines, unit, t("no_data", lang)),
                {"series": t("table_line", lang)},
                lambda n: t("table_lines_note", lang, n=n),
            )
            shown = frame[frame["unit_code"].isin(units) | (frame["level"] == "national")]
            chrome.caption_sources(shown["source_id"])
    grid = trends.coverage_grid(frame, level, names)
    if not grid.empty:
        with st.expander(t("trends_coverage", lang, n=len(grid), years=len(grid.columns))):
            st.dataframe(grid, width="stretch")
    st.page_link("pages/import_data.py", label=t("trends_import_hint", lang), icon=":material/upload_file:")
    # The sources' transcription notes are for the Sources page, not for readers of the chart.
    play_button.drawn(time)


series_view()
