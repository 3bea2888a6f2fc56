"""JSON report round trip and schema; terminal summary."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from addin.marks import OutputError
from addin.report_json import dumps_report, load_json_report, write_json_report
from addin.terminal import format_summary
from checks.findings import CellRef, Family, Finding, Report, Severity


def make_report(workbook: str = "/data/部门决算.xlsx") -> Report:
    return Report(
        workbook=workbook, department="某某局", year=2018, unit="万元", era="2018",
        tables={"01": "公开01表", "02": "公开02表"},
        findings=[
            Finding("T01-4", Severity.INFO, Family.INTRA, "尾差，可能为取整误差", [CellRef("公开01表", "C9")]),
            Finding("T01-2", Severity.ERROR, Family.INTRA, "本年收入合计 1,170.07 ≠\n各项之和 1,170.02",
                    [CellRef("公开01表", "C27"), CellRef("公开02表", "D7")], expected="1,170.02", actual="1,170.07"),
            Finding("X-1", Severity.ERROR, Family.CROSS, "02表合计与01表不符", [CellRef("公开02表", "D7")]),
            Finding("TX-3", Severity.WARNING, Family.TEXT, "说明中的增幅与表不符", [CellRef("公开01表", "C5")],
                    expected="6.37%", actual="6.40%", text="增幅6.40%", hint="核对上年数"),
            Finding("C-8", Severity.INFO, Family.COMPLETE, "未找到公开08表"),
        ],
        checks=40, passed=37, text_checked=10, text_passed=8,
    )


def test_json_round_trip_and_schema(tmp_path: Path):
    report = make_report()
    path = tmp_path / "r.json"
    write_json_report(report, path)
    raw = path.read_bytes()
    assert "某某局".encode() in raw and b"\\u" not in raw  # readable Chinese, UTF-8
    assert raw.startswith(b'{\n  "workbook": ')  # indent 2
    data = load_json_report(path)
    assert data == report.to_json()
    assert set(data) >= {"workbook", "department", "year", "unit", "tables", "summary", "findings"}
    assert data["summary"] == {"errors": 2, "warnings": 1, "infos": 2, "checks": 40, "passed": 37,
                               "text_checked": 10, "text_passed": 8, "acknowledged": 0}
    f = data["findings"][1]
    assert set(f) >= {"id", "rule", "severity", "family", "message", "cells", "expected", "actual", "text"}
    assert f["id"] == "T01-2@公开01表!C27" and f["severity"] == "error" and f["family"] == "表内"
    assert f["cells"] == [{"sheet": "公开01表", "cell": "C27"}, {"sheet": "公开02表", "cell": "D7"}]
    assert (f["expected"], f["actual"], f["text"]) == ("1,170.02", "1,170.07", None)
    assert data["findings"][3]["text"] == "增幅6.40%"


def test_decimals_written_exactly():
    class WithArgs(Report):
        def to_json(self) -> dict:
            return {**super().to_json(), "args": {"diff": Decimal("0.050"), "band": Decimal("1E-2")}}

    data = json.loads(dumps_report(WithArgs(workbook="x.xlsx")))
    assert data["args"] == {"diff": "0.050", "band": "0.01"}


def test_json_refuses_workbook_and_bad_paths(tmp_path: Path):
    wb = tmp_path / "book.xlsx"
    wb.write_bytes(b"original")
    with pytest.raises(OutputError, match="被检查的文件"):
        write_json_report(make_report(str(wb)), wb)
    assert wb.read_bytes() == b"original"
    with pytest.raises(OutputError, match="输出目录不存在"):
        write_json_report(make_report(), tmp_path / "no" / "r.json")
    with pytest.raises(OutputError, match="找不到"):
        load_json_report(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(OutputError, match="无法读取"):
        load_json_report(bad)
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(OutputError, match="不是决算检查"):
        load_json_report(bad)


def test_terminal_summary_exact():
    text = format_summary(make_report(), max_findings=3)
    assert text == "\n".join([
        "决算检查：部门决算.xlsx",
        "部门：某某局　年度：2018　金额单位：万元",
        "错误 2 · 警告 1 · 提示 2；检查 40 项，通过 37 项；说明文字 10 处，相符 8 处",
        "错误 [T01-2] 公开01表!C27 等2处 本年收入合计 1,170.07 ≠ 各项之和 1,170.02",
        "错误 [X-1] 公开02表!D7 02表合计与01表不符",
        "警告 [TX-3] 公开01表!C5 说明中的增幅与表不符",
        "… 另有 2 条，见检查结果工作表/JSON",
    ])
    assert "\x1b" not in text


def test_terminal_summary_all_and_colour():
    report = make_report()
    lines = format_summary(report).splitlines()
    assert lines[-2:] == ["提示 [T01-4] 公开01表!C9 尾差，可能为取整误差", "提示 [C-8] 未找到公开08表"]
    assert not any(line.startswith("…") for line in lines)
    coloured = format_summary(report, color=True)
    assert "\x1b[31m错误\x1b[0m [T01-2]" in coloured
    empty = format_summary(Report(workbook="C:\\数据\\空.xlsx"))
    assert empty.splitlines() == [
        "决算检查：空.xlsx",
        "部门：未识别　年度：未识别",
        "错误 0 · 警告 0 · 提示 0；检查 0 项，通过 0 项",
        "未发现问题。",
    ]
