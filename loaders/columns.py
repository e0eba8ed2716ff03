"""How a table is described: its columns (kind, unit, bounds, choices, required) and its key. The tables
themselves are in loaders/schema.py and loaders/names_schema.py, the boundary layers in loaders/layer_schema.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["str", "code6", "int", "float", "bool", "date", "year", "list"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = False
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    given_with: str | None = None  # a column that has a value exactly when this one has


@dataclass(frozen=True)
class TableSchema:
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]
