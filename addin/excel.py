"""Ribbon handlers of the Excel add-in: 检查, 清除标记, 下一处, 规则说明, 选择说明文档, 关于/自检.

VBA calls `import addin.excel; addin.excel.on_ribbon('<button id>')` through RunPython; the id
selects a handler from the whitelist `HANDLERS`. Every handler takes an `xw.Book`.

The code keeps to what both the desktop engine (COM) and xlwings' remote engine support: read
`.value`, write values, colours, notes, fonts and sheets. Where they differ it asks `_is_excel`:
- the remote engine cannot read fills or note text, so those reads come back as `UNKNOWN` and the
  restore rules of `addin/xl_state.py` fall back to the saved snapshot;
- a multi-area range ("A1,B2") silently becomes its first cell on the remote engine, so cells are
  coloured one by one there and in batches of up to 255 address characters in Excel;
- the state sheet is very hidden in Excel (Visible = 2) and only hidden on the remote engine.

The pure parts (snapshot, restore, order, state sheet values) live in `addin/xl_state.py`; the
mark plan and the summary sheet content come from `addin/marks.py`, shared with the headless
writer, so both mark the same cells with the same colours, notes and 检查结果 rows.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from addin import xl_state as st
from addin.marks import (
    FINDING_COLUMNS,
    SEVERITY_STYLE,
    SUMMARY_SHEET,
    SUMMARY_TITLE,
    WRAP_COLUMNS,
    SummaryLayout,
    clean_text,
    internal_link,
    is_formula_like,
    one_line,
    plan_marks,
    safe_text,
    sheet_location,
    summary_layout,
)
from checks.grid import SheetGrid, WorkbookGrid

TITLE = "决算检查"
RULES_SHEET = "规则说明"
RULES_TITLE = "决算检查规则说明"  # A1 of our rules sheet
LOG_FILE = "juesuan_addin.log"
MAX_ROWS, MAX_COLS = 20_000, 256  # a used range inflated by formatting is read only this far
XL_SHEET_VERY_HIDDEN = 2
POINTS_PER_CHAR = 6.0  # remote engine column widths are points, Excel's are characters


class UserError(Exception):
    """A condition the user can fix; the message is Chinese and shown as is."""


# ---------------------------------------------------------------------------------------------
# dispatcher


def on_ribbon(control_id: str, book=None) -> None:
    """Run the handler of a ribbon button; never lets an exception reach VBA."""
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
    except Exception as exc:  # no workbook to talk to: nothing to alert in, keep a log
        _log_exception(exc, control_id)
        return
    handler = HANDLERS.get(control_id) if isinstance(control_id, str) else None
    if handler is None:
        _alert(book, f"未知的按钮“{control_id}”，没有执行任何操作。请重新安装决算检查加载项。")
        return
    try:
        handler(book)
    except UserError as exc:
        _status(book, False)
        _alert(book, str(exc))
    except Exception as exc:
        _status(book, False)
        path = _log_exception(exc, control_id)
        where = f"\n详细信息已写入：{path}" if path else ""
        _alert(book, f"操作未完成：{_short(exc)}{where}")


def _short(exc: BaseException) -> str:
    """One line for an alert; for a COM error, Excel's own description."""
    args = getattr(exc, "args", ())
    described = len(args) > 2 and isinstance(args[2], tuple) and len(args[2]) > 2 and isinstance(args[2][2], str)
    text = one_line(args[2][2] if described else str(exc)) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / LOG_FILE


def _log_exception(exc: BaseException, control_id: object) -> Path | None:
    path = log_path()
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} on_ribbon({control_id!r})\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


def _alert(book, message: str) -> None:
    try:
        book.app.alert(message, title=TITLE)
    except Exception as exc:  # the alert itself failed: the log is all that is left
        _log_exception(exc, "alert")


def _status(book, text: str | bool) -> None:
    """Status bar text in Excel (False hands it back); the remote engine has none."""
    try:
        book.app.status_bar = text
    except Exception:
        pass


def _is_excel(book) -> bool:
    try:
        return book.app.engine.name == "excel"
    except Exception:
        return False


@contextlib.contextmanager
def _quiet(book, excel: bool) -> Iterator[None]:
    """No screen repaint while Excel marks cells (many small changes)."""
    if not excel:
        yield
        return
    app = book.app
    try:
        app.screen_updating = False
    except Exception:
        pass
    try:
        yield
    finally:
        try:
            app.screen_updating = True
        except Exception:
            pass


