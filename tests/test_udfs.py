"""Worksheet functions: the plain logic (addin/udf_logic.py) on the sample workbook's grids, and
the xlwings adapters (addin/udfs.py) called the way Excel calls them (decorators are identities
off Windows), with the calling workbook served by xlwings' remote engine."""

from __future__ import annotations

import copy
import sys
import types
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from addin import udf_logic as logic
from addin.reader import read_workbook
from checks.api import check_grids
from checks.engine import build_model
from checks.grid import WorkbookGrid

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "yongzhou_2018.xlsx"


@pytest.fixture(scope="module")
def grids():
    return read_workbook(SAMPLE)


@pytest.fixture(scope="module")
def model(grids):
    return build_model(grids)


def exact(num: str, den: str) -> float:
    return float((Decimal(num) / Decimal(den)).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP))


def pct(x: float, places: int = 3) -> Decimal:
    """The percentage as the text rounds it (0.593 = 59.3%)."""
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# SANGONG_RATE


def test_sangong_rate_total(grids, model):
    rate = logic.sangong_rate(grids)
    assert rate == logic.sangong_rate(model) == exact("10.08", "17") == 0.5929411765
    assert pct(rate) == Decimal("0.593")  # the 情况说明 quotes 59.3%


def test_sangong_rate_items(model):
    assert logic.sangong_rate(model, "公务接待费") == exact("7", "13")
    assert pct(logic.sangong_rate(model, "接待")) == Decimal("0.538")
    assert logic.sangong_rate(model, "公务用车") == logic.sangong_rate(model, "公务用车购置及运行费") == 0.77
    assert logic.sangong_rate(model, "运行费") == 0.77  # 3.08 / 4
    assert logic.sangong_rate(model, "合计") == logic.sangong_rate(model)


def test_sangong_share(model):
    share = logic.sangong_rate(model, "公务接待费", "占比")
    assert share == exact("7", "10.08") == 0.6944444444
    assert pct(share) == Decimal("0.694")
    assert logic.sangong_rate(model, "公务用车", "占比") == exact("3.08", "10.08")


def test_sangong_errors(grids, model):
    assert logic.sangong_rate(model, "因公出国（境）费") is logic.DIV0  # 0 / 0
    assert logic.sangong_rate(model, "因公出国(境)费") is logic.DIV0
    assert logic.sangong_rate(model, "购置费") is logic.DIV0  # budget 0
    assert logic.sangong_rate(model, "会议费") is logic.VALUE
    assert logic.sangong_rate(model, "公务接待费", "平均") is logic.VALUE
    without = WorkbookGrid([s for s in grids.sheets if s.name != "公开07表"], grids.path)
    assert logic.sangong_rate(without) is logic.NA
    assert logic.sangong_rate(None) is logic.NA


def test_sangong_explicit_values_need_no_workbook():
    def unreadable():
        raise AssertionError("the workbook must not be read")

    assert logic.sangong_rate(unreadable, None, None, 10.08, 17) == exact("10.08", "17")
    assert logic.sangong_rate(unreadable, None, None, "7", "13.00") == exact("7", "13")
    assert logic.sangong_rate(unreadable, None, None, 1, 0) is logic.DIV0
    assert logic.sangong_rate(unreadable, None, None, "#N/A", 5) is logic.NA  # an error cell passes through
    assert logic.sangong_rate(unreadable, None, None, "十", 5) is logic.VALUE
    assert logic.sangong_rate(unreadable, None, None, [[1.0, 2.0]], 5) is logic.VALUE


def test_sangong_one_explicit_value(model):
    assert logic.sangong_rate(model, "公务接待费", None, 6.5) == exact("6.5", "13")
    assert logic.sangong_rate(model, None, None, None, 20) == exact("10.08", "20")


# ---------------------------------------------------------------------------------------------
# JUESUAN_VALUE and plain arithmetic


def test_juesuan_value(model):
    assert logic.juesuan_value(model, "01", "本年收入合计") == 3082.32
    assert logic.juesuan_value(model, "公开01表", "本年收入合计") == 3082.32
    assert logic.juesuan_value(model, "收入支出决算总表", "本年收入合计") == 3082.32
    assert logic.juesuan_value(model, "05", "201", "基本支出") == 1166.43
    assert logic.juesuan_value(model, 5.0, 201.0) == 2415.04  # typed as numbers: 合计
    assert logic.juesuan_value(model, "01", "支出:总计") == 4727.74
    assert logic.juesuan_value(model, "01", "一般公共服务支出") == 2415.04  # by printed label
    assert logic.juesuan_value(model, "三公经费支出决算表", "决算:公务接待费") == 7.0
    assert logic.juesuan_value(model, "07", "决算:合计") == 10.08  # one-row table: item names the column


def test_juesuan_value_errors(model):
    assert logic.juesuan_value(model, "99", "合计") is logic.NA
    assert logic.juesuan_value(model, "02", "不存在的科目") is logic.NA
    assert logic.juesuan_value(model, "05", "201", "不存在的栏") is logic.NA
    assert logic.juesuan_value(model, "07", "公务接待费") is logic.NA  # 预算 or 决算? ambiguous
    assert logic.juesuan_value(model, None, "合计") is logic.VALUE


