"""Plain cell grids: what every front end hands to the engine.

A grid is a list of rows of Python values (str, int, float, bool, datetime, None).
A formula cell whose cached value is missing is an `Uncached` marker, never 0.
Rows and columns are 0-based here; `a1()` converts to Excel addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Uncached:
    """A formula cell with no cached value (e.g. a file written by a library, never opened in Excel)."""

    formula: str = ""

    def __str__(self) -> str:  # shown in messages
        return self.formula or "（公式）"


@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]
    # merged ranges as (first_row, first_col, last_row, last_col), 0-based inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return None


@dataclass
class WorkbookGrid:
    sheets: list[SheetGrid]
    path: str | None = None

    def sheet(self, name: str) -> SheetGrid:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def cell_text(v: object) -> str:
    """A cell as text: '' when empty, whole floats without '.0', stripped."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    n = col + 1
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> A1 address."""
    return f"{col_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """A1 address -> 0-based (row, col)."""
    ref = ref.replace("$", "").upper()
    i = 0
    col = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i]) - 64)
        i += 1
    return int(ref[i:]) - 1, col - 1
