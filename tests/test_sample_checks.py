"""The sample disclosure end to end: what it must report, what it must not, and the 1.00 sweep."""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from addin.cli import main
from addin.reader import read_workbook
from checks.engine import build_model, check_workbook

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "yongzhou_2018.xlsx"


@pytest.fixture(scope="module")
def grids():
    return read_workbook(SAMPLE)


def _table_findings(report):
    return sorted(
        (f.rule, f.severity.value, f"{f.cells[0].sheet}!{f.cells[0].cell}" if f.cells else "")
        for f in report.findings
        if f.family.value in ("表内", "表间", "完整性")
    )


def test_sample_reports_exactly_the_table_problems(grids):
    report = check_workbook(grids)
    assert (report.department, report.year, report.unit, report.era) == ("永州市政务服务中心", 2018, "万元", "2018")
    assert report.tables == {
        "01": "公开01表", "02": "公开02表", "03": "公开03表", "04": "公开04表",
        "05": "公开05表", "06": "公开06表", "07": "公开07表", "08": "公开08表",
    }
    assert _table_findings(report) == [
        ("T06-1", "info", "公开06表!C7"),  # 301 = Σ款 off by 0.01: a rounding tail, not an error
        ("T06-1", "info", "公开06表!F7"),  # 302 likewise
        ("T08-2", "warning", "公开08表!A1"),  # empty 基金 table without the 本表无数据 note
        ("X-11", "error", "公开04表(2)!A3"),  # another department's 公开04表
    ]
    tails = [f for f in report.findings if f.rule == "T06-1"]
    assert [(f.args["diff"], f.args["band"]) for f in tails] == [
        (Decimal("-0.01"), Decimal("0.070")),
        (Decimal("0.01"), Decimal("0.140")),
    ]
    assert "尾差" in tails[0].message and "±0.07" in tails[0].message


def test_cli_check_leaves_the_input_untouched(tmp_path):
    src = tmp_path / "yongzhou_2018.xlsx"
    src.write_bytes(SAMPLE.read_bytes())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    rc = main(["check", str(src), "--json", str(tmp_path / "r.json"), "-q"])
    assert rc == 1  # the sample has an error
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert (tmp_path / "yongzhou_2018_checked.xlsx").exists()


def _identity_cells(grids):
    model = build_model(grids)
    cells = []
    for t in model.tables:
        if t.foreign:
            continue
        for c in t.amount_cells():
            cells.append(c)
    return cells


def test_every_identity_cell_changed_by_one_gives_an_error_naming_it(grids):
    """Add 1.00 to each amount the identities use: an error must name that cell."""
    cells = _identity_cells(grids)
    assert len(cells) > 400
    missed = []
    for cell in cells:
        wb = copy.deepcopy(grids)
        sheet = wb.sheet(cell.sheet)
        row = sheet.rows[cell.row]
        while len(row) <= cell.col:
            row.append(None)
        old = cell.amount.value or Decimal(0)
        row[cell.col] = float(old + 1)
        report = check_workbook(wb)
        ref = cell.ref
        if not any(f.severity.value == "error" and ref in f.cells for f in report.findings):
            missed.append(f"{ref.sheet}!{ref.cell}")
    assert missed == []
