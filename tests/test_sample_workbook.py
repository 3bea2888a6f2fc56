"""The committed sample workbook yongzhou_2018.xlsx: current with its builder, and true to the source text.

Expected values come from the source text through the small reader below, written apart from the
builder so that a layout or typing mistake in the builder shows up here.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sample_workbooks" / "source" / "yongzhou_2018.txt"
WORKBOOK = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"
BUILDER = ROOT / "sample_workbooks" / "build_yongzhou.py"

SHEETS = [
    "部门概况",
    "公开01表",
    "公开02表",
    "公开03表",
    "公开04表",
    "公开05表",
    "公开04表(2)",
    "公开06表",
    "公开07表",
    "公开08表",
    "情况说明",
    "名词解释",
    "整体支出绩效评价报告",
    "整体支出绩效评价表",
    "整体支出绩效基础数据表",
    "项目支出绩效评价报告",
    "项目支出绩效评价表",
]


# ---------------------------------------------------------------- source reader


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def source_items() -> list[tuple[str, object]]:
    """('row', cells) for each run of TAB lines, ('para', text) for each plain line."""
    items: list[tuple[str, object]] = []
    cells: list[str] = []
    for line in source_lines():
        if line.startswith("\t"):
            cells.append(line[1:])
            continue
        if cells:
            items.append(("row", cells))
            cells = []
        if line:
            items.append(("para", line))
    if cells:
        items.append(("row", cells))
    return items


def source_table(marker: str, occurrence: int = 0) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """(部门 row, header rows, data rows) of the table whose marker row ends with ``marker``."""
    items = source_items()
    starts = [i for i, (kind, v) in enumerate(items) if kind == "row" and v[-1] == marker]
    i = starts[occurrence] + 1
    rows = []
    while i < len(items) and items[i][0] == "row" and len(items[i][1]) > 1:
        rows.append(items[i][1])
        i += 1
    dept, rows = rows[0], rows[1:]
    numbers_at = next(
        n
        for n, r in enumerate(rows)
        if r[0] == "栏次" or all(c == str(k + 1) for k, c in enumerate(r)) or r[0].isdigit()
    )
    if rows[numbers_at][0].isdigit() and rows[numbers_at][0] != "1":
        return dept, rows[:numbers_at], rows[numbers_at:]  # 公开06表: no 栏次 row
    return dept, rows[: numbers_at + 1], rows[numbers_at + 1 :]


def section(first: str, stop: str) -> list[str]:
    """Plain lines from the line ``first`` up to the line ``stop``, both matched after stripping."""
    lines = source_lines()
    start = next(i for i, line in enumerate(lines) if line.strip() == first)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == stop)
    return [line for line in lines[start:end] if line and not line.startswith("\t")]


def amount(text: str) -> float:
    return float(Decimal(text.replace(",", "")))


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cal() -> CalamineWorkbook:
    return CalamineWorkbook.from_path(str(WORKBOOK))


@pytest.fixture(scope="module")
def wb() -> openpyxl.Workbook:
    return openpyxl.load_workbook(WORKBOOK)


def rows_of(cal: CalamineWorkbook, sheet: str) -> list[list[object]]:
    return cal.get_sheet_by_name(sheet).to_python()


def first_data_row(rows: list[list[object]]) -> int:
    """0-based index of the row after the 栏次 row."""
    for i, r in enumerate(rows):
        if r[0] == "栏次" or (r[0] == 1.0 and r[1] == 2.0):
            return i + 1
    raise AssertionError("no 栏次 row")


def build(out: Path) -> None:
    subprocess.run([sys.executable, str(BUILDER), str(SOURCE), "-o", str(out)], check=True)


def workbook_content(path: Path) -> dict[str, object]:
    book = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()],
            sorted(str(m) for m in ws.merged_cells.ranges),
        )
        for ws in book.worksheets
    }


# ---------------------------------------------------------------- the file itself


def test_committed_workbook_matches_a_rebuild(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    build(first)
    build(second)
    assert first.read_bytes() == second.read_bytes(), "the builder is not deterministic"
    rebuilt = workbook_content(first)
    committed = workbook_content(WORKBOOK)
    assert list(rebuilt) == list(committed)
    for name in committed:
        assert rebuilt[name] == committed[name], f"sheet {name} is stale; rerun build_yongzhou.py"


def test_sheets_in_document_order(cal: CalamineWorkbook, wb: openpyxl.Workbook) -> None:
    assert cal.sheet_names == SHEETS
    assert wb.sheetnames == SHEETS


@pytest.mark.parametrize(
    ("sheet", "marker", "occurrence"),
    [(f"公开0{n}表", f"公开0{n}表", 0) for n in range(1, 9)] + [("公开04表(2)", "公开04表", 1)],
)
def test_table_heading_rows(wb: openpyxl.Workbook, sheet: str, marker: str, occurrence: int) -> None:
    dept, _, _ = source_table(marker, occurrence)
    ws = wb[sheet]
    last = ws.max_column
    assert ws.cell(2, last).value == marker
    assert ws.cell(3, 1).value == dept[0]
    assert ws.cell(3, last).value == [c for c in dept if c][-1]
    assert f"A1:{get_column_letter(last)}1" in {str(m) for m in ws.merged_cells.ranges}


def test_other_department_table_kept_as_printed(wb: openpyxl.Workbook) -> None:
    dept, _, data = source_table("公开04表", 1)
    assert dept[0] == "部门：永州市行政审批服务局"
    assert wb["公开04表(2)"]["A3"].value == dept[0]
    assert wb["公开04表"]["A3"].value == source_table("公开04表", 0)[0][0]
    assert len(data) == 11  # the document breaks this table off after 十一、城乡社区支出


# ---------------------------------------------------------------- 决算表 values


def typed(text: str, kind: str) -> object:
    if text == "" or kind == "s":
        return text
    return float(int(text)) if kind == "i" else amount(text)


COLUMN_KINDS = {
    "公开01表": "siasia",
    "公开04表": "siasiaaa",
    "公开02表": "ssaaaaaaa",
    "公开03表": "ssaaaaaa",
    "公开05表": "ssaaa",
    "公开06表": "ssassassa",
    "公开07表": "aaaaaaaaaaaa",
    "公开08表": "ssaaaaaa",
}


@pytest.mark.parametrize(
    ("sheet", "marker", "occurrence"),
    [(f"公开0{n}表", f"公开0{n}表", 0) for n in range(1, 9)] + [("公开04表(2)", "公开04表", 1)],
)
def test_data_rows_equal_the_text(cal: CalamineWorkbook, sheet: str, marker: str, occurrence: int) -> None:
    kinds = COLUMN_KINDS[marker]
    _, _, data = source_table(marker, occurrence)
    rows = rows_of(cal, sheet)
    if marker == "公开06表":  # no 栏次 row
        start = next(i for i, r in enumerate(rows) if r[0] == data[0][0])
    else:
        start = first_data_row(rows)
    for offset, cells in enumerate(data):
        got = rows[start + offset]
        if marker == "公开06表" and len(cells) == 4:  # footer: label | value per block
            assert [got[0], got[2], got[3], got[8]] == [
                cells[0],
                amount(cells[1]),
                cells[2],
                amount(cells[3]),
            ]
            continue
        if len(cells) == len(kinds) - 1:  # 合计 spans the code and name columns
            cells = [cells[0], ""] + cells[1:]
        assert got == [typed(c, k) for c, k in zip(cells, kinds, strict=True)], (sheet, offset)
    after = rows[start + len(data)] if start + len(data) < len(rows) else [""]
    assert not str(after[0]) or str(after[0]).startswith("注")


def test_01_totals(cal: CalamineWorkbook) -> None:
    _, _, data = source_table("公开01表")
    by_label = {r[0]: r for r in data if r[0]}
    rows = {r[0]: r for r in rows_of(cal, "公开01表") if r[0]}
    assert by_label["本年收入合计"][2] == "3,082.32"
    assert rows["本年收入合计"][2] == amount(by_label["本年收入合计"][2])
    assert rows["总计"][2] == amount(by_label["总计"][2]) == rows["总计"][5]
    assert rows["总计"][1] == int(by_label["总计"][1])


def test_02_item_row(cal: CalamineWorkbook) -> None:
    _, _, data = source_table("公开02表")
    text = next(r for r in data if r[0] == "2010301")
    got = next(r for r in rows_of(cal, "公开02表") if r[0] == "2010301")
    assert got[:2] == ["2010301", "  行政运行"]
    assert got[2:] == [amount(v) for v in text[2:]]


def test_06_reception_and_staff_total(cal: CalamineWorkbook) -> None:
    _, _, data = source_table("公开06表")
    text = next(r for r in data if r[3] == "30217")
    footer = data[-1]
    rows = rows_of(cal, "公开06表")
    got = next(r for r in rows if r[3] == "30217")
    assert got[3:6] == [text[3], text[4], amount(text[5])]
    total = next(r for r in rows if r[0] == "人员经费合计")
    assert total[2] == amount(footer[1]) and total[8] == amount(footer[3])


def test_07_twelve_values(cal: CalamineWorkbook) -> None:
    _, _, data = source_table("公开07表")
    assert len(data) == 1 and len(data[0]) == 12
    rows = rows_of(cal, "公开07表")
    assert rows[first_data_row(rows)] == [amount(v) for v in data[0]]


def test_08_keeps_its_empty_rows(cal: CalamineWorkbook) -> None:
    _, _, data = source_table("公开08表")
    rows = rows_of(cal, "公开08表")
    start = first_data_row(rows)
    assert rows[start][0] == "合计"
    assert all(v == "" for v in rows[start][1:])
    blank = [r for r in data if not any(r)]
    assert len(blank) == 6
    assert all(all(v == "" for v in rows[start + 1 + k]) for k in range(len(blank)))


def test_cell_types(wb: openpyxl.Workbook) -> None:
    ws = wb["公开02表"]
    code_cells = [ws.cell(r, 1) for r in range(10, 26)]
    assert all(isinstance(c.value, str) and c.value.isdigit() for c in code_cells)
    amounts = [ws.cell(r, c) for r in range(9, 26) for c in range(3, 10)]
    # openpyxl reads a whole amount such as 0.00 back as int; calamine gives floats
    assert all(type(c.value) in (int, float) and c.number_format == "#,##0.00" for c in amounts)
    ws1 = wb["公开01表"]
    row_numbers = [ws1.cell(r, c).value for r in range(7, 34) for c in (2, 5)]
    assert row_numbers == [n for pair in zip(range(1, 28), range(28, 55), strict=True) for n in pair]
    assert all(type(v) is int for v in row_numbers)
    # text rows 7..22 have an empty income label and amount
    assert ws1["A13"].value is None and ws1["C13"].value is None
    assert [type(ws1.cell(6, c).value) for c in (3, 6)] == [int, int]
    assert wb["公开08表"]["C9"].value is None


def test_header_merges(wb: openpyxl.Workbook) -> None:
    merged = {name: {str(m) for m in wb[name].merged_cells.ranges} for name in SHEETS}
    assert {"A4:C4", "D4:F4"} <= merged["公开01表"]
    assert {"A4:B4", "A5:A7", "B5:B7", "C4:C7", "I4:I7", "A8:B8", "A9:B9"} <= merged["公开02表"]
    assert {"A4:B4", "C4:E4", "C5:C7"} <= merged["公开05表"]
    assert {"A4:C4", "D4:I4", "A5:A6", "A35:B35", "D35:H35"} <= merged["公开06表"]
    assert {"A4:F4", "G4:L4", "A5:A6", "C5:E5", "I5:K5", "L5:L6"} <= merged["公开07表"]
    assert {"E4:G4", "H4:H7", "E5:E7"} <= merged["公开08表"]


# ---------------------------------------------------------------- text sheets


@pytest.mark.parametrize(
    ("sheet", "first", "stop"),
    [
        ("部门概况", "第一部分", "第二部分"),
        ("情况说明", "2018年度部门决算情况说明", "名词解释"),
        ("名词解释", "名词解释", "第五部分"),
        ("整体支出绩效评价报告", "第五部分", "部门整体支出绩效评价表"),
        ("项目支出绩效评价报告", "2018年度部门项目支出绩效评价报告", "市级财政专项（项目）资金绩效评价表"),
    ],
)
def test_text_sheet_is_the_section_verbatim(cal: CalamineWorkbook, sheet: str, first: str, stop: str) -> None:
    got = [r[0] for r in rows_of(cal, sheet)]
    assert got == section(first, stop)


def test_structure_paragraph_and_vehicle_sentence(cal: CalamineWorkbook) -> None:
    lines = [line for line in source_lines() if line]
    heading = lines.index("（二）财政拨款支出决算结构情况")
    column = [r[0] for r in rows_of(cal, "情况说明")]
    assert column[column.index("（二）财政拨款支出决算结构情况") + 1] == lines[heading + 1]
    vehicle = next(line for line in lines if "截止2019年12月31日" in line)
    assert vehicle in column


# ---------------------------------------------------------------- 绩效 sheets


def test_overall_score_table(wb: openpyxl.Workbook) -> None:
    ws = wb["整体支出绩效评价表"]
    assert ws["A1"].value == "部门整体支出绩效评价表"
    assert [c.value for c in ws[2]][4:6] == ["三级\n指标", "分值"]
    items = [v for kind, v in source_items() if kind == "row"]
    text = next(r for r in items if len(r) == 9 and r[4] == "政府采购执行率")
    row = next(r for r in ws.iter_rows(min_row=3) if r[4].value == "政府采购执行率")
    assert [row[5].value, row[8].value] == [int(text[5]), int(text[8])]
    assert type(row[8].value) is int
    scores = [r[8].value for r in ws.iter_rows(min_row=3)]
    assert all(v is None or type(v) is int for v in scores)


def test_project_score_table(wb: openpyxl.Workbook) -> None:
    ws = wb["项目支出绩效评价表"]
    items = [v for kind, v in source_items() if kind == "row"]
    label = "社会公众或服务对象满意度（6分）"
    text = next(r for r in items if len(r) == 6 and r[2] == label)
    row = next(r for r in ws.iter_rows(min_row=4) if r[2].value == label)
    assert [c.value for c in row] == [None, None, text[2], text[3], text[4], int(text[5])]


def test_basic_data_table(wb: openpyxl.Workbook) -> None:
    ws = wb["整体支出绩效基础数据表"]
    items = [v for kind, v in source_items() if kind == "row"]
    reception = next(r for r in items if r[0].strip() == "3、公务接待")
    row = next(r for r in ws.iter_rows() if r[0].value == reception[0])
    assert reception[1] == "70,800.0"
    assert [c.value for c in row[1:4]] == [amount(v) for v in reception[1:4]]
    assert all(c.number_format == "#,##0.00" for c in row[1:4])
    staff = next(r for r in items if r[0] == "" and r[-1].strip().endswith("%"))
    row = next(r for r in ws.iter_rows() if r[1].value == int(staff[1]))
    rate = Decimal(staff[3].strip()[:-1]) / 100
    assert row[3].value == float(rate) and row[3].number_format == "0.0%"
    purchase = next(r for r in ws.iter_rows() if r[0].value == "政府采购金额")
    assert purchase[1].value == "——"
