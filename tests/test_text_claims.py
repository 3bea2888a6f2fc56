"""Claim extraction: Chinese numerals, exact fields on real sentences of the 2018 source."""

from decimal import Decimal

import pytest

from checks.text.claims import ClaimKind, extract_claims
from checks.text.cnnum import cn_to_decimal, decimals_of, parse_number
from checks.text.interval import Interval, round_half_up
from checks.text.paragraphs import Paragraph


def claims(text: str, kinds: set[ClaimKind] | None = None):
    out = extract_claims(Paragraph("情况说明", "A1", text))
    return [c for c in out if kinds is None or c.kind in kinds]


def fields(c):
    return (c.kind.value, c.value, c.decimals, c.unit, c.direction, c.sign, c.subject)


# --- Chinese numerals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("三千零八十二点三二", "3082.32", 2),
        ("百分之六点三七", "6.37", 2),
        ("二十", "20", 0),
        ("十二", "12", 0),
        ("两百", "200", 0),
        ("〇", "0", 0),
        ("一万二千", "12000", 0),
        ("一亿零五百万", "105000000", 0),
        ("二百二十二点二八", "222.28", 2),
        ("零点五", "0.5", 1),
    ],
)
def test_cn_numerals_keep_printed_precision(text, value, decimals):
    v = cn_to_decimal(text)
    assert v == Decimal(value)
    assert decimals_of(v) == decimals


def test_arabic_numbers_with_separators_and_fullwidth_digits():
    assert parse_number("1,234.56") == Decimal("1234.56")
    assert decimals_of(parse_number("17")) == 0
    assert parse_number("０.50") == Decimal("0.50") and decimals_of(parse_number("０.50")) == 2
    with pytest.raises(ValueError):
        cn_to_decimal("三点X")


def test_interval_of_printed_figures_and_half_up_rounding():
    iv = Interval.printed(Decimal("59.3"), 1)
    assert (iv.lo, iv.hi) == (Decimal("59.25"), Decimal("59.35"))
    ratio = (Interval.printed(Decimal("10.08"), 2) / Interval.printed(Decimal("17"), 0)).scale(Decimal(100))
    assert ratio.overlaps(iv)
    assert round_half_up(Decimal("28.145"), 2) == Decimal("28.15")  # Excel rounding, not banker's
    assert not Interval.printed(Decimal("26.82"), 2).overlaps(Interval.printed(Decimal("36.65"), 2))


# --- amounts, changes, rates ------------------------------------------------------------------


def test_income_sentence_prior_change_and_rate():
    cs = claims(
        "2018年收入3082.32万元，比2017年2897.74万元多184.58万元，增幅6.37%，主要原因是单位合并前存入财政资金代管户资金182.58万元。",
        {ClaimKind.AMOUNT, ClaimKind.CHANGE, ClaimKind.RATE},
    )
    assert [fields(c) for c in cs[:4]] == [
        ("amount", Decimal("3082.32"), 2, "万元", None, None, "收入"),
        ("amount", Decimal("2897.74"), 2, "万元", None, None, ""),
        ("change", Decimal("184.58"), 2, "万元", "多", 1, ""),
        ("rate", Decimal("6.37"), 2, "%", "增幅", 1, ""),
    ]
    assert cs[1].role == "prior" and cs[1].compare_to == "2017年"
    assert cs[2].compare_to == "2017年" and cs[2].clause == "比2017年2897.74万元多184.58万元"
    assert cs[0].role is None and cs[0].printed == "3082.32万元" and cs[0].span == (7, 16)
    assert cs[4].subject == "主要原因是单位合并前存入财政资金代管户资金"


def test_decrease_against_budget_is_a_negative_change_and_rate():
    cs = claims("本部门2018年度机关运行经费支出606.56万元，比年初预算数减少222.28万元，降低36.65%。")
    money = [c for c in cs if c.kind in (ClaimKind.AMOUNT, ClaimKind.CHANGE, ClaimKind.RATE)]
    assert [fields(c) for c in money] == [
        ("amount", Decimal("606.56"), 2, "万元", None, None, "机关运行经费支出"),
        ("change", Decimal("222.28"), 2, "万元", "减少", -1, ""),
        ("rate", Decimal("36.65"), 2, "%", "降低", -1, ""),
    ]
    assert money[1].signed == Decimal("-222.28") and money[1].compare_to == "年初预算数"
    assert [c.kind for c in cs if c.kind == ClaimKind.YEAR] == [ClaimKind.YEAR]


def test_chinese_numerals_percent_words_and_percentage_points():
    cs = claims("较上年增加三千零八十二点三二万元，下降百分之六点三七，提高0.5个百分点。")
    assert [(c.kind.value, c.value, c.decimals, c.sign, c.compare_to) for c in cs] == [
        ("change", Decimal("3082.32"), 2, 1, "上年"),
        ("rate", Decimal("6.37"), 2, -1, "上年"),
        ("pct_point", Decimal("0.5"), 1, 1, "上年"),
    ]


def test_thousands_separators_yuan_and_yi_yuan_units():
    cs = claims("会议费支出12,345.00元，资金3.08亿元，公务接待费0.5万元。")
    assert [(c.value, c.unit, c.wan()) for c in cs] == [
        (Decimal("12345.00"), "元", Decimal("1.2345000")),
        (Decimal("3.08"), "亿元", Decimal("30800.00")),
        (Decimal("0.5"), "万元", Decimal("0.5")),
    ]
    yuan = cs[0].interval()
    assert (yuan.lo, yuan.hi) == (Decimal("1.2344995"), Decimal("1.2345005"))


