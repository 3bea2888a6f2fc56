"""Located tables and workbook facts. No rules here: rules read this model and yield findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from checks.findings import CellRef
from checks.grid import a1, cell_text
from checks.values import Amount, amount_status, amount_value, parse_amount

ONE = Decimal(1)
_HALF_CENT = Decimal("0.005")
_LEVELS = {3: 1, 5: 2, 7: 3}  # 科目编码 length -> level


class Cell:
    """One amount cell of a located table, scaled to the workbook's unit when its value is read.

    Made on demand from the grid (a table keeps its rows, not a Cell per amount): the value is
    parsed from the raw cell each time it is asked for."""

    __slots__ = ("sheet", "row", "col", "raw", "scale")

    def __init__(self, sheet: str, row: int, col: int, raw: object, scale: Decimal = ONE):
        self.sheet = sheet
        self.row = row  # 0-based
        self.col = col
        self.raw = raw
        self.scale = scale  # table unit -> workbook unit

    @property
    def amount(self) -> Amount:
        return parse_amount(self.raw)

    @property
    def value(self) -> Decimal | None:
        v = amount_value(self.raw)
        return None if v is None else v * self.scale

    @property
    def half(self) -> Decimal:
        """Half a unit of the printed last decimal (2 decimals), in the workbook unit."""
        return _HALF_CENT * self.scale

    @property
    def ref(self) -> CellRef:
        return CellRef(self.sheet, a1(self.row, self.col))

    @property
    def status(self) -> str:
        return amount_status(self.raw)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Cell:
            return NotImplemented
        return (self.sheet, self.row, self.col, self.raw, self.scale) == (
            other.sheet,
            other.row,
            other.col,
            other.raw,
            other.scale,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Cell({self.sheet!r}, {self.row}, {self.col}, {self.raw!r}, {self.scale!r})"


class Layout:
    """What the rows of one table block share: the sheet, column key -> sheet column, the unit scale."""

    __slots__ = ("sheet", "cols", "scale", "half")

    def __init__(self, sheet: str, cols: dict[str, int], scale: Decimal = ONE):
        self.sheet = sheet
        self.cols = cols
        self.scale = scale
        self.half = _HALF_CENT * scale  # Cell.half of every cell of the block


class Row:
    """One row of a located table: its key and label, and its amounts read from the grid row.

    `values` is the grid's own row (no copy). `cell(col)` hands out a Cell and keeps it, so the
    same cell asked for again (or met in `cells`) is the same object; `cells` builds the others
    on the fly, so a large table never holds a Cell per amount."""

    __slots__ = ("key", "_label", "row", "code", "label_col", "values", "layout", "_issued")

    def __init__(
        self,
        key: str,
        label: str | int,
        row: int,
        layout: Layout,
        values: list[object],
        code: str | None = None,
        label_col: int | None = None,
    ):
        self.key = key  # 科目编码 or canonical label
        self._label = label  # as printed, or the column of `values` it is printed in
        self.row = row  # 0-based sheet row
        self.layout = layout
        self.values = values
        self.code = code  # 功能/经济分类 code when the row has one
        self.label_col = label_col  # where the printed label sits
        self._issued: dict[str, Cell] | None = None

    @property
    def label(self) -> str:
        """The label as printed."""
        label = self._label
        return label if label.__class__ is str else cell_text(self.values[label])

    @property
    def level(self) -> int:
        """1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7); 0 for label rows such as 合计."""
        if not self.code:
            return 0
        return _LEVELS.get(len(self.code), 0)

    def has(self, col: str) -> bool:
        return col in self.layout.cols

    def raw(self, col: str) -> object:
        """The grid value under column key `col` (KeyError when the table has no such column)."""
        c = self.layout.cols[col]
        values = self.values
        return values[c] if c < len(values) else None

    def value(self, col: str) -> Decimal | None:
        v = amount_value(self.raw(col))
        return None if v is None else v * self.layout.scale

    def status(self, col: str) -> str:
        return amount_status(self.raw(col))

    def ref(self, col: str) -> CellRef:
        return CellRef(self.layout.sheet, a1(self.row, self.layout.cols[col]))

    def cell(self, col: str) -> Cell | None:
        """The Cell under `col`, the same object every time it is asked for; None without that column."""
        issued = self._issued
        if issued is not None and col in issued:
            return issued[col]
        if col not in self.layout.cols:
            return None
        cell = self._make(col)
        if issued is None:
            self._issued = issued = {}
        issued[col] = cell
        return cell

    @property
    def cells(self) -> dict[str, Cell]:
        """Column key -> Cell: the ones handed out by `cell()`, the others made for this call."""
        issued = self._issued or {}
        return {k: issued[k] if k in issued else self._make(k) for k in self.layout.cols}

    def _make(self, col: str) -> Cell:
        lay = self.layout
        c = lay.cols[col]
        values = self.values
        return Cell(lay.sheet, self.row, c, values[c] if c < len(values) else None, lay.scale)


@dataclass
class Table:
    key: str  # "01".."09" (2018 numbering: 07 三公, 08 基金, 09 国资)
    title: str  # as printed
    sheet: str
    title_row: int
    first_col: int = 0
    last_col: int = 0
    last_row: int = 0
    marker: str | None = None  # "公开01表" as printed
    department: str | None = None
    department_cell: CellRef | None = None
    unit: str | None = None  # "万元" | "元"
    year: int | None = None
    year_cell: CellRef | None = None
    blocks: dict[str, dict[str, Row]] = field(default_factory=dict)  # block -> row key -> Row
    columns: dict[str, list[str]] = field(default_factory=dict)  # block -> column keys found
    notes: list[str] = field(default_factory=list)  # 注/说明 lines below the table
    # (grid rows, first, end) of the data and note rows, for `texts`
    text_spans: list[tuple[list[list[object]], int, int]] = field(default_factory=list)
    foreign: bool = False  # belongs to another department (excluded from identity checks)
    hidden: bool = False  # on a hidden sheet: not seen by readers, not printed to PDF
    shadowed: bool = False  # hidden, and a visible table of the same key exists: not checked

    @property
    def name(self) -> str:
        """How messages name the table: the workbook's own marker, else the key."""
        return self.marker or f"{self.key}表"

    @property
    def title_ref(self) -> CellRef:
        return CellRef(self.sheet, a1(self.title_row, self.first_col))

    @property
    def texts(self) -> list[str]:
        """The text cells of the table's data and note rows (e.g. 本表无数据), read when asked for."""
        return [
            v.strip()
            for rows, first, end in self.text_spans
            for r in range(first, end)
            for v in rows[r]
            if isinstance(v, str) and len(v.strip()) > 4
        ]

    def row(self, block: str, key: str) -> Row | None:
        return self.blocks.get(block, {}).get(key)

    def cell(self, block: str, row_key: str, col: str) -> Cell | None:
        r = self.row(block, row_key)
        return None if r is None else r.cell(col)

    def rows(self, block: str) -> list[Row]:
        return list(self.blocks.get(block, {}).values())

    def amount_cells(self) -> list[Cell]:
        return [c for rows in self.blocks.values() for r in rows.values() for c in r.cells.values()]

    @property
    def is_empty(self) -> bool:
        """No amount other than zero or blank (基金/国资 tables of most departments)."""
        return all(
            not amount_value(r.raw(k))
            for rows in self.blocks.values()
            for r in rows.values()
            for k in r.layout.cols
        )


