"""Rules that are not a sum or a comparison: entity consistency, completeness, style.

Each is registered under the name its catalogue entry gives in spec["check"].
"""

from __future__ import annotations

import re
from collections.abc import Callable

from checks.findings import CellRef, Finding, Outcome, Severity
from checks.layouts import CLASS_NAMES, REQUIRED_TABLES, TABLE_TITLES, class_era_of_name, norm_label
from checks.model import Table
from checks.rules.evaluate import Context
from checks.rules.registry import Rule
from checks.values import fmt_amount

CUSTOM: dict[str, Callable[[Context, Rule], None]] = {}
_EMPTY_NOTE = re.compile(r"无数据|为空|空表|(没有|无)[^。；]{0,40}(收入|支出|收支|资金)")


def custom(name: str):
    def deco(fn):
        CUSTOM[name] = fn
        return fn

    return deco


def _finding(rule: Rule, message: str, cells: list[CellRef], **kw) -> Finding:
    return Finding(rule=rule.id, severity=kw.pop("severity", rule.severity), family=rule.family,
                   message=message, cells=cells, hint=rule.hint, **kw)


@custom("nonnegative")
def nonnegative(ctx: Context, rule: Rule) -> None:
    t = ctx.model.get(rule.spec["table"])
    if t is None:
        return
    for block, rows in t.blocks.items():
        for row in rows.values():
            for col in row.layout.cols:
                v = row.value(col)
                if v is not None:
                    ctx.checks += 1
                    if v < 0:
                        ctx.findings.append(_finding(
                            rule, f"{t.name}{block}“{norm_label(row.label)}”为负数 {fmt_amount(v)}，请核实",
                            [row.ref(col)], actual=fmt_amount(v), expected="≥ 0.00"))
                    else:
                        ctx.passed += 1


@custom("blank_cells")
def blank_cells(ctx: Context, rule: Rule) -> None:
    t = ctx.model.get(rule.spec["table"])
    if t is None:
        return
    for row in t.rows("main"):
        blanks = [col for col in row.layout.cols if row.status(col) == "empty"]
        ctx.checks += 1
        if not blanks:
            ctx.passed += 1
            continue
        ctx.findings.append(_finding(
            rule, f"{t.name}有 {len(blanks)} 个空白金额栏，无发生额应填 0.00", [row.ref(col) for col in blanks]))


@custom("empty_table_note")
def empty_table_note(ctx: Context, rule: Rule) -> None:
    for key in ("08", "09"):
        t = ctx.model.get(key)
        if t is None or not t.is_empty:
            continue
        ctx.checks += 1
        texts = [*t.notes, *t.texts]
        if any(_EMPTY_NOTE.search(x) for x in texts):
            ctx.passed += 1
            continue
        ctx.findings.append(_finding(
            rule, f"{t.name}{TABLE_TITLES[key][0]}无数据，但表下没有“本表无数据”之类的说明", [t.title_ref]))


@custom("fund_presence")
def fund_presence(ctx: Context, rule: Rule) -> None:
    t04 = ctx.model.get("04")
    t01 = ctx.model.get("01")
    for fund, key in (("政府性基金预算财政拨款", "08"), ("国有资本经营预算财政拨款", "09")):
        detail = ctx.model.get(key)
        col_cells = [r.cell(fund) for r in t04.rows("支出") if r.has(fund)] if t04 else []
        inc = t04.cell("收入", fund, "金额") if t04 else None
        in04 = [c for c in col_cells + ([inc] if inc else []) if c.value]
        in01 = t01.cell("收入", fund + "收入", "金额") if t01 else None
        has01 = in01 is not None and bool(in01.value)
        if not col_cells and inc is None and not has01:
            continue  # this template has no such fund
        ctx.checks += 1
        detail_has = detail is not None and not detail.is_empty
        name = TABLE_TITLES[key][0]
        if (in04 or has01) and not detail_has:
            cells = [c.ref for c in in04] + ([in01.ref] if has01 else [])
            where = "缺少该表" if detail is None else f"{detail.name}无数据"
            ctx.findings.append(_finding(rule, f"04/01表有{fund}收支，但{name}{where}", cells))
        elif detail_has and not in04 and t04 is not None:
            ctx.findings.append(_finding(
                rule, f"{detail.name}{name}有数据，但04表{fund}列为零", [detail.title_ref]))
        else:
            ctx.passed += 1


