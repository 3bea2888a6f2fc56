"""Find the 决算 tables in any sheet, by their titles and labels, never by position.

A table starts at a title cell (e.g. 收入支出决算总表, with any department/year prefix) and
runs until the next title on the same sheet or the sheet's end. Around the title we read the
公开NN表 marker, the 部门：… line, the unit and a year if the title carries one; then the
header rows down to the 栏次 row (or the first data row), whose texts name the columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.findings import CellRef
from checks.grid import SheetGrid, WorkbookGrid, a1, cell_text
from checks.layouts import TABLE_TITLES, norm_label, norm_text

_TITLE_ORDER = ["04", "05", "06", "07", "08", "09", "01", "02", "03"]
# (pattern, key) in the order titles are tried: the first key with a matching pattern wins
_TITLE_RES = [(re.compile(p), k) for k in _TITLE_ORDER for p in TABLE_TITLES[k][1]]
_TITLE_WORD = "决算"  # every title pattern ends in 决算表 or 决算明细表: a text without it is no title
_MARKER = re.compile(r"(公开|附)?\s*(\d{1,2})\s*表$|^表\s*(\d{1,2})$|^公开\s*(\d{1,2})\s*表")
_DEPT = re.compile(r"^(编制|填报|预算)?(部门|单位)(名称)?[:：]\s*(?P<name>.+)$")
_UNIT = re.compile(r"(金额)?单位[:：]\s*(?P<unit>万元|千元|元)\s*$")
_YEAR = re.compile(r"(20\d\d)\s*年")
_NOTE = re.compile(r"^(注|说明|备注)\s*\d*\s*[:：]")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_SENTENCE = re.compile(r"[，。；！？]")
_CONTINUED = re.compile(r"[（(](续|续表|公开\d+表)[）)]$")
_YEAR_CELL = re.compile(r"(20\d\d)年度?")


@dataclass
class Region:
    """Where one table sits on a sheet, and what its header says."""

    key: str
    title: str
    sheet: SheetGrid
    title_row: int
    title_col: int
    end_row: int  # exclusive
    first_col: int = 0
    last_col: int = 0
    marker: str | None = None
    department: str | None = None
    department_cell: CellRef | None = None
    unit: str | None = None
    year: int | None = None
    year_cell: CellRef | None = None
    header_rows: list[int] = field(default_factory=list)
    data_start: int = 0
    data_end: int = 0  # exclusive: before the first 注/说明 line
    notes: list[str] = field(default_factory=list)
    paths: dict[int, list[str]] = field(default_factory=dict)  # col -> header texts top-down


def table_key_of_title(text: object) -> str | None:
    """'永州市…2018年度收入支出决算总表' -> '01'; None for paragraphs and other cells."""
    s = _CONTINUED.sub("", norm_text(text))
    if not s or len(s) > 60 or _TITLE_WORD not in s or _SENTENCE.search(s) or not s.endswith("表"):
        return None
    for rx, key in _TITLE_RES:
        if rx.search(s):
            return key
    return None


# where a heading such as 2018年度部门决算情况说明 is looked for (engine._workbook_year)
HEADING_ROWS, HEADING_COLS = 400, 6


def find_titles(
    sheet: SheetGrid, headings: list[tuple[int, int, str]] | None = None
) -> list[tuple[int, int, str, str]]:
    """(row, col, key, printed title) of every title cell on the sheet, top to bottom.

    In the same pass over the cells, `headings` (when given) gets (row, col, text) of every cell
    that may be a report-year heading: a short text with 年 and 算 near the sheet's top left."""
    out = []
    for r, row in enumerate(sheet.rows):
        titled = False  # one title per row
        near = headings is not None and r < HEADING_ROWS
        for c, v in enumerate(row):
            if v.__class__ is not str:
                continue
            # 年 and 算 survive norm_text: a cell without them is no heading
            if near and c < HEADING_COLS and "算" in v and "年" in v and len(v) <= 40:
                headings.append((r, c, v))
            # cheap filter first: a title is a short text ending in 表 (or 表（续）); the whole-text
            # test for 表 rules out most cells before a slice is made
            if not titled and "表" in v and len(v) <= 80 and "表" in v[-8:]:
                key = table_key_of_title(v)
                if key:
                    out.append((r, c, key, v.strip()))
                    titled = True
    return out


