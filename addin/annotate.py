"""Headless annotated copy: the checked workbook with marks, notes and a 检查结果 sheet.

The input file is only read. The copy is written to a temporary file beside `out` and then moved
over it, so a failed run leaves no half-written file; an existing `out` is overwritten unless it is
the input itself (same path or same file through a link), which is refused.

- .xlsx / .xlsm: the workbook is loaded with openpyxl (macros and external links kept); flagged
  cells get a solid fill and a note, everything else keeps its formatting. The output keeps the
  input's kind (.xlsm stays .xlsm), whatever suffix `out` was given. openpyxl does not carry over
  charts, images or cached formula results (Excel recalculates on open).
- any other input (e.g. .xls, which openpyxl cannot read): a fresh .xlsx is built from the grids
  the checker read (values only; formulas without a cached value stay empty) and annotated.

Re-checking an annotated copy replaces our 检查结果 sheet and our part of every note; a cell that
carried our note and one of our fills but is no longer flagged loses both.
"""

from __future__ import annotations

import math
import os
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from addin.files import write_atomically
from addin.marks import (
    FINDING_COLUMNS,
    NOTE_AUTHOR,
    NOTE_MARKER,
    SEVERITY_STYLE,
    SUMMARY_SHEET,
    SUMMARY_TITLE,
    WRAP_COLUMNS,
    CellMark,
    OutputError,
    SummaryLayout,
    clean_text,
    is_formula_like,
    merge_note,
    note_text,
    plan_marks,
    sheet_location,
    strip_note,
    summary_layout,
)
from addin.shared_styles import SharedStyles
from addin.workbook_save import save_workbook
from checks.findings import Report
from checks.grid import Uncached, WorkbookGrid

__all__ = ["OutputError", "default_output_path", "write_annotated_copy"]

_OPENPYXL_KINDS = (".xlsx", ".xlsm")
_OUR_FILLS = {"FF" + s.fill for s in SEVERITY_STYLE.values()}


def default_output_path(src: Path) -> Path:
    """`<stem>_checked.xlsx` beside the input; a macro workbook stays `.xlsm`."""
    src = Path(src)
    suffix = ".xlsm" if src.suffix.lower() == ".xlsm" else ".xlsx"
    return src.with_name(f"{src.stem}_checked{suffix}")


def write_annotated_copy(
    src: Path,
    report: Report,
    out: Path,
    grids: WorkbookGrid | None = None,
    *,
    now: datetime | None = None,
) -> Path:
    """Write the annotated copy of `src` to `out` (suffix adjusted, see module doc); return its path."""
    src, out = Path(src), Path(out)
    kind = src.suffix.lower()
    out_kind = kind if kind in _OPENPYXL_KINDS else ".xlsx"
    if out.suffix.lower() != out_kind:
        out = out.with_suffix(out_kind)
    _check_paths(src, out)

    if kind in _OPENPYXL_KINDS:
        wb = _load(src, keep_vba=kind == ".xlsm")
    elif grids is not None:
        wb = _workbook_from_grids(grids)
    else:
        raise OutputError(f"无法直接打开“{src.name}”（{kind or '无扩展名'}格式），需要先读取其表格内容才能生成带标记的副本。")

    marks = _anchored_marks(wb, report)  # once: both steps use the same plan
    _clear_stale_marks(wb, marks)
    _apply_marks(wb, marks)
    _write_summary(wb, report, now)
    _save(wb, out)
    return out


# ---------------------------------------------------------------------------------------------
# paths and files


