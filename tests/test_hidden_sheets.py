"""Hidden sheets: the reader sees them as hidden; a hidden old copy of a table is not what gets checked."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin.cli import check_file
from addin.reader import read_workbook

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "yongzhou_2018.xlsx"


def _loud(report):
    return sorted((f.rule, f.severity.value, f.message) for f in report.findings if f.severity.value != "info")


@pytest.fixture(scope="module")
def sample_report():
    return check_file(SAMPLE)[1]


def _variant(tmp_path, name, edit) -> Path:
    wb = openpyxl.load_workbook(SAMPLE)
    edit(wb)
    out = tmp_path / name
    wb.save(out)
    return out


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_reader_reports_hidden_and_very_hidden_sheets(tmp_path, state):
    def hide(wb):
        wb["名词解释"].sheet_state = state

    grids = read_workbook(_variant(tmp_path, f"{state}.xlsx", hide))
    assert [s.name for s in grids.sheets if s.hidden] == ["名词解释"]


def test_a_hidden_old_copy_placed_first_is_reported_not_checked(tmp_path, sample_report):
    def old_copy(wb):
        ws = wb.copy_worksheet(wb["公开01表"])
        ws.title = "旧01表"
        ws.sheet_state = "hidden"
        ws["C8"] = 9999.99  # last year's figures: would break every 01 identity if it were checked
        wb.move_sheet("旧01表", offset=-(len(wb.sheetnames) - 1))

    _, report = check_file(_variant(tmp_path, "old_copy.xlsx", old_copy))
    assert _loud(report) == _loud(sample_report)
    [c3] = [f for f in report.findings if f.rule == "C-3"]
    assert (c3.severity.value, c3.cells[0].sheet) == ("info", "旧01表")
    assert c3.message == "隐藏工作表“旧01表”中另有一张公开01表，未参与检查（已核对显示中的同名表）"


def test_the_only_copy_hidden_is_a_warning_and_still_checked(tmp_path, sample_report):
    def hide06(wb):
        wb["公开06表"].sheet_state = "hidden"

    _, report = check_file(_variant(tmp_path, "hidden06.xlsx", hide06))
    [c3] = [f for f in report.findings if f.rule == "C-3"]
    assert c3.severity.value == "warning"
    assert c3.message == ("公开06表所在的工作表“公开06表”处于隐藏状态：公开文件中读者看不到，"
                          "打印或转为 PDF 时也会缺少该表")
    assert [x for x in _loud(report) if x[0] != "C-3"] == _loud(sample_report)  # 06's own checks still ran