def find_regions(wb: WorkbookGrid, headings: list[tuple[str, int, int, str]] | None = None) -> list[Region]:
    """The regions of every title on every sheet; `headings` (when given) gets (sheet name, row,
    col, text) of the cells that may be report-year headings (see `find_titles`)."""
    regions = []
    for sheet in wb.sheets:
        found: list[tuple[int, int, str]] | None = [] if headings is not None else None
        titles = find_titles(sheet, found)
        if found:
            headings.extend((sheet.name, r, c, v) for r, c, v in found)
        for i, (r, c, key, title) in enumerate(titles):
            end = titles[i + 1][0] if i + 1 < len(titles) else sheet.n_rows
            reg = Region(key=key, title=title, sheet=sheet, title_row=r, title_col=c, end_row=end)
            _read_header(reg)
            regions.append(reg)
    return regions


_cell_text = cell_text


def _filled(v: object) -> bool:
    """`bool(_cell_text(v))`, without building the text of a str or float cell."""
    if v is None:
        return False
    if v.__class__ is str:
        return bool(v.strip())
    return v.__class__ is float or bool(cell_text(v))


def _filled_cells(cells: list[object]) -> list[object]:
    """The cells for which `_filled` holds, the common str and float cells tested inline."""
    return [v for v in cells if (v.strip() if v.__class__ is str else v.__class__ is float or _filled(v))]


def _first_filled(row: list[object]) -> object:
    """The row's first non-empty cell, or None."""
    for v in row:
        if v is not None and _filled(v):
            return v
    return None