def test_three_public_budget_and_final_roles_and_completion():
    cs = claims(
        "公务接待费支出预算为13万元，支出决算为7万元，完成预算的53.8%，决算数小于年初预算数的主要原因是严控支出。"
    )
    assert [(c.kind.value, c.value, c.decimals, c.role, c.subject) for c in cs] == [
        ("amount", Decimal("13"), 0, "budget", "公务接待费支出预算"),
        ("amount", Decimal("7"), 0, "final", "支出决算"),
        ("completion", Decimal("53.8"), 1, None, "完成预算的"),
        ("comparison", None, 0, None, "决算数"),
    ]
    assert (cs[3].direction, cs[3].sign, cs[3].compare_to) == ("小于", -1, "年初预算数")


def test_shares_carry_their_denominator():
    cs = claims(
        "2018年收入3082.32万元，其中财政拨款收入2899.74万元，占总收入94.08%；其他收入182.58万元，占总收入5.92%。"
    )
    shares = [c for c in cs if c.kind == ClaimKind.SHARE]
    assert [(c.value, c.denominator) for c in shares] == [
        (Decimal("94.08"), "总收入"),
        (Decimal("5.92"), "总收入"),
    ]
    assert [c.subject for c in cs if c.kind == ClaimKind.AMOUNT] == ["收入", "财政拨款收入", "其他收入"]
    assert claims("财政拨款支出3383.61万元，占本年支出的100%。")[1].denominator == "本年支出"
    assert claims("工资福利支出563.51万元，占比例16.65%。")[1].denominator == ""


def test_flat_is_a_direction_without_a_number():
    cs = claims("2018年财政拨款总收入2899.74万元，比上年基本持平。")
    flat = [c for c in cs if c.kind == ClaimKind.FLAT]
    assert [(c.direction, c.sign, c.value, c.compare_to) for c in flat] == [
        ("基本持平", 0, Decimal(0), "上年")
    ]


def test_counts_and_their_units():
    cs = claims(
        "全年共接待来访20批次、来宾200人次；共有车辆1辆；单价100 万元以上专用设备1台（套）；现有在职干部职工40人；中心内设8个科室（含机关党委）；车辆一台。"
    )
    counted = [(c.value, c.unit, c.noun) for c in cs if c.kind == ClaimKind.COUNT]
    assert counted == [
        (Decimal(20), "批次", None),
        (Decimal(200), "人次", None),
        (Decimal(1), "辆", None),
        (Decimal(1), "台（套）", None),
        (Decimal(40), "人", None),
        (Decimal(8), "个", "科室"),
        (Decimal(1), "台", None),
    ]
    threshold = next(c for c in cs if c.kind == ClaimKind.AMOUNT)
    assert threshold.value == 100 and threshold.approx  # '100 万元以上' is a threshold, not an amount


def test_dates_with_spaces_and_comparison_years():
    cs = claims("截至2018年12 月31 日，本部门共有车辆1辆。与2017年相比，会议费减少2万元。")
    date = next(c for c in cs if c.kind == ClaimKind.DATE)
    assert (date.date, date.role, date.printed) == ((2018, 12, 31), "deadline", "截至2018年12 月31 日")
    year = next(c for c in cs if c.kind == ClaimKind.YEAR)
    assert (year.value, year.role) == (Decimal(2018 - 1), "compare")
    change = next(c for c in cs if c.kind == ClaimKind.CHANGE)
    assert (change.sign, change.compare_to) == (-1, "2017年")


def test_list_markers_years_and_words_are_not_amounts():
    cs = claims("（三）2.5万元用于培训。1、十分关心，一次办好，八项规定，2018年度，22018年，12345热线。")
    nums = [(c.kind.value, c.value) for c in cs if c.kind not in (ClaimKind.YEAR,)]
    assert nums == [("amount", Decimal("2.5"))]
    years = [c.value for c in cs if c.kind == ClaimKind.YEAR]
    assert years == [Decimal(2018), Decimal(22018)]


def test_approximate_figures_are_flagged():
    cs = claims("节约财政资金1000多万元，对20余名新进人员培训，公众号关注人数超过20万人。")
    assert [(c.value, c.approx) for c in cs] == [(Decimal(1000), True), (Decimal(20), True)]


def test_parenthetical_figures_are_marked():
    cs = claims("参公事业编在职28人（含工勤人员2名），事业编制在职12人。")
    assert [(c.value, c.in_parens, c.subject) for c in cs] == [
        (Decimal(28), False, "参公事业编在职"),
        (Decimal(2), True, "工勤人员"),
        (Decimal(12), False, "事业编制在职"),
    ]


def test_class_and_department_names():
    cs = claims("一般公共服务支出2415.04万元，医疗卫生与计划生育支出1.98万元。")
    assert [c.subject for c in cs if c.kind == ClaimKind.CLASS_NAME] == [
        "一般公共服务支出",
        "医疗卫生与计划生育支出",
    ]
    dept = claims("填报单位：永州市政务服务中心                   单位：个、元")
    assert [c.subject for c in dept if c.kind == ClaimKind.DEPARTMENT] == ["永州市政务服务中心"]
    assert [c.subject for c in claims("永州市政务服务中心") if c.kind == ClaimKind.DEPARTMENT] == [
        "永州市政务服务中心"
    ]
