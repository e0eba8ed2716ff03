"""Every source's publisher and title can be read in both languages: geodata/publisher_names.csv names each
publisher's body in Chinese and English (or keeps a person's or a website's name as it is), and
geodata/title_translations.csv gives each title in the other language, the title as published unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from loaders.data import load_atlas
from loaders.errors import DataFileError
from loaders.names_schema import TITLE_TRANSLATIONS
from loaders.schema import GEODATA, data_root
from loaders.tables import read_table

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def data():
    return load_atlas(data_root())


def test_the_tables_load_without_errors(data) -> None:
    assert data.publishers is not None and data.titles is not None, [str(e) for e in data.errors]
    assert not [e for e in data.errors if "publisher" in str(e.path) or "title" in str(e.path)]


def test_every_title_has_its_translation_and_stays_as_published(data) -> None:
    titles = data.titles.set_index("source_id")
    for row in data.sources.to_dict("records"):
        sid, title = row["source_id"], row["title"]
        assert sid in titles.index, f"{sid}: no translation of its title"
        given = titles.loc[sid]
        zh, en = bool(CJK.search(title)), bool(LATIN_WORD.search(CJK.sub("", title)))
        if zh and not en:  # a Chinese title: its own column is the title as published
            assert given["title_zh"] == title, sid
            assert not CJK.search(given["title_en"]), f"{sid}: the English title has Chinese in it"
        elif en and not zh:
            assert given["title_en"] == title, sid
            assert CJK.search(given["title_zh"]), f"{sid}: the Chinese title is not in Chinese"
        else:  # both languages in one title: a whole rendering in each
            assert title not in (given["title_zh"], given["title_en"]), sid
    assert set(titles.index) <= set(data.sources["source_id"])


def test_every_publisher_is_named_in_both_languages_or_kept_as_a_name(data) -> None:
    names = data.publishers.to_dict("records")
    for text in sorted(set(data.sources["publisher"])):
        said = text.casefold()
        lead = max(
            (r for r in names if said.startswith(r["name_zh"].casefold()) or said.startswith(r["name_en"].casefold())),
            key=lambda r: max(len(r["name_zh"]), len(r["name_en"])),
            default=None,
        )
        assert lead is not None, f"publisher without a name in the other language: {text}"
        if lead["translation"] == "name":  # a person or a website: the same in both languages
            assert lead["name_zh"] == lead["name_en"], text
        else:
            assert CJK.search(lead["name_zh"]) and LATIN_WORD.search(lead["name_en"]), text
            assert not CJK.search(lead["name_en"]) or said.startswith(lead["name_en"].casefold()), text  # or as written


def test_an_official_name_cites_a_source_only_of_the_sources_table(data) -> None:
    cited = set(data.publishers["source_id"].dropna())
    assert cited <= set(data.sources["source_id"])
    assert (data.publishers.loc[data.publishers["translation"] == "atlas", "source_id"].isna()).all()


def test_a_bad_translation_row_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    shutil.copy(GEODATA / TITLE_TRANSLATIONS.file, tmp_path / TITLE_TRANSLATIONS.file)
    lines = (tmp_path / TITLE_TRANSLATIONS.file).read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",machine"
    (tmp_path / TITLE_TRANSLATIONS.file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_table(TITLE_TRANSLATIONS, tmp_path)
    assert str(caught.value).startswith("title_translations.csv, row 3, column 'translation': 'machine' is not one of")