def test_round_half_up_like_excel():
    assert round(2.675, 2) == 2.67  # binary float rounding, not what Excel shows
    assert logic.round_half_up(2.675, 2) == 2.68
    assert logic.round_half_up(-2.5, 0) == -3.0
    assert logic.round_half_up(1234.5, -2) == 1200.0
    assert logic.round_half_up(0.125, 2.9) == 0.13  # digits truncated like Excel
    assert logic.round_half_up("abc", 2) is logic.VALUE


def test_growth_and_share():
    assert logic.growth(3383.61, 3012.5) == exact("371.11", "3012.5")
    assert logic.growth(110, 100) == 0.1
    assert logic.growth(1, 0) is logic.DIV0
    assert logic.growth(None, 1) is logic.VALUE
    assert logic.share(2415.04, 3383.61) == exact("2415.04", "3383.61")
    assert logic.share(1, 0) is logic.DIV0


def test_check_count_matches_the_command_line(grids):
    from addin.cli import check_file

    _, report = check_file(SAMPLE)
    assert report.errors == 12  # 1 table error and 11 in the text
    assert logic.error_count(check_grids(grids)) == report.errors


def test_book_cache_reads_once_per_ttl(grids):
    now = [100.0]
    cache = logic.BookCache(ttl=3.0, clock=lambda: now[0])
    loads = []

    def load():
        loads.append(1)
        return grids

    first = cache.get("a.xlsx", load)
    assert cache.get("a.xlsx", load) is first and first.model is first.model
    now[0] += 2.9
    assert cache.get("a.xlsx", load) is first and len(loads) == 1
    now[0] += 0.2
    assert cache.get("a.xlsx", load) is not first and len(loads) == 2
    cache.get("b.xlsx", load)
    assert len(loads) == 3


# ---------------------------------------------------------------------------------------------
# the xlwings adapters


@pytest.fixture
def caller_book(monkeypatch, grids):
    """A remote-engine book of the sample set as the calling workbook."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    from xlwings.main import Engine

    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))
    sheets = [{"name": g.name, "values": copy.deepcopy(g.rows) or [[]], "pictures": [], "tables": [],
               "notes": [], "visibility": "Visible"} for g in grids.sheets]
    book = xw.Book(json={"client": "Office.js", "version": xw.__version__,
                         "book": {"name": "udf.xlsx", "active_sheet_index": 0, "selection": "A1"},
                         "names": [], "sheets": sheets})
    book.set_mock_caller()
    from addin import udfs

    udfs._CACHE.clear()
    yield book
    udfs._CACHE.clear()
    del xw.Book._mock_caller


def test_udfs_read_the_calling_workbook(caller_book):
    from addin import udfs

    assert udfs.SANGONG_RATE() == 0.5929411765
    assert udfs.SANGONG_RATE("公务接待费", "占比") == 0.6944444444
    assert udfs.SANGONG_RATE(None, None, 10.08, 17.0) == 0.5929411765
    assert udfs.JUESUAN_VALUE("01", "本年收入合计") == 3082.32
    assert udfs.JUESUAN_CHECK() == 12
    # the reserved `caller` argument: xlwings passes the calling cell
    cell = caller_book.sheets["公开07表"]["A1"]
    assert udfs.SANGONG_RATE("公务用车", caller=cell) == 0.77


def test_udfs_return_excel_errors_not_tracebacks(caller_book, monkeypatch):
    from addin import udfs

    assert udfs.SANGONG_RATE("因公出国") == "#DIV/0!"
    assert udfs.SANGONG_RATE("会议费") == "#VALUE!"
    assert udfs.JUESUAN_VALUE("99", "合计") == "#N/A"
    assert udfs.JUESUAN_ROUND(2.675, 2) == 2.68
    assert udfs.JUESUAN_GROWTH(110, 100) == 0.1
    assert udfs.JUESUAN_SHARE(1, 0) == "#DIV/0!"

    def broken(_caller=None):
        raise RuntimeError("COM 调用失败")

    monkeypatch.setattr(udfs, "book_data", broken)
    assert udfs.JUESUAN_CHECK() == "#VALUE!"
    assert udfs.SANGONG_RATE() == "#VALUE!"


def test_excel_error_is_a_vt_error_variant_on_windows(monkeypatch):
    from addin import udfs

    pythoncom = types.ModuleType("pythoncom")
    pythoncom.VT_ERROR = 10
    client = types.ModuleType("win32com.client")
    client.VARIANT = lambda vt, value: ("VARIANT", vt, value)
    win32com = types.ModuleType("win32com")
    win32com.client = client
    monkeypatch.setitem(sys.modules, "pythoncom", pythoncom)
    monkeypatch.setitem(sys.modules, "win32com", win32com)
    monkeypatch.setitem(sys.modules, "win32com.client", client)
    monkeypatch.setattr(sys, "platform", "win32")
    assert udfs.excel_error(logic.NA) == ("VARIANT", 10, -2146826246)  # 0x800A07FA = CVErr(xlErrNA)
    assert udfs.excel_error(logic.DIV0) == ("VARIANT", 10, -2146826281)
    assert udfs.excel_error(logic.VALUE) == ("VARIANT", 10, -2146826273)


def test_udf_docstrings_have_a_summary_and_an_example():
    from addin import udfs

    for fn in udfs.UDFS:
        doc = fn.__doc__ or ""
        assert fn.__name__.isascii() and fn.__name__.isupper()
        assert doc.strip().split("\n")[0] and "示例：=" + fn.__name__ in doc
