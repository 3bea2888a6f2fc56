"""文内 checks W-1…W-13: a passing and a failing case per rule, written as accountants write them,
and the whole 2018 source document end to end."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from checks.findings import Family, Severity
from checks.grid import SheetGrid, WorkbookGrid
from checks.text.claims import ClaimKind
from checks.text.internal import check_text_internal, check_workbook_text
from checks.text.paragraphs import paragraphs_from_text, read_text_file
from checks.text.rules import RULES
from checks.text.texttables import tables_from_text

SOURCE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "source" / "yongzhou_2018.txt"
TITLE = "2018年度部门决算情况说明"


def run(*lines: str, year: int | None = 2018, title: str = TITLE, grids=()):
    return check_text_internal(paragraphs_from_text("\n".join([title, *lines]), "情况说明"), year, grids)


def found(result) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity.value) for f in result.findings)


def only(result, rule: str):
    fs = [f for f in result.findings if f.rule == rule]
    assert len(fs) == 1, [f.message for f in result.findings]
    return fs[0]


def counts(result, rule: str) -> tuple[int, int]:
    return result.per_rule.get(rule, (0, 0))


def test_check_functions_return_their_own_tally():
    from checks.text.arith import check_comparisons
    from checks.text.claims import extract_claims

    paras = paragraphs_from_text(INCOME.replace("增幅6.37%", "增幅6.73%"), "说明")
    tally = check_comparisons([c for p in paras for c in extract_claims(p)])
    assert (tally.checked, tally.passed, [f.rule for f in tally.findings]) == (4, 3, ["W-1"])


def test_rule_catalogue_is_well_formed():
    assert list(RULES) == [f"W-{i}" for i in range(1, 16)]
    assert all(r.title and r.formula for r in RULES.values())


# --- W-1 / W-2 / W-9: change and rate ---------------------------------------------------------

INCOME = "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%，主要原因是单位合并前存入财政资金代管户资金182.58万元。"


def test_w1_w2_pass_on_the_income_sentence():
    r = run(INCOME)
    assert found(r) == []
    assert counts(r, "W-1") == (1, 1) and counts(r, "W-2") == (1, 1) and counts(r, "W-4") == (2, 2)


def test_w1_pass_in_chinese_numerals():
    r = run(
        "本年支出三千零八十二点三二万元，比上年二千八百九十七点七四万元增加一百八十四点五八万元，增长百分之六点三七。"
    )
    assert found(r) == [] and counts(r, "W-1") == (1, 1) and counts(r, "W-2") == (1, 1)


def test_w1_wrong_rate():
    f = only(run(INCOME.replace("增幅6.37%", "增幅6.73%")), "W-1")
    assert (f.severity, f.family, f.expected, f.actual) == (
        Severity.ERROR,
        Family.TEXT_INTERNAL,
        "6.37%",
        "6.73%",
    )
    assert f.text == "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.73%"
    assert "184.58÷2897.74 = 6.37%" in f.message
    assert [(c.sheet, c.cell) for c in f.cells] == [("情况说明", "A2")]


def test_w1_rate_from_current_and_prior_without_a_change():
    assert found(run("2018年支出3383.61万元，较2017年2899.18万元增长16.71%。")) == []
    f = only(run("2018年支出3383.61万元，较2017年2899.18万元增长16.17%。"), "W-1")
    assert (f.expected, f.actual) == ("16.71%", "16.17%")


def test_w1_zero_base_is_a_warning():
    r = run("本年培训费2.5万元，比上年0万元增加2.5万元，增长100%。")
    assert found(r) == [("W-1", "warning")]


def test_w2_wrong_change():
    f = only(run("2018年收入3082.32万元，比2017年2897.74万元多184.85万元。"), "W-2")
    assert (f.expected, f.actual) == ("184.58万元", "184.85万元")


def test_w1_w2_thousands_separators_and_jiao_shang_nian():
    ok = "本年支出1,234.56万元，较上年1,000.00万元增加234.56万元，增长23.46%。"
    assert found(run(ok)) == [] and counts(run(ok), "W-1") == (1, 1)
    assert found(run(ok.replace("23.46%", "23.56%"))) == [("W-1", "error")]


def test_w2_mixes_yuan_and_wan_yuan():
    assert found(run("本年会议费0.35万元，比上年3,000元增加500元。")) == []
    assert found(run("本年会议费0.35万元，比上年3,000元增加800元。")) == [("W-2", "error")]


def test_w9_rate_on_the_wrong_base():
    text = "本部门2018年度机关运行经费支出606.56万元，比年初预算数减少222.28万元，降低36.65%。"
    f = only(run(text), "W-9")
    assert (f.severity, f.expected, f.actual) == (Severity.ERROR, "26.82%", "36.65%")
    assert "222.28÷（606.56+222.28） = 26.82%" in f.message and "222.28÷606.56" in f.message
    assert f.text == "本部门2018年度机关运行经费支出606.56万元，比年初预算数减少222.28万元，降低36.65%"
    assert found(run(text.replace("36.65%", "26.82%"))) == []


# --- W-3 completion and W-4 direction ---------------------------------------------------------

SANGONG = [
    "“三公”经费财政拨款支出预算为17万元，支出决算为10.08万元，完成预算的59.3%，其中：",
    "因公出国（境）费支出预算为0万元，支出决算为0万元，完成预算的0%，无变化。",
    "公务接待费支出预算为13万元，支出决算为7万元，完成预算的53.8%，决算数小于年初预算数的主要原因是严控三公经费支出。",
    "公务用车购置费及运行维护费支出预算为4万元，支出决算为3.08万元，完成预算的77%，决算数小于年初预算数的主要原因是减少了公车的维修费用。",
]


def test_w3_completion_rates_and_zero_budget():
    r = run(*SANGONG)
    assert found(r) == [("W-3", "warning")]
    assert counts(r, "W-3") == (4, 3)
    assert counts(r, "W-5") == (2, 2)  # 17 = 0+13+4 and 10.08 = 0+7+3.08
    assert only(r, "W-3").cells[0].cell == "A3"


def test_w3_wrong_completion():
    f = only(run(SANGONG[2].replace("53.8%", "85.3%")), "W-3")
    assert (f.expected, f.actual) == ("53.8%", "85.3%")


def test_w4_budget_words_against_the_figures():
    assert found(run(SANGONG[2])) == []
    f = only(run(SANGONG[2].replace("决算数小于年初预算数", "决算数大于年初预算数")), "W-4")
    assert (f.expected, f.actual) == ("决算数小于预算数", "决算数大于年初预算数")


def test_w4_change_word_against_the_figures():
    f = only(run("2018年收入2897.74万元，比2017年3082.32万元增加184.58万元。"), "W-4")
    assert (f.expected, f.actual) == ("减少", "增加")


def test_w4_change_and_rate_in_opposite_directions():
    r = run("本年支出110万元，比上年100万元减少10万元，增长10%。")
    assert ("W-4", "error") in found(r)


def test_w4_flat_claims():
    assert found(run(SANGONG[1].replace("完成预算的0%，", ""))) == []
    f = only(run("因公出国（境）费支出预算为5万元，支出决算为3万元，与预算持平。"), "W-4")
    assert f.actual == "持平"


# --- W-5 sums ---------------------------------------------------------------------------------


def test_w5_lists_that_add_up():
    r = run(
        "本部门2018 年度政府采购支出总额0 万元，其中：政府采购货物支出0万元、政府采购工程支出0万元、政府采购服务支出0万元。",
        "截至2018年12 月31 日，本部门共有车辆1辆，其中，部级领导干部用车0辆、一般公务用车1辆、一般执法执勤用车0辆、特种专业技术用车0辆、其他用车0辆。",
        "纳入2018年部门整体支出绩效的金额为3383.61万元，其中，基本支出1170.07万元，项目支出2213.54万元。",
        "现有在职干部职工40人，其中，参公事业编在职28人（含工勤人员2名），事业编制在职12人，退休干部7人。",
    )
    assert found(r) == []
    assert counts(r, "W-5") == (5, 5)


def test_w5_parts_not_adding_to_the_total():
    f = only(
        run("纳入部门整体支出绩效的金额为3383.61万元，其中，基本支出1170.07万元，项目支出2231.54万元。"),
        "W-5",
    )
    assert (f.severity, f.expected, f.actual) == (Severity.ERROR, "3383.61万元", "3401.61万元")


def test_w5_short_list_is_a_warning():
    assert found(run("政府采购支出总额50万元，其中：货物支出20万元、服务支出10万元。")) == [
        ("W-5", "warning")
    ]


def test_w5_parenthesis_larger_than_its_figure():
    r = run("聘用人员41人（含热线办工作人员21人、综合窗口24人）。")
    assert found(r) == [("W-5", "error")]


def test_w5_three_public_items_across_paragraphs():
    # 17 ≠ 0+16+4: outside the band of integer-printed budgets (each ±0.5)
    over = [SANGONG[0], SANGONG[1], SANGONG[2].replace("预算为13万元", "预算为16万元"), SANGONG[3]]
    f = only(run(*over), "W-5")
    assert (f.severity, f.expected, f.actual) == (Severity.ERROR, "17万元", "20万元")
    assert [c.cell for c in f.cells] == ["A2", "A3", "A4", "A5"]
    short = [SANGONG[0], SANGONG[1], SANGONG[2].replace("预算为13万元", "预算为10万元"), SANGONG[3]]
    assert only(run(*short), "W-5").severity == Severity.WARNING  # a short 其中 list may be incomplete


# --- W-6 / W-11 shares ------------------------------------------------------------------------

SHARES = (
    "2018年收入3082.32万元，其中财政拨款收入2899.74万元，占总收入94.08%；其他收入182.58万元，占总收入5.92%。"
)


def test_w6_w11_shares_of_income_pass():
    r = run(SHARES)
    assert found(r) == [] and counts(r, "W-6") == (1, 1) and counts(r, "W-11") == (2, 2)


def test_w6_w11_one_share_off():
    r = run(SHARES.replace("5.92%", "6.92%"))
    assert found(r) == [("W-11", "error"), ("W-6", "error")]
    assert (only(r, "W-11").expected, only(r, "W-11").actual) == ("5.92%", "6.92%")


def test_w6_completion_rates_copied_as_shares():
    f = only(
        run(
            "“三公”经费财政拨款支出决算中，公务接待费支出决算7万元，占53.8%，因公出国（境）费支出决算0万元，占0%，公务用车购置费及运行维护费支出决算3.08万元，占77%。"
        ),
        "W-6",
    )
    assert (f.expected, f.actual) == ("100%", "130.8%")
    assert "69.44%、0.00%、30.56%" in f.message


def test_w11_forced_shares_against_the_sum_of_parts():
    r = run(
        "财政拨款本年支出按功能科目分类，一般公共服务支出2415.04万元，占本年财政拨款支出的71.37%；社会保障和就业支出1.66万元，占本年财政拨款支出的0.04%；城乡社区支出803.85万元，占本年财政拨款支出的23.76%；医疗卫生与计划生育支出1.98万元，占本年财政拨款支出的0.05%；其他支出161.08万元，占本年财政拨款支出的4.78%。"
    )
    w11 = sorted((f.expected, f.actual) for f in r.findings if f.rule == "W-11")
    assert w11 == [("0.05%", "0.04%"), ("0.06%", "0.05%"), ("4.76%", "4.78%")]
    assert counts(r, "W-6") == (1, 1) and counts(r, "W-11") == (5, 2)


def test_w11_share_over_a_zero_total_is_a_warning():
    r = run("政府采购支出总额0万元。授予中小企业合同金额0万元，占政府采购支出总额的0%。")
    assert found(r) == [("W-11", "warning")]


# --- W-7 years --------------------------------------------------------------------------------


def test_w7_dates_and_comparison_years():
    ok = run("截至2018年12 月31 日，本部门共有车辆1辆。与2017年相比，会议费减少2万元。")
    assert found(ok) == [] and counts(ok, "W-7") == (3, 3)  # title, date, comparison year
    r = run(
        "截止2019年12月31日，我单位公务用车保有量为1辆。与2016年相比，会议费减少2万元。22018年，工作取得成效。"
    )
    assert found(r) == [("W-7", "error"), ("W-7", "error"), ("W-7", "warning")]
    date = next(f for f in r.findings if "2019" in (f.actual or ""))
    assert (date.expected, date.actual) == ("2018年12月31日", "截止2019年12月31日")


def test_w7_title_year_and_inferred_report_year():
    r = run("2018年收入3082.32万元。", title="2017年度部门决算情况说明", year=2018)
    assert found(r) == [("W-7", "error")]
    [f] = r.findings
    assert (f.message, f.expected, f.actual) == (
        "标题年份“2017年度”与报告年度2018年不符",
        "2018年",
        "2017年度",
    )
    assert run("2018年收入3082.32万元。", year=None).report_year == 2018


# --- W-8 repeated indicators ------------------------------------------------------------------


def _three_parts(staff_a: int, staff_b: int):
    return paragraphs_from_text(
        "\n".join(
            [
                "永州市政务服务中心概况",
                "现有在职干部职工40人（截止2018年12月31日）。",
                "2018年度部门整体支出绩效评价报告",
                "（三）人员编制情况",
                f"中心核定参公编制29名，事业编制30名，现有在职干部职工{staff_a}人，其中，参公事业编在职28人，事业编制在职12人。",
                "2018年度部门项目支出绩效评价报告",
                "一、项目概况",
                f"本单位共有编制数59名，其中参公编制29名，事业编制30名。现有在职干部职工{staff_b}人，其中参公事业编{staff_b - 12}人，事业编制12人。",
            ]
        ),
        "绩效",
    )


def test_w8_same_staff_count_everywhere():
    r = check_text_internal(_three_parts(40, 40), 2018)
    assert found(r) == []
    assert counts(r, "W-8") == (5, 5)  # 在职干部职工, 参公编制, 事业编制 名, 事业编制 人, 参公事业编


def test_w8_staff_count_differs_between_reports():
    r = check_text_internal(_three_parts(40, 39), 2018)
    assert found(r) == [("W-8", "warning"), ("W-8", "warning")]
    f = next(f for f in r.findings if "在职干部职工" in f.message)
    assert (f.expected, f.actual) == ("40人", "39人")
    assert [c.cell for c in f.cells] == ["A8", "A2", "A5"]  # the odd value first, then the others
    assert "39人（项目支出绩效评价报告一）；40人（部门概况、整体支出绩效评价报告（三））" in f.message


def test_w8_reads_amount_and_count_subjects_as_extraction_cleaned_them():
    # W-8 does not clean these subjects again (consistency._clean_again): extraction must give
    # every amount and count a subject clean_subject leaves as it is, quotes at its ends aside
    from checks.text.claims import clean_subject, extract_all
    from checks.text.consistency import _clean_again

    paragraphs = paragraphs_from_text(read_text_file(SOURCE), "yongzhou_2018") + _three_parts(40, 39)
    subjects = {c.subject for c in extract_all(paragraphs) if c.kind in (ClaimKind.AMOUNT, ClaimKind.COUNT)}
    assert len(subjects) > 100
    assert all(_clean_again(s) == clean_subject(s) for s in subjects)


# --- W-13 类 names ----------------------------------------------------------------------------


def test_w13_class_names_follow_the_report_year():
    text = "医疗卫生与计划生育支出1.98万元，占本年财政拨款支出的0.05%。"
    assert found(run(text, year=2018, title="2018年度部门决算情况说明")) == []
    r = run(text, year=2019, title="2019年度部门决算情况说明")
    assert found(r) == [("W-13", "warning")]
    assert "卫生健康支出" in only(r, "W-13").message


# --- robustness -------------------------------------------------------------------------------


def test_a_check_that_raises_becomes_an_internal_finding(monkeypatch):
    import checks.text.internal as internal

    def boom(*_a, **_k):
        raise RuntimeError("x")

    monkeypatch.setattr(internal, "check_shares", boom)
    r = run(SHARES)
    assert [(f.rule, f.severity.value, f.outcome.value) for f in r.findings] == [("W-6", "info", "internal")]
    assert counts(r, "W-5") == (1, 1)  # the other checks still ran


# --- end to end on the 2018 source ------------------------------------------------------------


@pytest.fixture(scope="module")
def source_result():
    text = read_text_file(SOURCE)
    return check_text_internal(paragraphs_from_text(text, "yongzhou_2018"), None, tables_from_text(text))


def test_source_end_to_end_findings(source_result):
    r = source_result
    assert r.report_year == 2018
    assert Counter((f.rule, f.severity.value) for f in r.findings) == Counter(
        {
            ("W-9", "error"): 1,  # 机关运行经费 降低36.65% on the current amount
            ("W-3", "warning"): 1,  # 因公出国 0/0 '0%'
            ("W-11", "error"): 5,  # 五（二） forced shares 0.04/0.05/4.78; 七（二） 53.8%, 77% as shares
            ("W-11", "warning"): 2,  # 政府采购 shares over a zero total
            ("W-6", "error"): 1,  # 七（二） 53.8%+0%+77%
            ("W-7", "error"): 1,  # 截止2019年12月31日
            ("W-7", "warning"): 1,  # 22018年
            ("W-8", "warning"): 4,  # 在职 40/39, 参公 28/27, 退休 7/6, 项目支出 2213.54/768
            ("W-10", "error"): 2,  # 预算控制率 3≠2, 公用经费控制率 0≠8
            ("W-10", "info"): 3,  # 三公变动率, 预算完成率, 政府采购执行率 not recomputable
            ("W-12", "error"): 1,  # 公用经费 606.56万元 vs 528,300元
            ("W-12", "warning"): 2,  # 项目支出 768万元 = the 预算数
        }
    )
    # W-9 also counts each rate whose base was checked (4 rates computed on the right base)
    assert r.checked == 226 and r.passed == 205  # incl. 3 years opening 本单位…无…收支 statements
    assert r.per_rule["W-9"] == (5, 4)


def test_source_right_claims_give_nothing_above_info(source_result):
    r = source_result
    bad_cells = {
        (c.sheet, c.cell)
        for f in r.findings
        if f.severity != Severity.INFO
        for c in f.cells
        if c.sheet == "yongzhou_2018"
    }
    right = [
        ("2018年收入3082.32万元，比2017年2897.74万元多184.58万元", ClaimKind.RATE, Decimal("6.37")),
        ("2018年收入3082.32万元，其中财政拨款收入", ClaimKind.SHARE, Decimal("94.08")),
        ("“三公”经费财政拨款支出预算为17万元", ClaimKind.COMPLETION, Decimal("59.3")),
        ("公务接待费支出预算为13万元", ClaimKind.COMPLETION, Decimal("53.8")),
        ("公务用车购置费及运行维护费支出预算为4万元", ClaimKind.COMPLETION, Decimal("77")),
        ("2018年本部门开支会议费7.36万元", ClaimKind.AMOUNT, Decimal("7.36")),
    ]
    for start, kind, value in right:
        c = next(
            c for c in r.claims if c.paragraph.text.startswith(start) and c.kind == kind and c.value == value
        )
        assert (c.paragraph.sheet, c.paragraph.cell) not in bad_cells, start


def test_source_messages_quote_operands(source_result):
    by_rule = {f.rule: f for f in source_result.findings if f.severity == Severity.ERROR}
    assert by_rule["W-12"].message == (
        "文中“公用经费（商品服务支出）606.56万元”，基础数据表“公用经费”2018年决算数为528,300.00元（52.83万元）"
    )
    assert by_rule["W-7"].text == "截止2019年12月31日"
    w10 = sorted(
        (f.expected, f.actual)
        for f in source_result.findings
        if f.rule == "W-10" and f.severity == Severity.ERROR
    )
    assert w10 == [("0分", "8分"), ("3分", "2分")]


def test_workbook_entry_point_reads_text_and_table_sheets():
    text = read_text_file(SOURCE)
    paras = [p.text for p in paragraphs_from_text(text, "x")]
    start = paras.index("2018年度部门决算情况说明")
    explanation = SheetGrid("情况说明", [[t] for t in paras[start : start + 43]])
    grids = {g.name: g for g in tables_from_text(text)}
    wb = WorkbookGrid([explanation, grids["部门整体支出绩效评价表"], grids["部门整体支出绩效评价基础数据表"]])
    r = check_workbook_text(wb, 2018)
    assert ("W-9", "error") in found(r) and ("W-12", "error") in found(r)
    w9 = only(r, "W-9")
    assert [(c.sheet, c.cell) for c in w9.cells] == [("情况说明", "A37")]


# --- layouts of other templates (2020+ wording) -----------------------------------------------


def test_w1_current_amount_in_the_previous_sentence():
    ok = "本部门2018年度机关运行经费支出351.64万元。与2017年度相比，机关运行经费支出减少98.00万元，下降21.80%。"
    r = run(ok)
    assert found(r) == [] and counts(r, "W-1") == (1, 1)
    f = only(run(ok.replace("21.80%", "12.46%")), "W-1")
    assert (f.expected, f.actual) == ("21.80%", "12.46%")
    both = "2021年度财政拨款收入、支出决算总计2312.66万元。与2020年度相比，财政拨款收入、支出决算总计各减少503万元，下降17.86%。"
    assert found(run(both, year=2021, title="2021年度部门决算情况说明")) == []


def test_w7_a_statement_opening_with_the_wrong_year():
    r = run("2017年度财政拨款收入、支出决算总计1680.02万元。与2017年度相比，财政拨款收入、支出决算总计持平。")
    f = only(r, "W-7")
    assert (f.expected, f.actual) == ("2018年", "2017年度")
    assert found(run("2018年收入决算数3082.32万元，其中2017年度政务联动处置工作表彰经费40万元。")) == []


def test_w5_budget_and_final_columns_in_one_paragraph():
    text = (
        "2024年度“三公”经费财政拨款支出预算为25万元，支出决算为21.63万元，完成预算的86.52%。"
        "其中：因公出国（境）费支出预算为0.00万元，支出决算为0.00万元；公务用车运行维护费支出预算为12.00万元，"
        "支出决算为11.36万元，完成预算的94.67%；公务接待费支出预算为13.00万元，支出决算为10.27万元，完成预算的79.00%。"
    )
    r = run(text, year=2024, title="2024年度部门决算情况说明")
    assert found(r) == [] and counts(r, "W-5") == (2, 2)
    wrong = text.replace("支出决算为10.27万元", "支出决算为12.27万元").replace("79.00%", "94.38%")
    bad = run(wrong, year=2024, title="2024年度部门决算情况说明")
    assert [(f.rule, f.expected, f.actual) for f in bad.findings] == [("W-5", "21.63万元", "23.63万元")]


def test_w6_w11_breakdown_of_a_whole_and_nested_shares():
    whole = "2018年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0.00万元，占0.00%；公务用车购置及运行维护费支出决算49.17万元，占53.64%；公务接待费支出决算42.49万元，占46.36%。"
    assert found(run(whole)) == []
    r = run(whole.replace("46.36%", "38.61%"))
    assert found(r) == [("W-11", "error"), ("W-6", "error")]
    nested = "政府采购支出总额153.80万元。授予中小企业合同金额143.53万元，占政府采购支出总额的93.32%，其中：授予小微企业合同金额79.19万元，占政府采购支出总额的51.49%。"
    assert found(run(nested)) == []


def test_w11_descriptive_lists_do_not_cut_a_breakdown():
    text = "2020年度一般公共预算财政拨款基本支出1385.89万元，其中：人员经费1027.87万元，占74.17%，主要包括津贴补贴、基本工资；公用经费358.02万元，占25.83%，主要包括办公费、差旅费。"
    r = run(text, year=2020, title="2020年度部门决算情况说明")
    assert found(r) == [] and counts(r, "W-11") == (2, 2) and counts(r, "W-5") == (1, 1)
    bad = run(text.replace("25.83%", "18.08%"), year=2020, title="2020年度部门决算情况说明")
    assert [(f.rule, f.expected, f.actual) for f in bad.findings if f.rule == "W-11"] == [
        ("W-11", "25.83%", "18.08%")
    ]


def test_parenthesised_parts_above_their_total():
    # a （含…） list of three parts over its total: a finding, not an internal error
    f = only(run("本年支出100万元（含工资50万元、公用经费40万元、其他支出30万元）。"), "W-5")
    assert (f.severity.value, f.expected, f.actual) == ("error", "100万元", "120万元")
    assert f.message.startswith("所列分项 ") and f.message.endswith("大于总数 100万元")
    assert found(run("本年支出120万元（含工资50万元、公用经费40万元、其他支出30万元）。")) == []
