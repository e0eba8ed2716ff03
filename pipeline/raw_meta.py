"""Provenance files beside the hand-kept inputs: `<name>.meta.json` next to every raw CSV.

Each says who produced the data, where it was found, when it was published and read, under which
license, how it was transcribed and which source ids (rows of geodata/sources.csv) it uses. Everything
but `source_ids` is written by hand ("unknown" where it is not known); `source_ids` is derived from the
file's own source_id / source_ids column by `python -m pipeline.raw_meta` (run by `make data`).
Files without such a column (a verbatim copy of one source) keep the ids written by hand.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from loaders.schema import GEODATA, split_ids

META_FIELDS = (
    "file",
    "producer",
    "address",
    "date_published",
    "date_accessed",
    "license",
    "transcription",
    "documentation",
    "source_ids",
)
ID_COLUMNS = ("source_id", "source_ids")


def raw_files(root: Path = GEODATA) -> list[Path]:
    """The hand-kept inputs: geodata/raw/*.csv, geodata/raw/series/*.csv and the official totals."""
    raw = root / "raw"
    return sorted([*raw.glob("*.csv"), *(raw / "series").glob("*.csv"), root / "official_totals.csv"])


def meta_path(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".meta.json")


def ids_in(csv_path: Path) -> list[str] | None:
    """Source ids the file cites, sorted; None when it has no source id column."""
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = [c for c in ID_COLUMNS if c in (reader.fieldnames or [])]
        if not columns:
            return None
        return sorted({i for row in reader for c in columns for i in split_ids(row.get(c))})


def read_meta(csv_path: Path) -> dict:
    return json.loads(meta_path(csv_path).read_text(encoding="utf-8"))


def write_meta(csv_path: Path, meta: dict) -> None:
    ordered = {k: meta[k] for k in META_FIELDS if k in meta} | {k: v for k, v in meta.items() if k not in META_FIELDS}
    meta_path(csv_path).write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refresh(root: Path = GEODATA) -> list[Path]:
    """Rewrite `source_ids` of every existing meta file from its CSV; returns the files changed."""
    changed = []
    for path in raw_files(root):
        if not meta_path(path).is_file():
            continue
        meta, ids = read_meta(path), ids_in(path)
        if ids is not None and meta.get("source_ids") != ids:
            write_meta(path, meta | {"source_ids": ids})
            changed.append(path)
    return changed


def main(root: Path = GEODATA) -> None:
    missing = [str(p.relative_to(root)) for p in raw_files(root) if not meta_path(p).is_file()]
    changed = refresh(root)
    print(f"source ids refreshed in {len(changed)} meta file(s)")
    if missing:
        print("no .meta.json beside: " + ", ".join(missing))


if __name__ == "__main__":
    main()
