"""Plain Python behind the worksheet functions (`addin/udfs.py`): grids or a model in, a number
or an Excel error out. No xlwings here, so every function is testable without Excel.

Results are floats for Excel; ratios are exact Decimal quotients rounded half-up to 10 decimals
before conversion. Failures are `XlError` values (#N/A not found, #VALUE! bad argument,
#DIV/0! zero base), which the adapter turns into real Excel error values.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from checks.engine import build_model
from checks.findings import Report
from checks.grid import WorkbookGrid
from checks.layouts import TABLE_TITLES, norm_label, norm_text
from checks.model import Cell, Row, Table, WorkbookModel
from checks.values import parse_amount, to_decimal


@dataclass(frozen=True)
class XlError:
    code: str  # as Excel shows it: '#N/A', '#VALUE!', '#DIV/0!'

    def __str__(self) -> str:
        return self.code


NA = XlError("#N/A")
VALUE = XlError("#VALUE!")
DIV0 = XlError("#DIV/0!")
# error values that may arrive as arguments (xlwings' err_to_str) and are passed on
_ERRORS = {e.code: e for e in (NA, VALUE, DIV0, *(XlError(c) for c in ("#REF!", "#NAME?", "#NUM!", "#NULL!")))}

Result = float | int | XlError
Source = WorkbookGrid | WorkbookModel | Callable[[], "WorkbookGrid | WorkbookModel"] | None

RATIO_PLACES = Decimal("1e-10")


class _Fail(Exception):
    """Carries an XlError out of nested helpers."""

    def __init__(self, error: XlError):
        super().__init__(error.code)
        self.error = error


def _model(source: Source) -> WorkbookModel:
    if callable(source):
        source = source()
    if isinstance(source, WorkbookGrid):
        return build_model(source)
    if isinstance(source, WorkbookModel):
        return source
    raise _Fail(NA)


def _guard(fn: Callable[[], Result]) -> Result:
    try:
        return fn()
    except _Fail as f:
        return f.error


# ---------------------------------------------------------------------------------------------
# arguments


def number(v: object) -> Decimal | None:
    """An argument as a Decimal; None when omitted or an empty cell. Excel errors pass through,
    text that is not a number, booleans and multi-cell ranges are #VALUE!."""
    if v is None or v == "":
        return None
    if isinstance(v, str) and v.strip() in _ERRORS:
        raise _Fail(_ERRORS[v.strip()])
    if isinstance(v, list | tuple):
        flat = [x for row in v for x in (row if isinstance(row, list | tuple) else [row])]
        if len(flat) != 1:
            raise _Fail(VALUE)
        return number(flat[0])
    if isinstance(v, bool):
        raise _Fail(VALUE)
    if isinstance(v, float | int):
        if v != v or v in (float("inf"), float("-inf")):
            raise _Fail(VALUE)
        return to_decimal(v)
    if isinstance(v, Decimal):
        return v
    amount = parse_amount(v)
    if amount.value is None:
        raise _Fail(VALUE)
    return amount.value


def _text(v: object) -> str | None:
    """A text argument; a whole number typed without quotes (201 -> '201')."""
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = norm_text(str(v))
    return s or None


def ratio(num: Decimal, den: Decimal) -> float:
    if den == 0:
        raise _Fail(DIV0)
    return float((num / den).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP))


def _cell_value(cell: Cell | None) -> Decimal:
    """A located amount; an empty cell counts as 0 (as in an Excel formula), unreadable is #VALUE!."""
    if cell is None:
        raise _Fail(NA)
    if cell.value is not None:
        return cell.value
    if cell.status == "empty":
        return Decimal(0)
    raise _Fail(VALUE)


# ---------------------------------------------------------------------------------------------
# "三公"


