"""Turn a located region into a Table: rows keyed by 科目编码 or canonical label, columns by header.

Four layouts cover the standard tables: grid tables with code rows (02, 03, 05, 08, 09),
two side-by-side blocks with labels (01, 04), the economic-classification blocks of 06,
and the one-row 三公 table (07).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from checks.grid import SheetGrid
from checks.layouts import (
    COLUMNS,
    COLUMNS_04,
    FUNDS_04,
    ROW_LABELS,
    SANGONG_ITEMS,
    class_code_for_name,
    norm_label,
)
from checks.locate import Region, _cell_text, _is_int_like
from checks.model import ONE, Layout, Row, Table
from checks.values import amount_status

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_ECON = re.compile(r"^3\d{2}(\d{2})?$")
_SUB_PREFIX = re.compile(r"^其中[:：]?")
_AMOUNT_HEAD = re.compile(r"决算数|金额|合计|本年支出")  # 06 amount columns
_LABEL_HEAD = re.compile(r"编码|名称")
_CAR_TOTAL = re.compile(r"购置及运行|购置和运行")  # a 三公 公务用车 subtotal header
UNIT_SCALE = {"万元": ONE, "元": Decimal("0.0001"), "千元": Decimal("0.1")}


def parse_region(reg: Region, workbook_unit: str | None) -> Table:
    t = Table(
        key=reg.key,
        title=reg.title,
        sheet=reg.sheet.name,
        title_row=reg.title_row,
        first_col=reg.first_col,
        last_col=reg.last_col,
        last_row=reg.end_row - 1,
        marker=reg.marker,
        department=reg.department,
        department_cell=reg.department_cell,
        unit=reg.unit,
        year=reg.year,
        year_cell=reg.year_cell,
        notes=list(reg.notes),
        text_spans=[(reg.sheet.rows, reg.data_start, reg.end_row)],
    )
    scale = ONE
    if reg.unit and workbook_unit and reg.unit != workbook_unit:
        scale = UNIT_SCALE[reg.unit] / UNIT_SCALE[workbook_unit]
    if reg.key in ("02", "03", "05", "08", "09"):
        _parse_grid(reg, t, scale)
    elif reg.key in ("01", "04"):
        _parse_two_blocks(reg, t, scale)
    elif reg.key == "06":
        _parse_econ(reg, t, scale)
    elif reg.key == "07":
        _parse_sangong(reg, t, scale)
    return t


# id of a pattern list of layouts.py -> (the list, its patterns compiled)
_COMPILED: dict[int, tuple[list, list[tuple[re.Pattern, str]]]] = {}


def _compiled(patterns: list[tuple[str, str]]) -> list[tuple[re.Pattern, str]]:
    """The list compiled on first use, once per process (a CJK pattern costs time and ~100 KB to compile)."""
    found = _COMPILED.get(id(patterns))
    if found is None or found[0] is not patterns:
        found = _COMPILED[id(patterns)] = (patterns, [(re.compile(pat), key) for pat, key in patterns])
    return found[1]


def _match(patterns: list[tuple[str, str]], text: str) -> str | None:
    """The key of the first pattern found in `text`."""
    for rx, key in _compiled(patterns):
        if rx.search(text):
            return key
    return None


# --- grid tables: 02 03 05 08 09 -------------------------------------------------------------


def _parse_grid(reg: Region, t: Table, scale: Decimal) -> None:
    sheet = reg.sheet
    cols: dict[str, int] = {}
    for c in range(reg.first_col, reg.last_col + 1):
        path = reg.paths.get(c, [])
        if not path:
            continue
        joined = "/".join(path)
        key = _match(COLUMNS[reg.key], joined) or _match(COLUMNS[reg.key], path[-1])
        if key and key not in cols:
            cols[key] = c
    label_cols = range(reg.first_col, min(cols.values(), default=reg.last_col + 1))
    layout = Layout(sheet.name, cols, scale)
    rows: dict[str, Row] = {}
    for r in range(reg.data_start, reg.data_end):
        code, label = _row_code(sheet, r, label_cols)
        if code is None:
            continue
        if code in rows:  # a continued table repeating a row: keep the first
            continue
        rows[code] = Row(code, label, r, layout, sheet.rows[r], code if code != "合计" else None)
    t.blocks["main"] = rows
    t.columns["main"] = list(cols)


def _row_code(sheet: SheetGrid, r: int, label_cols: range) -> tuple[str | None, str | int]:
    """科目编码 of a data row ('2010301', also split 类/款/项 columns), or '合计'; and the column
    of its label (read from the grid when asked for), or '' without one."""
    cells = sheet.rows[r]
    n = len(cells)
    texts = [(c, s) for c in label_cols if c < n and cells[c] is not None and (s := _cell_text(cells[c]))]
    if not texts:
        return None, ""
    # 合计/总计: norm_label only removes characters, so a text without 计 cannot become either
    if "计" in texts[0][1] and norm_label(texts[0][1]).replace(" ", "") in ("合计", "总计"):
        return "合计", texts[0][0]
    parts = []
    label: str | int = ""
    for c, s in texts:
        ss = s.replace(" ", "")
        if ss.isdigit() and (not parts or len(ss) == 2):
            parts.append(ss)
        else:
            label = c
            break
    code = "".join(parts)
    if code and _CODE.match(code):
        return code, label
    if not parts and len(texts) == 1 and norm_label(texts[0][1]) in ("合计", "总计"):
        return "合计", texts[0][0]
    return None, label


# --- two blocks: 01 04 ------------------------------------------------------------------------


_TOTALS = ("本年收入合计", "本年支出合计")  # the labels that fix the two blocks' label columns


def _find_total_cols(reg: Region) -> list[int | None]:
    """For each label of `_TOTALS`, the column of the first cell (row by row) that reads it."""
    found: list[int | None] = [None, None]
    for r in range(reg.data_start, reg.data_end):
        row = reg.sheet.rows[r]
        for c in range(reg.first_col, min(reg.last_col + 1, len(row))):
            v = row[c]
            # both labels end in 计, which norm_label keeps: a cell without it cannot match
            if isinstance(v, str) and "计" in v:
                label = norm_label(v)
                for i, total in enumerate(_TOTALS):
                    if found[i] is None and label == total:
                        found[i] = c
                if found[0] is not None and found[1] is not None:
                    return found
    return found


def _is_lineno_col(reg: Region, c: int) -> bool:
    path = "/".join(reg.paths.get(c, []))
    if "行次" in path:
        return True
    vals = [row[c] for row in reg.sheet.rows[reg.data_start : reg.data_end] if c < len(row)]
    vals = [v for v in vals if v is not None and _cell_text(v)]
    if len(vals) >= 3 and all(_is_int_like(v) for v in vals):
        nums = [int(float(v)) for v in vals]
        return all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))
    return False


def _parse_two_blocks(reg: Region, t: Table, scale: Decimal) -> None:
    inc_col, exp_col = _find_total_cols(reg)
    if inc_col is None or exp_col is None or exp_col <= inc_col:
        t.blocks["收入"], t.blocks["支出"] = {}, {}
        return
    inc_amount = [c for c in range(inc_col + 1, exp_col) if not _is_lineno_col(reg, c)]
    exp_amount = [c for c in range(exp_col + 1, reg.last_col + 1) if not _is_lineno_col(reg, c)]
    inc_cols = {"金额": inc_amount[0]} if inc_amount else {}
    if reg.key == "01":
        exp_cols = {"金额": exp_amount[0]} if exp_amount else {}
    else:
        exp_cols = {}
        for c in exp_amount:
            path = reg.paths.get(c, [])
            key = _match(COLUMNS_04, path[-1]) if path else None
            if key is None and not exp_cols:
                key = "合计"
            if key and key not in exp_cols:
                exp_cols[key] = c
    t.columns["收入"], t.columns["支出"] = list(inc_cols), list(exp_cols)
    t.blocks["收入"] = _block_rows(reg, t.key, "收入", inc_col, inc_cols, scale)
    t.blocks["支出"] = _block_rows(reg, t.key, "支出", exp_col, exp_cols, scale)


def _block_rows(
    reg: Region, key: str, block: str, label_col: int, cols: dict[str, int], scale: Decimal
) -> dict:
    sheet = reg.sheet
    layout = Layout(sheet.name, cols, scale)
    rows: dict[str, Row] = {}
    context = ""  # 年初/年末 sub-rows of 04 repeat the fund names
    for r in range(reg.data_start, reg.data_end):
        cells = sheet.rows[r]
        raw = cells[label_col] if label_col < len(cells) else None
        label = norm_label(raw)
        if not label or label == "栏次":
            continue
        printed = str(raw).strip()
        sub = label.startswith("其中")  # "其中：…" lines are parts of the line above, not additive
        if sub:
            label = norm_label(_SUB_PREFIX.sub("", label))
        code = class_code_for_name(label) if block == "支出" else None
        row_key = code or _match(ROW_LABELS[key][block], label)
        if key == "04" and row_key in FUNDS_04 and context:
            row_key = f"{context}:{row_key}"
        elif sub:
            row_key = f"其中:{row_key or label}"
        if row_key == "年初财政拨款结转和结余":
            context = "年初"
        elif row_key == "年末财政拨款结转和结余":
            context = "年末"
        elif row_key in ("本年收入合计", "本年支出合计", "总计"):
            context = ""
        row_key = row_key or label  # unknown line: kept, so structural sums still see it
        if row_key in rows:
            continue
        rows[row_key] = Row(row_key, printed, r, layout, cells, code, label_col)
    return rows


# --- 06 economic classification --------------------------------------------------------------


def _parse_econ(reg: Region, t: Table, scale: Decimal) -> None:
    sheet = reg.sheet
    amount_cols = [
        c
        for c, path in reg.paths.items()
        if path and _AMOUNT_HEAD.search(path[-1]) and not _LABEL_HEAD.search(path[-1])
    ]
    amount_cols.sort()
    in_amounts = set(amount_cols)
    code_layouts: dict[int, Layout] = {}  # amount column -> the Layout its code rows share
    rows: dict[str, Row] = {}
    for r in range(reg.data_start, reg.data_end):
        cells = sheet.rows[r]
        for c in range(reg.first_col, min(reg.last_col + 1, len(cells))):
            v = cells[c]
            # neither a code nor a label; nor a cell under 决算数, where an amount of 309.00 would
            # read as the code 309 (it made a 309 row of the 印刷费 beside it)
            if v is None or c in in_amounts:
                continue
            # a code's text is 3xx or 3xxxx: an amount's has a '.' or is another number, and a text
            # without a 3 is no code (nor a label below without 费)
            if v.__class__ is float:
                if not (v.is_integer() and (300 <= v < 400 or 30000 <= v < 40000)):
                    continue
            elif v.__class__ is str and "3" not in v and "费" not in v:
                continue
            s = _cell_text(v).replace(" ", "")
            if _ECON.match(s) and isinstance(v, str | int | float):
                i = bisect_right(amount_cols, c)  # the first amount column right of the code
                ac = amount_cols[i] if i < len(amount_cols) else c + 2
                name = _cell_text(cells[c + 1] if c + 1 < len(cells) else None) if c + 1 < ac else ""
                if s not in rows:
                    layout = code_layouts.get(ac)
                    if layout is None:
                        layout = code_layouts[ac] = Layout(sheet.name, {"决算数": ac}, scale)
                    rows[s] = Row(s, name, r, layout, cells, s)
                continue
            # every label below has 经 and 费, which norm_label keeps (it only removes characters)
            if not (isinstance(v, str) and "费" in v and "经" in v):
                continue
            lab = norm_label(v)
            if lab in ("人员经费合计", "公用经费合计", "人员经费", "公用经费") and r >= reg.data_start:
                key = lab if lab.endswith("合计") else lab + "合计"
                vc = next(
                    (
                        x
                        for x in range(c + 1, reg.last_col + 1)
                        if amount_status(sheet.value(r, x)) != "empty"
                    ),
                    None,
                )
                if vc is not None and key not in rows:
                    layout = Layout(sheet.name, {"决算数": vc}, scale)
                    rows[key] = Row(key, str(v).strip(), r, layout, sheet.rows[r])
    t.blocks["main"] = rows
    t.columns["main"] = ["决算数"]


# --- 07 "三公" ---------------------------------------------------------------------------------


def sangong_column_key(path: list[str]) -> str | None:
    joined = "/".join(path)
    kind = "决算" if "决算" in joined else ("预算" if "预算" in joined else None)
    if kind is None:
        return None
    for part in reversed(path):
        item = _match(SANGONG_ITEMS, part)
        if item is None and _CAR_TOTAL.search(part):
            item = "公务用车小计"
        if item:
            return f"{kind}:{item}"
    return None


def _parse_sangong(reg: Region, t: Table, scale: Decimal) -> None:
    sheet = reg.sheet
    cols: dict[str, int] = {}
    for c in range(reg.first_col, reg.last_col + 1):
        key = sangong_column_key(reg.paths.get(c, []))
        if key and key not in cols:
            cols[key] = c
    rows: dict[str, Row] = {}
    for r in range(reg.data_start, reg.data_end):
        if any(amount_status(sheet.value(r, c)) in ("ok", "uncached", "text") for c in cols.values()):
            if any(amount_status(sheet.value(r, c)) == "ok" for c in cols.values()):
                rows["data"] = Row("data", "决算数据", r, Layout(sheet.name, cols, scale), sheet.rows[r])
                break
    t.blocks["main"] = rows
    t.columns["main"] = list(cols)
