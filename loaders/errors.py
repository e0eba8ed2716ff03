"""The one error type for a bad data file: it names the file, row and column."""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file is missing or does not match its schema."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.path.name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"
