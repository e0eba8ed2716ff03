"""English names of administrative units: the one romanisation every build uses.

Scheme: the proper name in Hanyu Pinyin as one word, no tones, capitalised, with an apostrophe
where a syllable starting with a, o or e would run into the one before (西安 Xi'an, 吉安 Ji'an,
科尔沁 Ke'erqin); then the unit type in English (County, Autonomous County, Banner, City,
District, Prefecture, …), the ethnic groups of an autonomous unit by their English names
(峨边彝族自治县 → Ebian Yi Autonomous County). pypinyin reads a few place names wrongly; their
readings come from geodata/raw/pinyin_overrides.csv (a sourced file, see its .meta.json).
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from loaders.schema import GEODATA

PINYIN_OVERRIDES_FILE = GEODATA / "raw" / "pinyin_overrides.csv"

# Unit types, matched longest first; only when something is left before them.
UNIT_TYPES_EN = {
    "特别行政区": "Special Administrative Region",
    "自治州": "Autonomous Prefecture",
    "自治县": "Autonomous County",
    "自治旗": "Autonomous Banner",
    "自治区": "Autonomous Region",
    "行委": "Administrative Committee",
    "林区": "Forestry District",
    "新区": "New Area",
    "地区": "Prefecture",
    "矿区": "Mining District",
    "特区": "Special District",
    "市": "City",
    "县": "County",
    "区": "District",
    "旗": "Banner",
    "盟": "League",
    "省": "Province",
}
# The ethnic groups named in autonomous units, by their usual English names (as in Ngawa Tibetan and
# Qiang Autonomous Prefecture); 各族 ("all nationalities", 龙胜各族自治县) is Multi-ethnic.
ETHNIC_EN = {
    "蒙古": "Mongol",
    "回": "Hui",
    "藏": "Tibetan",
    "维吾尔": "Uyghur",
    "苗": "Miao",
    "彝": "Yi",
    "壮": "Zhuang",
    "布依": "Bouyei",
    "朝鲜": "Korean",
    "满": "Manchu",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "土家": "Tujia",
    "哈尼": "Hani",
    "哈萨克": "Kazakh",
    "傣": "Dai",
    "黎": "Li",
    "傈僳": "Lisu",
    "佤": "Va",
    "畲": "She",
    "高山": "Gaoshan",
    "拉祜": "Lahu",
    "水": "Sui",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "柯尔克孜": "Kyrgyz",
    "土": "Tu",
    "达斡尔": "Daur",
    "仫佬": "Mulao",
    "羌": "Qiang",
    "布朗": "Blang",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "阿昌": "Achang",
    "普米": "Pumi",
    "塔吉克": "Tajik",
    "怒": "Nu",
    "乌孜别克": "Uzbek",
    "俄罗斯": "Russian",
    "鄂温克": "Evenki",
    "德昂": "De'ang",
    "保安": "Bonan",
    "裕固": "Yugur",
    "京": "Gin",
    "塔塔尔": "Tatar",
    "独龙": "Derung",
    "鄂伦春": "Oroqen",
    "赫哲": "Hezhen",
    "门巴": "Monba",
    "珞巴": "Lhoba",
    "基诺": "Jino",
    "各": "Multi-ethnic",
}

# Provinces keep their usual English names, not the romanisation (also where a name is a prefecture's too: 北京市).
PROVINCE_EN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Tibet",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "台湾省": "Taiwan",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}
_AUTONOMOUS = ("自治州", "自治县", "自治旗", "自治区")
_ETHNIC_LONGEST_FIRST = sorted(ETHNIC_EN, key=len, reverse=True)


@functools.cache
def pinyin_overrides(path: Path = PINYIN_OVERRIDES_FILE) -> dict[str, str]:
    """name_zh -> space-separated syllables, from the sourced overrides file."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["name_zh"]: row["pinyin"] for row in csv.DictReader(fh)}


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    overrides = pinyin_overrides()
    keys = sorted(overrides, key=len, reverse=True)
    out: list[str] = []
    plain = ""
    i = 0
    while i < len(text):
        hit = next((k for k in keys if text.startswith(k, i)), None)
        if hit is None:
            plain += text[i]
            i += 1
            continue
        if plain:
            out += lazy_pinyin(plain, style=Style.NORMAL, v_to_u=True)
            plain = ""
        out += overrides[hit].split()
        i += len(hit)
    if plain:
        out += lazy_pinyin(plain, style=Style.NORMAL, v_to_u=True)
    return out


def pinyin_word(text: str) -> str:
    """One capitalised pinyin word, apostrophe before a/o/e after the first syllable: 吉安 -> Ji'an."""
    syllables = _syllables(text)
    word = syllables[0] if syllables else ""
    for syllable in syllables[1:]:
        word += ("'" if syllable[:1] in "aoe" else "") + syllable
    return word[:1].upper() + word[1:]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def english_name(name_zh: str) -> str:
    """康定市 -> 'Kangding City'; 峨边彝族自治县 -> 'Ebian Yi Autonomous County'; 鄂温克族自治旗 -> 'Evenki
    Autonomous Banner'. The same Chinese name always gets the same English name."""
    if name_zh in PROVINCE_EN:
        return PROVINCE_EN[name_zh]
    if name_zh.endswith("直辖") and len(name_zh) > 2:  # 海西蒙古族藏族自治州直辖: the area a prefecture runs itself
        return english_name(name_zh[:-2]) + " (directly administered)"
    base, unit_en, unit_zh = name_zh, "", ""
    for zh in sorted(UNIT_TYPES_EN, key=len, reverse=True):
        if base.endswith(zh) and len(base) > len(zh):
            base, unit_en, unit_zh = base[: -len(zh)], UNIT_TYPES_EN[zh], zh
            break
    ethnic: list[str] = []
    if unit_zh in _AUTONOMOUS:
        while True:
            hit = next((e for e in _ETHNIC_LONGEST_FIRST if base.endswith(e + "族")), None)
            if hit:
                ethnic.insert(0, ETHNIC_EN[hit])
                base = base[: -len(hit) - 1]
                continue
            # without 族 only for names of two or more characters (鄂伦春自治旗, 察布查尔锡伯自治县)
            hit = next(
                (e for e in _ETHNIC_LONGEST_FIRST if len(e) > 1 and base.endswith(e) and len(base) > len(e)), None
            )
            if hit:
                ethnic.insert(0, ETHNIC_EN[hit])
                base = base[: -len(hit)]
                continue
            break
    words = [pinyin_word(base)] if base else []
    if ethnic:
        words.append(_and(ethnic))
    if unit_en:
        words.append(unit_en)
    return " ".join(words)
