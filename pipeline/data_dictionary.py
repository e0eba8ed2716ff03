"""The data dictionary of the CSV tables and boundary layers, written from loaders.schema and
loaders.layer_schema into geodata/DATA_DICTIONARY.md (`python -m pipeline.data_dictionary`); a test fails
when that file and the schema disagree."""

from __future__ import annotations

from pathlib import Path

from loaders.columns import Column
from loaders.layer_schema import GEO_LAYERS
from loaders.schema import GEODATA, TABLES

FILE = "DATA_DICTIONARY.md"
HEADER = """# Data dictionary of the tables and boundary layers

Generated from `loaders/schema.py` and `loaders/layer_schema.py` by `python -m pipeline.data_dictionary`
(`make data` does it when the schema changes): edit the schema, not this file. What the tables are, where
they come from and how they are built: [README.md](README.md).
"""


def _rows(columns: tuple[Column, ...]) -> list[str]:
    rows = ["| column | type | unit | required | description |", "|---|---|---|---|---|"]
    for col in columns:
        allowed = f" One of: {', '.join(col.choices)}." if col.choices else ""
        bounds = ""
        if col.low is not None or col.high is not None:
            low = "" if col.low is None else f"{col.low:g}"
            high = "" if col.high is None else f"{col.high:g}"
            bounds = f" Range {low}–{high}."
        rows.append(
            f"| `{col.name}` | {col.kind} | {col.unit or ''} | {'yes' if col.required else ''} | "
            f"{col.description}.{allowed}{bounds} |"
        )
    return rows


def render() -> str:
    parts = [HEADER]
    for schema in TABLES.values():
        parts += [f"### `{schema.file}`", "", schema.description, ""]
        if schema.key:
            parts += [f"Unique key: {', '.join(f'`{k}`' for k in schema.key)}.", ""]
        parts += [*_rows(schema.columns), ""]
    for layer in GEO_LAYERS.values():
        parts += [
            f"### `{layer.file}` (GeoParquet)",
            "",
            layer.description,
            "",
            f"CRS {layer.crs}; geometry: {layer.geometry}; license: {layer.license}.",
            "",
            *_rows(layer.columns),
            "",
        ]
    return "\n".join(parts)


def main(root: Path = GEODATA) -> None:
    path = root / FILE
    path.write_text(render(), encoding="utf-8")
    print(f"data dictionary written to {path}")


if __name__ == "__main__":
    main()
