"""绩效 tables: scoring rules, score-table parsing, W-10 and W-12 on small grids."""

from decimal import Decimal
from pathlib import Path

import pytest

from checks.grid import SheetGrid
from checks.text.internal import check_text_internal, perf_tables
from checks.text.interval import Interval
from checks.text.paragraphs import paragraphs_from_text, read_text_file
from checks.text.perf_rules import parse_scoring
from checks.text.perf_tables import parse_base_data, parse_score_table
from checks.text.texttables import tables_from_text

SOURCE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "source" / "yongzhou_2018.txt"
D = Decimal

CONTROL = "预算控制率=0，计5分；0-10%（含），计4分；10-20%（含），计3分；20-30%（含），计2分；大于30%不得分。"
OVERSPEND = "100%以下（含）计满分，每超出1%扣1分，扣完为止。"
STAFF = "以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。"


def at(rate: str) -> Interval:
    return Interval.exact(D(rate))


@pytest.mark.parametrize(
    ("text", "full", "rate", "expected"),
    [
        (CONTROL, "5", "17.38", ("3", "3")),
        (CONTROL, "5", "0", ("5", "5")),
        (CONTROL, "5", "10", ("4", "4")),
        (CONTROL, "5", "35", ("0", "0")),
        (OVERSPEND, "8", "125.79", ("0", "0")),
        (OVERSPEND, "8", "100", ("8", "8")),
        (OVERSPEND, "8", "103.4", ("4", "5")),  # 3.4 points over: whole, started or proportional steps
        (STAFF, "5", "67.8", ("5", "5")),
        (STAFF, "5", "104", ("3", "3")),
        ("100%计满分，每超过（降低）5%扣2分。扣完为止。", "6", "90", ("2", "2")),
        ("100%计满分，每低于5%扣2分，扣完为止。", "5", "95", ("3", "3")),
        (
            "“三公经费”变动率≦0,计5分；“三公经费”＞0，每超过一个百分点扣0.8分，扣完为止。",
            "5",
            "-8.95",
            ("5", "5"),
        ),
    ],
)
def test_scoring_rules_parsed_from_the_table_text(text, full, rate, expected):
    rule = parse_scoring(text, D(full))
    assert rule is not None
    lo, hi = rule.score_range(at(rate))
    assert (lo, hi) == (D(expected[0]), D(expected[1]))


def test_a_zero_step_is_no_rule_to_recompute_from():
    # a mistyped 评价标准 made W-10 divide by zero and report an internal error
    assert parse_scoring("100%计满分，每超过0%扣2分，扣完为止。", D(6)) is None
    assert parse_scoring("100%计满分，每超过0.0个百分点扣2分。", D(6)) is None


def test_qualitative_criteria_are_not_rate_rules():
    assert (
        parse_scoring("①有内部财务管理制度、会计核算制度等管理制度，2分；②有本部门厉行节约制度,2分。", D(8))
        is None
    )


# --- grids as the workbook lays them out (numbers as numbers) ----------------------------------

SCORE_GRID = [
    ["部门整体支出绩效评价表"],
    ["一级指标", "分值", "二级指标", "分值", "三级\n指标", "分值", "评价标准", "指标说明", "得分"],
    ["投入", 10, "预算配置", 10, "在职人员控制率", 5, STAFF, "在职人员控制率=（在职人员数/编制数）×100%", 5],
    ["", None, "", None, "“三公经费”控制率", 5, OVERSPEND, "“三公经费”控制率=实际/预算", 5],
    ["过           程", 19, "预算管理", 19, "公用经费控制率", 8, OVERSPEND, "公用经费控制率=实际/预算", 8],
    ["", None, "", None, "预算控制率", 5, CONTROL, "预算控制率=（本年追加预算/年初预算）×100%。", 3],
    ["", None, "", None, "政府采购执行率", 6, "100%计满分，每超过（降低）5%扣2分。", "执行率=实际/预算", 4],
]
BASE_GRID = [
    ["部门整体支出绩效评价基础数据表"],
    ["填报单位：某某局                   单位：个、元"],
    ["财政供养人员情况", "编制数", "2018年实际在职人数", "控制率"],
    [None, 59, 40, 0.678],
    ["经费控制情况", "2017年决算数", "2018年预算数", "2018年决算数"],
    ["三公经费", 110700, 170000, 100796.56],
    ["项目支出：", 24467200, 7680000, 22135418.99],
    ["公用经费", 562100, 420000, 400000],
    ["政府采购金额", "——", None, None],
    ["楼堂馆所控制情况", "批复规模（㎡）", "实际规模（㎡）", "规模控制率"],
    [None, 0, 0, 0],
]
BUDGET_TEXT = "2018年年初收入预算1079万元，支出预算1079万元， 2018年增加187.53万元。其中，基本支出增加43.45万元，专项支出预算增加144.08万元。"


def run(score_rows, base_rows=BASE_GRID, *text):
    paras = paragraphs_from_text(
        "\n".join(["2018年度部门整体支出绩效评价报告", BUDGET_TEXT, *text]), "整体支出绩效评价报告"
    )
    grids = [
        SheetGrid("评价表", [list(r) for r in score_rows]),
        SheetGrid("基础数据表", [list(r) for r in base_rows]),
    ]
    return check_text_internal(paras, 2018, grids)


def w10(result):
    return sorted(
        (f.severity.value, f.expected, f.actual, f.cells[0].cell) for f in result.findings if f.rule == "W-10"
    )


