"""`juesuan check WORKBOOK --text FILE`: the 情况说明 in a separate .txt/.docx gives the same text findings."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin.cli import check_file, main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "yongzhou_2018.xlsx"
TEXT_SHEETS = ["部门概况", "情况说明", "名词解释", "整体支出绩效评价报告", "项目支出绩效评价报告"]


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """The sample without its 情况说明 sheet, and that sheet's paragraphs as .txt and .docx."""
    d = tmp_path_factory.mktemp("split")
    wb = openpyxl.load_workbook(SAMPLE)
    paras = [c.value for c in wb["情况说明"]["A"] if c.value]
    del wb["情况说明"]
    tables_only = d / "tables.xlsx"
    wb.save(tables_only)
    txt = d / "说明.txt"
    txt.write_text("\n".join(paras), encoding="utf-8")
    import docx

    doc = docx.Document()
    for p in paras:
        doc.add_paragraph(p)
    docx_path = d / "说明.docx"
    doc.save(docx_path)
    return tables_only, txt, docx_path


def _explanation_findings(report):
    return sorted(
        (f.rule, f.severity.value, f.text or "")
        for f in report.findings
        if f.family.value in ("表文", "文内") and f.cells and f.cells[0].sheet not in TEXT_SHEETS[3:]
        and "绩效" not in (f.cells[0].sheet or "")
    )


def test_text_file_gives_the_same_findings_as_the_text_sheet(split):
    tables_only, txt, docx_path = split
    _, inside = check_file(SAMPLE)
    expected = [x for x in _explanation_findings(inside) if x[0].startswith("Y")]
    assert [x[0] for x in expected] == ["Y-2"] * 5
    for text_file in (txt, docx_path):
        _, report = check_file(tables_only, text_file)
        got = [x for x in _explanation_findings(report) if x[0].startswith("Y")]
        assert got == expected, text_file.suffix
        assert all(f.cells[0].sheet == str(text_file) for f in report.findings if f.rule.startswith("Y"))


def test_without_any_text_no_text_checks_run(split):
    tables_only, _, _ = split
    _, report = check_file(tables_only)
    assert report.rule_counts.get("Y-1", [0])[0] == 0


def test_unreadable_text_file_is_a_clear_message(split, tmp_path, capsys):
    tables_only, _, _ = split
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a docx")
    assert main(["check", str(tables_only), "--text", str(bad), "--no-annotate"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "无法检查：说明文档不是有效的 Word 文档（.docx）或已损坏：坏.docx"


def test_a_text_document_given_as_the_workbook_points_to_text(tmp_path, capsys):
    doc = tmp_path / "情况说明.pdf"
    doc.write_bytes(b"%PDF-1.4")
    before = doc.read_bytes()
    assert main(["check", str(doc)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "无法检查：这是说明文档，不是工作簿：情况说明.pdf（核对说明文档请用 juesuan check 工作簿 --text 情况说明.pdf）"
    assert doc.read_bytes() == before


def test_a_text_file_beside_the_workbook_is_suggested(split, tmp_path, capsys):
    tables_only, _, docx_path = split
    book = tmp_path / "部门A.xlsx"
    book.write_bytes(tables_only.read_bytes())
    assert main(["check", str(book), "--no-annotate", "-q"]) in (0, 1)
    assert "提示：" not in capsys.readouterr().out  # nothing beside it: nothing to suggest
    (tmp_path / "部门A情况说明.docx").write_bytes(docx_path.read_bytes())
    main(["check", str(book), "--no-annotate", "-q"])
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == ("提示：同一文件夹下的说明文档“部门A情况说明.docx”本次未核对，如需核对："
                                    "juesuan check 部门A.xlsx --text 部门A情况说明.docx")
    main(["check", str(book), "--no-annotate", "-q", "--text", str(tmp_path / "部门A情况说明.docx")])
    assert "提示：" not in capsys.readouterr().out
