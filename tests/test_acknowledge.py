"""核实说明: a finding explained in the workbook is kept as 提示 with its reason, until its number changes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from addin.reader import read_workbook
from checks.api import check_grids
from checks.grid import SheetGrid

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "yongzhou_2018.xlsx"


@pytest.fixture(scope="module")
def grids():
    return read_workbook(SAMPLE)


def _with_ack(grids, *rows):
    wb = copy.deepcopy(grids)
    wb.sheets.append(SheetGrid("核实说明", [["规则", "单元格", "说明", "实为"], *[list(r) for r in rows]]))
    return wb


def _by_rule(report, rule):
    return [f for f in report.findings if f.rule == rule]


def test_an_explained_finding_becomes_info_with_its_reason(grids):
    before = check_grids(grids)
    report = check_grids(_with_ack(grids, ("X-11", "公开04表(2)!A3", "附表为合并前单位数据，公开时删除", None)))
    [f] = _by_rule(report, "X-11")
    assert f.severity.value == "info" and f.args["acknowledged"] == "error"
    assert f.message.startswith("【已核实：附表为合并前单位数据，公开时删除】")
    assert report.acknowledged == 1
    assert report.errors == before.errors - 1
    assert report.to_json()["summary"]["acknowledged"] == 1


def test_a_rule_wide_explanation_and_one_without_a_reason(grids):
    report = check_grids(_with_ack(grids, ("W-8", None, "项目支出报告口径为预算数", None), ("T08-2", None, None, None)))
    assert {f.severity.value for f in _by_rule(report, "W-8")} == {"info"}
    assert [f.severity.value for f in _by_rule(report, "T08-2")] == ["warning"]  # no reason: ignored


def test_an_explanation_expires_when_the_value_changes(grids):
    report = check_grids(_with_ack(grids, ("W-9", "情况说明!A37", "按预算口径计算", "30.00%")))
    [f] = _by_rule(report, "W-9")
    assert f.severity.value == "error"
    assert "已不适用" in f.message and "30.00%" in f.message
    still = check_grids(_with_ack(grids, ("W-9", "情况说明!A37", "按预算口径计算", f.actual)))
    assert [x.severity.value for x in _by_rule(still, "W-9")] == ["info"]
