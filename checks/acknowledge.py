"""核实说明: findings the preparer has checked and explained, kept inside the workbook.

A sheet named 核实说明 (or any sheet whose header row reads 规则 | 单元格 | 说明) lists, one per row:
the rule id, optionally the cell ("公开08表!A1"; blank = every finding of that rule), the reason, and
optionally the value the finding showed when it was explained (实为). A matching finding is kept but
becomes 提示, its message prefixed with 【已核实：reason】; when 实为 is given and the finding now shows
another value, the explanation no longer applies (the number changed) and the finding keeps its
severity. Explanations without a reason are ignored: an acknowledgement must say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.findings import Finding, Severity
from checks.grid import SheetGrid, WorkbookGrid, cell_text

ACK_SHEET = "核实说明"
_HEAD = ("规则", "单元格", "说明")
_SHEET_CELL = re.compile(r"^'?(?P<s>.+?)'?!\$?(?P<c>[A-Za-z]{1,3}\$?\d+)$")  # 'sheet'!$A$1


@dataclass(frozen=True)
class Acknowledgement:
    rule: str
    sheet: str | None
    cell: str | None
    reason: str
    actual: str | None
    where: str  # the 核实说明 row, e.g. "核实说明!A3"


def _header(sheet: SheetGrid) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(sheet.rows[:10]):
        # the header has a cell reading 规则: a row without that text is passed over unread
        if not any(isinstance(v, str) and "规则" in v for v in row):
            continue
        cols = {cell_text(v): c for c, v in enumerate(row) if cell_text(v)}
        if all(h in cols for h in _HEAD):
            return r, cols
    return None


def _cell(row: list[object], cols: dict[str, int], name: str) -> str:
    c = cols.get(name)
    return cell_text(row[c]) if c is not None and c < len(row) else ""


def is_ack_sheet(sheet: SheetGrid) -> bool:
    return sheet.name == ACK_SHEET or _header(sheet) is not None


def read_acknowledgements(wb: WorkbookGrid) -> list[Acknowledgement]:
    out: list[Acknowledgement] = []
    for sheet in wb.sheets:
        found = _header(sheet)
        if found is None:
            continue
        head, cols = found
        for r in range(head + 1, len(sheet.rows)):
            row = sheet.rows[r]
            rule, where, reason = (_cell(row, cols, h) for h in _HEAD)
            rule = rule.upper()
            if not rule or not reason:
                continue
            sheet_name, cell = None, None
            if where:
                m = _SHEET_CELL.match(where)
                if m:
                    sheet_name, cell = m.group("s"), m.group("c").replace("$", "").upper()
                else:
                    cell = where.replace("$", "").upper()
            out.append(Acknowledgement(rule, sheet_name, cell, reason, _cell(row, cols, "实为") or None,
                                       f"{sheet.name}!A{r + 1}"))
    return out


def _matches(a: Acknowledgement, f: Finding) -> bool:
    if a.rule != f.rule.upper():
        return False
    if a.cell is None:
        return True
    return any(c.cell.upper() == a.cell and (a.sheet is None or c.sheet == a.sheet) for c in f.cells)


def apply_acknowledgements(findings: list[Finding], acks: list[Acknowledgement]) -> int:
    """Downgrade the explained findings in place; returns how many were acknowledged."""
    n = 0
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        a = next((a for a in acks if _matches(a, f)), None)
        if a is None:
            continue
        if a.actual is not None and f.actual is not None and a.actual != f.actual:
            f.message += f"（{a.where} 的核实说明针对“{a.actual}”，现为“{f.actual}”，已不适用）"
            continue
        f.args["acknowledged"] = f.severity.value
        f.severity = Severity.INFO
        f.message = f"【已核实：{a.reason}】{f.message}"
        n += 1
    return n
