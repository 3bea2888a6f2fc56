"""Worksheet functions of the add-in (xlwings classic UDFs). Only adapters: the calling workbook
becomes grids, `addin/udf_logic.py` computes, failures become Excel error values.

Excel errors: xlwings has no documented way to return one from a classic UDF (xlwings issue
#776; a returned "#N/A" string is just text). pywin32 marshals a `win32com.client.VARIANT` of type
VT_ERROR into a real error, so on Windows an error is returned as VT_ERROR with Excel's SCODE
(0x800A07FA for #N/A, the same codes xlwings reads back). Elsewhere the code is returned as text.

Each function's first docstring line is its description; the `示例：` line is listed on the
规则说明 sheet. The reserved last parameter `caller` is filled by xlwings with the calling cell
(it does not appear in Excel), so the functions read the workbook that holds the formula.
Functions that read the workbook are volatile: they recalculate after every edit, and the
located workbook is cached for a few seconds (`udf_logic.BookCache`).
"""

from __future__ import annotations

import sys

import xlwings as xw

from addin import udf_logic as logic

# Excel's SCODEs of the cell errors (CVErr(xlErrNA) etc. as COM sees them)
_SCODES = {
    "#NULL!": -2146826288,
    "#DIV/0!": -2146826281,
    "#VALUE!": -2146826273,
    "#REF!": -2146826265,
    "#NAME?": -2146826259,
    "#NUM!": -2146826252,
    "#N/A": -2146826246,
}

_CACHE = logic.BookCache()


def excel_error(error: logic.XlError) -> object:
    """A real Excel error value on Windows; the error's text elsewhere."""
    if sys.platform == "win32":
        try:
            import pythoncom
            from win32com.client import VARIANT

            return VARIANT(pythoncom.VT_ERROR, _SCODES[error.code])
        except Exception:
            pass
    return error.code


def _out(result: object) -> object:
    return excel_error(result) if isinstance(result, logic.XlError) else result


def _calling_book(caller):
    if caller is not None:
        try:
            return caller.sheet.book
        except Exception:
            pass
    return xw.Book.caller()


def _book_key(book) -> str:
    try:
        return book.fullname
    except Exception:
        return book.name


def book_data(caller=None) -> logic.BookData:
    """The calling workbook, located (cached for a few seconds)."""
    from addin.excel import book_grids

    book = _calling_book(caller)
    return _CACHE.get(_book_key(book), lambda: book_grids(book))


def _model_of(caller):
    return lambda: book_data(caller).model


def _safe(fn, *args) -> object:
    """No traceback text in a cell: anything unexpected is #VALUE!."""
    try:
        return _out(fn(*args))
    except Exception:
        return excel_error(logic.VALUE)


@xw.func(volatile=True)
@xw.arg("final", err_to_str=True)
@xw.arg("budget", err_to_str=True)
def SANGONG_RATE(item=None, kind=None, final=None, budget=None, caller=None):
    """“三公”经费决算数占预算数的比例（预算执行率）；kind 为“占比”时为该项占“三公”决算合计的比例。

    item：合计（默认）、因公出国（境）费/出国、公务用车/公务用车购置及运行费、购置费、运行费、公务接待费/接待。
    final、budget：直接给出决算数、预算数（单元格或数字），不读取工作簿中的“三公”表。
    示例：=SANGONG_RATE()、=SANGONG_RATE("公务接待费")、=SANGONG_RATE("公务接待费","占比")、=SANGONG_RATE(,,B5,B6)
    """
    return _safe(logic.sangong_rate, _model_of(caller), item, kind, final, budget)


@xw.func(volatile=True)
def JUESUAN_VALUE(table=None, item=None, column=None, caller=None):
    """本工作簿决算公开表中的一个金额：按表（编号/公开NN表/表名）、项目（科目编码或名称）和栏目定位。

    示例：=JUESUAN_VALUE("01","本年收入合计")、=JUESUAN_VALUE("05","201","基本支出")、=JUESUAN_VALUE("01","支出:总计")
    """
    return _safe(logic.juesuan_value, _model_of(caller), table, item, column)


@xw.func
@xw.arg("current", err_to_str=True)
@xw.arg("prior", err_to_str=True)
def JUESUAN_GROWTH(current=None, prior=None):
    """增长率：（本年数 − 上年数）÷ 上年数。

    示例：=JUESUAN_GROWTH(3383.61,3012.5)
    """
    return _safe(logic.growth, current, prior)


@xw.func
@xw.arg("part", err_to_str=True)
@xw.arg("total", err_to_str=True)
def JUESUAN_SHARE(part=None, total=None):
    """占比：部分 ÷ 合计。

    示例：=JUESUAN_SHARE(2415.04,3383.61)
    """
    return _safe(logic.share, part, total)


@xw.func
@xw.arg("x", err_to_str=True)
@xw.arg("digits", err_to_str=True)
def JUESUAN_ROUND(x=None, digits=None):
    """四舍五入到指定位数（与 Excel 的 ROUND 相同，按显示的十进制数取舍）。

    示例：=JUESUAN_ROUND(2.675,2)
    """
    return _safe(logic.round_half_up, x, digits)


@xw.func(volatile=True)
def JUESUAN_CHECK(caller=None):
    """本工作簿按全部规则检查后的“错误”条数（0 表示未发现须更正的问题）。

    示例：=JUESUAN_CHECK()
    """
    return _safe(lambda: logic.error_count(book_data(caller).report))


# Listed on the 规则说明 sheet and by 关于/自检.
UDFS = (SANGONG_RATE, JUESUAN_VALUE, JUESUAN_GROWTH, JUESUAN_SHARE, JUESUAN_ROUND, JUESUAN_CHECK)
