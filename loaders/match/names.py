"""County, prefecture and province names as the matcher compares them: normalised text and codes, suffixes, ethnic
groups, core names; and the match statuses.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

STATUSES = ("matched", "renamed", "merged", "ambiguous", "not_found")
MATCHED_STATUSES = ("matched", "renamed", "merged")

# Ethnic groups as they appear in the names of autonomous counties (三江侗族自治县 -> 三江).
ETHNIC_GROUPS = (  # longest first
    "柯尔克孜",
    "乌孜别克",
    "维吾尔",
    "哈萨克",
    "达斡尔",
    "塔吉克",
    "俄罗斯",
    "鄂温克",
    "塔塔尔",
    "鄂伦春",
    "蒙古",
    "布依",
    "朝鲜",
    "土家",
    "哈尼",
    "傈僳",
    "高山",
    "拉祜",
    "东乡",
    "纳西",
    "景颇",
    "仫佬",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "德昂",
    "保安",
    "裕固",
    "独龙",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "回",
    "藏",
    "苗",
    "彝",
    "壮",
    "满",
    "侗",
    "瑶",
    "白",
    "傣",
    "黎",
    "佤",
    "畲",
    "水",
    "土",
    "羌",
    "怒",
    "京",
    "各",
)
COUNTY_SUFFIXES = ("自治县", "自治旗", "行政委员会", "行委", "特区", "林区", "县", "市", "区", "旗")
PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "州", "市")
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")




def county_stem(name: str) -> str:
    for suffix in ("自治县", "自治旗", "县", "市", "区", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def core_name(name: str) -> str:
    """A county name without its suffix and ethnic groups: 三江侗族自治县, 三江县 -> 三江; 沛县 -> 沛."""
    for suffix in COUNTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return strip_ethnic(name)


def core_names(name: str) -> tuple[str, ...]:
    """The cores a short form may use: 东乡族自治县 -> 东乡族 and 东乡 (the group named after the place)."""
    core = core_name(name)
    place = core.removesuffix("族")
    return (core, place) if place != core and place in ETHNIC_GROUPS else (core,)


_BANNER_SIDE = re.compile(r"^(?P<base>.+?)(?P<side>左翼|右翼|左|右)?(?P<part>前|中|后)?旗$")
# A 联合旗 joins two banners' names; where the second begins is history, not in the name: 达尔罕旗 and 茂明安旗,
# joined in 1952 (zh.wikipedia 达尔罕茂明安联合旗: "简称达茂旗"; "简称达茂联合旗" on the banner's tourism site
# cyly.net). The only 联合旗 of the code history (1981-) and the county layer.
JOINED_BANNERS = {"达尔罕茂明安联合旗": ("达尔罕", "茂明安")}


def banner_abbreviations(name: str) -> tuple[str, ...]:
    """The usual short names of an Inner Mongolian banner, derived from its full name: the first character
    of the base name (two when it opens with a direction: 东乌), the side and the part, 旗:
    科尔沁右翼前旗 -> 科右前旗, 察哈尔右翼中旗 -> 察右中旗, 阿拉善左旗 -> 阿左旗, 莫力达瓦达斡尔族自治旗 -> 莫旗;
    a 联合旗 the first character of each banner joined: 达尔罕茂明安联合旗 -> 达茂旗, 达茂联合旗.
    () for a name that is no banner or is as short already."""
    if name in JOINED_BANNERS:
        heads = "".join(part[0] for part in JOINED_BANNERS[name])
        return (heads + "旗", heads + "联合旗")
    if name.endswith("联合旗"):  # another joined name: where its second name begins is not known here
        return ()
    full = name.removesuffix("自治旗")
    full = strip_ethnic(full) + "旗" if full != name else full
    hit = _BANNER_SIDE.match(full)
    if not hit or len(hit.group("base")) < 2:
        return ()
    base = hit.group("base")
    head = base[:2] if base[0] in "东西南北" and len(base) > 2 else base[0]
    short = head + (hit.group("side") or "")[:1] + (hit.group("part") or "") + "旗"
    return (short,) if len(short) < len(name) else ()


def strip_ethnic(name: str) -> str:
    while name.endswith("族"):
        hit = next((g for g in ETHNIC_GROUPS if name.endswith(g + "族") and len(name) > len(g) + 1), None)
        if hit is None:
            break
        name = name[: -(len(hit) + 1)]
    return name




_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"(\d{6})(?:\.0*|0{3}|0{6})?")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_YEAR_START = re.compile(r"(\d{4})")


def normalise_text(value) -> str:
    """Full-width to half-width, no spaces; '' for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


def normalise_code(value) -> str:
    """A 6-digit county code from '130631', '130631.0', ' 130631 ', '130631000000'; '' if none."""
    text = normalise_text(value)
    hit = _CODE.fullmatch(text)
    return hit.group(1) if hit else ""


def clean_name(value) -> str:
    text = normalise_text(value)
    return _BRACKETS.sub("", text)


def parse_year(value) -> int | None:
    hit = _YEAR_START.match(normalise_text(value))
    return int(hit.group(1)) if hit and 1949 < int(hit.group(1)) < 2100 else None


def prefecture_core(name: str) -> str:
    for suffix in PREFECTURE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return strip_ethnic(name)
