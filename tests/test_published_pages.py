"""Published datasets on the pages, with a store (AppTest): the default list on Overview and Areas, old and
withdrawn links, slides that record and draw the datasets they apply, disagreements, published panels as
a County map layer, the sidebar switches. All data here are synthetic."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import imported, published, slide_images, slide_notes, story
from atlas.datasets import DatasetVersion, Store, operator
from atlas.imported import area_lookup, overlay, rows_by_year
from atlas.published import as_applied
from atlas.url_state import DEFAULT, encode
from benchmarks.common import ROOT
from tests import test_app
from tests.published_fixtures import (
    THREE_AREAS,
    VERSION_SOURCE,
    publish_synthetic,
    report_of,
    synthetic_area_list,
    synthetic_version,
)

# --- the pages, with a store (AppTest) ------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    opened = Store.open(url)
    yield opened
    opened.close()


def run(page: str | None = None, **params: str) -> AppTest:
    at = test_app.run(page, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_until(done, **params: str) -> AppTest:
    """Open the page until `done(at)`: a change in the store shows after the revision's short TTL."""
    deadline = time.monotonic() + 30
    while True:
        at = run(**params)
        if done(at) or time.monotonic() > deadline:
            return at
        time.sleep(0.2)


def captions(at: AppTest) -> str:
    """The page's captions as read (Markdown escapes taken away)."""
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning).replace("\\", "")


def test_the_default_area_list_fills_overview_and_areas(store: Store) -> None:
    v = publish_synthetic(store)
    store.set_default("area", v.dataset_id, v.version, operator())
    at = run(lang="en")
    assert "680 of 680 known — “Synthetic areas <script>x</script>” v1 (synthetic-areas@1)" in captions(at)
    assert "ds" not in at.query_params  # the view follows the defaults
    at.switch_page("pages/areas.py")
    at.run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    areas = next(layer for layer in deck["layers"] if layer["id"] == "areas")
    drawn = {f["properties"]["c"] for f in areas["data"]}  # inline features, dissolved from the list
    assert len(drawn) == 14 and "wumeng" in drawn
    assert "Wumeng Mountain Area: 38 of 38 counties known" in str([h.proto.body for h in at.get("html")])
    assert "This view uses published data" in captions(at)


def test_an_old_and_a_withdrawn_link_say_so(store: Store) -> None:
    first = publish_synthetic(store)
    rows = synthetic_area_list()
    publish_synthetic(store, rows.iloc[:-1])
    at = run(lang="en", ds=first.ref)
    assert at.query_params["ds"] == "synthetic-areas@1"
    assert "a newer version exists: version 2" in warnings(at)
    assert "680 of 680 known" in captions(at)  # version 1 still shows version 1
    store.withdraw(first.dataset_id, 1, "a synthetic mistake", operator())
    at = run_until(lambda at: "withdrawn" in warnings(at), lang="en", ds=first.ref)
    assert "was withdrawn on" in warnings(at) and "by cli:" in warnings(at) and "a synthetic mistake" in warnings(at)
    assert "680 of 680 known" not in captions(at)
    at = run(lang="en", ds="synthetic-areas@latest")
    assert at.query_params["ds"] == "synthetic-areas@2"
    assert "679 of 680 known" in captions(at)


def test_a_slide_records_the_datasets_it_applies(store: Store) -> None:
    v = publish_synthetic(store)
    store.set_default("area", v.dataset_id, v.version, operator())
    at = run("pages/county_map.py", lang="en")
    at.button(key="story_add").click().run()
    slide = at.session_state["story"].slides[0]
    assert slide.view.datasets == ("synthetic-areas@1",)  # pinned: the same map wherever the defaults differ
    assert encode(slide.view)["ds"] == "synthetic-areas@1"


def test_slide_files_draw_and_cite_the_recorded_datasets(
    synthetic_poverty: pd.DataFrame, synthetic_boundaries: gpd.GeoDataFrame
) -> None:
    from atlas import image_geometry

    applied = as_applied(
        synthetic_version(),
        pd.DataFrame({"code": ["620101"], "name_zh": ["丙"], "area": ["乌蒙"]}),
        synthetic_poverty,
        area_lookup(THREE_AREAS),
    )
    refs = ("syn-list@1",)
    ing = slide_images.Ingredients(
        synthetic_poverty,
        image_geometry.prepare(
            synthetic_boundaries,
            synthetic_boundaries.dissolve("province_code").reset_index(),
            gpd.GeoDataFrame(geometry=[synthetic_boundaries.union_all()], crs=synthetic_boundaries.crs),
        ),
        {},
        {"wumeng": "Wumeng"},
        {},
        published={refs: (overlay(synthetic_poverty, [applied]), (applied.provenance.short(),))},
    )
    slide = story.new_slide("county_map", replace(DEFAULT, layer="area", datasets=refs))
    notes = slide_notes.notes_text(slide, slide_images.slide_picture(slide, ing, "en"), ing, "en")
    assert "Published data used: “Synthetic area list” v1 (syn-list@1) · Synthetic office" in notes
    plain = story.new_slide("county_map", replace(DEFAULT, layer="area"))
    assert slide_images.draw_slide(slide, ing, "en").png != slide_images.draw_slide(plain, ing, "en").png
    assert "Published data used" not in slide_notes.notes_text(
        plain, slide_images.slide_picture(plain, ing, "en"), ing, "en"
    )


