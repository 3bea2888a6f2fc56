"""The annotated copy's writer and styles: the same file as openpyxl's own `save` and style setters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.writer.excel import ExcelWriter

from addin.shared_styles import SharedStyles
from addin.workbook_save import _vml_template, save_workbook

TRICKY_NOTES = [
    "plain",
    "  leading and trailing spaces  ",
    "   ",
    "",
    "markup & < > \" ' ]]>",
    "lines\nand\r\nreturns\rand\ttabs",
    "中文批注【决算检查】\n[T01-2 错误] 本年收入合计 1,170.07 ≠ 1,170.02",
    "non-BMP 𠀀 😀",
]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        # core.xml holds the save time
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def _noted_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "公开01表"
    for i, text in enumerate(TRICKY_NOTES, start=1):
        ws.cell(i, 1, i).comment = Comment(text, ["决算检查", "张三", "a&b <c>", ""][i % 4])
    ws["C3"].comment = Comment("sized", "x", width=520, height=121)
    ws.merge_cells("D1:E2")
    ws["D1"].comment = Comment("on a merge", "x")
    ws["XFD1048576"].comment = Comment("far corner", "x")
    wb.create_sheet("no notes")["A1"] = 1
    other = wb.create_sheet("it's")
    other["B2"].comment = Comment("second sheet", "李四", width=300, height=60)
    return wb


def test_save_matches_openpyxl_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    _noted_workbook().save(theirs)

    def slow_path(*_args: object) -> None:
        raise AssertionError("notes went through openpyxl's own writer")

    monkeypatch.setattr(ExcelWriter, "_write_comment", slow_path)
    save_workbook(_noted_workbook(), ours)
    assert _members(ours) == _members(theirs)
    assert any(n.endswith(".vml") for n in _members(ours))


def test_saved_notes_read_back(tmp_path: Path) -> None:
    path = tmp_path / "ours.xlsx"
    save_workbook(_noted_workbook(), path)
    ws = load_workbook(path)["公开01表"]
    assert [ws.cell(i, 1).comment.text for i in range(1, len(TRICKY_NOTES) + 1)] == TRICKY_NOTES
    assert ws["A1"].comment.author == "张三"


def test_unusual_note_left_to_openpyxl(tmp_path: Path) -> None:
    """A size that is not a whole number goes through openpyxl's own writer: still the same file."""
    def book() -> Workbook:
        wb = _noted_workbook()
        wb.active["A1"].comment.width = 200.5
        return wb

    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    book().save(theirs)
    save_workbook(book(), ours)
    assert _members(ours) == _members(theirs)


def test_vml_template_found() -> None:
    """openpyxl's note-box markup holds each value once: the fast path is in use."""
    assert _vml_template() is not None


def test_read_only_workbook_refused(tmp_path: Path) -> None:
    src = tmp_path / "src.xlsx"
    Workbook().save(src)
    with pytest.raises(TypeError):
        save_workbook(load_workbook(src, read_only=True), tmp_path / "out.xlsx")


def _styled(use_shared: bool) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "user"
    ws["A1"].font = Font(italic=True, color="FF112233")
    ws["A1"].number_format = "0.00"
    ws["A1"].border = Border(left=Side(style="thick"))
    looks = [
        (Font(bold=True), PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")),
        (Border(bottom=Side(style="thin")), Alignment(vertical="top", wrap_text=True)),
    ]
    styles = SharedStyles(wb)
    for addr, look in [("A1", looks[0]), ("B2", looks[1]), ("C3", looks[0]), ("C3", looks[1])]:
        cell = ws[addr]
        if use_shared:
            styles.apply(cell, *look)
        else:
            for style in look:
                attr = {Font: "font", PatternFill: "fill", Border: "border", Alignment: "alignment"}[type(style)]
                setattr(cell, attr, style)
    return wb


def test_shared_styles_same_as_setters(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    _styled(True).save(ours)
    _styled(False).save(theirs)
    assert _members(ours) == _members(theirs)
    a1 = load_workbook(ours).active["A1"]
    # the user's number format and border stay; the font is replaced, the fill added
    assert a1.number_format == "0.00" and a1.border.left.style == "thick"
    assert a1.font.bold and not a1.font.italic and a1.fill.fgColor.rgb == "FFFFC7CE"