def _is_int_like(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return v.is_integer()
    return isinstance(v, str) and v.strip().isdigit()


def _is_lanci_row(row: list[object], first: int, last: int) -> bool:
    """The 栏次 row: starts with 栏次, or is a run of column numbers 1, 2, 3…"""
    cells = _filled_cells(row[first : last + 1])
    if not cells:
        return False
    for x in cells:
        if isinstance(x, str) and "次" in x and norm_label(x) == "栏次":  # norm_label only removes
            return True
    if len(cells) >= 3 and all(_is_int_like(x) for x in cells):
        nums = [int(float(x)) for x in cells]
        return nums == list(range(1, len(nums) + 1))
    return False


def _read_header(reg: Region) -> None:
    sheet = reg.sheet
    rows = sheet.rows
    # width of the table: the widest non-empty extent of the region's rows (only cells outside the
    # width found so far can widen it: a row is looked at left of first_col and right of last_col)
    last_col = reg.title_col
    first_col = reg.title_col
    for r in range(reg.title_row, min(reg.end_row, reg.title_row + 60)):
        row = rows[r]
        for c in range(min(first_col, len(row))):
            if _filled(row[c]):
                first_col = c
                break
        for c in range(len(row) - 1, last_col, -1):
            if _filled(row[c]):
                last_col = c
                break
    for r0, c0, _r1, c1 in sheet.merged:  # a merged title spans the table width
        if r0 == reg.title_row and c0 <= reg.title_col <= c1:
            first_col, last_col = min(first_col, c0), max(last_col, c1)
    reg.first_col, reg.last_col = first_col, last_col

    # year in the title, marker/department/unit in the rows just below it
    m = _YEAR.search(reg.title)
    if m:
        reg.year = int(m.group(1))
        reg.year_cell = CellRef(sheet.name, a1(reg.title_row, reg.title_col))
    r = reg.title_row
    header_start = r + 1
    for r in range(reg.title_row, min(reg.end_row, reg.title_row + 5)):
        row = rows[r]
        meta = False
        for c, v in enumerate(row):
            # numbers and empty cells give '' in norm_text; each pattern below needs one of these
            # characters (表 marker, 单位 unit, 部门/单位 department, 年 year), which norm_text keeps
            if not isinstance(v, str) or not ("表" in v or "单" in v or "部" in v or "年" in v):
                continue
            s = norm_text(v)
            if not s:
                continue
            if r == reg.title_row and c == reg.title_col:
                continue
            mm = _MARKER.search(s)
            if mm and len(s) <= 12 and not reg.marker:
                reg.marker = s
                meta = True
                continue
            mu = _UNIT.search(s)
            if mu:
                reg.unit = mu.group("unit")
                meta = True
                continue
            md = _DEPT.match(s)
            if md and not reg.department:
                reg.department = md.group("name")
                reg.department_cell = CellRef(sheet.name, a1(r, c))
                meta = True
                continue
            my = _YEAR_CELL.fullmatch(s)
            if my and reg.year is None:
                reg.year = int(my.group(1))
                reg.year_cell = CellRef(sheet.name, a1(r, c))
                meta = True
        if meta or r == reg.title_row:
            header_start = r + 1

    # header rows down to the 栏次 row, or else to the first row that looks like data
    data_start = None
    for r in range(header_start, min(reg.end_row, header_start + 12)):
        if _is_lanci_row(rows[r], first_col, last_col):
            reg.header_rows = list(range(header_start, r))
            data_start = r + 1
            break
    if data_start is None:
        for r in range(header_start, reg.end_row):
            if _looks_like_data(rows[r], first_col, last_col, reg.key):
                reg.header_rows = list(range(header_start, r))
                data_start = r
                break
    if data_start is None:
        reg.header_rows = []
        data_start = header_start
    reg.data_start = data_start

    # notes end the data
    reg.data_end = reg.end_row
    for r in range(data_start, reg.end_row):
        first = _first_filled(rows[r])
        # 注/说明/备注 survive norm_text: a cell without 注 or 说明 is no note
        if isinstance(first, str) and ("注" in first or "说明" in first) and _NOTE.match(norm_text(first)):
            reg.data_end = min(reg.data_end, r)
            reg.notes.append(first.strip())
    reg.paths = header_paths(sheet, reg.header_rows, first_col, last_col)


def _looks_like_data(row: list[object], first: int, last: int, key: str) -> bool:
    """A 科目编码 or 合计 in the label columns, or a known first line of 01/04."""
    numbers = [v for v in row[first : last + 1] if isinstance(v, int | float) and not isinstance(v, bool)]
    if key == "07":  # the one-row 三公 table: 合计 there is a column header
        return len(numbers) >= 3
    for c in range(first, min(first + 2, last + 1, len(row))):
        s = norm_label(row[c])
        if not s:
            continue
        if _CODE.match(s.replace(" ", "")) or s in ("合计", "总计"):
            return True
        if key in ("01", "04") and s in ("财政拨款收入", "一般公共预算财政拨款", "一般公共预算财政拨款收入"):
            return True
    return False


def header_paths(sheet: SheetGrid, header_rows: list[int], first: int, last: int) -> dict[int, list[str]]:
    """Column -> header texts from top to bottom, with merged cells spread over their span.

    Without merge information (e.g. a grid from a live workbook), a group header is carried
    to the right over empty cells while a lower header row still has text there.
    """
    if not header_rows:
        return {}
    top, bottom = header_rows[0], header_rows[-1]
    # row -> its texts of columns first..last, as a list indexed by column - first
    grid = {r: _row_texts(sheet.rows[r], first, last) for r in header_rows}
    # the texts with merged spans spread (and headers carried without merges)
    filled = {r: list(texts) for r, texts in grid.items()}
    for r0, c0, r1, c1 in sheet.merged:
        # a span carries its text across its columns on its top row; rows below stay empty
        if r1 < top or r0 > bottom or r0 < top:
            continue
        # the span's own text: already in grid when it starts inside the table's columns
        v = grid[r0][c0 - first] if first <= c0 <= last else _cell_text(sheet.value(r0, c0))
        texts = filled[r0]
        for c in range(max(c0, first), min(c1, last) + 1):
            texts[c - first] = v
    if not sheet.merged:
        for i, r in enumerate(header_rows):
            lower, upper = header_rows[i + 1 :], header_rows[:i]
            carry, carry_parent = "", None
            for j in range(last - first + 1):
                v = grid[r][j]
                parent = tuple(filled[u][j] for u in upper)  # the group above this cell
                if v:
                    carry, carry_parent = v, parent
                elif carry and parent == carry_parent and any(grid[lr][j] for lr in lower):
                    filled[r][j] = carry
                else:
                    carry = ""
    paths: dict[int, list[str]] = {}
    normed: dict[str, str] = {"": ""}  # a merged header's text repeats over its span: normalised once
    columns = [filled[r] for r in header_rows]
    for j in range(last - first + 1):
        parts = []
        for texts in columns:
            v = texts[j]
            s = normed.get(v)
            if s is None:
                s = normed[v] = norm_text(v)
            if s and (not parts or parts[-1] != s):
                parts.append(s)
        paths[first + j] = parts
    return paths


def _row_texts(row: list[object], first: int, last: int) -> list[str]:
    """`cell_text` of the row's cells first..last (beyond the row's end: '')."""
    texts = [_cell_text(v) if v is not None else "" for v in row[first : last + 1]]
    if len(texts) <= last - first:
        texts += [""] * (last - first + 1 - len(texts))
    return texts
