"""Mark plan, note merge/strip, and the annotated copy written by openpyxl."""

from __future__ import annotations

import hashlib
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, PatternFill, Side

from addin.annotate import OutputError, default_output_path, write_annotated_copy
from addin.marks import (
    NOTE_MARKER,
    SEVERITY_STYLE,
    merge_note,
    normalize_cell,
    plan_marks,
    safe_text,
    sort_findings,
    strip_note,
    summary_rows,
)
from checks.findings import CellRef, Family, Finding, Report, Severity
from checks.grid import SheetGrid, Uncached, WorkbookGrid

S1 = "公开01表"
S2 = "公开02'表"  # a quote in the name: links must double it
NOW = datetime(2024, 5, 1, 9, 30)
INJECT_MSG = '=HYPERLINK("http://evil.example","点我")'
INJECT_TEXT = "+cmd|' /C calc'!A0"
INJECT_EXPECTED = "@SUM(A1:A2)"
USER_NOTE = "审核人：请核对此数\n（张三）"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = S1
    ws["A1"] = "收入支出决算总表"
    ws.merge_cells("A1:D1")
    ws["C5"] = 1170.07
    ws["C5"].number_format = "#,##0.00"
    ws["C5"].font = Font(bold=True, color="FF112233")
    ws["C5"].border = Border(bottom=Side(style="thin"))
    ws["C6"] = 12.5
    ws["C6"].comment = Comment(USER_NOTE, "张三")
    ws["C7"] = 3.2
    ws["C7"].fill = PatternFill(fill_type="solid", start_color="FFFFFF00", end_color="FFFFFF00")
    ws["D8"] = 99
    ws["D8"].fill = PatternFill(fill_type="solid", start_color="FF00B050", end_color="FF00B050")
    ws["D8"].number_format = "0.0%"
    ws2 = wb.create_sheet(S2)
    ws2["B3"] = 5
    path = tmp_path / "dept.xlsx"
    wb.save(path)
    return path


def make_report(workbook: str = "/data/dept.xlsx") -> Report:
    f = [
        Finding("T01-4", Severity.INFO, Family.INTRA, "尾差，可能为取整误差", [CellRef(S1, "C5")]),
        Finding("T01-2", Severity.ERROR, Family.INTRA, "本年收入合计 1,170.07 ≠ 各项之和 1,170.02",
                [CellRef(S1, "$C$5"), CellRef(S2, "B3")], expected="1,170.02", actual="1,170.07"),
        Finding("T05-1", Severity.WARNING, Family.INTRA, "合计与基本、项目之和不符", [CellRef(S1, "C6")]),
        Finding("X-10", Severity.INFO, Family.CROSS, INJECT_MSG, [CellRef(S2, "B3")]),
        Finding("TX-3", Severity.WARNING, Family.TEXT, "说明文字中的数与表不符", [CellRef(S1, "c7")],
                expected=INJECT_EXPECTED, actual="3.20", text=INJECT_TEXT, hint="核对说明第二段"),
        Finding("C-8", Severity.INFO, Family.COMPLETE, "未找到公开08表"),
        Finding("TX-9", Severity.ERROR, Family.TEXT, "年度不一致", [CellRef("情况说明", "A1")]),
    ]
    return Report(workbook=workbook, department="某某局", year=2018, unit="万元", era="2018",
                  tables={"01": S1, "02": S2}, findings=f, checks=40, passed=36,
                  text_checked=10, text_passed=8)


