"""The ribbon handlers (addin/excel.py) and their restore logic (addin/xl_state.py).

Three layers:
- xlwings' remote engine (`xw.Book(json=payload)`) runs the real handlers on the sample workbook;
  its recorded actions are replayed by `Client` (a tiny stand-in for the Excel client) so a
  second run and 清除标记 see the workbook as the first run left it;
- a small fake of the desktop engine (`FakeBook`), which, unlike the remote engine, can read fills
  and note text: it exercises the Excel branch (multi-area colouring, very hidden state sheet,
  restore of user fills and notes);
- the pure functions of xl_state with plain fakes.
"""

from __future__ import annotations

import copy
import re
import tempfile
from datetime import datetime
from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin import excel
from addin import xl_state as st
from addin.annotate import write_annotated_copy
from addin.marks import NOTE_MARKER, SEVERITY_STYLE, SUMMARY_SHEET, CellMark, plan_marks, summary_layout
from addin.reader import read_workbook
from checks.api import check_grids
from checks.findings import CellRef, Family, Finding, Severity
from checks.grid import a1, parse_a1

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"
NOW = datetime(2024, 5, 6, 7, 8)
VBA_COMMAND = "import addin.excel; addin.excel.on_ribbon('{}')"


# ---------------------------------------------------------------------------------------------
# remote engine fixtures


@pytest.fixture(scope="module")
def sample_grids():
    return read_workbook(SAMPLE)


@pytest.fixture(scope="module")
def sample_report(sample_grids):
    return check_grids(sample_grids, name=SAMPLE.name)


@pytest.fixture(scope="module")
def base_payload(sample_grids):
    import xlwings as xw

    sheets = [
        {"name": g.name, "values": [list(r) for r in g.rows] or [[]], "pictures": [], "tables": [], "notes": [],
         "visibility": "Hidden" if g.hidden else "Visible"}
        for g in sample_grids.sheets
    ]
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": SAMPLE.name, "active_sheet_index": 1, "selection": "A1"},
            "names": [], "sheets": sheets}


