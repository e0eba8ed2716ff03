"""Pasted lists matched: an announcement's names under province headings, a published table block as copied."""

from __future__ import annotations

import re

import pandas as pd

from loaders import match
from loaders.schema import GEODATA
from loaders.tabular import Notice
from loaders.tabular.pasted import read_pasted


def test_pasted_announcement_list_matches(gazetteer):
    pasted = read_pasted("四川省：平武县、北川县、康定市等3个县(市、区)\n青海省\n冷湖行委，茫崖行委").frame
    result = match.match_table(pasted, match.ColumnRoles(name="name", province="province"), gazetteer)
    assert list(result.rows["boundary_code"]) == ["510727", "510726", "513301", "632803", "632803"]
    assert result.summary()["match_rate"] == 1.0


def published_block(year: str = "2019", wrap: int = 25) -> tuple[str, int]:
    """The exit batch of `year` from the bundled list, as a published table block copies: a header,
    one line per province (name spaced as printed, "河  北"), a count, names joined by 、; cells
    tab- or space-separated, long lists wrapped onto the next line. Returns (text, counties)."""
    counties = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str, keep_default_na=False)
    batch = counties[counties["exit_year"] == year]
    lines = ["省  份\t数量\t脱贫摘帽县名单"]
    for i, ((_, province), group) in enumerate(batch.groupby(["province_code", "province_zh"], sort=True)):
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", province)
        cell = "  ".join(short) if len(short) == 2 else short
        names = list(group["name_zh"])
        gap = "\t" if i % 2 else "   "
        lines.append(f"{cell}{gap}{len(names)}{gap}{'、'.join(names[:wrap])}")
        for k in range(wrap, len(names), wrap):  # a long list wraps onto lines of its own
            lines.append("、".join(names[k : k + wrap]))
    return "\n".join(lines), len(batch)


def test_a_published_block_pasted_as_copied(gazetteer):
    text, expected = published_block()
    assert "河  北" in text and "\t" in text and expected > 300
    read = read_pasted(text)
    assert len(read.frame) == expected
    assert not [n for n in read.notices if n.code == "count_differs"]  # every count agrees with the names read
    result = match.match_table(read.frame, match.ColumnRoles(name="name", province="province"), gazetteer)
    assert result.summary()["match_rate"] >= 0.99
    listed = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str)
    assert set(result.rows["boundary_code"].dropna()) <= set(listed["code"])


def test_a_heading_that_carries_over_is_reported(gazetteer):
    text = "河  北\t3\t阜平县、涞源县、望都县\n\t2\t五寨县、岢岚县\n四  川\t1\t平武县"  # 山西's cell lost in the copy
    read = read_pasted(text)
    assert read.frame["province"].tolist() == ["河北"] * 5 + ["四川"]
    assert Notice.of("no_province_cell", n=1, rows=(2,), province="河北", line=1) in read.notices
    assert Notice.of("count_differs", province="河北", line=1, count=3, names=5) in read.notices
    assert not any(n.fields.get("province") == "四川" for n in read.notices)
