"""The locator finds tables by title and labels, wherever they sit, in any layout variant."""

from __future__ import annotations

from decimal import Decimal

from checks.engine import build_model, check_workbook
from checks.grid import SheetGrid, WorkbookGrid
from checks.locate import table_key_of_title


def t05(
    title="一般公共预算财政拨款支出决算表",
    unit="金额单位：万元",
    total_last=False,
    split=False,
    spaced=False,
    k=1,
):
    rows = [
        [title, None, None, None, None],
        [None, None, None, None, "公开05表"],
        ["部门：某某局", None, None, None, unit],
        ["项目", None, "本年支出", None, None],
        ["功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"],
        ["栏次", None, 1, 2, 3],
    ]
    data = [
        ("201", "一般公共服务支出", 300 * k, 100 * k, 200 * k),
        ("20103", "政府办公厅（室）及相关机构事务", 300 * k, 100 * k, 200 * k),
        ("2010301", "  行政运行", 100 * k, 100 * k, 0),
        ("2010350", "  事业运行", 200 * k, 0, 200 * k),
    ]
    body = []
    for code, name, a, b, c in data:
        if spaced:
            code = " ".join([code[:3], code[3:5], code[5:7]]).strip()
        body.append([code, name, a, b, c])
    total = ["合计", None, 300 * k, 100 * k, 200 * k]
    rows += body + [total] if total_last else [total] + body
    if split:  # 类 | 款 | 项 | 名称 | amounts
        rows[4] = ["类", "款", "项", "科目名称", "小计", "基本支出", "项目支出"]
        rows[3] = ["项目", None, None, None, "本年支出", None, None]
        for i in range(6, len(rows)):
            r = rows[i]
            if r[0] == "合计":
                rows[i] = ["合计", None, None, None] + r[2:]
            else:
                code = r[0].replace(" ", "")
                rows[i] = [code[:3], code[3:5] or None, code[5:7] or None, r[1]] + r[2:]
        rows[5] = ["栏次", None, None, None, 1, 2, 3]
    return rows


def _model(*sheets):
    return build_model(WorkbookGrid([SheetGrid(n, r) for n, r in sheets]))


def test_title_recognition():
    assert table_key_of_title("永州市政务服务中心2018年度收入支出决算总表") == "01"
    assert table_key_of_title("2023年度财政拨款“三公”经费支出决算表") == "07"
    assert table_key_of_title("一般公共预算财政拨款基本支出决算明细表") == "06"
    assert table_key_of_title("政府性基金预算财政拨款收入支出决算表") == "08"
    assert table_key_of_title("国有资本经营预算财政拨款支出决算表") == "09"
    assert table_key_of_title("支出决算表（续）") == "03"
    assert table_key_of_title("详见收入支出决算总表。") is None
    assert (
        table_key_of_title("本部门2018年度收入支出决算总表反映了全部收支，其中财政拨款收入支出决算总表…")
        is None
    )


def test_grid_table_rows_and_columns_by_label():
    m = _model(("任意名称", t05()))
    t = m.get("05")
    assert t.columns["main"] == ["合计", "基本支出", "项目支出"]
    assert list(t.blocks["main"]) == ["合计", "201", "20103", "2010301", "2010350"]
    assert t.cell("main", "2010350", "项目支出").value == Decimal(200)
    assert t.department == "某某局"


def test_total_last_split_and_spaced_codes_give_the_same_table():
    ref = _model(("s", t05())).get("05")
    for variant in (t05(total_last=True), t05(split=True), t05(spaced=True)):
        t = _model(("s", variant)).get("05")
        assert {k: {c: x.value for c, x in r.cells.items()} for k, r in t.blocks["main"].items()} == {
            k: {c: x.value for c, x in r.cells.items()} for k, r in ref.blocks["main"].items()
        }


def test_two_tables_stacked_on_one_sheet_and_a_continuation():
    sangong = [
        ["财政拨款“三公”经费支出决算表"] + [None] * 11,
        [None] * 11 + ["公开09表"],
        ["部门：某某局"] + [None] * 10 + ["单位：万元"],
        [
            "合计",
            None,
            "因公出国（境）费",
            None,
            "公务用车购置及运行费",
            None,
            None,
            None,
            None,
            None,
            "公务接待费",
            None,
        ],
        [None, None, None, None, "小计", None, "公务用车购置费", None, "公务用车运行费", None, None, None],
        ["预算数", "决算数"] * 6,
        [10, 9, 0, 0, 6, 5, 2, 2, 4, 3, 4, 4],
    ]
    rows = t05() + [[None] * 5, [None] * 5] + sangong
    m = _model(("合并", rows))
    assert m.get("05") is not None and m.get("07") is not None
    t = m.get("07")
    assert t.cell("main", "data", "决算:公务用车运行费").value == Decimal(3)
    assert t.cell("main", "data", "预算:公务接待费").value == Decimal(4)
    report = check_workbook(WorkbookGrid([SheetGrid("合并", rows)]))
    assert [(f.rule, f.severity.value) for f in report.findings if f.severity.value != "info"] == [
        ("C-1", "warning")
    ]


def test_unit_yuan_is_scaled_to_the_workbook_unit():
    wan = t05()
    yuan = t05(unit="单位：元", k=10000)
    m = _model(("a", wan), ("b", wan), ("c", yuan))
    tables = m.all("05")
    assert m.unit == "万元"
    assert tables[2].unit == "元"
    assert tables[2].cell("main", "合计", "合计").value == Decimal(300)


def test_text_in_number_cells():
    rows = t05()
    rows[6][2] = "300.00 "  # trailing space
    rows[7][2] = "３００"  # full-width digits
    rows[9][4] = "—"  # dash = empty = 0
    t = _model(("s", rows)).get("05")
    assert t.cell("main", "合计", "合计").value == Decimal("300.00")
    assert t.cell("main", "201", "合计").value == Decimal(300)
    assert t.cell("main", "2010301", "项目支出").status == "empty"


def test_a_table_continued_further_down_is_one_table():
    rows = t05()
    head, body = rows[:7], rows[7:]  # title … 合计 row, then the 科目 rows
    cont = [["一般公共预算财政拨款支出决算表（续）", None, None, None, None]] + rows[3:6] + body[2:]
    first = head + body[:2] + [[None] * 5] * 3  # 201, 20103 on the first page
    m = _model(("分页", first + cont))
    t = m.get("05")
    assert len(m.all("05")) == 1
    assert list(t.blocks["main"]) == ["合计", "201", "20103", "2010301", "2010350"]
    report = check_workbook(WorkbookGrid([SheetGrid("分页", first + cont)]))
    assert [f.rule for f in report.findings if f.severity.value == "error"] == []
    assert report.checks > 10


def test_every_title_pattern_needs_the_title_word():
    """`table_key_of_title` skips the patterns for a text without 决算: each must need it."""
    import re

    from checks.layouts import TABLE_TITLES, norm_text
    from checks.locate import _TITLE_WORD

    for printed, patterns in TABLE_TITLES.values():
        name = norm_text(printed)
        assert any(re.search(p, name) for p in patterns)
        for p in patterns:
            assert not re.search(p, name.replace(_TITLE_WORD, "")), p