def rgb(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def findings_rows(ws) -> list[tuple]:
    """Rows of the findings table (below the header row '序号')."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "序号") + 1
    out = []
    for r in rows[start:]:
        if r[0] is None:
            break
        out.append(r)
    return out


# ---------------------------------------------------------------------------------------------
# marks


def test_plan_worst_wins_and_note_order():
    plan = plan_marks(make_report())
    c5 = plan.get(S1, "C5")
    assert c5.severity == Severity.ERROR and c5.fill == "FFC7CE"
    assert c5.note == f"{NOTE_MARKER}\n[T01-2 错误] 本年收入合计 1,170.07 ≠ 各项之和 1,170.02\n[T01-4 提示] 尾差，可能为取整误差"
    b3 = plan.get(S2, "B3")
    assert b3.severity == Severity.ERROR  # T01-2 also names B3
    assert b3.note.splitlines()[1:] == ["[T01-2 错误] 本年收入合计 1,170.07 ≠ 各项之和 1,170.02", f"[X-10 提示] {INJECT_MSG}"]
    assert plan.get(S1, "C7").severity == Severity.WARNING
    assert sorted((m.sheet, m.cell) for m in plan) == sorted(
        [(S1, "C5"), (S1, "C6"), (S1, "C7"), (S2, "B3"), ("情况说明", "A1")])


def test_severity_style_table():
    assert {s: (st.fill, st.label) for s, st in SEVERITY_STYLE.items()} == {
        Severity.ERROR: ("FFC7CE", "错误"), Severity.WARNING: ("FFEB9C", "警告"), Severity.INFO: ("DDEBF7", "提示")}


@pytest.mark.parametrize("user", [None, "备注", "a\n\nb", "  ", "line1\r\nline2\n", f"引用{NOTE_MARKER}字样"])
def test_merge_strip_round_trip(user):
    ours = f"{NOTE_MARKER}\n[T01-2 错误] x"
    merged = merge_note(user, ours)
    assert merged.endswith(ours)
    assert strip_note(merged) == user
    # merging again (re-check) replaces our block instead of stacking it
    again = merge_note(merged, f"{NOTE_MARKER}\n[T01-3 警告] y")
    assert again.count(NOTE_MARKER + "\n[") == 1 and strip_note(again) == user


def test_merge_empty_note_counts_as_none():
    ours = f"{NOTE_MARKER}\n[A 提示] m"
    assert merge_note("", ours) == ours and strip_note(ours) is None
    assert strip_note("只是用户的批注") == "只是用户的批注"
    assert strip_note("用户\r\n\r\n" + ours) == "用户"  # tolerate a CRLF resave


@pytest.mark.parametrize("s,want", [("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                    ("\tx", "'\tx"), ("\rx", "'\rx"), ("正常", "正常"), (" =x", " =x"), ("", "")])
def test_safe_text(s, want):
    assert safe_text(s) == want


def test_normalize_cell():
    assert [normalize_cell(c) for c in ["$c$5", "AA10", "A0", "C5:D6", "XFD1048576", "XFE1", "A1048577"]] == [
        "C5", "AA10", None, None, "XFD1048576", None, None]


def test_sort_findings_natural_rule_order():
    fs = [Finding(r, Severity.ERROR, Family.INTRA, "m", [CellRef(S1, "A1")]) for r in ["T01-10", "T01-2", "T01-1"]]
    assert [f.rule for f in sort_findings(fs, [S1])] == ["T01-1", "T01-2", "T01-10"]


def test_summary_rows_plain_values():
    rows = summary_rows(make_report(), now=NOW, sheet_order=[S1, S2])
    assert rows[0] == ["决算检查结果"]
    assert rows[1] == ["文件", "dept.xlsx", None, None, "部门", "某某局"]
    assert rows[3] == ["格式", "2018年格式（8张表），已识别2张表", None, None, "检查时间", "2024-05-01 09:30"]
    assert rows[5] == ["严重程度", "表内", "表间", "完整性", "表文", "文内", "合计", "核对", "项数", "通过"]
    assert rows[6] == ["错误", 1, 0, 0, 1, 0, 2, "表格勾稽", 40, 36]
    assert rows[7] == ["警告", 1, 0, 0, 1, 0, 2, "说明文字", 10, 8]
    assert rows[8] == ["提示", 1, 1, 1, 0, 0, 3]
    assert rows[9] == ["合计", 3, 1, 1, 2, 0, 7]
    for row in rows:
        for v in row:
            assert v is None or isinstance(v, str | int)


# ---------------------------------------------------------------------------------------------
# annotated copy


def test_annotated_copy(src: Path, tmp_path: Path):
    before = sha(src)
    out = write_annotated_copy(src, make_report(str(src)), tmp_path / "out.xlsx", now=NOW)
    assert out == tmp_path / "out.xlsx" and out.is_file()
    assert sha(src) == before

    wb = load_workbook(out)
    assert wb.sheetnames == ["检查结果", S1, S2]
    assert wb.active.title == "检查结果"
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets] == [True, False, False]

    ws = wb[S1]
    assert rgb(ws["C5"]) == "FFFFC7CE"  # error beats info
    assert rgb(ws["C6"]) == "FFFFEB9C"
    assert rgb(ws["C7"]) == "FFFFEB9C"  # the user's yellow is replaced on a flagged cell
    assert rgb(wb[S2]["B3"]) == "FFFFC7CE"
    # flagged cell keeps number format, font and border
    assert ws["C5"].number_format == "#,##0.00"
    assert ws["C5"].font.bold and ws["C5"].font.color.rgb == "FF112233"
    assert ws["C5"].border.bottom.style == "thin"
    # untouched cells keep their look and have no note
    assert rgb(ws["D8"]) == "FF00B050" and ws["D8"].number_format == "0.0%" and ws["D8"].comment is None
    assert rgb(ws["C4"]) is None and ws["A1"].value == "收入支出决算总表"

    c6 = ws["C6"].comment
    assert c6.text == USER_NOTE + "\n\n" + f"{NOTE_MARKER}\n[T05-1 警告] 合计与基本、项目之和不符"
    assert strip_note(c6.text) == USER_NOTE and c6.author == "张三"
    c5 = ws["C5"].comment
    assert strip_note(c5.text) is None and c5.author == "决算检查"
    assert c5.text.splitlines()[0] == NOTE_MARKER

    summary = wb["检查结果"]
    assert summary["B4"].value == "2018年格式（8张表），已识别2张表"
    assert summary["F4"].value == "2024-05-01 09:30"
    rows = findings_rows(summary)
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows] == [
        (1, "错误", "T01-2", S1, "C5 等2处"),
        (2, "错误", "TX-9", "情况说明", "A1"),
        (3, "警告", "T05-1", S1, "C6"),
        (4, "警告", "TX-3", S1, "C7"),
        (5, "提示", "T01-4", S1, "C5"),
        (6, "提示", "X-10", S2, "B3"),
        (7, "提示", "C-8", None, None),
    ]
    assert rows[0][6:9] == ("本年收入合计 1,170.07 ≠ 各项之和 1,170.02", "1,170.02", "1,170.07")
    assert rows[3][9:] == (INJECT_TEXT, "核对说明第二段")

    # links: exact internal targets; none for a sheet the workbook lacks or a finding without cells
    links = {c.coordinate: c.hyperlink.location for row in summary.iter_rows() for c in row if c.hyperlink}
    assert links == {"F13": f"'{S1}'!C5", "F15": f"'{S1}'!C6", "F16": f"'{S1}'!C7",
                     "F17": f"'{S1}'!C5", "F18": "'公开02''表'!B3"}
    assert all(summary[a].hyperlink.target is None for a in links)

    # injection strings are stored as text
    assert summary["G18"].value == INJECT_MSG and summary["G18"].data_type == "s"
    assert summary["J16"].value == INJECT_TEXT and summary["J16"].data_type == "s"
    assert summary["H16"].value == INJECT_EXPECTED and summary["H16"].data_type == "s"
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK(" in sheet_xml

    # severity column coloured like the marks; legend present
    assert rgb(summary["B13"]) == "FFFFC7CE" and rgb(summary["B19"]) == "FFDDEBF7"
    values = list(summary.iter_rows(values_only=True))
    li = next(i for i, r in enumerate(values) if r[0] == "图例")
    legend = [(values[i][1], rgb(summary.cell(i + 1, 2))) for i in range(li + 1, li + 4)]
    assert legend == [("错误", "FFFFC7CE"), ("警告", "FFFFEB9C"), ("提示", "FFDDEBF7")]

    assert summary.freeze_panes == "A13"
    assert summary.auto_filter.ref == "A12:K19"
    assert summary["A12"].font.bold and summary.column_dimensions["G"].width == 60
    assert summary.page_setup.fitToWidth == 1 and summary.sheet_properties.pageSetUpPr.fitToPage


def test_recheck_replaces_summary_and_notes(src: Path, tmp_path: Path):
    first = write_annotated_copy(src, make_report(), tmp_path / "a.xlsx", now=NOW)
    report = make_report()
    report.findings = [f for f in report.findings if f.rule != "TX-3"]  # C7 was fixed
    second = write_annotated_copy(first, report, tmp_path / "b.xlsx", now=NOW)
    wb = load_workbook(second)
    assert wb.sheetnames == ["检查结果", S1, S2]
    ws = wb[S1]
    c6 = ws["C6"].comment.text
    assert c6.count(NOTE_MARKER) == 1 and strip_note(c6) == USER_NOTE
    assert ws["C7"].comment is None and rgb(ws["C7"]) is None  # our stale mark removed
    assert rgb(ws["C5"]) == "FFFFC7CE"
    assert len(findings_rows(wb["检查结果"])) == 6


def test_user_sheet_named_like_ours_is_kept(src: Path, tmp_path: Path):
    wb = load_workbook(src)
    wb.create_sheet("检查结果")["A1"] = "我的检查记录"
    own = tmp_path / "own.xlsx"
    wb.save(own)
    out = write_annotated_copy(own, make_report(), tmp_path / "o.xlsx", now=NOW)
    got = load_workbook(out)
    assert got.sheetnames == ["检查结果2", S1, S2, "检查结果"]
    assert got["检查结果"]["A1"].value == "我的检查记录"


def test_out_same_as_src_refused(src: Path, tmp_path: Path):
    before = sha(src)
    with pytest.raises(OutputError, match="被检查的文件本身"):
        write_annotated_copy(src, make_report(), src)
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    with pytest.raises(OutputError, match="被检查的文件本身"):
        write_annotated_copy(src, make_report(), link)
    assert sha(src) == before


def test_missing_or_unwritable_dir_refused(src: Path, tmp_path: Path):
    with pytest.raises(OutputError, match="输出目录不存在"):
        write_annotated_copy(src, make_report(), tmp_path / "nope" / "out.xlsx")
    with pytest.raises(OutputError):  # not writable even for root
        write_annotated_copy(src, make_report(), Path("/proc/out.xlsx"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_readonly_dir_refused(src: Path, tmp_path: Path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="不可写"):
            write_annotated_copy(src, make_report(), ro / "out.xlsx")
    finally:
        ro.chmod(0o700)


def test_damaged_input_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(OutputError, match="无法打开工作簿"):
        write_annotated_copy(bad, make_report(), tmp_path / "o.xlsx")


def test_xls_from_grids(tmp_path: Path):
    src = tmp_path / "old.xls"
    src.write_bytes(b"\xd0\xcf\x11\xe0 fake")  # never parsed: grids carry the content
    grids = WorkbookGrid(
        sheets=[
            SheetGrid(S1, [["收入支出决算总表", None, None], [None, None, None], [None, "=1+1", 1170.07],
                           [None, Uncached("=SUM(C1:C3)"), 3]], merged=[(0, 0, 0, 2)]),
            SheetGrid(S2, [[None], [None], [None, 5]], hidden=True),
        ],
        path=str(src),
    )
    report = Report(workbook=str(src), findings=[
        Finding("T01-2", Severity.ERROR, Family.INTRA, "不符", [CellRef(S1, "C3")]),
        Finding("T01-9", Severity.WARNING, Family.INTRA, "标题", [CellRef(S1, "B1")]),  # inside the merge
    ])
    with pytest.raises(OutputError, match="需要先读取其表格内容"):
        write_annotated_copy(src, report, tmp_path / "x.xlsx")
    out = write_annotated_copy(src, report, tmp_path / "old_checked.xls", grids, now=NOW)
    assert out == tmp_path / "old_checked.xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames == ["检查结果", S1, S2]
    ws = wb[S1]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=4)] == [
        ["收入支出决算总表", None, None], [None, None, None], [None, "=1+1", 1170.07], [None, None, 3]]
    assert ws["B3"].data_type == "s"
    assert rgb(ws["C3"]) == "FFFFC7CE"
    assert rgb(ws["A1"]) == "FFFFEB9C" and "[T01-9 警告] 标题" in ws["A1"].comment.text
    assert wb[S2].sheet_state == "hidden" and wb[S2]["B3"].value == 5


def test_default_output_path():
    assert default_output_path(Path("/d/部门决算.xlsx")) == Path("/d/部门决算_checked.xlsx")
    assert default_output_path(Path("/d/a.XLSM")) == Path("/d/a_checked.xlsm")
    assert default_output_path(Path("/d/a.xls")) == Path("/d/a_checked.xlsx")


def test_xlsm_keeps_macros_and_kind(tmp_path: Path):
    wb = Workbook()
    wb.active.title = S1
    wb.active["A1"] = 1
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    src = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            zout.writestr(item, data)
        zout.writestr("xl/vbaProject.bin", b"VBA-PROJECT-BYTES")
    report = Report(workbook=str(src), findings=[Finding("T01-1", Severity.ERROR, Family.INTRA, "m", [CellRef(S1, "A1")])])
    out = write_annotated_copy(src, report, tmp_path / "macro_checked.xlsx", now=NOW)
    assert out == tmp_path / "macro_checked.xlsm"  # an .xlsx name cannot carry macros
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == b"VBA-PROJECT-BYTES"
        assert b"macroEnabled.main+xml" in z.read("[Content_Types].xml")
    assert rgb(load_workbook(out)[S1]["A1"]) == "FFFFC7CE"
