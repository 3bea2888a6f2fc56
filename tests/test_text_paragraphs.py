"""Paragraphs from sheets and text files; tables inside a text export."""

from pathlib import Path

import pytest

from checks.grid import SheetGrid, WorkbookGrid
from checks.text.paragraphs import (
    is_text_sheet,
    join_broken_lines,
    paragraphs_from_text,
    part_kind,
    read_text_file,
    text_paragraphs,
)
from checks.text.texttables import tables_from_text

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sample_workbooks" / "source" / "yongzhou_2018.txt"

EXPLANATION = [
    "2018年度部门决算情况说明",
    "一、收入支出决算总体情况说明",
    "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%。",
    "五、一般公共预算财政拨款支出决算情况说明",
    "（一）财政拨款支出决算总体情况",
    "财政拨款总支出3383.61万元，占本年总支出100%，比上年增加16.71%",
    "（二）财政拨款支出决算结构情况",
    "七、“三公”经费支出决算情况说明",
    "2、公务接待费支出决算为7万元，全年共接待来访20批次、来宾200人次。",
]


def test_sheet_with_one_paragraph_per_row_gives_cells_sections_and_part():
    sheet = SheetGrid("说明", [[t] for t in EXPLANATION])
    wb = WorkbookGrid(
        [SheetGrid("公开01表", [["项目", "行次", "金额"], ["一、财政拨款收入", 1, 2899.74]]), sheet]
    )
    ps = text_paragraphs(wb)
    assert [(p.sheet, p.cell, p.section) for p in ps] == [
        ("说明", "A1", ()),
        ("说明", "A2", ("一",)),
        ("说明", "A3", ("一",)),
        ("说明", "A4", ("五",)),
        ("说明", "A5", ("五", "（一）")),
        ("说明", "A6", ("五", "（一）")),
        ("说明", "A7", ("五", "（二）")),
        ("说明", "A8", ("七",)),
        ("说明", "A9", ("七", "2")),
    ]
    assert {p.part for p in ps} == {"2018年度部门决算情况说明"}
    assert part_kind(ps[0].part) == "explanation"
    assert ps[5].heading == "（一）财政拨款支出决算总体情况"


def test_long_text_in_one_cell_is_split_into_paragraphs_of_that_cell():
    sheet = SheetGrid("Sheet1", [[None], [None, "\n".join(EXPLANATION[:3])]])
    ps = text_paragraphs(WorkbookGrid([sheet]))
    assert [(p.cell, p.text[:6]) for p in ps] == [
        ("B2", "2018年度"),
        ("B2", "一、收入支出"),
        ("B2", "2018年收"),
    ]


def test_table_sheets_are_not_text_sheets():
    table = SheetGrid(
        "评价表",
        [
            ["一级指标", "分值", "三级指标", "评价标准", "得分"],
            [
                "投入",
                10,
                "在职人员控制率",
                "在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。",
                5,
            ],
            ["", "", "预算控制率", "预算控制率=0，计5分；0-10%（含），计4分；10-20%（含），计3分。", 2],
        ],
    )
    assert not is_text_sheet(table)
    assert is_text_sheet(SheetGrid("x", [[t] for t in EXPLANATION]))
    assert not is_text_sheet(SheetGrid("empty", []))


def test_pdf_style_line_breaks_inside_numbers_are_joined_but_headings_are_kept():
    lines = [
        "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，较上年增加",
        "184.20万元，全年开展培训活动多次，开展培",
        "训20批次。",
        "四、结合评价指标表的评价结果",
        "五、存在的主要问题与建议",
    ]
    assert join_broken_lines(lines) == [
        "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，较上年增加184.20万元，全年开展培训活动多次，开展培训20批次。",
        "四、结合评价指标表的评价结果",
        "五、存在的主要问题与建议",
    ]


def test_text_file_paragraphs_parts_and_skipped_tables():
    ps = paragraphs_from_text(read_text_file(SOURCE), "yongzhou_2018")
    assert len(ps) == 169
    texts = [p.text for p in ps]
    assert not any(t.startswith("2,899.74") or t == "公开01表" for t in texts)
    income = next(p for p in ps if p.text.startswith("2018年收入3082.32万元，比2017年"))
    assert (income.sheet, income.cell, income.section, income.part) == (
        "yongzhou_2018",
        "A23",
        ("一",),
        "2018年度部门决算情况说明",
    )
    kinds = {part_kind(p.part) for p in ps}
    assert {"overview", "explanation", "glossary", "perf_overall", "perf_project"} <= kinds
    staff = [p for p in ps if "现有在职干部职工" in p.text]
    assert [part_kind(p.part) for p in staff] == ["overview", "perf_overall", "perf_project"]


def test_read_text_file_decodes_gb18030_and_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes("情况说明：收入3082.32万元".encode("gb18030"))
    (tmp_path / "b.txt").write_bytes("\ufeff情况说明：支出3383.61万元".encode())
    assert read_text_file(tmp_path / "a.txt") == "情况说明：收入3082.32万元"
    assert read_text_file(tmp_path / "b.txt") == "情况说明：支出3383.61万元"


def test_read_docx_gives_paragraphs_and_tab_led_table_rows(tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("2018年度部门决算情况说明")
    doc.add_paragraph("2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%。")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate([["项目", "预算数", "决算数"], ["公务接待费", "13.00", "7.00"]]):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    doc.add_paragraph("名词解释")
    path = tmp_path / "x.docx"
    doc.save(str(path))
    text = read_text_file(path)
    ps = paragraphs_from_text(text, "x")
    assert [p.text for p in ps] == [
        "2018年度部门决算情况说明",
        "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%。",
        "名词解释",
    ]
    grids = tables_from_text(text)
    assert [g.rows for g in grids] == [
        [["2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%。"],
         ["项目", "预算数", "决算数"], ["公务接待费", "13.00", "7.00"]]
    ]  # fmt: skip


def test_tables_from_text_rejoin_cells_split_by_blank_lines():
    grids = {g.name: g for g in tables_from_text(read_text_file(SOURCE))}
    score = grids["部门整体支出绩效评价表"]
    assert score.rows[1] == [
        "一级指标",
        "分值",
        "二级指标",
        "分值",
        "三级\n指标",
        "分值",
        "评价标准",
        "指标说明",
        "得分",
    ]
    project = grids["市级财政专项（项目）资金绩效评价表"]
    merged = next(r for r in project.rows if r and r[0].startswith("过程"))
    assert merged[:3] == ["过程\n（30分）", "业务管理\n（10分）", "管理制度\n健全\n（3分）"]
    base = grids["部门整体支出绩效评价基础数据表"]
    assert base.rows[1][0].startswith("填报单位：永州市政务服务中心")
    assert ["公用经费", "562,100.00", "420,000.00", "528,300.00"] in base.rows