@custom("entity_consistency")
def entity_consistency(ctx: Context, rule: Rule) -> None:
    m = ctx.model
    for t in m.tables:
        if t.shadowed:
            continue  # a hidden old copy: C-3 reports it
        if t.department and m.department:
            ctx.checks += 1
            if t.foreign:
                ctx.findings.append(_finding(
                    rule,
                    f"{t.name}（工作表“{t.sheet}”）的部门为“{t.department}”，其他表为“{m.department}”："
                    f"可能误放了其他部门的表，该表不参与其他核对",
                    [t.department_cell or t.title_ref], expected=m.department, actual=t.department))
            else:
                ctx.passed += 1
        if t.year and m.year:
            ctx.checks += 1
            if t.year != m.year:
                ctx.findings.append(_finding(
                    rule, f"{t.name}（工作表“{t.sheet}”）的年度为 {t.year} 年，本套决算为 {m.year} 年",
                    [t.year_cell or t.title_ref], expected=str(m.year), actual=str(t.year)))
            else:
                ctx.passed += 1


@custom("class_names")
def class_names(ctx: Context, rule: Rule) -> None:
    era = ctx.model.era
    if era is None:
        return
    for t in ctx.model.tables:
        if t.foreign or t.shadowed:
            continue
        for rows in t.blocks.values():
            for row in rows.values():
                if not row.code or len(row.code) != 3 or row.code not in CLASS_NAMES:
                    continue
                name = norm_label(row.label)
                eras = class_era_of_name(name)
                if not eras:
                    continue  # a variant spelling; not judged here
                ctx.checks += 1
                if era in eras:
                    ctx.passed += 1
                    continue
                right = CLASS_NAMES[row.code].get(era)
                ctx.findings.append(_finding(
                    rule, f"{t.name}{row.code}类名称“{name}”是{'/'.join(sorted(eras))}口径，"
                          f"{ctx.model.year or era}年度应为“{right}”",
                    [CellRef(t.sheet, _label_a1(t, row))], expected=right, actual=name))


def _label_a1(t: Table, row) -> str:
    from checks.grid import a1

    if row.label_col is not None:
        return a1(row.row, row.label_col)
    col = min(row.layout.cols.values(), default=t.first_col + 1)
    return a1(row.row, max(t.first_col, col - 1))


@custom("required_tables")
def required_tables(ctx: Context, rule: Rule) -> None:
    era = ctx.model.era or "2018"
    have = {t.key for t in ctx.model.tables if not t.foreign}
    if not have:
        return
    ctx.checks += 1
    missing = [k for k in REQUIRED_TABLES[era] if k not in have]
    if not missing:
        ctx.passed += 1
        return
    names = "、".join(TABLE_TITLES[k][0] for k in missing)
    ctx.findings.append(_finding(rule, f"未找到应公开的表：{names}（{era}格式）", []))


@custom("hidden_tables")
def hidden_tables(ctx: Context, rule: Rule) -> None:
    """C-3: a 公开 table on a hidden sheet is missing from what readers see and from the PDF."""
    for t in ctx.model.tables:
        if t.foreign:
            continue
        ctx.checks += 1
        if not t.hidden:
            ctx.passed += 1
        elif t.shadowed:
            ctx.findings.append(_finding(
                rule, f"隐藏工作表“{t.sheet}”中另有一张{t.name}，未参与检查（已核对显示中的同名表）",
                [t.title_ref], severity=Severity.INFO))
        else:
            ctx.findings.append(_finding(
                rule, f"{t.name}所在的工作表“{t.sheet}”处于隐藏状态：公开文件中读者看不到，打印或转为 PDF 时也会缺少该表",
                [t.title_ref]))


@custom("unreadable")
def unreadable(ctx: Context, rule: Rule) -> None:
    for ref, cell in ctx.unreadable.items():
        raw = cell.amount.raw
        if cell.status == "uncached":
            why = f"是公式（{raw}）但没有计算结果，请在 Excel 中打开并保存后再检查"
        else:
            why = f"内容“{raw}”不是数字"
        ctx.findings.append(_finding(
            rule, f"未能读取：{ref.sheet}!{ref.cell} {why}；用到它的核对未做", [ref],
            severity=Severity.INFO, outcome=Outcome.UNREADABLE, actual=str(raw)))