def test_a_county_where_a_published_list_disagrees_shows_both(store: Store) -> None:
    poverty = pd.read_csv(ROOT / "geodata" / "poverty_counties.csv", dtype=str)
    hebei = poverty[poverty["province_code"] == "130000"]
    key, other = hebei[hebei["key_county"] == "true"].iloc[0], hebei[hebei["key_county"] == "true"].iloc[1]
    rows = pd.DataFrame({"code": [other["code"]], "name_zh": [other["name_zh"]]})  # leaves `key` out of Hebei
    v = publish_rows(store, "key", "Synthetic key list", rows)
    at = run("pages/county_map.py", lang="en", layer="key", county=key["code"], ds=v.ref)
    facts = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "National key county: differs from the bundled record**: published data: No; bundled record: Yes" in facts
    assert f"Published data: “Synthetic key list” v1 ({v.ref})" in facts


def publish_synthetic_panel(store: Store) -> DatasetVersion:
    """Two value columns over 2017-2019 for 40 counties (synthetic values)."""
    poverty = pd.read_csv(ROOT / "geodata" / "poverty_counties.csv", dtype=str).head(40)
    rows = pd.DataFrame(
        {
            "code": list(poverty["code"]) * 3,
            "name_zh": list(poverty["name_zh"]) * 3,
            "year": pd.array([2017] * 40 + [2018] * 40 + [2019] * 40, dtype="Int64"),
            "synthetic_rate": [float(i % 7) for i in range(120)],
            "synthetic 人口": [float(i % 5) * 1000 for i in range(120)],
        }
    )
    return publish_rows(store, "panel", "Synthetic panel", rows)


def publish_rows(store: Store, kind: str, title: str, rows: pd.DataFrame) -> DatasetVersion:
    """`rows` published as a `kind` dataset by the operator (a made-up file name and hash)."""
    digest = hashlib.sha256(rows.to_csv(index=False).encode("utf-8")).hexdigest()
    return store.publish(
        kind, title, VERSION_SOURCE, rows, report_of(rows), actor=operator(), file_name=f"{kind}.csv", sha256=digest
    )


PANEL_YEAR = "w_panel_year@county_map"
LAYER = "w_layer@county_map"


