"""Every hand-kept input says where it came from (a .meta.json beside it), in two hops to a source row."""

from __future__ import annotations

import pytest

from loaders.schema import GEODATA, SOURCES
from loaders.tables import read_table
from pipeline.raw_meta import META_FIELDS, ids_in, meta_path, raw_files, read_meta

FILES = raw_files(GEODATA)


def test_the_inputs_are_found() -> None:
    names = {p.name for p in FILES}
    assert {"counties_832.csv", "exits.csv", "pinyin_overrides.csv", "funds.csv", "official_totals.csv"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(GEODATA)))
def test_every_input_has_its_metadata(path) -> None:
    assert meta_path(path).is_file(), f"write {meta_path(path).relative_to(GEODATA)} (see pipeline/raw_meta.py)"
    meta = read_meta(path)
    assert meta["file"] == str(path.relative_to(GEODATA))
    missing = [k for k in META_FIELDS if not meta.get(k)]
    assert not missing, f"{meta_path(path).name}: empty {missing} (write 'unknown' where not known)"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(GEODATA)))
def test_metadata_lists_the_source_ids_the_file_uses_and_they_exist(path) -> None:
    meta = read_meta(path)
    known = set(read_table(SOURCES)["source_id"])
    assert set(meta["source_ids"]) <= known, sorted(set(meta["source_ids"]) - known)
    used = ids_in(path)
    if used is not None:
        assert meta["source_ids"] == used, "run: python -m pipeline.raw_meta"
