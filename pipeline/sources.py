"""geodata/sources.csv: the one sources table, merged from the fragments in geodata/raw/.

Each transcription keeps its own fragment (sources_<topic>.csv) next to its raw
data; `python -m pipeline.sources` merges them, refusing duplicate ids
whose citations differ, splits each prose `where_found` into `address` and
`date_accessed` (what does not split stays in `where_found`) and writes them sorted by id.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.data import BUILD_INFO
from loaders.errors import DataFileError
from loaders.names_schema import (
    PUBLISHER_NAMES,
    PUBLISHER_NAMES_RAW,
    TITLE_TRANSLATIONS as TITLES,
    TITLE_TRANSLATIONS_RAW as TITLES_RAW,
)
from loaders.schema import GEODATA, SOURCE_FRAGMENTS, SOURCES
from loaders.tables import read_csv_as, read_table

_URL = re.compile(r"https?://[^\s),;]+")
_ACCESSED = re.compile(r"[;,]?\s*\(?accessed (\d{4}-\d{2}-\d{2})\)?", re.IGNORECASE)
_GITHUB = re.compile(r"^GitHub ([\w.-]+/[\w.-]+), (?:commit ([0-9a-f]{40})|(\S+) \(commit ([0-9a-f]{40})\))")


def split_where_found(text: str) -> tuple[str, str, str]:
    """Prose 'where found' -> (address, date_accessed, remainder).

    'http://x/y (stored web page)' -> ('http://x/y', '', 'stored web page'); a GitHub repository, path and
    commit -> its github.com address; otherwise the first URL in the text, and the whole prose stays as the
    remainder (it does not split cleanly). A date accessed is taken from 'accessed YYYY-MM-DD'.
    """
    text = text.strip()
    accessed = ""
    found = _ACCESSED.search(text)
    if found:
        accessed = found.group(1)
        text = (text[: found.start()] + text[found.end() :]).strip()
    leading = _URL.match(text)
    if leading:
        rest = text[leading.end() :].strip()
        if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
            rest = rest[1:-1].strip()
        return leading.group(0), accessed, rest
    github = _GITHUB.match(text)
    if github:
        repo, tree_commit, path, blob_commit = github.groups()
        address = (
            f"https://github.com/{repo}/tree/{tree_commit}"
            if tree_commit
            else f"https://github.com/{repo}/blob/{blob_commit}/{path}"
        )
        return address, accessed, text
    inner = _URL.search(text)
    return (inner.group(0) if inner else ""), accessed, text


def merge(raw_dir: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(raw_dir.glob("sources_*.csv")):
        frame = read_csv_as(path, SOURCE_FRAGMENTS).fillna("")
        frames.append(frame.assign(_file=path.name))
    merged = pd.concat(frames, ignore_index=True).drop_duplicates(subset=SOURCE_FRAGMENTS.names)
    clash = merged[merged["source_id"].duplicated(keep=False)]
    if not clash.empty:
        sid = clash["source_id"].iloc[0]
        files = ", ".join(sorted(clash.loc[clash["source_id"] == sid, "_file"]))
        raise DataFileError(
            raw_dir / "sources_*.csv", f"source id '{sid}' is cited differently in {files}", column="source_id"
        )
    parts = [split_where_found(w) for w in merged["where_found"]]
    merged["address"] = [a for a, _, _ in parts]
    merged["date_accessed"] = [d for _, d, _ in parts]
    merged["where_found"] = [r for _, _, r in parts]
    return merged[SOURCES.names].sort_values("source_id").reset_index(drop=True)


def main(root: Path = GEODATA) -> None:
    merged = merge(root / "raw")
    merged.to_csv(root / SOURCES.file, index=False, encoding="utf-8", lineterminator="\n")
    for raw, built, sort in ((PUBLISHER_NAMES_RAW, PUBLISHER_NAMES, "name_zh"), (TITLES_RAW, TITLES, "source_id")):
        table = read_table(raw, root)
        unknown = sorted(set(table["source_id"].dropna()) - set(merged["source_id"]))
        if unknown:
            raise DataFileError(root / raw.file, f"sources not in sources.csv: {unknown}", column="source_id")
        table[built.names].sort_values([sort, built.names[1]]).to_csv(
            root / built.file, index=False, encoding="utf-8", lineterminator="\n"
        )
    # The date travels with exports as the data build; it is kept out of the reproducible files.
    (root / BUILD_INFO).write_text(json.dumps({"built": date.today().isoformat()}) + "\n", encoding="utf-8")
    print(f"{len(merged)} sources -> {root / SOURCES.file}")


if __name__ == "__main__":
    main()
