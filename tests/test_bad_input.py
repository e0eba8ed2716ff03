"""Bad data files and hostile names: a clear message naming file, row and column; the rest keeps working."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from paths import APP
from streamlit.testing.v1 import AppTest

from atlas.i18n import t
from loaders.data import load_atlas
from loaders.errors import DataFileError
from loaders.schema import GEODATA, POVERTY_COUNTIES
from loaders.tables import read_table

HOSTILE = '<img src=x onerror="alert(1)">=HYPERLINK("http://x")'


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target, ignore=shutil.ignore_patterns("raw"))
    return target


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


def test_bad_code_names_file_row_and_column(geodata_copy: Path) -> None:
    edit_csv(geodata_copy / "poverty_counties.csv", 4, "code", "51A401")
    with pytest.raises(DataFileError) as info:
        read_table(POVERTY_COUNTIES, geodata_copy)
    assert str(info.value) == "poverty_counties.csv, row 6, column 'code': '51A401' is not a 6-digit code"


def test_missing_column_and_bad_year_are_named(geodata_copy: Path) -> None:
    path = geodata_copy / "poverty_counties.csv"
    edit_csv(path, 0, "exit_year", "2031")
    with pytest.raises(DataFileError, match=r"row 2, column 'exit_year': 2031 is above 2020"):
        read_table(POVERTY_COUNTIES, geodata_copy)
    pd.read_csv(path, dtype=str).drop(columns="join_status").to_csv(path, index=False)
    with pytest.raises(DataFileError, match=r"column 'join_status': missing column"):
        read_table(POVERTY_COUNTIES, geodata_copy)


def test_wrong_encoding_and_garbage_are_clear(geodata_copy: Path) -> None:
    path = geodata_copy / "poverty_counties.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_table(POVERTY_COUNTIES, geodata_copy)
    (geodata_copy / "counties.parquet").write_bytes(b"PAR1 not really")
    atlas = load_atlas(geodata_copy)
    assert atlas.counties is None and atlas.error_for("counties.parquet") is not None


def test_one_bad_file_leaves_the_rest_loaded(geodata_copy: Path) -> None:
    (geodata_copy / "series" / "funds.csv").unlink()
    edit_csv(geodata_copy / "poverty_counties.csv", 0, "source_ids", "no-such-source")
    atlas = load_atlas(geodata_copy)
    messages = sorted(str(e) for e in atlas.errors)
    assert messages == [
        "funds.csv: file not found",
        "poverty_counties.csv, row 2, column 'source_ids': unknown source id(s): no-such-source",
    ]
    assert atlas.counties is not None and atlas.provinces is not None and "incidence" in atlas.series


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    """Run the app on another geodata folder (caches cleared before and after)."""

    def run(root: Path, page: str | None = None) -> AppTest:
        monkeypatch.setenv("POVERTY_ATLAS_GEODATA", str(root))
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    yield run
    monkeypatch.delenv("POVERTY_ATLAS_GEODATA", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()


def test_app_names_the_bad_file_and_keeps_other_pages(geodata_copy: Path, app_on) -> None:
    (geodata_copy / "series" / "incidence.csv").write_text("level,unit_code\nnational,CN\n", encoding="utf-8")
    at = app_on(geodata_copy, "pages/trends.py")
    assert not at.exception
    assert any("incidence.csv" in e.value and "missing column" in e.value for e in at.error)
    at.switch_page("pages/county_map.py").run()
    assert not at.exception and not at.error


def test_hostile_names_are_shown_as_text(geodata_copy: Path, app_on) -> None:
    edit_csv(geodata_copy / "poverty_counties.csv", 0, "name_zh", HOSTILE)
    at = app_on(geodata_copy, "pages/export.py")
    assert not at.exception
    # st.markdown elements never carry the raw tag; dataframes hold it as text, neutralised for spreadsheets.
    assert all("<img" not in m.value for m in at.markdown)
    names = at.dataframe[0].value[t("county", "zh")].tolist()
    assert any(n.startswith("'<img") or n.startswith("<img") for n in names)
