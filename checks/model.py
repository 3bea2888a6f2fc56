"""Located tables and workbook facts. No rules here: rules read this model and yield findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from checks.findings import CellRef
from checks.grid import a1
from checks.values import Amount


@dataclass(slots=True)
class Cell:
    """One amount cell of a located table, already scaled to the workbook's unit."""

    sheet: str
    row: int  # 0-based
    col: int
    amount: Amount
    scale: Decimal = Decimal(1)  # table unit -> workbook unit

    @property
    def value(self) -> Decimal | None:
        v = self.amount.value
        return None if v is None else v * self.scale

    @property
    def half(self) -> Decimal:
        """Half a unit of the printed last decimal (2 decimals), in the workbook unit."""
        return Decimal("0.005") * self.scale

    @property
    def ref(self) -> CellRef:
        return CellRef(self.sheet, a1(self.row, self.col))

    @property
    def status(self) -> str:
        return self.amount.status


@dataclass(slots=True)
class Row:
    key: str  # 科目编码 or canonical label
    label: str  # as printed
    row: int  # 0-based sheet row
    cells: dict[str, Cell] = field(default_factory=dict)
    code: str | None = None  # 功能/经济分类 code when the row has one
    label_col: int | None = None  # where the printed label sits

    @property
    def level(self) -> int:
        """1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7); 0 for label rows such as 合计."""
        if not self.code:
            return 0
        return {3: 1, 5: 2, 7: 3}.get(len(self.code), 0)


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
    texts: list[str] = field(default_factory=list)  # other text cells in the table's rows (e.g. 本表无数据)
    foreign: bool = False  # belongs to another department (excluded from identity checks)

    @property
    def name(self) -> str:
        """How messages name the table: the workbook's own marker, else the key."""
        return self.marker or f"{self.key}表"

    @property
    def title_ref(self) -> CellRef:
        return CellRef(self.sheet, a1(self.title_row, self.first_col))

    def row(self, block: str, key: str) -> Row | None:
        return self.blocks.get(block, {}).get(key)

    def cell(self, block: str, row_key: str, col: str) -> Cell | None:
        r = self.row(block, row_key)
        return None if r is None else r.cells.get(col)

    def rows(self, block: str) -> list[Row]:
        return list(self.blocks.get(block, {}).values())

    def amount_cells(self) -> list[Cell]:
        return [c for rows in self.blocks.values() for r in rows.values() for c in r.cells.values()]

    @property
    def is_empty(self) -> bool:
        """No amount other than zero or blank (基金/国资 tables of most departments)."""
        return all((c.value or 0) == 0 for c in self.amount_cells())


@dataclass
class WorkbookModel:
    tables: list[Table]
    department: str | None = None
    year: int | None = None
    unit: str | None = None
    era: str | None = None
    year_source: CellRef | None = None

    def get(self, key: str) -> Table | None:
        """The department's own table of that key (foreign tables excluded)."""
        for t in self.tables:
            if t.key == key and not t.foreign:
                return t
        return None

    def all(self, key: str) -> list[Table]:
        return [t for t in self.tables if t.key == key]


def majority(values: list[str | None]) -> str | None:
    vals = [v for v in values if v]
    if not vals:
        return None
    return Counter(vals).most_common(1)[0][0]
