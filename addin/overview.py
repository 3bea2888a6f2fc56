"""The batch overview workbook (决算检查总览.xlsx): 总览, 问题明细, 规则统计.

Rows are built as plain values first (`overview_sheets`, testable without a file), then written
with pandas + openpyxl. Every text cell is stored as text, never as a formula: workbook content
(部门, sheet names, messages) and file names reach this sheet, and a text starting with = + - @
must stay inert. pandas is imported here only, so a single check never pays for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from addin.batch import (
    OVERVIEW_TITLE,
    STATUS_ERRORS,
    STATUS_FAILED,
    STATUS_WARNINGS,
    BatchResult,
    WorkbookResult,
)
from addin.files import write_atomically
from addin.marks import (
    SEVERITY_STYLE,
    OutputError,
    clean_text,
    default_sheet_order,
    is_formula_like,
    normalize_cell,
    rule_key,
    selection_text,
    sort_findings,
)
from checks.findings import Finding, Severity

OVERVIEW_SHEET = "总览"
DETAIL_SHEET = "问题明细"
RULES_SHEET = "规则统计"

OVERVIEW_COLUMNS = ["文件", "部门", "年度", "错误", "警告", "提示", "状态", "说明", "说明文档", "标注副本"]
DETAIL_COLUMNS = ["文件", "规则", "严重程度", "类别", "工作表", "单元格", "说明", "应为", "实为"]
RULES_COLUMNS = ["规则", "名称", "错误", "警告", "提示", "涉及工作簿数"]

_STATUS_FILL = {
    STATUS_ERRORS: SEVERITY_STYLE[Severity.ERROR].fill,
    STATUS_WARNINGS: SEVERITY_STYLE[Severity.WARNING].fill,
    STATUS_FAILED: "D9D9D9",
}
_WIDTHS = {
    OVERVIEW_SHEET: [36, 28, 8, 7, 7, 7, 9, 60, 36],
    DETAIL_SHEET: [36, 8, 9, 8, 16, 12, 80, 18, 18],
    RULES_SHEET: [9, 44, 7, 7, 7, 13],
}


@dataclass
class SheetData:
    name: str
    columns: list[str]
    rows: list[list[object]]
    links: dict[int, str] = field(default_factory=dict)  # row index -> link target (last column)


def _text(s: object) -> object:
    return clean_text(s) if isinstance(s, str) else s


def _link_target(target: Path, base: Path) -> str:
    """Link from the overview to a file: relative when possible ('/'-separated), else a file URI."""
    try:
        rel = os.path.relpath(target.resolve(), base.resolve())
    except ValueError:  # another drive on Windows
        return target.resolve().as_uri()
    return rel.replace(os.sep, "/").replace("#", "%23")  # '#' would start a location inside the file


def _cell_text(f: Finding) -> str | None:
    if not f.cells:
        return None
    first = normalize_cell(f.cells[0].cell) or f.cells[0].cell
    return first if len(f.cells) == 1 else f"{first} 等{len(f.cells)}处"


def _overview_row(item: WorkbookResult, link: str | None) -> list[object]:
    rep = item.report
    counts = [rep.errors, rep.warnings, rep.infos] if rep else [None, None, None]
    return [
        item.rel,
        rep.department if rep else None,
        rep.year if rep else None,
        *counts,
        item.status,
        item.note,
        item.text_file.name if item.text_file else "-",
        link if link else "-",
    ]


def overview_sheets(result: BatchResult, base: Path) -> list[SheetData]:
    """The three sheets as plain values; links are relative to `base` (the overview's folder)."""
    overview = SheetData(OVERVIEW_SHEET, OVERVIEW_COLUMNS, [])
    detail = SheetData(DETAIL_SHEET, DETAIL_COLUMNS, [])
    per_rule: dict[str, dict[str, object]] = {}
    for item in result.items:
        link = _link_target(item.annotated, base) if item.annotated is not None else None
        if link:
            overview.links[len(overview.rows)] = link
        overview.rows.append(_overview_row(item, link))
        if item.report is None:
            continue
        rep = item.report
        for f in sort_findings(rep.findings, default_sheet_order(rep)):
            detail.rows.append([
                item.rel,
                f.rule,
                f.severity.label,
                f.family.value,
                f.cells[0].sheet if f.cells else None,
                _cell_text(f),
                f.message,
                f.expected,
                f.actual,
            ])
            stats = per_rule.setdefault(f.rule, {"error": 0, "warning": 0, "info": 0, "books": set()})
            stats[f.severity.value] += 1
            stats["books"].add(item.rel)
    from checks.rules import RULES

    rules = SheetData(RULES_SHEET, RULES_COLUMNS, [])
    for rule in sorted(per_rule, key=rule_key):
        s = per_rule[rule]
        title = RULES[rule].title if rule in RULES else None
        rules.rows.append([rule, title, s["error"], s["warning"], s["info"], len(s["books"])])
    skipped = next((i.report.skipped_rules for i in result.items if i.report), None)
    if skipped:  # the same selection for every workbook: say once that the counts are partial
        rules.rows.append(["（规则选择）", selection_text(skipped), None, None, None, None])
    for sheet in (overview, detail, rules):
        sheet.rows = [[_text(v) for v in row] for row in sheet.rows]
    return [overview, detail, rules]


def write_overview(result: BatchResult, path: Path) -> Path:
    """Write the overview workbook to `path` (replaced atomically); raises OutputError."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"输出目录不存在：{path.parent}")
    sheets = overview_sheets(result, path.parent)
    import pandas as pd

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            writer.book.properties.title = OVERVIEW_TITLE
            for sheet in sheets:
                frame = pd.DataFrame(sheet.rows, columns=sheet.columns, dtype=object)
                frame.to_excel(writer, sheet_name=sheet.name, index=False)
                _finish(writer.sheets[sheet.name], sheet)

    write_atomically(path, write, busy_hint="（文件是否正在 Excel 中打开？）")
    return path


def _finish(ws, sheet: SheetData) -> None:
    """Text stays text, header bold and frozen, filter, widths, status colours, links."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def solid(hex6: str) -> PatternFill:
        return PatternFill("solid", start_color="FF" + hex6, end_color="FF" + hex6)

    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store '=…' as a formula
                if is_formula_like(cell.value):
                    cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for i, width in enumerate(_WIDTHS[sheet.name], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(len(sheet.rows) + 1, 2)}"

    link_font = Font(color="FF0563C1", underline="single")
    for r, target in sheet.links.items():
        cell = ws.cell(r + 2, len(sheet.columns))
        cell.hyperlink = target
        cell.font = link_font
    if sheet.name == OVERVIEW_SHEET:
        col = OVERVIEW_COLUMNS.index("状态")
        for r, row in enumerate(sheet.rows, start=2):
            if row[col] in _STATUS_FILL:
                ws.cell(r, col + 1).fill = solid(_STATUS_FILL[row[col]])
    elif sheet.name == DETAIL_SHEET:
        col = DETAIL_COLUMNS.index("严重程度")
        by_label = {style.label: style for style in SEVERITY_STYLE.values()}
        for r, row in enumerate(sheet.rows, start=2):
            style = by_label.get(row[col])
            if style is not None:
                cell = ws.cell(r, col + 1)
                cell.fill, cell.font = solid(style.fill), Font(color="FF" + style.font)