@pytest.fixture
def xw_remote(monkeypatch):
    """xlwings with the remote engine (it needs the noncommercial licence key)."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    from xlwings.main import Engine

    if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))
    monkeypatch.setattr(excel, "summary_layout", partial(summary_layout, now=NOW))
    yield xw
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def run(xw, payload: dict, control: str = "btnCheck") -> list[dict]:
    """Open the payload (a copy), run a ribbon button the way VBA does, return the actions."""
    book = xw.Book(json=copy.deepcopy(payload))
    book.set_mock_caller()
    exec(VBA_COMMAND.format(control), {})
    return book.json()["actions"]


class Client:
    """Applies recorded actions the way the Excel client would, so the next payload (and the
    final state) reflect them. Text written with a leading apostrophe is stored without it."""

    def __init__(self, payload: dict):
        self.payload = copy.deepcopy(payload)
        self.sheets = self.payload["sheets"]
        for s in self.sheets:
            s.setdefault("fills", {})
            s["note_text"] = {n["address"].replace("$", ""): n.get("text") for n in s["notes"]}

    def apply(self, actions: list[dict]) -> Client:
        for a in actions:
            getattr(self, "_" + a["func"], lambda a: None)(a)
        return self

    def _sheet(self, a):
        return self.sheets[a["sheet_position"]]

    def _cells(self, a):
        for r in range(a["start_row"], a["start_row"] + a["row_count"]):
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                yield a1(r, c)

    def _addSheet(self, a):
        ix, name = a["args"]
        self.sheets.insert(ix, {"name": name, "values": [[]], "pictures": [], "tables": [], "notes": [],
                                "visibility": "Visible", "fills": {}, "note_text": {}})

    def _sheetDelete(self, a):
        del self.sheets[a["sheet_position"]]

    def _setSheetVisibility(self, a):
        self._sheet(a)["visibility"] = a["args"][0]

    def _sheetClearContents(self, a):
        self._sheet(a)["values"] = [[]]

    def _setValues(self, a):
        sheet = self._sheet(a)
        grid = sheet["values"]
        for i, row in enumerate(a["values"]):
            r = a["start_row"] + i
            while len(grid) <= r:
                grid.append([])
            for j, v in enumerate(row):
                c = a["start_column"] + j
                while len(grid[r]) <= c:
                    grid[r].append(None)
                if isinstance(v, str) and v.startswith("'"):
                    v = v[1:]
                grid[r][c] = None if v == "" else v

    def _setRangeColor(self, a):
        for cell in self._cells(a):
            color = a["args"][0]
            if color is None:
                self._sheet(a)["fills"].pop(cell, None)
            else:
                self._sheet(a)["fills"][cell] = color.lstrip("#").upper()

    def _addNote(self, a):
        address, text = a["args"]
        sheet = self._sheet(a)
        key = address.replace("$", "")
        assert key not in sheet["note_text"], f"note added over an existing one at {key}"
        sheet["note_text"][key] = text
        sheet["notes"].append({"address": address})

    def _setNoteText(self, a):
        self._sheet(a)["note_text"][a["args"][0].replace("$", "")] = a["args"][1]

    def _deleteNote(self, a):
        sheet = self._sheet(a)
        key = a["args"][0].replace("$", "")
        sheet["note_text"].pop(key, None)
        sheet["notes"] = [n for n in sheet["notes"] if n["address"].replace("$", "") != key]

    def next_payload(self) -> dict:
        out = copy.deepcopy(self.payload)
        for s in out["sheets"]:
            s.pop("fills"), s.pop("note_text")
        return out

    def state(self) -> dict:
        """What a user sees: sheet order, visibility, values, fills and notes."""
        return {s["name"]: (s["visibility"], _trim(s["values"]), dict(s["fills"]), dict(s["note_text"]))
                for s in self.sheets}


def _trim(grid):
    rows = [list(r) for r in grid]
    for r in rows:
        while r and r[-1] is None:
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _headless_marks(tmp_path, sample_grids, sample_report) -> tuple[set, dict]:
    """(sheet, cell, fill) and notes of the cells the headless writer marks, read from its copy."""
    out = write_annotated_copy(SAMPLE, sample_report, tmp_path / "checked.xlsx", sample_grids, now=NOW)
    wb = load_workbook(out)
    fills, notes = set(), {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and NOTE_MARKER in cell.comment.text:
                    fills.add((ws.title, cell.coordinate, cell.fill.fgColor.rgb[-6:]))
                    notes[(ws.title, cell.coordinate)] = cell.comment.text
    return fills, notes


# ---------------------------------------------------------------------------------------------
# 检查 on the remote engine


def test_check_marks_the_cells_the_headless_writer_marks(xw_remote, base_payload, tmp_path, sample_grids,
                                                         sample_report):
    actions = run(xw_remote, base_payload)
    client = Client(base_payload).apply(actions)
    user_sheets = {g.name for g in sample_grids.sheets}
    fills = {(s["name"], cell, fill) for s in client.sheets if s["name"] in user_sheets
             for cell, fill in s["fills"].items()}
    planned = {(m.sheet, m.cell, m.fill) for m in plan_marks(sample_report)}
    headless, headless_notes = _headless_marks(tmp_path, sample_grids, sample_report)
    assert fills == planned == headless
    assert len(fills) == 78
    assert ("公开04表(2)", "A3", SEVERITY_STYLE[Severity.ERROR].fill) in fills
    notes = {(s["name"], cell): text for s in client.sheets if s["name"] in user_sheets
             for cell, text in s["note_text"].items()}
    assert notes == headless_notes == {(m.sheet, m.cell): m.note for m in plan_marks(sample_report)}
    assert sum(a["func"] == "addNote" for a in actions) == 78


def test_check_adds_summary_first_with_layout_values(xw_remote, base_payload, sample_grids, sample_report):
    actions = run(xw_remote, base_payload)
    client = Client(base_payload).apply(actions)
    names = [s["name"] for s in client.sheets]
    assert names[0] == SUMMARY_SHEET
    assert names[1:-1] == [g.name for g in sample_grids.sheets]
    assert names[-1] == st.STATE_SHEET and client.sheets[-1]["visibility"] == "Hidden"
    layout = summary_layout(sample_report, now=NOW, sheet_order=[g.name for g in sample_grids.sheets])
    width = layout.n_cols
    expected = [list(r) + [None] * (width - len(r)) for r in layout.rows]
    written = next(a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 0)
    assert (written["start_row"], written["start_column"]) == (0, 0)
    assert _trim(client.sheets[0]["values"]) == _trim(expected)
    assert ["addSheet", [0, SUMMARY_SHEET]] in [[a["func"], a["args"]] for a in actions]
    links = [a["args"] for a in actions if a["func"] == "addHyperlink"]
    assert ["#'公开04表(2)'!A3", "A3", "跳转到 公开04表(2)!A3"] in links
    alert = [a["args"][0] for a in actions if a["func"] == "alert"]
    assert alert == ["检查完成：错误 12 · 警告 13 · 提示 5\n已标记 78 个单元格，问题清单见工作表“检查结果”。"]


def test_check_twice_leaves_the_same_state_as_once(xw_remote, base_payload):
    first = Client(base_payload).apply(run(xw_remote, base_payload))
    second_actions = run(xw_remote, first.next_payload())
    second = Client(first.next_payload()).apply(second_actions)
    assert second.state() == first.state()
    # the second run found the state sheet, undid the first run's marks and marked again
    funcs = [a["func"] for a in second_actions]
    assert funcs.count("deleteNote") == 78 and funcs.count("addNote") == 78
    assert funcs.count("addSheet") == 1  # only the summary; the state sheet was reused


def test_clear_restores_the_workbook(xw_remote, base_payload):
    checked = Client(base_payload).apply(run(xw_remote, base_payload))
    actions = run(xw_remote, checked.next_payload(), "btnClear")
    cleared = Client(checked.next_payload()).apply(actions)
    assert cleared.state() == Client(base_payload).state()
    assert [a["args"][0] for a in actions if a["func"] == "alert"] == ["已清除 78 处标记，单元格已恢复检查前的底色和批注。"]


def test_unreadable_user_note_is_left_alone_on_remote(xw_remote, base_payload):
    payload = copy.deepcopy(base_payload)
    sheet = next(s for s in payload["sheets"] if s["name"] == "公开08表")
    sheet["notes"].append({"address": "$A$1", "text": "用户的批注"})  # the engine sees it exists
    checked = Client(payload).apply(run(xw_remote, payload))
    s08 = next(s for s in checked.sheets if s["name"] == "公开08表")
    assert s08["note_text"] == {"A1": "用户的批注"}
    assert s08["fills"] == {"A1": SEVERITY_STYLE[Severity.WARNING].fill}
    cleared = Client(checked.next_payload()).apply(run(xw_remote, checked.next_payload(), "btnClear"))
    assert cleared.state() == Client(payload).state()


def test_next_goes_through_the_findings_in_summary_order(xw_remote, base_payload, sample_grids, sample_report):
    checked = Client(base_payload).apply(run(xw_remote, base_payload))
    payload = checked.next_payload()
    order = [(r.sheet, r.cell) for r in st.parse_state(_trim(checked.sheets[-1]["values"])).rows]
    layout = summary_layout(sample_report, now=NOW, sheet_order=[g.name for g in sample_grids.sheets])
    firsts = list(dict.fromkeys((f.cells[0].sheet, f.cells[0].cell) for f in layout.ordered))
    every = list(dict.fromkeys((c.sheet, c.cell) for f in layout.ordered for c in [*f.cells, *f.context]))
    assert set(firsts) <= set(order)
    assert order == [o for o in every if o in set(order)]  # the summary's order, cell by cell
    assert order[0] == ("公开04表(2)", "A3") and order[1] == firsts[1] == ("情况说明", "A15")

    def selected(actions):
        sel = [a for a in actions if a["func"] == "rangeSelect"]
        assert len(sel) == 1
        return payload["sheets"][sel[0]["sheet_position"]]["name"], a1(sel[0]["start_row"], sel[0]["start_column"])

    payload["book"]["active_sheet_index"] = 0  # on the summary sheet: go to the first finding
    assert selected(run(xw_remote, payload, "btnNext")) == order[0]
    ix = [s["name"] for s in payload["sheets"]].index(order[1][0])
    payload["book"].update(active_sheet_index=ix, selection=order[1][1])
    assert selected(run(xw_remote, payload, "btnNext")) == order[2]
    ix = [s["name"] for s in payload["sheets"]].index(order[-1][0])
    payload["book"].update(active_sheet_index=ix, selection=order[-1][1])
    assert selected(run(xw_remote, payload, "btnNext")) == order[0]  # wraps around


def test_next_without_marks_says_so(xw_remote, base_payload):
    actions = run(xw_remote, base_payload, "btnNext")
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0] == "没有标记。请先点“检查”。"


def test_clear_without_marks_says_so(xw_remote, base_payload):
    actions = run(xw_remote, base_payload, "btnClear")
    assert [(a["func"], a["args"][0]) for a in actions] == [("alert", "没有标记：本工作簿尚未检查，或标记已清除。")]


def test_unknown_button_only_alerts(xw_remote, base_payload):
    actions = run(xw_remote, base_payload, "btnFormatDisk")
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][:2] == ["未知的按钮“btnFormatDisk”，没有执行任何操作。请重新安装决算检查加载项。", "决算检查"]


def test_handler_error_becomes_an_alert_and_a_log(xw_remote, base_payload, monkeypatch, tmp_path):
    def broken(book):
        raise RuntimeError("模拟的故障")

    monkeypatch.setitem(excel.HANDLERS, "btnCheck", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    actions = run(xw_remote, base_payload)  # exec of the VBA command: nothing escapes
    log = tmp_path / excel.LOG_FILE
    assert [a["args"][0] for a in actions] == [f"操作未完成：模拟的故障\n详细信息已写入：{log}"]
    text = log.read_text(encoding="utf-8")
    assert "on_ribbon('btnCheck')" in text and "RuntimeError: 模拟的故障" in text


def test_rules_sheet_lists_rules_and_functions(xw_remote, base_payload):
    from addin import udfs
    from checks.rules import RULES

    actions = run(xw_remote, base_payload, "btnRules")
    client = Client(base_payload).apply(actions)
    sheet = next(s for s in client.sheets if s["name"] == excel.RULES_SHEET)
    assert client.sheets[-1] is sheet
    rows = _trim(sheet["values"])
    assert rows[0] == [excel.RULES_TITLE]
    ids = [r[0] for r in rows if r and r[0] in RULES]
    assert ids == list(RULES)
    t01 = next(r for r in rows if r and r[0] == "T01-2")
    assert t01[:4] == ["T01-2", "表内", "错误", RULES["T01-2"].title]
    start = rows.index(["工作表函数", "说明", None, None, "示例"])
    names = [r[0].split("(")[0] for r in rows[start + 1:]]
    assert names == [f.__name__ for f in udfs.UDFS]
    sangong = next(r for r in rows if r and str(r[0]).startswith("SANGONG_RATE("))
    assert sangong[0] == "SANGONG_RATE(item, kind, final, budget)"
    assert sangong[4].startswith("=SANGONG_RATE()")
    # a second click replaces the sheet instead of adding another
    again = Client(client.next_payload()).apply(run(xw_remote, client.next_payload(), "btnRules"))
    assert [s["name"] for s in again.sheets].count(excel.RULES_SHEET) == 1


def test_pick_text_needs_windows_excel(xw_remote, base_payload):
    actions = run(xw_remote, base_payload, "btnPickText")
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0].startswith("“选择说明文档”需要在 Windows 版 Excel 中使用。")


def test_about_reports_versions(xw_remote, base_payload):
    import sys

    actions = run(xw_remote, base_payload, "btnAbout")
    text = actions[0]["args"][0]
    assert f"xlwings {xw_remote.__version__}" in text
    assert sys.executable in text
    assert "addin.udfs 已加载，共 6 个" in text


def test_used_range_not_at_a1_keeps_addresses(xw_remote):
    payload = {"client": "Office.js", "version": xw_remote.__version__,
               "book": {"name": "x.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
               "sheets": [{"name": "表", "values": [[None, None, None], [None, 1.0, 2.0], [None, 3.0, "x"]],
                           "used_range_address": "$B$2:$C$3", "pictures": [], "tables": [], "notes": [],
                           "visibility": "Visible"}]}
    book = xw_remote.Book(json=payload)
    grid = excel.book_grids(book).sheets[0]
    assert grid.value(1, 1) == 1.0 and grid.value(2, 2) == "x" and grid.value(0, 0) is None
    assert grid.rows == [[], [None, 1.0, 2.0], [None, 3.0, "x"]]


# ---------------------------------------------------------------------------------------------
# a fake of the desktop engine: reads fills and notes, batches multi-area ranges


def _hex_to_rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class FakeNote:
    def __init__(self, sheet, key):
        self.sheet, self.key = sheet, key
        self.api = type("NoteApi", (), {"Shape": type("Shape", (), {})()})()

    @property
    def text(self):
        return self.sheet.notes[self.key]

    @text.setter
    def text(self, value):
        self.sheet.notes[self.key] = value

    def delete(self):
        del self.sheet.notes[self.key]


class FakeFont:
    bold = size = color = None


class FakeRange:
    def __init__(self, sheet, cells, address):
        self.sheet, self.cells, self.address = sheet, cells, address
        self.font = FakeFont()
        self.api = type("RangeApi", (), {"CommentThreaded": None, "Hyperlinks": sheet.hyperlinks})()
        self.merge_cells = False

    @property
    def row(self):
        return self.cells[0][0] + 1

    @property
    def column(self):
        return self.cells[0][1] + 1

    @property
    def shape(self):
        rows = {r for r, _ in self.cells}
        cols = {c for _, c in self.cells}
        return len(rows), len(cols)

    def options(self, ndim=None, **_):
        rng = FakeRange(self.sheet, self.cells, self.address)
        rng.ndim = ndim
        return rng

    ndim = None

    @property
    def color(self):
        fill = self.sheet.fills.get(self.cells[0])
        return None if fill is None else _hex_to_rgb(fill)

    @color.setter
    def color(self, value):
        self.sheet.book.app.color_calls.append((self.sheet.name, self.address, value))
        for key in self.cells:
            if value is None:
                self.sheet.fills.pop(key, None)
            else:
                self.sheet.fills[key] = value.lstrip("#").upper()

    @property
    def note(self):
        return FakeNote(self.sheet, self.cells[0]) if self.cells[0] in self.sheet.notes else None

    def add_note(self, text):
        assert self.cells[0] not in self.sheet.notes
        self.sheet.notes[self.cells[0]] = text

    @property
    def value(self):
        r0, c0 = self.cells[0]
        nrows, ncols = self.shape
        rows = [[self.sheet.values.get((r0 + i, c0 + j)) for j in range(ncols)] for i in range(nrows)]
        return rows if self.ndim == 2 or (nrows, ncols) != (1, 1) else rows[0][0]

    @value.setter
    def value(self, rows):
        r0, c0 = self.cells[0]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, str):
                    assert not re.match(r"^[=+\-@]", v), f"would be a formula: {v!r}"
                    v = v[1:] if v.startswith("'") else v
                if v is None or v == "":
                    self.sheet.values.pop((r0 + i, c0 + j), None)
                else:
                    self.sheet.values[(r0 + i, c0 + j)] = v

    column_width = wrap_text = None

    def select(self):
        self.sheet.book.app.selection = self


class FakeSheetApi:
    Visible = -1
    ProtectContents = False


class FakeSheet:
    def __init__(self, book, name, values=None):
        self.book, self.name = book, name
        self.values: dict = dict(values or {})
        self.fills: dict = {}
        self.notes: dict = {}
        self.hyperlinks = type("Hyperlinks", (), {"Add": lambda *a, **k: None})()
        self.api = FakeSheetApi()

    def range(self, a, b=None):
        if isinstance(a, tuple):
            b = b or a
            cells = [(r, c) for r in range(a[0] - 1, b[0]) for c in range(a[1] - 1, b[1])]
            return FakeRange(self, cells, a1(*cells[0]))
        cells = []
        for part in a.split(","):
            lo, _, hi = part.partition(":")
            (r0, c0), (r1, c1) = parse_a1(lo), parse_a1(hi or lo)
            cells += [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        return FakeRange(self, cells, a)

    @property
    def used_range(self):
        if not self.values:
            return self.range("A1")
        rows = [r for r, _ in self.values]
        cols = [c for _, c in self.values]
        return self.range((min(rows) + 1, min(cols) + 1), (max(rows) + 1, max(cols) + 1))

    def clear_contents(self):
        self.values.clear()

    def delete(self):
        assert self.api.Visible == -1, "deleting a sheet that is not visible"
        self.book.sheets.remove(self)

    def activate(self):
        self.book.app.active = self


class FakeSheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)

    def add(self, name, before=None, after=None):
        sheet = FakeSheet(self.book, name)
        ix = self.index(before) if before is not None else self.index(after) + 1
        self.insert(ix, sheet)
        return sheet


class FakeApp:
    def __init__(self):
        self.engine = type("Engine", (), {"name": "excel"})()
        self.alerts, self.color_calls = [], []
        self.status_bar, self.screen_updating, self.display_alerts = False, True, True
        self.selection = None
        self.active = None
        self.api = type("AppApi", (), {"ActiveWindow": type("Window", (), {})()})()

    def alert(self, prompt, title=None, **_):
        self.alerts.append(prompt)


class FakeBook:
    def __init__(self, grids):
        self.app = FakeApp()
        self.name = self.fullname = SAMPLE.name
        self.sheets = FakeSheets()
        self.sheets.book = self
        for g in grids.sheets:
            values = {(r, c): v for r, row in enumerate(g.rows) for c, v in enumerate(row) if v is not None}
            self.sheets.append(FakeSheet(self, g.name, values))

    def look(self) -> dict:
        return {s.name: (s.api.Visible, dict(s.values), dict(s.fills), dict(s.notes)) for s in self.sheets}


@pytest.fixture
def fake_book(sample_grids, monkeypatch):
    monkeypatch.setattr(excel, "summary_layout", partial(summary_layout, now=NOW))
    book = FakeBook(sample_grids)
    s04, s06 = book.sheets["公开04表(2)"], book.sheets["公开06表"]
    s04.fills[(2, 0)] = "FFFF00"  # the user's own yellow on a cell we will flag
    s04.notes[(2, 0)] = "用户：部门名称待确认"
    s06.notes[(6, 2)] = "=核对工资表"  # a note that looks like a formula, on a flagged cell
    return book


def test_excel_check_batches_fills_and_keeps_user_notes(fake_book, sample_report):
    before = fake_book.look()
    excel.on_ribbon("btnCheck", fake_book)
    assert fake_book.app.alerts[-1].startswith("检查完成：错误 12 · 警告 13 · 提示 5")
    marks = {(m.sheet, m.cell): m for m in plan_marks(sample_report)}
    for (sheet, cell), m in marks.items():
        s = fake_book.sheets[sheet]
        assert s.fills[parse_a1(cell)] == m.fill
    assert fake_book.sheets["公开04表(2)"].notes[(2, 0)] == "用户：部门名称待确认\n\n" + marks[("公开04表(2)", "A3")].note
    assert fake_book.sheets["公开06表"].notes[(6, 2)] == "=核对工资表\n\n" + marks[("公开06表", "C7")].note
    # 14 cells of C7:C20 and 28 of F7:F34 share one colour: multi-area calls, not one per cell
    calls = [c for c in fake_book.app.color_calls if c[0] == "公开06表"]
    assert len(calls) < 5 and all(len(addr) <= 255 for _, addr, _ in calls)
    state_sheet = fake_book.sheets[st.STATE_SHEET]
    assert state_sheet.api.Visible == excel.XL_SHEET_VERY_HIDDEN
    assert fake_book.sheets[0].name == SUMMARY_SHEET
    assert fake_book.app.status_bar is False and fake_book.app.screen_updating is True
    # 清除标记 gives back the user's fill and notes exactly, and removes our sheets
    excel.on_ribbon("btnClear", fake_book)
    assert fake_book.look() == before


def test_excel_check_twice_then_clear(fake_book):
    before = fake_book.look()
    excel.on_ribbon("btnCheck", fake_book)
    once = fake_book.look()
    excel.on_ribbon("btnCheck", fake_book)
    assert fake_book.look() == once
    excel.on_ribbon("btnClear", fake_book)
    assert fake_book.look() == before


def test_excel_clear_keeps_what_the_user_changed_after_check(fake_book):
    excel.on_ribbon("btnCheck", fake_book)
    s04, s06 = fake_book.sheets["公开04表(2)"], fake_book.sheets["公开06表"]
    s06.fills[(7, 2)] = "00B050"  # C8 re-coloured green by the user
    s04.notes[(2, 0)] = s04.notes[(2, 0)].replace("待确认", "已确认") + "\n已核实"
    s06.notes.pop((8, 2))  # C9: the user deleted our note
    excel.on_ribbon("btnClear", fake_book)
    assert s06.fills[(7, 2)] == "00B050"
    assert (6, 2) not in s06.fills and (8, 2) not in s06.fills
    assert s04.fills[(2, 0)] == "FFFF00"
    # the user's edit before our block and the line typed after it stay; our block goes
    assert s04.notes[(2, 0)] == "用户：部门名称已确认\n已核实"
    assert (8, 2) not in s06.notes and s06.notes[(6, 2)] == "=核对工资表"


def test_excel_state_survives_save_and_reopen(fake_book):
    before = fake_book.look()
    excel.on_ribbon("btnCheck", fake_book)
    # "reopen": the add-in process is new, only the workbook's cells remain
    values = excel.sheet_values(fake_book.sheets[st.STATE_SHEET])
    state = st.parse_state(values)
    assert state is not None and len(state.rows) == 78
    row = next(r for r in state.rows if (r.sheet, r.cell) == ("公开04表(2)", "A3"))
    assert (row.fill, row.note_state, row.note) == ("FFFF00", st.NOTE_TEXT, "用户：部门名称待确认")
    row = next(r for r in state.rows if (r.sheet, r.cell) == ("公开06表", "C7"))
    assert row.note == "=核对工资表"
    excel.on_ribbon("btnClear", fake_book)
    assert fake_book.look() == before


def test_excel_next_selects_and_explains(fake_book):
    excel.on_ribbon("btnCheck", fake_book)
    excel.on_ribbon("btnNext", fake_book)
    sel = fake_book.app.selection
    assert (sel.sheet.name, sel.address) == ("公开04表(2)", "A3")
    assert fake_book.app.active is sel.sheet
    assert fake_book.app.status_bar.startswith("第 1/78 处 公开04表(2)!A3：[X-11 错误] 公开04表（工作表“公开04表(2)”）")
    excel.on_ribbon("btnNext", fake_book)
    assert (fake_book.app.selection.sheet.name, fake_book.app.selection.address) == ("情况说明", "A15")
    assert fake_book.app.status_bar.startswith("第 2/78 处 情况说明!A15：[Y-2 错误]")


def test_excel_protected_sheet_is_refused_before_any_mark(fake_book):
    fake_book.sheets["公开06表"].api = type("Api", (), {"Visible": -1, "ProtectContents": True})()
    before = fake_book.look()
    excel.on_ribbon("btnCheck", fake_book)
    assert fake_book.app.alerts == ["工作表“公开06表”受保护，无法加标记。请先撤销工作表保护（审阅 → 撤销工作表保护）后再检查。"]
    assert fake_book.look() == before


# ---------------------------------------------------------------------------------------------
# xl_state: pure logic


def _finding(sheet, *cells, sev=Severity.ERROR, rule="T01-1"):
    return Finding(rule, sev, Family.INTRA, f"{rule} 不符", [CellRef(sheet, c) for c in cells])


def _mark(sheet, cell, note="【决算检查】\n[T01-1 错误] 不符"):
    return CellMark(sheet, cell, Severity.ERROR, [], note)


class Cells:
    """A workbook as two dicts; readers that can or cannot read, like the two engines."""

    def __init__(self, fills=None, notes=None, readable=True):
        self.fills, self.notes, self.readable = dict(fills or {}), dict(notes or {}), readable

    def read_fill(self, sheet, cell):
        if not self.readable:
            return st.UNKNOWN
        return self.fills.get((sheet, cell), st.NO_FILL)

    def read_note(self, sheet, cell):
        if (sheet, cell) not in self.notes:
            return st.NOTE_NONE, None
        return (st.NOTE_TEXT, self.notes[(sheet, cell)]) if self.readable else (st.UNKNOWN, None)

    def apply(self, actions):
        for a in actions:
            target = self.fills if isinstance(a, st.SetFill) else self.notes
            value = a.fill if isinstance(a, st.SetFill) else a.text
            if value is None:
                target.pop((a.sheet, a.cell), None)
            else:
                target[(a.sheet, a.cell)] = value

    def mark(self, rows):
        for r in rows:
            self.fills[(r.sheet, r.cell)] = r.our_fill
            note = st.note_to_write(r)
            if note is not None:
                self.notes[(r.sheet, r.cell)] = note


def _stored(values):
    """Cell values as Excel keeps them: the text prefix dropped, a bare digit string a number."""
    def one(v):
        if isinstance(v, str):
            return v[1:] if v.startswith("'") else (float(v) if re.fullmatch(r"\d+", v) else v)
        return v
    return [[one(v) for v in row] for row in values]


def _reopen(state: st.State) -> st.State:
    """What parse_state gets back after Excel stored state_values and the file was reopened."""
    return st.parse_state(_stored(st.state_values(state)))


def test_snapshot_restore_round_trip_through_the_state_sheet():
    marks = [_mark("2018", "B2"), _mark("表1", "C3"), _mark("表1", "D4")]
    wb = Cells(fills={("2018", "B2"): "FFFF00"},
               notes={("2018", "B2"): "'以撇号开头", ("表1", "C3"): "=SUM(A1)\n第二行"})
    original = (dict(wb.fills), dict(wb.notes))
    rows = st.snapshot_rows(marks, wb.read_fill, wb.read_note)
    assert [(r.fill, r.note_state, r.note) for r in rows] == [
        ("FFFF00", st.NOTE_TEXT, "'以撇号开头"), (st.NO_FILL, st.NOTE_TEXT, "=SUM(A1)\n第二行"),
        (st.NO_FILL, st.NOTE_NONE, None)]
    wb.mark(rows)
    assert wb.notes[("表1", "C3")] == "=SUM(A1)\n第二行\n\n" + marks[1].note
    back = _reopen(st.State(rows=rows, text_path="D:\\说明\\2018.docx"))
    assert back.rows == rows and back.text_path == "D:\\说明\\2018.docx"
    wb.apply(st.plan_restore(back.rows, wb.read_fill, wb.read_note))
    assert (wb.fills, wb.notes) == original


def test_snapshot_merges_with_the_previous_run():
    wb = Cells(fills={("S", "A1"): "FFFF00"}, notes={("S", "A1"): "原批注"})
    first = st.snapshot_rows([_mark("S", "A1")], wb.read_fill, wb.read_note)
    wb.mark(first)
    # re-check without restoring first: our colour and block are not taken for the user's
    again = st.snapshot_rows([_mark("S", "A1", note="【决算检查】\n[T01-2 错误] 新")], wb.read_fill, wb.read_note,
                             previous=first)
    assert (again[0].fill, again[0].note) == ("FFFF00", "原批注")
    # a colour the user set after the first run becomes the original
    wb.fills[("S", "A1")] = "00B050"
    assert st.snapshot_rows([_mark("S", "A1")], wb.read_fill, wb.read_note, previous=first)[0].fill == "00B050"


def test_snapshot_on_an_engine_that_cannot_read():
    wb = Cells(notes={("S", "A1"): "看不见的批注"}, readable=False)
    rows = st.snapshot_rows([_mark("S", "A1"), _mark("S", "B1")], wb.read_fill, wb.read_note)
    assert [(r.fill, r.note_state, bool(r.ours)) for r in rows] == [
        (st.UNKNOWN, st.UNKNOWN, False), (st.UNKNOWN, st.NOTE_NONE, True)]
    wb.mark(rows)
    assert wb.notes == {("S", "A1"): "看不见的批注", ("S", "B1"): rows[1].ours}
    # second run: the note at B1 is ours (the engine only knows one exists)
    again = st.snapshot_rows([_mark("S", "B1")], wb.read_fill, wb.read_note, previous=rows)
    assert (again[0].note_state, again[0].ours) == (st.NOTE_NONE, rows[1].ours)
    wb.apply(st.plan_restore(rows, wb.read_fill, wb.read_note))
    assert wb.notes == {("S", "A1"): "看不见的批注"} and wb.fills == {}


def test_restore_rules():
    ours = "【决算检查】\n[T01-1 错误] 不符"
    row = st.StateRow("S", "A1", "FFFF00", st.NOTE_TEXT, "用户", ours, "FFC7CE")
    wb = Cells(fills={("S", "A1"): "FFC7CE"}, notes={("S", "A1"): "用户（已改）\n\n" + ours + "\n我已核实"})
    assert st.plan_restore([row], wb.read_fill, wb.read_note) == [
        st.SetFill("S", "A1", "FFFF00"), st.SetNote("S", "A1", "用户（已改）\n我已核实")]
    wb = Cells(fills={("S", "A1"): "00B050"}, notes={("S", "A1"): "用户\n\n【决算检查】\n用户改了我们的说明"})
    assert st.plan_restore([row], wb.read_fill, wb.read_note) == [st.SetNote("S", "A1", "用户")]
    wb = Cells(fills={("S", "A1"): "FFC7CE"}, notes={("S", "A1"): "用户重写的批注"})
    assert st.plan_restore([row], wb.read_fill, wb.read_note) == [st.SetFill("S", "A1", "FFFF00")]
    wb = Cells(fills={("S", "A1"): "FFC7CE"})  # the user deleted the note
    assert st.plan_restore([row], wb.read_fill, wb.read_note) == [st.SetFill("S", "A1", "FFFF00")]
    # nothing can be read: the saved originals come back
    assert st.plan_restore([row]) == [st.SetFill("S", "A1", "FFFF00"), st.SetNote("S", "A1", "用户")]
    unknown = st.StateRow("S", "A1", st.UNKNOWN, st.NOTE_NONE, None, ours, "FFC7CE")
    assert st.plan_restore([unknown]) == [st.SetFill("S", "A1", None), st.SetNote("S", "A1", None)]


def test_parse_state_refuses_other_sheets_and_skips_bad_rows():
    assert st.parse_state([["别的表"]]) is None
    assert st.parse_state([]) is None
    values = st.state_values(st.State(rows=[st.StateRow("S", "A1", "none", "none", None, "x", "FFC7CE")]))
    values.append(["S", "A1:B2", "none", "none", None, "x", "FFC7CE"])
    values.append([None, "A1"])
    values.append(["S", "B2", "bogus", "bogus", "x", None, None])
    parsed = st.parse_state(_stored(values))
    assert parsed.rows == [st.StateRow("S", "A1", st.NO_FILL, st.NOTE_NONE, None, "x", "FFC7CE"),
                           st.StateRow("S", "B2", "BOGUS", st.UNKNOWN, None, "", "")]


def test_order_and_anchors():
    from checks.findings import Report

    f1 = _finding("S", "B2", "A1", sev=Severity.WARNING, rule="T01-2")
    f2 = _finding("S", "C3", "B2")
    plan = plan_marks(Report("x", findings=[f1, f2])).marks
    ordered = st.ordered_marks(plan, [f2, f1])
    assert [m.cell for m in ordered] == ["C3", "B2", "A1"]
    merged = {"B2": "A1"}  # B2 lies in a merged area anchored at A1
    anchored = st.anchor_marks(plan.values(), lambda s, c: merged.get(c, c))
    assert sorted(anchored) == [("S", "A1"), ("S", "C3")]
    top = anchored[("S", "A1")]
    assert top.severity is Severity.ERROR and [f.rule for f in top.findings] == ["T01-2", "T01-1"]
    assert top.note == "【决算检查】\n[T01-1 错误] T01-1 不符\n[T01-2 警告] T01-2 不符"


def test_next_index_wraps_and_starts_at_the_first():
    order = [("S", "A1"), ("T", "B2"), ("S", "C3")]
    assert st.next_index(order, ("T", "$B$2")) == 2
    assert st.next_index(order, ("S", "C3")) == 0
    assert st.next_index(order, ("S", "Z9")) == 0
    assert st.next_index(order, None) == 0
    assert st.next_index([], ("S", "A1")) is None


def test_multi_area_addresses_stay_under_excels_limit():
    cells = [f"C{r}" for r in range(1, 120)]
    chunks = st.multi_area_addresses(cells)
    assert all(len(c) <= 255 for c in chunks) and len(chunks) > 1
    assert [c for chunk in chunks for c in chunk.split(",")] == cells
    assert st.multi_area_addresses(["B2", "A10", "A2"]) == ["A2,B2,A10"]
    assert st.first_cell("$B$3:$C$5") == "B3" and st.first_cell("D4,E5") == "D4" and st.first_cell("") is None


def test_excel_text_keeps_text_as_text():
    assert excel.excel_text("=1+1") == "'=1+1"
    assert excel.excel_text("-0.01") == "'-0.01"
    assert excel.excel_text("1,170.07") == "'1,170.07"
    assert excel.excel_text("0.05%") == "'0.05%"
    assert excel.excel_text("2019-01-01") == "'2019-01-01"
    assert excel.excel_text("'引号") == "''引号"
    assert excel.excel_text("C7 等14处") == "C7 等14处"
    assert excel.excel_text("2018年格式（8张表）") == "2018年格式（8张表）"
    assert excel.block_values([["a"], [1, None, 2.5]]) == [["a", None, None], [1, None, 2.5]]


def test_short_error_text_prefers_excels_description():
    com_error = Exception(-2147352567, "发生意外。", (0, "Microsoft Excel", "无法更改受保护的工作表。", None, 0, -1), None)
    assert excel._short(com_error) == "无法更改受保护的工作表。"
    assert excel._short(ValueError("a\nb")) == "a b"
    assert excel._short(KeyError()) == "KeyError"