@dataclass
class WorkbookModel:
    tables: list[Table]
    department: str | None = None
    year: int | None = None
    unit: str | None = None
    era: str | None = None
    year_source: CellRef | None = None
    # (Row, column key) -> the rule evaluator's Term (checks.rules.evaluate.term_of), shared by the
    # rules of one run so that an amount used by several identities is parsed once
    terms: dict[tuple[Row, str], object] = field(default_factory=dict, repr=False, compare=False)
    # key -> `get(key)`, set by `index()` while the rules run (the tables' flags do not change then)
    own: dict[str, Table] | None = field(default=None, repr=False, compare=False)

    def get(self, key: str) -> Table | None:
        """The department's own table of that key (foreign and shadowed hidden tables excluded)."""
        own = self.own
        if own is not None:
            return own.get(key)
        for t in self.tables:
            if t.key == key and not t.foreign and not t.shadowed:
                return t
        return None

    def index(self) -> None:
        """Answer `get` from a dict until `own` is set back to None."""
        self.own = None
        self.own = {k: t for k in {t.key for t in self.tables} if (t := self.get(k)) is not None}

    def all(self, key: str) -> list[Table]:
        return [t for t in self.tables if t.key == key]


def majority(values: list[str | None]) -> str | None:
    vals = [v for v in values if v]
    if not vals:
        return None
    return Counter(vals).most_common(1)[0][0]