def legends(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_a_published_panel_is_a_layer_of_the_county_map_with_its_years(store: Store) -> None:
    v = publish_synthetic_panel(store)
    at = run("pages/county_map.py", lang="en", ds=v.ref)
    box = at.selectbox(key=LAYER)
    assert box.value == "status"  # a built-in layer until a panel column is picked
    assert box.options[-2:] == ["Synthetic panel · v1 — synthetic_rate", "Synthetic panel · v1 — synthetic 人口"]
    box.set_value("Synthetic panel · v1 — synthetic 人口").run()  # AppTest picks an option by its label
    assert not at.exception
    assert at.query_params["panel"] == f"{v.dataset_id}:synthetic 人口"
    assert at.select_slider(key=PANEL_YEAR).value == 2019 and at.select_slider(key=PANEL_YEAR).options == [
        "2017",
        "2018",
        "2019",
    ]
    assert len(at.get("deck_gl_json_chart")) == 1  # the County map's own map, not a second one
    assert "synthetic 人口" in legends(at)
    assert f"Published data: “Synthetic panel” v1 ({v.ref})" in captions(at)
    at.select_slider(key=PANEL_YEAR).set_value(2017).run()
    assert not at.exception and at.query_params["pyear"] == "2017"
    at.selectbox(key=LAYER).set_value("Exit batch").run()  # back to a built-in layer: the panel leaves the URL
    assert "panel" not in at.query_params and "pyear" not in at.query_params


def test_a_link_reopens_the_panel_column_and_year(store: Store) -> None:
    v = publish_synthetic_panel(store)
    at = run("pages/county_map.py", lang="en", ds=v.ref, panel=f"{v.dataset_id}:synthetic 人口", pyear="2018")
    assert at.session_state[LAYER] == f"{v.dataset_id}:synthetic 人口"
    assert at.select_slider(key=PANEL_YEAR).value == 2018
    assert "synthetic 人口" in legends(at) and not warnings(at)
    buttons = [b.proto.label for b in at.get("download_button")]
    assert "PNG" in buttons and "SVG" in buttons and "GIF" not in buttons  # the panel view's image; no 2015-20 play
    rows = published.panel_rows(store.rows(v.dataset_id, v.version))  # the files' legend is the page's
    classes = published.panel_classes(rows, "synthetic 人口", "en")
    drawn = imported.classed_counties(rows_by_year(rows, "year")[2018], "synthetic 人口", classes, None, 2018, "en")
    assert drawn.title == "synthetic 人口 · 2018" and all(label in legends(at) for label, _ in drawn.legend)
    at.button(key="story_add").click().run()  # a slide keeps the column and the year, and plays them
    slide = at.session_state["story"].slides[0]
    assert (slide.view.panel, slide.view.panel_year, slide.view.datasets) == (
        f"{v.dataset_id}:synthetic 人口",
        2018,
        (v.ref,),
    )
    assert slide.title.en == "County map · synthetic 人口 · 2018"
    played = story.played_view(slide, "en")
    assert encode(played)["panel"] == f"{v.dataset_id}:synthetic 人口" and encode(played)["pyear"] == "2018"


@pytest.mark.parametrize(
    ("panel", "pyear", "said", "shown"),
    [
        ("{id}:no_such_column", "2018", "has no column “no_such_column”", None),
        ("{id}:synthetic_rate", "2012", "has no values for 2012; its latest year, 2019, is shown", 2019),
        ("other-panel:synthetic_rate", "2018", "which this view does not apply", None),
    ],
)
def test_a_link_to_a_column_or_year_the_panel_lacks_says_so(
    store: Store, panel: str, pyear: str, said: str, shown: int | None
) -> None:
    v = publish_synthetic_panel(store)
    at = run("pages/county_map.py", lang="en", ds=v.ref, panel=panel.format(id=v.dataset_id), pyear=pyear)
    assert said in warnings(at)
    if shown is None:
        assert at.selectbox(key=LAYER).value == "status"  # the built-in layer, with the notice
    else:
        assert at.select_slider(key=PANEL_YEAR).value == shown


def test_turning_a_panel_off_takes_its_layer_off(store: Store) -> None:
    v = publish_synthetic_panel(store)
    at = run("pages/county_map.py", lang="en", ds=v.ref, panel=f"{v.dataset_id}:synthetic_rate")
    box = next(m for m in at.sidebar.multiselect if m.label == "Published data")
    box.unselect(v.ref).run()
    assert not at.exception and "panel" not in at.query_params and not warnings(at)
    assert at.selectbox(key=LAYER).value == "status"


def test_a_viewer_turns_published_datasets_on_and_off_in_the_sidebar(store: Store) -> None:
    v = publish_synthetic(store)
    at = run(lang="en")
    assert "680 of 680 known" not in captions(at)  # not a default: off until chosen
    box = next(m for m in at.sidebar.multiselect if m.label == "Published data")
    assert box.options == ["Synthetic areas <script>x</script> · v1"] and box.value == []
    box.select(v.ref).run()
    assert at.query_params["ds"] == v.ref and "680 of 680 known" in captions(at)
    box = next(m for m in at.sidebar.multiselect if m.label == "Published data")
    box.unselect(v.ref).run()
    assert at.query_params["ds"] == "none" and "680 of 680 known" not in captions(at)


def test_a_link_with_datasets_and_no_usable_store_shows_the_bundled_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'atlas.db'}")
    for page in (None, "pages/areas.py", "pages/county_map.py"):
        at = run(page, lang="en", ds="synthetic-areas@1")
        assert "known —" not in captions(at) and not at.error
        assert "not in the store" not in warnings(at)  # down is not unknown: the banner says why
        assert at.query_params["ds"] == "synthetic-areas@1"  # the link keeps what it names


def test_shown_panel_checks_the_column_and_year_against_the_panel() -> None:
    from atlas.published import PanelChoice, shown_panel

    applied = {"syn-panel": (("rate", "人口"), (2017, 2019))}
    assert shown_panel(None, 2017, applied) == (None, ())
    assert shown_panel("syn-panel:人口", None, applied) == (PanelChoice("syn-panel", "人口", 2019), ())
    assert shown_panel("syn-panel:rate", 2017, applied)[0].field == "syn-panel:rate"
    choice, said = shown_panel("syn-panel:rate", 2018, applied)
    assert choice == PanelChoice("syn-panel", "rate", 2019) and said[0].key == "published_panel_no_year"
    assert "2018" in said[0].text("zh") and "2019" in said[0].text("zh")
    for wanted, key in (("syn-panel:none", "published_panel_no_column"), ("other:rate", "published_panel_absent")):
        choice, said = shown_panel(wanted, None, applied)
        assert choice is None and [n.key for n in said] == [key]


def test_the_load_benchmark_runs_with_a_published_dataset_in_a_temporary_store(monkeypatch) -> None:
    from benchmarks import load

    monkeypatch.setenv("ATLAS_DATABASE_URL", "sqlite:///elsewhere.db")
    with load.store(published=True) as query:
        assert query == "ds=load-areas@1"
        opened = Store.open(os.environ["ATLAS_DATABASE_URL"])
        assert [v.ref for v in opened.versions("load-areas")] == ["load-areas@1"]
        assert len(opened.rows("load-areas", 1)) == 680  # the synthetic 14-area list
        opened.close()
    with load.store(published=False) as query:
        empty = Store.open(os.environ["ATLAS_DATABASE_URL"])
        assert query == "" and empty.datasets() == []
        empty.close()
    assert os.environ["ATLAS_DATABASE_URL"] == "sqlite:///elsewhere.db"  # given back to the caller
