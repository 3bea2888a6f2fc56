"""W-14 heading numbers, W-15 template leftovers, C-2 topics of the 情况说明: passing and failing texts."""

from __future__ import annotations

import pytest

from checks.text.paragraphs import paragraphs_from_text
from checks.text.structure import (
    marker_number,
    numbering_findings,
    placeholder_findings,
    structure_findings,
    topic_findings,
)

TITLE = "2021年度部门决算情况说明"


def paras(*lines: str):
    return paragraphs_from_text("\n".join(lines), "情况说明")


@pytest.mark.parametrize(("marker", "n"), [("一", 1), ("（九）", 9), ("十", 10), ("十一", 11), ("（二十）", 20),
                                          ("二十三", 23), ("7", 7), ("（12）", 12), ("甲", None)])
def test_marker_number(marker, n):
    assert marker_number(marker) == n


def test_consecutive_numbers_and_restarted_lists_pass():
    ps = paras(TITLE, "一、收入支出决算总体情况说明", "（一）收入", "1、财政拨款收入", "2、其他收入", "（二）支出",
               "1、基本支出", "2、项目支出", "二、收入决算情况说明", "三、支出决算情况说明")
    assert numbering_findings(ps) == []


def test_a_heading_that_lost_its_number():
    ps = paras("十、其他重要事项情况说明", "（一）机关运行经费支出情况", "本部门机关运行经费支出606.56万元。",
               "一般性支出情况", "会议费7.36万元。", "政府采购支出情况", "政府采购支出总额0万元。", "（四）国有资产占用情况")
    [f] = numbering_findings(ps)
    assert f.message == ("标题“（四）国有资产占用情况”紧接在“（一）”之后，缺少“（二）”“（三）”；"
                         "其间的“一般性支出情况”“政府采购支出情况”可能漏写了序号")
    assert (f.severity.value, f.expected, f.actual) == ("warning", "（二）", "（四）")
    assert [c.cell for c in f.cells] == ["A4", "A6", "A8"]


def test_a_part_that_starts_at_two():
    [f] = numbering_findings(paras("永州市政务服务中心概况", "部门职责", "（一）负责……。", "二、机构设置及决算单位构成"))
    assert f.message == "标题“二、机构设置及决算单位构成”之前没有“一、”，序号不连续；“部门职责”可能漏写了序号"
    assert [c.cell for c in f.cells] == ["A2", "A4"]  # the line that lost its number first


def test_repeated_number():
    [f] = numbering_findings(paras(TITLE, "一、收入", "二、支出", "二、财政拨款收入支出"))
    assert f.message == "标题序号“二、”在“二、”之后重复或倒序（“二、财政拨款收入支出”）"


def test_a_list_nested_in_its_parents_style_resumes_the_outer_numbering():
    # the duties （一）…（三） under “（一）部门职责” are numbered like their parent; （二） resumes the outer list
    ps = paras("整体支出绩效评价报告", "一、部门概况", "（一）部门职责", "（一）负责甲。", "（二）负责乙。", "（三）负责丙。",
               "（二）机构设置情况", "（三）人员情况")
    assert numbering_findings(ps) == []


def test_a_continued_sheet_may_start_late_but_a_sub_list_may_not():
    ps = paragraphs_from_text("六、基本支出\n七、三公经费\n（二）具体情况", "续表")
    [f] = numbering_findings(ps)
    assert f.actual == "（二）"


@pytest.mark.parametrize(
    "text",
    ["XX局2021年度收入100万元。", "支出××万元，比上年增加。", "【请填写本部门名称】负责……。", "此处填写增减原因。",
     "请根据实际情况填写。", "某某单位共有车辆2辆。", "项目支出xx万元。"],
)
def test_template_leftovers_are_flagged(text):
    [f] = placeholder_findings(paras(TITLE, text))
    assert f.rule == "W-15" and f.severity.value == "warning"
    assert f.text in text


@pytest.mark.parametrize(
    "text",
    ["购置X光机1台，单价50万元以上。", "完成XXL型号设备采购。", "永政办发［2015］31号规定。", "【注】本表无数据。",
     "支出3×4万元的设备。"],
)
def test_ordinary_text_is_not_a_leftover(text):
    assert placeholder_findings(paras(TITLE, text)) == []


FULL = [TITLE, "一、收入支出决算总体情况说明", "“三公”经费支出10万元。", "本单位无政府性基金收支。",
        "无国有资本经营预算财政拨款支出。", "机关运行经费支出20万元。", "政府采购支出总额0万元。",
        "截至2021年12月31日，本部门共有车辆1辆。", "预算绩效管理工作开展情况：……。", "名词解释"]


def test_all_topics_present():
    findings, counts = structure_findings(paras(*FULL), 2021)
    assert [f for f in findings if f.rule == "C-2"] == []
    assert counts["C-2"] == [1, 1]


def test_missing_topics_are_named_once():
    text = [x for x in FULL if "机关运行经费" not in x and "车辆" not in x and x != "名词解释"]
    [f] = topic_findings(paras(*text), 2021)
    assert f.message == ("情况说明中未见“机关运行经费”“国有资产占用”“名词解释”的说明：部门决算公开应说明这些事项"
                         "（无此项的也应写明“无…”）")
    assert (f.rule, f.family.value, f.severity.value, f.cells[0].cell) == ("C-2", "完整性", "warning", "A1")


def test_state_capital_table_only_required_from_2020():
    text = [x for x in FULL if "国有资本经营" not in x]
    assert topic_findings(paras(*text), 2019) == []
    assert topic_findings(paras(*text), 2021)[0].actual == "国有资本经营预算财政拨款支出"


def test_no_explanation_part_no_topic_check():
    findings, counts = structure_findings(paras("整体支出绩效评价报告", "一、部门概况"), 2021)
    assert topic_findings(paras("整体支出绩效评价报告", "一、部门概况"), 2021) == []
    assert "C-2" not in counts