# alias (normalised) -> item column suffix of the 三公 table ("决算:<item>")
SANGONG_ALIASES: dict[str, str] = {
    "合计": "合计", "三公": "合计", "三公经费": "合计", "总计": "合计",
    "因公出国（境）费": "因公出国（境）费", "因公出国（境）": "因公出国（境）费", "因公出国费": "因公出国（境）费",
    "因公出国": "因公出国（境）费", "出国": "因公出国（境）费", "出国费": "因公出国（境）费",
    "公务用车": "公务用车小计", "公务用车购置及运行费": "公务用车小计", "公务用车购置及运行": "公务用车小计",
    "公务用车小计": "公务用车小计", "公务用车费": "公务用车小计",
    "购置费": "公务用车购置费", "公务用车购置费": "公务用车购置费", "购置": "公务用车购置费",
    "运行费": "公务用车运行费", "公务用车运行费": "公务用车运行费", "公务用车运行维护费": "公务用车运行费",
    "运行维护费": "公务用车运行费", "运行": "公务用车运行费",
    "公务接待费": "公务接待费", "接待费": "公务接待费", "接待": "公务接待费", "公务接待": "公务接待费",
}
_RATE_KINDS = {"执行率", "预算执行率", "决算/预算", "rate"}
_SHARE_KINDS = {"占比", "比重", "构成", "share"}


def sangong_item(item: object) -> str:
    """The 三公 item an argument names ('合计' when omitted); #VALUE! for anything else."""
    s = _text(item)
    if s is None:
        return "合计"
    key = SANGONG_ALIASES.get(s.replace("(", "（").replace(")", "）"))
    if key is None:
        raise _Fail(VALUE)
    return key


def sangong_rate(source: Source, item: object = None, kind: object = None,
                 final: object = None, budget: object = None) -> Result:
    """决算 ÷ 预算 of a 三公 item (default 合计); kind '占比' gives 决算 ÷ 决算合计. Explicit
    `final` / `budget` replace the workbook's values (both given: the workbook is not read)."""

    def run() -> Result:
        key = sangong_item(item)
        k = _text(kind)
        share = k in _SHARE_KINDS
        if k is not None and not share and k not in _RATE_KINDS:
            raise _Fail(VALUE)
        num, den = number(final), number(budget)
        if num is not None and den is not None:
            return ratio(num, den)
        table = _model(source).get("07")
        if table is None:
            raise _Fail(NA)
        if num is None:
            num = _cell_value(table.cell("main", "data", f"决算:{key}"))
        if den is None:
            den = _cell_value(table.cell("main", "data", "决算:合计" if share else f"预算:{key}"))
        return ratio(num, den)

    return _guard(run)


# ---------------------------------------------------------------------------------------------
# any located value


def find_table(model: WorkbookModel, spec: object) -> Table | None:
    """A table by key ('01'), printed marker ('公开01表') or title ('收入支出决算总表')."""
    s = _text(spec)
    if s is None:
        return None
    if re.fullmatch(r"\d{1,2}", s):
        return model.get(s.zfill(2))
    m = re.fullmatch(r"公开(\d{1,2})表", s)
    if m:
        marker = f"公开{int(m.group(1)):02d}表"
        for t in model.tables:
            if not t.foreign and t.marker and norm_text(t.marker) == marker:
                return t
        return model.get(m.group(1).zfill(2))
    for key, (name, _) in TABLE_TITLES.items():
        if norm_text(name) == s:
            return model.get(key)
    for t in model.tables:
        if not t.foreign and norm_text(t.title) == s:
            return t
    for key, (_, patterns) in TABLE_TITLES.items():
        if any(re.search(p, s) for p in patterns):
            return model.get(key)
    return None


def _find_row(table: Table, item: str) -> Row | None:
    block = None
    m = re.fullmatch(r"(.+?)[:：|](.+)", item)
    if m and m.group(1) in table.blocks:
        block, item = m.group(1), m.group(2)
    blocks = [block] if block else list(table.blocks)
    for b in blocks:
        row = table.blocks[b].get(item)
        if row is not None:
            return row
    label = norm_label(item)
    for b in blocks:
        for row in table.blocks[b].values():
            if norm_label(row.label) == label or row.code == item:
                return row
    return None


