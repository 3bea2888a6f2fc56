"""A 情况说明 given as PDF: printed lines become the author's paragraphs, tables tab-led blocks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin.cli import check_file, main
from addin.pdf_text import PrintedLine, PrintedTable, join_lines, layout_text, tidy
from addin.reader import InputError
from addin.text_files import read_explanation
from checks.text.paragraphs import paragraphs_from_text
from checks.text.texttables import tables_from_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"
FIXTURES = Path(__file__).with_name("fixtures")
PDF = FIXTURES / "yongzhou_qingkuang.pdf"


def line(text, x0=90.0, x1=522.0, top=0.0, page=1):
    return PrintedLine(text, x0, x1, top, 12.0, page)


# --- layout, on printed lines --------------------------------------------------------------------


def test_justification_spaces_next_to_hanzi_go_ascii_spaces_stay():
    assert tidy("2018 年收入 3082.32 万元，增幅 6.37%") == "2018年收入3082.32万元，增幅6.37%"
    assert tidy("PM 2.5 浓度") == "PM 2.5浓度"


def test_a_full_line_runs_on_into_an_unindented_line():
    lines = [
        line("一、收入支出决算总体情况说明", x1=258),
        line("2018 年收入 3082.32 万元，比 2017 年多 184.58 万元，增幅", x0=114),
        line("6.37%，主要原因是单位合并。", x1=466),
        line("2018年支出3383.61万元，比2017年支出2899.18万元多484.43万元，增", x0=114),
        line("幅16.71%。", x1=200),
    ]
    assert join_lines(lines) == [
        "一、收入支出决算总体情况说明",
        "2018年收入3082.32万元，比2017年多184.58万元，增幅6.37%，主要原因是单位合并。",
        "2018年支出3383.61万元，比2017年支出2899.18万元多484.43万元，增幅16.71%。",
    ]


def test_short_line_indent_and_heading_each_start_a_paragraph():
    lines = [
        line("财政拨款总支出3383.61万元，占本年总支出100%，比上年增加16.71%", x1=400),
        line("（二）财政拨款支出决算结构情况", x1=522),  # a heading that happens to fill the line
        line("（三）财政拨款支出决算具体情况", x1=300),
        line("本年支出按功能科目分类，一般公共服务支出2415.04万元，占本年", x0=114),
        line("财政拨款支出的71.37%。", x0=114, x1=250),  # indented: a new paragraph
    ]
    assert join_lines(lines) == [
        "财政拨款总支出3383.61万元，占本年总支出100%，比上年增加16.71%",
        "（二）财政拨款支出决算结构情况",
        "（三）财政拨款支出决算具体情况",
        "本年支出按功能科目分类，一般公共服务支出2415.04万元，占本年",
        "财政拨款支出的71.37%。",
    ]


def test_page_numbers_dropped_and_a_paragraph_runs_across_the_page_break():
    lines = [
        line("公用经费（商品服务支出）606.56万元，占支出51.84%；人员经费（对个", x0=114, top=760),
        line("3", x0=300, x1=306, top=800),
        line("- 4 -", x0=290, x1=310, top=810),
        line("第 2 页 共 4 页", x0=270, x1=330, top=812),
        line("人和家庭支出）8.07万元，占支出0.69%。", top=72, page=2, x1=300),
    ]
    assert join_lines(lines) == ["公用经费（商品服务支出）606.56万元，占支出51.84%；人员经费（对个人和家庭支出）8.07万元，占支出0.69%。"]


def test_a_table_becomes_a_tab_led_block_between_paragraphs():
    table = PrintedTable((("合计", "因公\n出国\n（境\n）费", None), ("17.00", "0.00", "")), top=300, page=1)
    text = layout_text([line("七、“三公”经费支出决算情况说明", x1=300), table, line("注：无。", x1=200)])
    assert text.split("\n") == [
        "七、“三公”经费支出决算情况说明",
        "", "\t合计", "\t因公出国（境）费", "\t", "", "\t17.00", "\t0.00", "\t", "",
        "注：无。",
    ]
    grid = tables_from_text(text)[0]
    assert grid.rows[-2:] == [["合计", "因公出国（境）费", ""], ["17.00", "0.00", ""]]


# --- the fixture PDF -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet_paragraphs() -> list[str]:
    wb = openpyxl.load_workbook(SAMPLE)
    return [c.value for c in wb["情况说明"]["A"] if c.value]


def test_pdf_paragraphs_are_the_sheets_paragraphs(sheet_paragraphs):
    # the sheet's own stray spaces ("2018 年度") are tidied like justification spaces; the table's
    # caption is a line of its own above the table
    expected = [tidy(p) for p in sheet_paragraphs]
    at = next(i for i, p in enumerate(expected) if p.startswith("七、")) + 1
    expected.insert(at, "“三公”经费支出决算表")
    text = read_explanation(PDF)
    assert [p.text for p in paragraphs_from_text(text, "说明.pdf")] == expected


def test_the_pdf_table_is_read_as_a_grid():
    grids = tables_from_text(read_explanation(PDF))
    assert len(grids) == 1
    rows = grids[0].rows
    assert rows[0] == ["“三公”经费支出决算表"]
    assert rows[-1] == ["17.00", "0.00", "4.00", "0.00", "4.00", "13.00", "10.08", "0.00", "3.08", "0.00", "3.08",
                        "7.00"]


def test_pdf_gives_the_same_text_findings_as_the_text_sheet(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    del wb["情况说明"]
    tables_only = tmp_path / "tables.xlsx"
    wb.save(tables_only)

    def explanation(report):
        return sorted((f.rule, f.severity.value, f.text or "") for f in report.findings if f.rule.startswith("Y")
                      and f.cells[0].sheet in ("情况说明", str(PDF)))

    _, inside = check_file(SAMPLE)
    _, from_pdf = check_file(tables_only, PDF)
    assert [x[0] for x in explanation(inside)] == ["Y-2"] * 5
    assert explanation(from_pdf) == explanation(inside)


# --- PDFs that cannot be used ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("blank.pdf", "PDF 中没有可提取的文字（可能是扫描件），请提供 Word 或文本版说明：blank.pdf"),
        ("encrypted.pdf", "PDF 有打开密码，无法读取文字，请先取消密码：encrypted.pdf"),
    ],
)
def test_unusable_pdf_is_a_clear_message(name, message):
    with pytest.raises(InputError) as exc:
        read_explanation(FIXTURES / name)
    assert exc.value.message == message


def test_not_a_pdf_and_old_doc(tmp_path):
    fake = tmp_path / "说明.pdf"
    fake.write_bytes(b"not a pdf at all")
    with pytest.raises(InputError) as exc:
        read_explanation(fake)
    assert exc.value.message == "文件不是有效的 PDF 或已损坏：说明.pdf"
    doc = tmp_path / "说明.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as exc:
        read_explanation(doc)
    assert exc.value.message == "不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再检查：说明.doc"


def test_cli_with_an_unusable_pdf_exits_2_without_traceback(capsys):
    before = (FIXTURES / "blank.pdf").read_bytes()
    code = main(["check", str(SAMPLE), "--no-annotate", "--text", str(FIXTURES / "blank.pdf")])
    err = capsys.readouterr().err
    assert code == 2
    assert "扫描件" in err and "Traceback" not in err
    assert (FIXTURES / "blank.pdf").read_bytes() == before
