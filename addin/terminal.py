"""Short Chinese summary of a report for the terminal."""

from __future__ import annotations

import ntpath

from addin.marks import default_sheet_order, normalize_cell, one_line, selection_text, sort_findings
from checks.findings import Finding, Report, Severity

_ANSI = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _where(f: Finding) -> str:
    if not f.cells:
        return ""
    first = f.cells[0]
    more = f" 等{len(f.cells)}处" if len(f.cells) > 1 else ""
    return f" {first.sheet}!{normalize_cell(first.cell) or first.cell}{more}"


def format_summary(report: Report, *, max_findings: int = 20, color: bool = False) -> str:
    """File, 部门/年度, counts, then the worst findings first; plain text unless `color`."""

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines = [paint(f"决算检查：{ntpath.basename(report.workbook) or report.workbook}", _BOLD)]
    facts = [
        f"部门：{report.department or '未识别'}",
        f"年度：{report.year if report.year is not None else '未识别'}",
    ]
    if report.unit:
        facts.append(f"金额单位：{report.unit}")
    lines.append("　".join(facts))

    counts = " · ".join(paint(f"{sev.label} {report.count(sev)}", _ANSI[sev]) for sev in Severity)
    checks = f"检查 {report.checks} 项，通过 {report.passed} 项"
    if report.text_checked:
        checks += f"；说明文字 {report.text_checked} 处，相符 {report.text_passed} 处"
    if report.acknowledged:
        checks += f"；已核实 {report.acknowledged} 条（见“核实说明”）"
    lines.append(f"{counts}；{checks}")
    if report.skipped_rules:
        lines.append(f"本次{selection_text(report.skipped_rules)}")

    ordered = sort_findings(report.findings, default_sheet_order(report))
    if not ordered:
        lines.append("未发现问题。")
    shown = ordered[: max(max_findings, 0)]
    for f in shown:
        label = paint(f.severity.label, _ANSI[f.severity])
        lines.append(f"{label} [{f.rule}]{_where(f)} {one_line(f.message)}")
    rest = len(ordered) - len(shown)
    if rest > 0:
        lines.append(f"… 另有 {rest} 条，见检查结果工作表/JSON")
    return "\n".join(lines)


def rules_table(rules) -> str:
    """`juesuan rules`: one line per rule (id, family, severity, title)."""
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    lines = [f"{'编号':<6} {'类别':<4} {'违反时':<4} 名称"]
    for r in rules:
        lines.append(f"{r.id:<8} {r.family.value:<4} {sev[r.severity.value]:<4} {r.title}")
    lines.append(f"共 {len(rules)} 条规则。juesuan rules <编号> 查看公式、依据与正反例。")
    return "\n".join(lines)
