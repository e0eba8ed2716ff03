"""English names: one romanisation (pipeline.names) for every table and layer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.names import english_name, pinyin_overrides

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("康定市", "Kangding City"),
        ("吉安县", "Ji'an County"),
        ("西安市", "Xi'an City"),
        ("裕安区", "Yu'an District"),
        ("阿鲁科尔沁旗", "Aluke'erqin Banner"),
        ("峨边彝族自治县", "Ebian Yi Autonomous County"),
        ("木里藏族自治县", "Muli Tibetan Autonomous County"),
        ("鄂温克族自治旗", "Evenki Autonomous Banner"),
        ("积石山保安族东乡族撒拉族自治县", "Jishishan Bonan, Dongxiang and Salar Autonomous County"),
        ("阿坝藏族羌族自治州", "Aba Tibetan and Qiang Autonomous Prefecture"),
        ("六枝特区", "Liuzhi Special District"),
        ("大柴旦行委", "Dachaidan Administrative Committee"),
        ("和田地区", "Hetian Prefecture"),
        ("长子县", "Zhangzi County"),
        ("繁峙县", "Fanshi County"),
    ],
)
def test_english_name(zh: str, en: str) -> None:
    assert english_name(zh) == en


def test_overrides_come_from_the_sourced_file() -> None:
    overrides = pinyin_overrides()
    assert overrides["六安"] == "lu an" and len(overrides) > 50


def test_same_chinese_name_same_english_name_everywhere() -> None:
    """Every table and layer: one English name per Chinese name, the one the romanisation gives."""

    def table(name: str) -> pd.DataFrame:
        if name.endswith(".parquet"):
            return pd.read_parquet(GEODATA / name, columns=["name_zh", "name_en"])
        return pd.read_csv(GEODATA / name, dtype=str, keep_default_na=False)[["name_zh", "name_en"]]

    provinces = table("provinces.parquet")
    romanised = pd.concat([table(n) for n in ("counties.parquet", "prefectures.parquet", "poverty_counties.csv")])
    sanqu = table("sanqu_sanzhou.csv")
    names = pd.concat([provinces, romanised, sanqu]).drop_duplicates()
    assert not names["name_zh"].duplicated().any(), names[names["name_zh"].duplicated(keep=False)]
    wrong = romanised[romanised["name_en"] != romanised["name_zh"].map(english_name)]
    assert wrong.empty, wrong
