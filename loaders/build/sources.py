"""geodata/sources.csv: the one sources table, merged from the fragments in geodata/raw/.

Each transcription keeps its own fragment (sources_<topic>.csv) next to its raw
data; `python -m loaders.build.sources` merges them, refusing duplicate ids
whose citations differ, and writes them sorted by id.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.data import BUILD_INFO
from loaders.errors import DataFileError
from loaders.schema import GEODATA, SOURCES, read_csv_as


def merge(raw_dir: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(raw_dir.glob("sources_*.csv")):
        frame = read_csv_as(path, SOURCES).fillna("")
        frames.append(frame.assign(_file=path.name))
    merged = pd.concat(frames, ignore_index=True).drop_duplicates(subset=SOURCES.names)
    clash = merged[merged["source_id"].duplicated(keep=False)]
    if not clash.empty:
        sid = clash["source_id"].iloc[0]
        files = ", ".join(sorted(clash.loc[clash["source_id"] == sid, "_file"]))
        raise DataFileError(raw_dir / "sources_*.csv", f"source id '{sid}' is cited differently in {files}", column="source_id")
    return merged.drop(columns="_file").sort_values("source_id").reset_index(drop=True)


def main(root: Path = GEODATA) -> None:
    merged = merge(root / "raw")
    merged.to_csv(root / SOURCES.file, index=False, encoding="utf-8", lineterminator="\n")
    # The date travels with exports as the data build; it is kept out of the reproducible files.
    (root / BUILD_INFO).write_text(json.dumps({"built": date.today().isoformat()}) + "\n", encoding="utf-8")
    print(f"{len(merged)} sources -> {root / SOURCES.file}")


if __name__ == "__main__":
    main()
