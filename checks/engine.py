"""Build the workbook model from grids and run every rule on it: grids in, Report out."""

from __future__ import annotations

import re
from collections import Counter

from checks.findings import CellRef, Finding, Outcome, Report, Severity
from checks.grid import WorkbookGrid, a1
from checks.layouts import norm_text
from checks.locate import find_regions
from checks.model import Table, WorkbookModel, majority
from checks.parse import parse_region
from checks.rules import RULES, Rule
from checks.rules.custom import CUSTOM
from checks.rules.evaluate import EVALUATORS, Context

_REPORT_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(部门|单位)?(整体)?(决算|部门决算)")


def build_model(wb: WorkbookGrid) -> WorkbookModel:
    headings: list[tuple[str, int, int, str]] = []  # report-year heading candidates, from the same scan
    regions = find_regions(wb, headings)
    unit = majority([r.unit for r in regions]) or "万元"
    tables = _merge_continuations([parse_region(r, unit) for r in regions])
    dept = majority([_norm_dept(t.department) for t in tables])
    for t in tables:
        if t.department and dept and _norm_dept(t.department) != dept:
            t.foreign = True
    _mark_hidden(wb, tables)
    department = next((t.department for t in tables if _norm_dept(t.department) == dept), None)
    year, year_src = _workbook_year(headings, tables)
    model = WorkbookModel(tables=tables, department=department, year=year, unit=unit, year_source=year_src)
    model.era = _era(model)
    return model


def _mark_hidden(wb: WorkbookGrid, tables: list[Table]) -> None:
    """Tables on hidden sheets; one with a visible twin of the same key (an old copy kept out of
    sight) is shadowed: the visible one is checked, the hidden one only reported (C-3)."""
    hidden = {s.name for s in wb.sheets if s.hidden}
    if not hidden:
        return
    visible_keys = {t.key for t in tables if t.sheet not in hidden and not t.foreign}
    for t in tables:
        t.hidden = t.sheet in hidden
        t.shadowed = t.hidden and not t.foreign and t.key in visible_keys


def _norm_dept(name: str | None) -> str | None:
    return norm_text(name) or None if name else None


def _merge_continuations(tables: list[Table]) -> list[Table]:
    """A table continued further down (same key, same or no 部门) adds its rows to the first."""
    out: list[Table] = []
    for t in tables:
        first = next((x for x in out if x.key == t.key), None)
        same = first is not None and (
            not t.department or _norm_dept(t.department) == _norm_dept(first.department)
        )
        if same and ("续" in t.title or not t.department):
            for block, rows in t.blocks.items():
                tgt = first.blocks.setdefault(block, {})
                for k, r in rows.items():
                    tgt.setdefault(k, r)
            first.notes += t.notes
            first.text_spans += t.text_spans
            continue
        out.append(t)
    return out


def _workbook_year(
    headings: list[tuple[str, int, int, str]], tables: list[Table]
) -> tuple[int | None, CellRef | None]:
    """The report year: the majority of table-title years and headings such as 2018年度部门决算情况说明
    (`headings`: the candidate cells `find_regions` met, in sheet order)."""
    found: list[tuple[int, CellRef]] = [(t.year, t.year_cell) for t in tables if t.year and not t.foreign]
    for sheet, r, c, v in headings:
        m = _REPORT_YEAR.search(norm_text(v))
        if m:
            found.append((int(m.group(1)), CellRef(sheet, a1(r, c))))
    if not found:
        return None, None
    y = Counter(y for y, _ in found).most_common(1)[0][0]
    return y, next(ref for yy, ref in found if yy == y)


def _era(model: WorkbookModel) -> str:
    if model.get("09") is not None:
        return "2020+"
    t01, t04 = model.get("01"), model.get("04")
    if (
        t01 is not None
        and t01.row("收入", "一般公共预算财政拨款收入") is not None
        and model.year
        and model.year >= 2020
    ):
        return "2020+"
    if t04 is not None and "国有资本经营预算财政拨款" in t04.columns.get("支出", []):
        return "2020+"
    if model.year and model.year >= 2020:
        return "2020+"
    return "2018"


def run_rules(model: WorkbookModel, rules: list[Rule] | None = None) -> Context:
    model.index()  # model.get from a dict while the rules run
    try:
        return _run_rules(model, rules)
    finally:
        model.own = None


def _run_rules(model: WorkbookModel, rules: list[Rule] | None) -> Context:
    ctx = Context(model)
    rules = list(RULES.values()) if rules is None else rules
    deferred = [r for r in rules if r.id == "R-1"]
    for rule in rules:
        if rule.id == "R-1" or rule.kind == "text":  # text rules run in checks.api
            continue
        if model.era and model.era not in rule.eras:
            continue
        try:
            if rule.kind == "custom":
                CUSTOM[rule.spec["check"]](ctx, rule)
            else:
                EVALUATORS[rule.kind](ctx, rule)
        except Exception as e:  # a broken rule is reported; the others still run
            ctx.findings.append(
                Finding(
                    rule=rule.id,
                    severity=Severity.INFO,
                    family=rule.family,
                    outcome=Outcome.INTERNAL,
                    message=f"规则 {rule.id} 运行出错，未完成检查：{type(e).__name__}: {e}",
                )
            )
    for rule in deferred:
        CUSTOM[rule.spec["check"]](ctx, rule)
    model.terms.clear()  # the rules' shared Terms: not kept through the text checks
    _order_suspects(ctx.findings)
    return ctx


def _order_suspects(findings: list[Finding]) -> None:
    """Put first the cell that most violated identities share: the likeliest wrong one."""
    count: Counter = Counter()
    for f in findings:
        if f.outcome is Outcome.VIOLATION and f.severity is not Severity.INFO:
            count.update(set(f.cells))
    for f in findings:
        if f.outcome is Outcome.VIOLATION and len(f.cells) > 1:
            f.cells.sort(key=lambda c: -count[c])


def check_workbook(wb: WorkbookGrid, rules: list[Rule] | None = None, name: str | None = None) -> Report:
    """The table rules only (no 文内/表文 text checks): `checks.api.check_grids` with those rules."""
    from checks.api import check_grids  # checks.api builds on this module

    if rules is None:
        rules = [r for r in RULES.values() if r.kind != "text"]
    return check_grids(wb, rules=rules, name=name)