def test_parse_score_table_from_numbers_and_merged_labels():
    t = parse_score_table(SheetGrid("评价表", SCORE_GRID))
    assert t is not None and t.kind == "perf_overall" and t.title == "部门整体支出绩效评价表"
    assert [(g.name, g.max_score, [(c.name, c.max_score) for c in g.children]) for g in t.groups] == [
        ("投入", D(10), [("预算配置", D(10))]),
        ("过程", D(19), [("预算管理", D(19))]),
    ]
    assert [(i.name, i.max_score, i.score, i.score_cell) for i in t.items][-2] == (
        "预算控制率",
        D(5),
        D(3),
        (5, 8),
    )


def test_parse_base_data_reads_percent_cells_and_unit():
    b = parse_base_data(SheetGrid("基础数据表", BASE_GRID))
    assert b is not None and b.unit == "元" and b.report_year() == 2018
    rate = b.get("财政供养", "控制率")
    assert (rate.value, rate.decimals, rate.percent) == (D("67.8"), 1, True)
    assert b.get("^公用经费$", "2018年决算数").value == D(400000)
    assert b.get("政府采购", "2017年决算数").value is None


def test_w10_all_consistent():
    r = run(SCORE_GRID)
    assert w10(r) == [("info", None, None, "I7")]  # 政府采购执行率: no figures to recompute it
    assert r.per_rule["W-10"] == (14, 14)  # 4 maxima sums, 5 scores ≤ 分值, 67.8%, 4 indicator scores
    # the rest of the text is consistent too: 187.53 = 43.45 + 144.08
    assert r.per_rule["W-5"] == (1, 1)


def test_w10_indicator_scores_against_their_rules():
    rows = [list(r) for r in SCORE_GRID]
    rows[5][8] = 2  # 预算控制率 17.38% -> 3 points by the table's own rule
    base = [list(r) for r in BASE_GRID]
    base[7] = ["公用经费", 562100, 420000, 528300]
    r = run(rows, base)
    got = [x for x in w10(r) if x[0] == "error"]
    assert got == [("error", "0分", "8分", "I5"), ("error", "3分", "2分", "I6")]
    msg = next(f.message for f in r.findings if f.expected == "0分")
    assert "公用经费2018年决算数 528,300÷公用经费2018年预算数 420,000 = 125.79%" in msg


def test_w10_maxima_and_score_above_maximum():
    rows = [list(r) for r in SCORE_GRID]
    rows[4][1] = 20  # 过程 says 20 but its 二级 says 19
    rows[2][8] = 6  # 在职人员控制率 scored 6 of 5
    r = run(rows)
    errors = [x for x in w10(r) if x[0] == "error"]
    assert ("error", "19", "20", "A5") in errors
    assert ("error", "≤5", "6", "I3") in errors


def test_w10_printed_control_rate_in_the_base_table():
    base = [list(r) for r in BASE_GRID]
    base[3] = [None, 59, 40, 0.698]
    r = run(SCORE_GRID, base)
    f = next(f for f in r.findings if f.rule == "W-10" and f.severity.value == "error")
    assert (f.expected, f.actual, f.cells[0].sheet, f.cells[0].cell) == ("67.8%", "69.8%", "基础数据表", "D4")


PROJECT_GRID = [
    ["市级财政专项（项目）资金绩效评价表"],
    ["一级", "二级", "三级指标", "指标解释", "指标说明", "得分"],
    ["指标", "指标", "", "", "", ""],
    [
        "投入\n（8分）",
        "资金落实\n（8分）",
        "资金到位率（4分）",
        "实际到位资金与计划投入资金的比率",
        "资金到位率=（实际到位资金/计划投入资金）×100%。",
        "",
    ],
    ["", "", "", "", "实际到位资金：一定时期内实际落实到具体项目的资金。", 4],
    [
        "",
        "",
        "到位及时率\n（4分）",
        "及时到位资金与应到位资金的比率",
        "到位及时率＝（及时到位资金/应到位资金）×100%。",
        3,
    ],
]


@pytest.mark.parametrize(("stated", "expected"), [("7", []), ("8", [("error", "7分", "8分")])])
def test_w10_total_score_against_the_report(stated, expected):
    paras = paragraphs_from_text(
        f"2018年度部门项目支出绩效评价报告\n根据《2018年度专项资金绩效评价指标及评分表》，综合评分为{stated}分。",
        "项目报告",
    )
    r = check_text_internal(paras, 2018, [SheetGrid("项目评价表", PROJECT_GRID)])
    assert [(f.severity.value, f.expected, f.actual) for f in r.findings] == expected
    assert r.per_rule["W-10"][0] == 5  # 2 maxima sums, 2 scores ≤ 分值, the stated total


def test_w12_base_table_against_the_text():
    r = run(
        SCORE_GRID,
        BASE_GRID,
        "“三公”经费财政拨款支出预算为17万元，支出决算为10.08万元，完成预算的59.3%。",
        "公用经费（商品服务支出）606.56万元。",
        "2018年项目支出768万元。",
    )
    w12 = sorted((f.severity.value, f.expected, f.actual) for f in r.findings if f.rule == "W-12")
    assert w12 == [("error", "40.00万元", "606.56万元"), ("warning", "2,213.54万元", "768万元")]
    assert r.per_rule["W-12"] == (4, 2)


def test_source_tables_parse_into_the_expected_trees():
    tables, base = perf_tables(tables_from_text(read_text_file(SOURCE)))
    assert [(t.title, len(t.items), sum(i.score for i in t.items)) for t in tables] == [
        ("部门整体支出绩效评价表", 16, D(93)),
        ("市级财政专项（项目）资金绩效评价表", 20, D(90)),
    ]
    merged = next(i for i in tables[0].items if "社会效益" in i.name)
    assert (merged.name, merged.max_score, merged.score) == ("经济效益/社会效益", D(10), D(9))
    assert base is not None and base.get("^三公经费$", "2018年预算数").value == D("170000.00")