# ---------------------------------------------------------------------------------------------
# reading the workbook


def sheet_values(sheet) -> list[list[object]]:
    """The sheet's values as rows from A1, read in one call; a used range that does not start at
    A1 is padded so row/column indexes match the sheet's addresses."""
    used = sheet.used_range
    r0, c0 = used.row, used.column
    nrows, ncols = used.shape
    nrows, ncols = min(nrows, MAX_ROWS), min(ncols, MAX_COLS)
    rng = sheet.range((r0, c0), (r0 + nrows - 1, c0 + ncols - 1))
    values = rng.options(ndim=2, err_to_str=True).value or []
    pad = [None] * (c0 - 1)
    rows: list[list[object]] = [[] for _ in range(r0 - 1)]
    rows += [pad + [None if v == "" else v for v in row] for row in values]
    return rows


def _a1(sheet) -> object:
    try:
        return sheet.range("A1").value
    except Exception:
        return None


def _is_summary(sheet) -> bool:
    return sheet.name.startswith(SUMMARY_SHEET) and _a1(sheet) == SUMMARY_TITLE


def _is_rules(sheet) -> bool:
    return sheet.name.startswith(RULES_SHEET) and _a1(sheet) == RULES_TITLE


def _is_ours(sheet) -> bool:
    return sheet.name == st.STATE_SHEET or _is_summary(sheet) or _is_rules(sheet)


def _visible(sheet, excel: bool) -> bool:
    try:
        return sheet.api.Visible == -1 if excel else bool(sheet.visible)
    except Exception:
        return True


def book_grids(book) -> WorkbookGrid:
    """Grids of the user's sheets (our summary, rules and state sheets left out)."""
    excel = _is_excel(book)
    sheets = [
        SheetGrid(sh.name, sheet_values(sh), hidden=not _visible(sh, excel))
        for sh in book.sheets
        if not _is_ours(sh)
    ]
    return WorkbookGrid(sheets=sheets, path=_fullname(book))


def _fullname(book) -> str | None:
    try:
        return book.fullname
    except Exception:
        return None


def _book_name(book) -> str:
    try:
        return book.name
    except Exception:
        return "工作簿"


def _sheet(book, name: str):
    for sh in book.sheets:
        if sh.name == name:
            return sh
    return None


def _fill_reader(book) -> st.FillReader:
    def read(sheet: str, cell: str) -> str:
        try:
            color = book.sheets[sheet].range(cell).color
        except Exception:  # the remote engine cannot read fills
            return st.UNKNOWN
        return st.NO_FILL if color is None else st.hex6(color)

    return read


def _note_reader(book, excel: bool) -> st.NoteReader:
    def read(sheet: str, cell: str) -> tuple[str, str | None]:
        try:
            rng = book.sheets[sheet].range(cell)
            if excel and _has_threaded_comment(rng):
                return st.UNKNOWN, None  # a cell holds a threaded comment or a note, not both
            note = rng.note
            if note is None:
                return st.NOTE_NONE, None
            return st.NOTE_TEXT, note.text or ""
        except Exception:  # the remote engine knows a note exists but cannot read it
            return st.UNKNOWN, None

    return read


def _has_threaded_comment(rng) -> bool:
    try:
        return rng.api.CommentThreaded is not None
    except Exception:  # Excel before 365 has no threaded comments
        return False


# ---------------------------------------------------------------------------------------------
# state sheet


def read_state(book) -> tuple[object | None, st.State]:
    sheet = _sheet(book, st.STATE_SHEET)
    if sheet is None:
        return None, st.State()
    state = st.parse_state(sheet_values(sheet))
    if state is None:
        raise UserError(f"工作表“{st.STATE_SHEET}”不是决算检查建立的，请改名后再试。")
    return sheet, state


