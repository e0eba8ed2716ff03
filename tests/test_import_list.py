"""The maintainers' command that turns an official list into rows of geodata/raw/ (issue 9 §7).
It runs on a copy of raw/ in tmp_path with a synthetic source and synthetic lists; the real
geodata/raw is never written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from paths import POVERTY_TABLES

from loaders.match import load_gazetteer
from loaders.schema import GEODATA
from pipeline import import_list, poverty

SYNTHETIC_SOURCE = "synthetic-official-list"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in (GEODATA / "raw").glob("*.csv"):
        shutil.copy(path, folder / path.name)
    with (folder / "sources_counties.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{SYNTHETIC_SOURCE},synthetic list,synthetic publisher,2012,test fixture,none,synthetic\n")
    return folder


@pytest.fixture
def synthetic_list(tmp_path) -> Path:
    """Today's name, an old code, a designation-era name renamed since, a 行委."""
    path = tmp_path / "synthetic_list.csv"
    path.write_text(
        "省份,县名,代码,片区\n内蒙古,察哈尔右翼前旗,150926,大兴安岭南麓山区\n黑龙江省,延寿县,,daxinganling\n"
        "安徽省,潜山县,340824,大别山\n河北省,万全县,,燕山-太行山区\n",
        encoding="utf-8",
    )
    return path


def test_key_county_list_written_with_designation_era_codes(raw, synthetic_list, gazetteer):
    before = (raw / "counties_832.csv").read_bytes()
    outcome = import_list.import_list(synthetic_list, "key_county", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    after = (raw / "counties_832.csv").read_bytes()
    assert after.startswith(before)  # appended; existing lines untouched
    rows = pd.read_csv(raw / "counties_832.csv", dtype=str, keep_default_na=False).tail(4)
    assert rows[["province_zh", "name_zh", "code_designated", "key_county", "source_id"]].values.tolist() == [
        ["内蒙古自治区", "察哈尔右翼前旗", "150926", "true", SYNTHETIC_SOURCE],
        ["黑龙江省", "延寿县", "230129", "true", SYNTHETIC_SOURCE],
        ["安徽省", "潜山县", "340824", "true", SYNTHETIC_SOURCE],  # 潜山市 340882 today
        ["河北省", "万全县", "130729", "true", SYNTHETIC_SOURCE],  # 万全区 130708 today
    ]
    assert len(outcome.written) == 4 and not outcome.skipped
    # a second run changes nothing
    again = import_list.import_list(synthetic_list, "key_county", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    assert len(again.written) == 0 and len(again.already_present) == 4
    assert (raw / "counties_832.csv").read_bytes() == after


@pytest.mark.slow(*POVERTY_TABLES, "pipeline/import_list.py")
def test_make_data_then_completes_the_flags(raw, synthetic_list, gazetteer, tmp_path):
    import_list.import_list(
        synthetic_list, "contiguous_area", SYNTHETIC_SOURCE, raw=raw, area_col="片区", gazetteer=gazetteer
    )
    import_list.import_list(synthetic_list, "deep_poverty", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    counties = poverty.build(raw=raw, out_dir=tmp_path / "out").poverty_counties.set_index("code")
    expected = {"150926": "daxinganling", "230129": "daxinganling", "340882": "dabie", "130708": "yanshan_taihang"}
    for code, area in expected.items():
        assert counties.at[code, "contiguous_area"] == area
        assert counties.at[code, "deep_poverty"] == "true"
        assert SYNTHETIC_SOURCE in counties.at[code, "source_ids"].split(";")


def test_unknown_source_flag_or_area_refused(raw, synthetic_list, gazetteer):
    before = (raw / "counties_832.csv").read_bytes()
    with pytest.raises(import_list.ImportListError, match="unknown source id 'synthetic-uncited'"):
        import_list.import_list(synthetic_list, "key_county", "synthetic-uncited", raw=raw, gazetteer=gazetteer)
    with pytest.raises(import_list.ImportListError, match="unknown flag"):
        import_list.import_list(synthetic_list, "poor", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    with pytest.raises(import_list.ImportListError, match="unknown contiguous area 'synthetic山区'"):
        import_list.import_list(
            synthetic_list, "contiguous_area", SYNTHETIC_SOURCE, raw=raw, area="synthetic山区", gazetteer=gazetteer
        )
    with pytest.raises(import_list.ImportListError, match="needs --area"):
        import_list.import_list(synthetic_list, "contiguous_area", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    assert (raw / "counties_832.csv").read_bytes() == before


def test_unmatched_rows_block_the_import_unless_skipped(raw, tmp_path, gazetteer):
    path = tmp_path / "synthetic_partly_unmatched.csv"
    path.write_text("省份,县名\n四川省,平武县\n,城关区\n四川省,平五县\n", encoding="utf-8")
    before = (raw / "deep_poverty_334.csv").read_bytes()
    with pytest.raises(import_list.ImportListError, match="2 row") as err:
        import_list.import_list(path, "deep_poverty", SYNTHETIC_SOURCE, raw=raw, gazetteer=gazetteer)
    assert "row 2" in str(err.value) and "row 3" in str(err.value)
    assert (raw / "deep_poverty_334.csv").read_bytes() == before
    outcome = import_list.import_list(
        path, "deep_poverty", SYNTHETIC_SOURCE, raw=raw, skip_unmatched=True, gazetteer=gazetteer
    )
    assert outcome.written[["province_zh", "name_zh"]].values.tolist() == [["四川省", "平武县"]]
    assert len(outcome.skipped) == 2


def test_command_line(raw, synthetic_list, capsys):
    assert (
        import_list.main(
            [
                str(synthetic_list),
                "--flag",
                "key_county",
                "--source-id",
                SYNTHETIC_SOURCE,
                "--raw",
                str(raw),
                "--dry-run",
            ]
        )
        == 0
    )
    assert "would write 4 row(s)" in capsys.readouterr().out
    assert (
        import_list.main([str(synthetic_list), "--flag", "key_county", "--source-id", "nope", "--raw", str(raw)]) == 2
    )
    assert "unknown source id" in capsys.readouterr().err