def _check_paths(src: Path, out: Path) -> None:
    if not src.is_file():
        raise OutputError(f"找不到被检查的文件：{src}")
    if out.resolve() == src.resolve() or (out.exists() and os.path.samefile(out, src)):
        raise OutputError(f"输出文件不能是被检查的文件本身：{out}。请另选输出文件名。")
    parent = out.parent
    if not parent.is_dir():
        raise OutputError(f"输出目录不存在：{parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"输出目录不可写：{parent}")
    if out.is_dir():
        raise OutputError(f"输出路径是一个文件夹：{out}")


def _load(src: Path, *, keep_vba: bool) -> WorkbookType:
    try:
        return load_workbook(src, keep_vba=keep_vba, keep_links=True, rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise OutputError(f"无法打开工作簿“{src.name}”：{exc}") from exc


def _save(wb: WorkbookType, out: Path) -> None:
    write_atomically(out, partial(save_workbook, wb), busy_hint="（文件是否正在 Excel 中打开？）")


def _workbook_from_grids(grids: WorkbookGrid) -> WorkbookType:
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids.sheets:
        try:
            ws = wb.create_sheet(grid.name)
        except ValueError as exc:
            raise OutputError(f"工作表名“{grid.name}”无法写入 xlsx：{exc}") from exc
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or isinstance(value, Uncached):
                    continue
                _put(ws.cell(r, c), value)
        for r0, c0, r1, c1 in grid.merged:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if grid.hidden:
            ws.sheet_state = "hidden"
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


def _put(cell, value: object) -> None:
    """Write a plain value; text is always stored as text, never as a formula or error code."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    elif isinstance(value, bool | int | float | Decimal | date | time | timedelta):
        cell.value = value  # datetime is a date
    else:
        _put(cell, str(value))


# ---------------------------------------------------------------------------------------------
# cell marks


def _solid(hex6: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color="FF" + hex6, end_color="FF" + hex6)


# one style object per look, shared by every cell that has it (see addin/shared_styles.py)
_SEVERITY_FILL = {sev: _solid(style.fill) for sev, style in SEVERITY_STYLE.items()}
_SEVERITY_FONT = {sev: Font(color="FF" + style.font) for sev, style in SEVERITY_STYLE.items()}
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_LINK_FONT = Font(color="FF0563C1", underline="single")
_HEADER_RULE = Border(bottom=Side(style="thin"))
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)


def _worksheet(wb: WorkbookType, name: str) -> Worksheet | None:
    ws = wb[name] if name in wb.sheetnames else None
    return ws if isinstance(ws, Worksheet) else None


def _is_our_summary(ws) -> bool:
    return isinstance(ws, Worksheet) and ws.title.startswith(SUMMARY_SHEET) and ws["A1"].value == SUMMARY_TITLE


def _anchor_map(ws: Worksheet) -> dict[str, str]:
    """Every non-top-left cell of a merged range -> the range's top-left cell (the one Excel shows)."""
    out: dict[str, str] = {}
    for rng in ws.merged_cells.ranges:
        top = f"{get_column_letter(rng.min_col)}{rng.min_row}"
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                out[f"{get_column_letter(col)}{row}"] = top
    return out


def _anchored_marks(wb: WorkbookType, report: Report) -> dict[tuple[str, str], CellMark]:
    """The plan's marks moved to merge anchors; marks meeting on one anchor are combined."""
    out: dict[tuple[str, str], CellMark] = {}
    anchors: dict[str, dict[str, str] | None] = {}  # sheet -> its merge anchors; None: not markable
    for mark in plan_marks(report):
        if mark.sheet not in anchors:
            ws = _worksheet(wb, mark.sheet)
            anchors[mark.sheet] = None if ws is None or _is_our_summary(ws) else _anchor_map(ws)
        sheet_anchors = anchors[mark.sheet]
        if sheet_anchors is None:
            continue
        key = (mark.sheet, sheet_anchors.get(mark.cell, mark.cell))
        prev = out.get(key)
        if prev is None:
            out[key] = CellMark(mark.sheet, key[1], mark.severity, list(mark.findings), mark.note)
        else:
            findings = prev.findings + [f for f in mark.findings if all(f is not g for g in prev.findings)]
            worst = max(findings, key=lambda f: f.severity.rank).severity
            out[key] = CellMark(mark.sheet, key[1], worst, findings, note_text(findings))
    return out


def _clear_stale_marks(wb: WorkbookType, marks: dict[tuple[str, str], CellMark]) -> None:
    """On a re-check: remove our note (and our fill) from cells that are no longer flagged."""
    current = set(marks)
    for ws in wb.worksheets:
        if not isinstance(ws, Worksheet):
            continue
        for cell in list(ws._cells.values()):  # existing cells only; iter_rows would create new ones
            comment = cell.comment
            if comment is None or NOTE_MARKER not in (comment.text or ""):
                continue
            if (ws.title, cell.coordinate) in current:
                continue
            user = strip_note(comment.text)
            cell.comment = None if user is None else Comment(user, comment.author or NOTE_AUTHOR)
            if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb in _OUR_FILLS:
                cell.fill = PatternFill()


def _apply_marks(wb: WorkbookType, marks: dict[tuple[str, str], CellMark]) -> None:
    styles = SharedStyles(wb)
    sheets: dict[str, Worksheet] = {}
    for (sheet, addr), mark in marks.items():
        if sheet not in sheets:
            sheets[sheet] = wb[sheet]
        cell = sheets[sheet][addr]
        # only the fill changes: font, borders, number format stay
        styles.apply(cell, _SEVERITY_FILL[mark.severity])
        old = cell.comment
        text = clean_text(merge_note(old.text if old else None, mark.note))
        user_author = old.author if old is not None and strip_note(old.text) is not None else None
        width, height = _note_box(text)
        cell.comment = Comment(text, user_author or NOTE_AUTHOR, height=height, width=width)


class _HalfWidthUnits(dict):
    """`str.translate` table giving each character its display width in placeholder units:
    two for CJK and full-width characters, one otherwise; filled in as characters are met."""

    def __missing__(self, code: int) -> str:
        unit = "··" if unicodedata.east_asian_width(chr(code)) in "WF" else "·"
        self[code] = unit
        return unit


_UNITS = _HalfWidthUnits()


def _text_units(s: str) -> int:
    """Display width in half-width units: CJK and full-width characters count 2."""
    return len(s.translate(_UNITS))


def _note_box(text: str) -> tuple[int, int]:
    """Comment box size in px: wide enough for a typical line, tall enough for the wrapped text."""
    px_per_unit = 6.5
    units = [_text_units(line) for line in text.split("\n")]
    width = int(min(max(max(units) * px_per_unit + 16, 220), 520))
    per_line = max(int((width - 16) / px_per_unit), 1)
    wrapped = sum(max(math.ceil(n / per_line), 1) for n in units)
    height = int(min(max(wrapped * 15 + 16, 60), 480))
    return width, height


# ---------------------------------------------------------------------------------------------
# the 检查结果 sheet


def _summary_title(wb: WorkbookType) -> str:
    """Drop our earlier summary sheets; avoid a user's own sheet that happens to use the name."""
    for ws in list(wb.worksheets):
        if _is_our_summary(ws):
            wb.remove(ws)
    title, n = SUMMARY_SHEET, 1
    while title in wb.sheetnames:
        n += 1
        title = f"{SUMMARY_SHEET}{n}"
    return title


def _write_summary(wb: WorkbookType, report: Report, now: datetime | None) -> None:
    title = _summary_title(wb)
    layout = summary_layout(report, now=now, sheet_order=list(wb.sheetnames))
    ws = wb.create_sheet(title, 0)
    _fill_summary(ws, layout)
    wb.active = 0
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws  # else Excel opens with the sheets grouped
    for view in wb.views:
        view.firstSheet = 0
        view.activeTab = 0


def _fill_summary(ws: Worksheet, lay: SummaryLayout) -> None:
    styles = SharedStyles(ws.parent)
    for r, row in enumerate(lay.rows):
        for c, value in enumerate(row):
            if value is not None:
                _put(ws.cell(r + 1, c + 1), value)
    styles.apply(ws.cell(lay.title_row + 1, 1), _TITLE_FONT)
    for r, c in lay.bold:
        if (r, c) != (lay.title_row, 0):
            styles.apply(ws.cell(r + 1, c + 1), _BOLD)
    for r in lay.header_rows:
        for c, value in enumerate(lay.rows[r]):
            if value is not None:
                styles.apply(ws.cell(r + 1, c + 1), _BOLD, _HEADER_RULE)
    for r in range(lay.findings_first, lay.findings_last + 1):
        for c in range(lay.n_cols):
            styles.apply(ws.cell(r + 1, c + 1), _WRAP if c in WRAP_COLUMNS else _TOP)
    for (r, c), sev in lay.fills.items():
        styles.apply(ws.cell(r + 1, c + 1), _SEVERITY_FILL[sev], _SEVERITY_FONT[sev])
    for (r, c), ref in lay.links.items():
        cell = ws.cell(r + 1, c + 1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=sheet_location(ref.sheet, ref.cell),
                                   tooltip=f"跳转到 {ref.sheet}!{ref.cell}")
        styles.apply(cell, _LINK_FONT)

    for i, (_, width) in enumerate(FINDING_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header = lay.findings_header + 1
    last_col = get_column_letter(lay.n_cols)
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:{last_col}{lay.findings_last + 1}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