_DEFAULT_COLUMNS = ("合计", "金额", "本年收入合计", "本年支出合计", "决算数")


def _find_column(row: Row, column: str | None) -> Cell | None:
    if column is None:
        if len(row.cells) == 1:
            return next(iter(row.cells.values()))
        for key in _DEFAULT_COLUMNS:
            if key in row.cells:
                return row.cells[key]
        return None
    column = column.replace("：", ":")
    if column in row.cells:
        return row.cells[column]
    matches = [c for k, c in row.cells.items() if norm_text(k) == column or k.split(":")[-1] == column]
    return matches[0] if len(matches) == 1 else None


def juesuan_value(source: Source, table: object, item: object, column: object = None) -> Result:
    """A located amount: table by key/marker/title, row by 科目编码 or label ('支出:总计' picks a
    block), column by header key (default: the row's only column, else 合计/金额)."""

    def run() -> Result:
        t_spec, i_spec = _text(table), _text(item)
        if t_spec is None or i_spec is None:
            raise _Fail(VALUE)
        t = find_table(_model(source), t_spec)
        if t is None:
            raise _Fail(NA)
        col = _text(column)
        row = _find_row(t, i_spec)
        if row is None:
            rows = [r for rows in t.blocks.values() for r in rows.values()]
            if col is None and len(rows) == 1:  # one-row table (三公): the item names the column
                row, col = rows[0], i_spec
            else:
                raise _Fail(NA)
        return float(_cell_value(_find_column(row, col)))

    return _guard(run)


# ---------------------------------------------------------------------------------------------
# plain arithmetic


def growth(current: object, prior: object) -> Result:
    """(current − prior) ÷ prior."""

    def run() -> Result:
        c, p = number(current), number(prior)
        if c is None or p is None:
            raise _Fail(VALUE)
        return ratio(c - p, p)

    return _guard(run)


def share(part: object, total: object) -> Result:
    """part ÷ total."""

    def run() -> Result:
        a, b = number(part), number(total)
        if a is None or b is None:
            raise _Fail(VALUE)
        return ratio(a, b)

    return _guard(run)


def round_half_up(x: object, digits: object = 0) -> Result:
    """Excel's ROUND: halves away from zero on the decimal value shown (2.675 -> 2.68)."""

    def run() -> Result:
        v, d = number(x), number(digits)
        if v is None:
            raise _Fail(VALUE)
        places = int(d) if d is not None else 0  # Excel truncates a fractional digits argument
        if not -15 <= places <= 15:
            raise _Fail(VALUE)
        try:
            q = v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise _Fail(VALUE) from exc
        return float(q)

    return _guard(run)


def error_count(report: Report) -> int:
    return report.errors


# ---------------------------------------------------------------------------------------------
# per-workbook cache


class BookData:
    """A workbook's grids with the model and report built on first use."""

    def __init__(self, grids: WorkbookGrid):
        self.grids = grids
        self._model: WorkbookModel | None = None
        self._report: Report | None = None

    @property
    def model(self) -> WorkbookModel:
        if self._model is None:
            self._model = build_model(self.grids)
        return self._model

    @property
    def report(self) -> Report:
        if self._report is None:
            from checks.api import check_grids

            self._report = check_grids(self.grids)
        return self._report


class BookCache:
    """Located workbooks kept for `ttl` seconds, so a sheet full of functions reads the workbook
    once per recalculation rather than once per cell. The price: an edit made within `ttl` of the
    previous read shows up at the next recalculation after that."""

    def __init__(self, ttl: float = 3.0, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._items: dict[str, tuple[float, BookData]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], WorkbookGrid]) -> BookData:
        now = self.clock()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        data = BookData(load())
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if now - v[0] < self.ttl}
            self._items[key] = (now, data)
        return data

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