def write_state(book, state: st.State, excel: bool) -> None:
    sheet = _sheet(book, st.STATE_SHEET)
    if sheet is None:
        sheet = book.sheets.add(st.STATE_SHEET, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet.clear_contents()
    sheet.range("A1").value = st.state_values(state)
    try:
        if excel:
            sheet.api.Visible = XL_SHEET_VERY_HIDDEN  # not listed under Unhide
        else:
            sheet.visible = False
    except Exception:
        pass


def _delete_sheet(book, sheet, excel: bool) -> None:
    if excel:
        with contextlib.suppress(Exception):
            sheet.api.Visible = -1  # a very hidden sheet is made visible before it is deleted
    app = book.app
    old = app.display_alerts
    app.display_alerts = False
    try:
        sheet.delete()
    finally:
        app.display_alerts = old


# ---------------------------------------------------------------------------------------------
# applying fills and notes


def _apply_fills(book, actions: list[st.SetFill], excel: bool) -> None:
    for (sheet_name, fill), cells in st.fill_groups(actions).items():
        sheet = book.sheets[sheet_name]
        color = None if fill is None else "#" + fill
        if excel:
            for address in st.multi_area_addresses(cells):
                sheet.range(address).color = color
        else:
            for cell in cells:
                sheet.range(cell).color = color


def _set_note(book, sheet_name: str, cell: str, text: str | None, excel: bool) -> None:
    rng = book.sheets[sheet_name].range(cell)
    note = rng.note
    if text is None:
        if note is not None:
            note.delete()
        return
    if note is None:
        rng.add_note(text)
    else:
        note.text = text
    if excel:
        _size_note(rng, text)


def _size_note(rng, text: str) -> None:
    """A note box wide enough for a line of Chinese and tall enough for the text (points)."""
    try:
        units = [sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n")]
        width = min(max(max(units) * 5 + 12, 165), 390)
        per_line = max(int((width - 12) / 5), 1)
        height = min(max(sum(max(-(-u // per_line), 1) for u in units) * 11.5 + 12, 45), 360)
        shape = rng.note.api.Shape
        shape.Width, shape.Height = width, height
    except Exception:
        pass


def _restore(book, actions: list[st.SetFill | st.SetNote], excel: bool) -> None:
    names = {sh.name for sh in book.sheets}
    actions = [a for a in actions if a.sheet in names]  # a sheet the user deleted or renamed
    _apply_fills(book, [a for a in actions if isinstance(a, st.SetFill)], excel)
    for a in actions:
        if isinstance(a, st.SetNote):
            _set_note(book, a.sheet, a.cell, a.text, excel)


def _merge_anchor(book, excel: bool) -> Callable[[str, str], str]:
    """The top-left cell of a merged area (what Excel shows); the cell itself elsewhere."""
    if not excel:
        return lambda sheet, cell: cell

    seen: dict[tuple[str, str], str] = {}

    def anchor(sheet: str, cell: str) -> str:
        if (sheet, cell) not in seen:
            seen[(sheet, cell)] = cell
            try:
                rng = book.sheets[sheet].range(cell)
                if rng.merge_cells:
                    seen[(sheet, cell)] = st.first_cell(rng.merge_area.address) or cell
            except Exception:
                pass
        return seen[(sheet, cell)]

    return anchor


def _check_protection(book, sheets: list[str]) -> None:
    for name in sheets:
        try:
            protected = bool(book.sheets[name].api.ProtectContents)
        except Exception:
            protected = False
        if protected:
            raise UserError(f"工作表“{name}”受保护，无法加标记。请先撤销工作表保护（审阅 → 撤销工作表保护）后再检查。")


# ---------------------------------------------------------------------------------------------
# text written into cells


_COERCIBLE = re.compile(r"^[\s(（+\-−]*[\d$¥￥][\d\s,.%/:()（）+\-$¥￥eE]*$|^(true|false)$", re.IGNORECASE)


def excel_text(s: str) -> str:
    """Text Excel stores as typed: a formula-like start gets safe_text's apostrophe, and so does
    text Excel would turn into a number or date ('1,170.07', '0.05%', '2019-01-01') or that
    itself starts with an apostrophe (Excel drops one)."""
    s = clean_text(s)
    if is_formula_like(s):
        return safe_text(s)
    if s.startswith("'") or _COERCIBLE.match(s):
        return "'" + s
    return s


def block_values(rows: list[list[object]], width: int | None = None) -> list[list[object]]:
    """Rows padded to one width (xlwings refuses jagged lists), text made inert."""
    width = max([width or 0, *(len(r) for r in rows)]) or 1
    out = []
    for row in rows:
        cells = [excel_text(v) if isinstance(v, str) else v for v in row]
        cells = [v if v is None or isinstance(v, str | int | float | bool | datetime) else str(v) for v in cells]
        out.append(cells + [None] * (width - len(cells)))
    return out or [[None] * width]


def summary_values(layout: SummaryLayout) -> list[list[object]]:
    return block_values(layout.rows, layout.n_cols)


# ---------------------------------------------------------------------------------------------
# 检查


def check(book) -> None:
    excel = _is_excel(book)
    _status(book, "决算检查：正在读取工作表…")
    _, state = read_state(book)
    grids = book_grids(book)
    text, text_problem = _load_text(state.text_path)
    _status(book, "决算检查：正在核对…")
    from checks.api import check_grids

    report = check_grids(grids, name=_book_name(book), text=text, text_source=state.text_path if text else None)
    sheet_order = [g.name for g in grids.sheets]
    layout = summary_layout(report, sheet_order=sheet_order)
    _status(book, "决算检查：正在标记单元格…")
    with _quiet(book, excel):
        anchor = _merge_anchor(book, excel)
        known = set(sheet_order)
        marks = st.anchor_marks((m for m in plan_marks(report) if m.sheet in known), anchor)
        ordered = st.ordered_marks(marks, layout.ordered, anchor)
        if excel:  # refuse before touching anything, including last run's marks
            touched = [m.sheet for m in ordered] + [r.sheet for r in state.rows if r.sheet in known]
            _check_protection(book, list(dict.fromkeys(touched)))
        read_fill, read_note = _fill_reader(book), _note_reader(book, excel)
        # undo the previous run first, so checking twice leaves the same state as once
        _restore(book, st.plan_restore(state.rows, read_fill, read_note), excel)
        rows = st.snapshot_rows(ordered, read_fill, read_note, previous=state.rows)
        # saved before anything is marked: a run that stops half-way can still be cleared
        write_state(book, st.State(rows=rows, text_path=state.text_path), excel)
        _apply_fills(book, [st.SetFill(r.sheet, r.cell, r.our_fill) for r in rows], excel)
        for r in rows:
            note = st.note_to_write(r)
            if note is not None:
                _set_note(book, r.sheet, r.cell, note, excel)
        name = _write_summary(book, layout, excel)
    _status(book, False)
    lines = [
        f"检查完成：错误 {report.errors} · 警告 {report.warnings} · 提示 {report.infos}",
        f"已标记 {len(rows)} 个单元格，问题清单见工作表“{name}”。",
    ]
    if not report.tables:
        lines.append("未找到部门决算公开表格（按表名识别），请确认打开的是决算公开工作簿。")
    if state.text_path and text is not None:
        lines.append(f"已核对说明文档：{Path(state.text_path).name}")
    if text_problem:
        lines.append(text_problem)
    _alert(book, "\n".join(lines))


def _load_text(path: str | None) -> tuple[str | None, str | None]:
    """(text, problem) of the 说明文档 chosen with 选择说明文档."""
    if not path:
        return None, None
    from addin.reader import InputError
    from addin.text_files import read_explanation

    try:
        return read_explanation(path), None
    except InputError as exc:
        return None, f"说明文档无法读取，本次未核对说明文字：{exc.message}"
    except Exception as exc:
        return None, f"说明文档无法读取，本次未核对说明文字：{path}（{_short(exc)}）"


def _unique_name(book, base: str) -> str:
    names = {sh.name for sh in book.sheets}
    name, n = base, 1
    while name in names:
        n += 1
        name = f"{base}{n}"
    return name


def _write_summary(book, layout: SummaryLayout, excel: bool) -> str:
    for sh in list(book.sheets):
        if _is_summary(sh):
            _delete_sheet(book, sh, excel)
    name = _unique_name(book, SUMMARY_SHEET)
    sheet = book.sheets.add(name, before=book.sheets[0])
    sheet.range("A1").value = summary_values(layout)
    try:
        _format_summary(sheet, layout, excel)
    except Exception as exc:  # looks only; the values are written
        _log_exception(exc, "format_summary")
    with contextlib.suppress(Exception):
        sheet.activate()
    return name


def _color_cells(sheet, cells: list[tuple[int, int]], fill: str, font: str, excel: bool) -> None:
    """Fill and font colour on (0-based) cells: one multi-area call per 255 characters in Excel."""
    from checks.grid import a1

    addresses = [a1(r, c) for r, c in cells]
    targets = st.multi_area_addresses(addresses) if excel else addresses
    for address in targets:
        rng = sheet.range(address)
        rng.color = "#" + fill
        rng.font.color = "#" + font


def _format_summary(sheet, lay: SummaryLayout, excel: bool) -> None:
    title = sheet.range((lay.title_row + 1, 1))
    title.font.bold = True
    title.font.size = 14
    for r, c in sorted(lay.bold - {(lay.title_row, 0)}):
        sheet.range((r + 1, c + 1)).font.bold = True
    for r in lay.header_rows:
        width = max((i + 1 for i, v in enumerate(lay.rows[r]) if v is not None), default=1)
        sheet.range((r + 1, 1), (r + 1, width)).font.bold = True
    by_severity: dict = {}
    for (r, c), sev in lay.fills.items():
        by_severity.setdefault(sev, []).append((r, c))
    for sev, cells in by_severity.items():
        style = SEVERITY_STYLE[sev]
        _color_cells(sheet, cells, style.fill, style.font, excel)
    for (r, c), ref in lay.links.items():
        rng = sheet.range((r + 1, c + 1))
        text = str(lay.rows[r][c])
        tip = f"跳转到 {ref.sheet}!{ref.cell}"
        if excel:
            rng.api.Hyperlinks.Add(Anchor=rng.api, Address="", SubAddress=sheet_location(ref.sheet, ref.cell),
                                   ScreenTip=tip, TextToDisplay=text)
        else:
            rng.add_hyperlink(internal_link(ref.sheet, ref.cell), text, tip)
    for i, (_, width) in enumerate(FINDING_COLUMNS, start=1):
        sheet.range((1, i)).column_width = width if excel else width * POINTS_PER_CHAR
    for c in WRAP_COLUMNS:
        sheet.range((lay.findings_first + 1, c + 1), (lay.findings_last + 1, c + 1)).wrap_text = True
    _freeze_below(sheet, lay.findings_header + 1, excel)


def _freeze_below(sheet, header_row: int, excel: bool) -> None:
    """Keep the findings header in view (row numbers 1-based)."""
    try:
        if excel:
            sheet.activate()
            window = sheet.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitColumn, window.SplitRow = 0, header_row
            window.FreezePanes = True
        else:
            sheet.freeze_panes.freeze_at(f"{header_row}:{header_row}")
    except Exception:
        pass


# ---------------------------------------------------------------------------------------------
# 清除标记


def clear(book) -> None:
    excel = _is_excel(book)
    sheet, state = read_state(book)
    summaries = [sh for sh in book.sheets if _is_summary(sh)]
    if sheet is None and not summaries:
        raise UserError("没有标记：本工作簿尚未检查，或标记已清除。")
    with _quiet(book, excel):
        actions = st.plan_restore(state.rows, _fill_reader(book), _note_reader(book, excel))
        _restore(book, actions, excel)
        for sh in summaries:
            _delete_sheet(book, sh, excel)
        if sheet is not None:
            if state.text_path:  # the chosen 说明文档 is a setting, not a mark: keep it
                write_state(book, st.State(text_path=state.text_path), excel)
            else:
                _delete_sheet(book, sheet, excel)
    _status(book, False)
    _alert(book, f"已清除 {len(state.rows)} 处标记，单元格已恢复检查前的底色和批注。")


# ---------------------------------------------------------------------------------------------
# 下一处


def _selection(book) -> tuple[str, str] | None:
    try:
        sel = book.app.selection
        cell = st.first_cell(sel.address)
        return (sel.sheet.name, cell) if cell else None
    except Exception:
        return None


def next_finding(book) -> None:
    _, state = read_state(book)
    names = {sh.name for sh in book.sheets}
    rows = [r for r in state.rows if r.sheet in names]
    if not rows:
        raise UserError("没有标记。请先点“检查”。")
    i = st.next_index([(r.sheet, r.cell) for r in rows], _selection(book))
    row = rows[i]
    sheet = book.sheets[row.sheet]
    sheet.activate()
    sheet.range(row.cell).select()
    lines = [line for line in row.ours.split("\n")[1:] if line.strip()]
    more = f"（另 {len(lines) - 1} 条）" if len(lines) > 1 else ""
    _status(book, f"第 {i + 1}/{len(rows)} 处 {row.sheet}!{row.cell}：{lines[0] if lines else ''}{more}")


# ---------------------------------------------------------------------------------------------
# 规则说明


RULE_COLUMNS = (("编号", 9), ("类别", 8), ("违反时", 8), ("名称", 36), ("公式", 60), ("建议", 36))


def udf_docs() -> list[tuple[str, str, str]]:
    """(signature, one-line description, example) of every worksheet function."""
    from addin import udfs

    out = []
    for fn in udfs.UDFS:
        params = [p for p in inspect.signature(fn).parameters if p != "caller"]
        doc = inspect.getdoc(fn) or ""
        summary = doc.split("\n", 1)[0]
        example = next((line.split("：", 1)[1].strip() for line in doc.splitlines() if line.startswith("示例：")), "")
        out.append((f"{fn.__name__}({', '.join(params)})", summary, example))
    return out


def rules_rows() -> list[list[object]]:
    from checks.rules import RULES

    rows: list[list[object]] = [[RULES_TITLE], [f"共 {len(RULES)} 条规则；违反时为“错误”的须更正，“警告”需核实，“提示”供参考。"], []]
    rows.append([name for name, _ in RULE_COLUMNS])
    for r in RULES.values():
        rows.append([r.id, r.family.value, r.severity.label, r.title, r.formula, r.hint or None])
    rows += [[], ["工作表函数", "说明", None, None, "示例"]]
    for signature, summary, example in udf_docs():
        rows.append([signature, summary, None, None, example])
    return rows


def rules_sheet(book) -> None:
    excel = _is_excel(book)
    for sh in list(book.sheets):
        if _is_rules(sh):
            _delete_sheet(book, sh, excel)
    rows = rules_rows()
    sheet = book.sheets.add(_unique_name(book, RULES_SHEET), after=_last_visible(book, excel))
    sheet.range("A1").value = block_values(rows, len(RULE_COLUMNS))
    try:
        title = sheet.range("A1")
        title.font.bold, title.font.size = True, 14
        for r, row in enumerate(rows):
            if row and row[0] in ("编号", "工作表函数"):
                sheet.range((r + 1, 1), (r + 1, len(RULE_COLUMNS))).font.bold = True
        for i, (_, width) in enumerate(RULE_COLUMNS, start=1):
            sheet.range((1, i)).column_width = width if excel else width * POINTS_PER_CHAR
        sheet.activate()
    except Exception as exc:
        _log_exception(exc, "format_rules")


def _last_visible(book, excel: bool):
    sheets = [sh for sh in book.sheets if sh.name != st.STATE_SHEET and _visible(sh, excel)]
    return sheets[-1] if sheets else book.sheets[len(book.sheets) - 1]


# ---------------------------------------------------------------------------------------------
# 选择说明文档


TEXT_FILTER = "说明文档 (*.docx;*.txt;*.pdf),*.docx;*.txt;*.pdf"


def pick_text(book) -> None:
    excel = _is_excel(book)
    if not excel or sys.platform != "win32":
        raise UserError("“选择说明文档”需要在 Windows 版 Excel 中使用。也可在命令行用 juesuan check 工作簿 --text 说明.docx。")
    path = book.app.api.GetOpenFilename(TEXT_FILTER, 1, "选择部门决算情况说明")
    if not path or path is False:
        return  # cancelled
    path = str(path)
    _, problem = _load_text(path)
    if problem:
        raise UserError(problem)
    _, state = read_state(book)
    state.text_path = path
    write_state(book, state, excel)
    _alert(book, f"已选择说明文档：{Path(path).name}\n下次“检查”时将核对其中的数字与表格是否一致。")


# ---------------------------------------------------------------------------------------------
# 关于/自检


def about_text() -> str:
    from importlib import metadata

    try:
        version = metadata.version("juesuan")
    except metadata.PackageNotFoundError:
        from checks import __version__ as version
    try:
        import xlwings as xw

        xlwings_version = xw.__version__
    except Exception as exc:
        xlwings_version = f"无法导入（{_short(exc)}）"
    try:
        from addin import udfs

        udf_line = f"工作表函数：addin.udfs 已加载，共 {len(udfs.UDFS)} 个（{', '.join(f.__name__ for f in udfs.UDFS)}）"
    except Exception as exc:
        udf_line = f"工作表函数：addin.udfs 无法导入（{_short(exc)}）"
    head = [p or "（当前目录）" for p in sys.path[:5]]
    return "\n".join([
        f"决算检查 {version}",
        f"Python {sys.version.split()[0]}：{sys.executable}",
        f"xlwings {xlwings_version}",
        udf_line,
        "sys.path 前几项：",
        *(f"  {p}" for p in head),
        f"日志文件：{log_path()}",
    ])


def about(book) -> None:
    _alert(book, about_text())


HANDLERS: dict[str, Callable[[object], None]] = {
    "btnCheck": check,
    "btnClear": clear,
    "btnNext": next_finding,
    "btnRules": rules_sheet,
    "btnPickText": pick_text,
    "btnAbout": about,
}
