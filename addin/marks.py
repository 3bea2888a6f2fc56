"""What to draw for a report, independent of the front end.

The headless writer (openpyxl) and the Excel add-in (xlwings) both render this plan, so they mark
the same cells with the same colours and notes and build the same 检查结果 sheet.

- `plan_marks` gives one mark per flagged cell: the worst severity wins, the note lists every
  finding touching the cell.
- Our part of a cell note always starts with `NOTE_MARKER`; `merge_note` / `strip_note` add and
  remove it while keeping the user's own note byte for byte.
- `summary_layout` gives the 检查结果 sheet as plain values plus where headers, links and colours go.
"""

from __future__ import annotations

import ntpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from checks.findings import CellRef, Family, Finding, Report, Severity
from checks.grid import parse_a1

NOTE_MARKER = "【决算检查】"
NOTE_AUTHOR = "决算检查"
SUMMARY_SHEET = "检查结果"
SUMMARY_TITLE = "决算检查结果"  # A1 of our summary sheet; how a re-check recognises it


class OutputError(Exception):
    """An output cannot be written; the message is Chinese and meant for the user."""


@dataclass(frozen=True)
class SeverityStyle:
    fill: str  # RRGGBB, solid cell fill
    font: str  # RRGGBB, text colour on that fill (legend, severity column)
    label: str  # 错误 / 警告 / 提示
    meaning: str  # legend text


# The only colours the checker uses; the legend is built from this table.
SEVERITY_STYLE: dict[Severity, SeverityStyle] = {
    Severity.ERROR: SeverityStyle("FFC7CE", "9C0006", "错误", "须更正：勾稽关系不成立或数值不符"),
    Severity.WARNING: SeverityStyle("FFEB9C", "9C5700", "警告", "需核实：可能有误，请核对"),
    Severity.INFO: SeverityStyle("DDEBF7", "1F4E78", "提示", "供参考：尾差（取整误差）、未能定位或未能读取"),
}

SEVERITIES = sorted(Severity, key=lambda s: -s.rank)  # worst first

# ---------------------------------------------------------------------------------------------
# text helpers

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters that XML 1.0 (and so xlsx) cannot hold
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_MAX = 32767


def is_formula_like(s: str) -> bool:
    """Text that a spreadsheet would read as a formula if typed or pasted into a cell."""
    return s.startswith(_FORMULA_START)


def safe_text(s: str) -> str:
    """Text made inert for a front end that parses what it writes (Excel via COM, CSV).

    A leading apostrophe makes Excel store the rest as literal text and hide the apostrophe.
    The openpyxl writer does not need this: it stores the exact text as a string cell.
    """
    return "'" + s if is_formula_like(s) else s


def clean_text(s: str, limit: int = EXCEL_CELL_MAX) -> str:
    """Drop characters xlsx cannot store and cut to what a cell can hold."""
    s = _ILLEGAL_XML.sub("", s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def one_line(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------------------------------------
# addresses, links, ordering

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_MAX_ROW, _MAX_COL = 1_048_576, 16_384


def normalize_cell(cell: str) -> str | None:
    """'$c$5' -> 'C5'; None for anything that is not a single cell inside Excel's grid."""
    m = _A1.match(cell.strip())
    if not m:
        return None
    addr = m.group(1).upper() + str(int(m.group(2)))
    row, col = parse_a1(addr)
    if not (0 <= row < _MAX_ROW and 0 <= col < _MAX_COL):
        return None
    return addr


def sheet_location(sheet: str, cell: str) -> str:
    """Hyperlink location inside the workbook: quoted sheet, quotes doubled ("'it''s'!C5")."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def internal_link(sheet: str, cell: str) -> str:
    """Hyperlink address form ('#' + location), as Excel's Hyperlinks.Add takes it."""
    return "#" + sheet_location(sheet, cell)


@cache  # a report names a few dozen rules, sorted many times over (every note, the summary)
def rule_key(rule: str) -> tuple:
    """Natural order for rule ids: T01-2 before T01-10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", rule) if p)


def default_sheet_order(report: Report) -> list[str]:
    """Without the workbook at hand: located tables first, then other sheets as findings name them."""
    order = list(dict.fromkeys(report.tables.values()))
    for f in report.findings:
        for c in f.cells:
            if c.sheet not in order:
                order.append(c.sheet)
    return order


def sort_findings(findings: Iterable[Finding], sheet_order: Sequence[str] | None = None) -> list[Finding]:
    """Worst first, then sheet order, row, column, rule; findings without cells last in their severity."""
    order = {name: i for i, name in enumerate(sheet_order or [])}

    def key(f: Finding) -> tuple:
        first = f.cells[0] if f.cells else None
        if first is None:
            where: tuple = (1, 0, "", 0, 0)
        else:
            addr = normalize_cell(first.cell)
            row, col = parse_a1(addr) if addr else (_MAX_ROW, _MAX_COL)
            where = (0, order.get(first.sheet, len(order)), first.sheet, row, col)
        return (-f.severity.rank, where, rule_key(f.rule), f.message)

    return sorted(findings, key=key)


# ---------------------------------------------------------------------------------------------
# cell marks and notes


def note_line(f: Finding) -> str:
    return f"[{f.rule} {f.severity.label}] {one_line(f.message)}"


def note_text(findings: Sequence[Finding]) -> str:
    ordered = sorted(findings, key=lambda f: (-f.severity.rank, rule_key(f.rule), f.message))
    return "\n".join([NOTE_MARKER, *(note_line(f) for f in ordered)])


@dataclass
class CellMark:
    sheet: str
    cell: str  # normalised A1
    severity: Severity  # worst of the findings
    findings: list[Finding]
    note: str  # our part of the cell note, starting with NOTE_MARKER

    @property
    def style(self) -> SeverityStyle:
        return SEVERITY_STYLE[self.severity]

    @property
    def fill(self) -> str:
        return self.style.fill


@dataclass
class MarkPlan:
    marks: dict[tuple[str, str], CellMark] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.marks)

    def __iter__(self) -> Iterator[CellMark]:
        return iter(self.marks.values())

    def get(self, sheet: str, cell: str) -> CellMark | None:
        addr = normalize_cell(cell)
        return self.marks.get((sheet, addr)) if addr else None

    @property
    def sheets(self) -> list[str]:
        return list(dict.fromkeys(s for s, _ in self.marks))

    def for_sheet(self, sheet: str) -> list[CellMark]:
        return [m for (s, _), m in self.marks.items() if s == sheet]


def plan_marks(report: Report) -> MarkPlan:
    """One mark per flagged cell; a cell address that is not a single A1 cell is not marked.

    A finding's `context` cells (what it was computed from, not what it suspects) count as 提示.
    """
    touching: dict[tuple[str, str], list[tuple[Finding, Severity]]] = {}
    for f in report.findings:
        seen: set[tuple[str, str]] = set()
        refs = [(r, f.severity) for r in f.cells] + [(r, Severity.INFO) for r in f.context]
        for ref, sev in refs:
            addr = normalize_cell(ref.cell)
            if addr is None or (ref.sheet, addr) in seen:
                continue
            seen.add((ref.sheet, addr))
            touching.setdefault((ref.sheet, addr), []).append((f, sev))
    plan = MarkPlan()
    for (sheet, addr), pairs in touching.items():
        worst = max((sev for _, sev in pairs), key=lambda s: s.rank)
        fs = [f for f, _ in pairs]
        plan.marks[(sheet, addr)] = CellMark(sheet, addr, worst, fs, note_text(fs))
    return plan


# Our block follows the user's note after one blank line; tolerate CRLF from a resave.
_OUR_BLOCK = re.compile(r"(?:\r?\n){2}" + re.escape(NOTE_MARKER))


def strip_note(merged: str | None) -> str | None:
    """The user's own note without our block, exactly as it was; None if there was none."""
    if not merged:
        return None
    if merged.startswith(NOTE_MARKER):
        return None
    starts = [m.start() for m in _OUR_BLOCK.finditer(merged)]
    return merged[: starts[-1]] if starts else merged


def merge_note(existing: str | None, ours: str) -> str:
    """The user's note (an earlier block of ours removed), a blank line, then ours."""
    user = strip_note(existing)
    return ours if user is None else user + "\n\n" + ours


# ---------------------------------------------------------------------------------------------
# the 检查结果 sheet

FINDING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 8),
    ("严重程度", 10),
    ("规则", 10),
    ("类别", 9),
    ("工作表", 20),
    ("单元格", 11),
    ("说明", 60),
    ("应为", 14),
    ("实为", 14),
    ("引文", 40),
    ("建议", 30),
)
COL_SEVERITY, COL_CELL = 1, 5
WRAP_COLUMNS = (6, 9, 10)  # long text: 说明, 引文, 建议

_ERA_TEXT = {"2018": "2018年格式（8张表）", "2020+": "2020年起格式（9张表）"}
_UNKNOWN = "未识别"


@dataclass
class SummaryLayout:
    """The 检查结果 sheet: plain values and where the styling goes. Indexes are 0-based."""

    rows: list[list[object]]
    bold: set[tuple[int, int]]
    header_rows: list[int]  # table headers (bold, bottom border)
    findings_header: int
    findings_first: int
    findings_last: int  # inclusive; equals findings_first when the table holds the "none" row
    links: dict[tuple[int, int], CellRef]  # cell -> target cell (sheet exists in the workbook)
    fills: dict[tuple[int, int], Severity]  # severity column and legend swatches
    ordered: list[Finding]  # findings in row order (序号 = index + 1)
    title_row: int = 0
    n_cols: int = len(FINDING_COLUMNS)


def _cell_text(f: Finding) -> str | None:
    if not f.cells:
        return None
    first = normalize_cell(f.cells[0].cell) or f.cells[0].cell
    return first if len(f.cells) == 1 else f"{first} 等{len(f.cells)}处"


def selection_text(skipped: list[str], shown: int = 12) -> str:
    """What --select/--ignore left out, named the short way round: '未运行 W-8、W-15' or, when few
    rules ran, '只运行了 W-1、W-3' (a long list is cut after `shown` ids, with the count)."""
    from checks.rules import RULES

    left_out = set(skipped)
    ran = [i for i in RULES if i not in left_out]
    ids, verb = (ran, "只运行了") if len(ran) < len(skipped) else (skipped, "未运行")
    head = "、".join(ids[:shown])
    return f"{verb} {head}" + (f" 等 {len(ids)} 条" if len(ids) > shown else "") + "（按 --select/--ignore 选择）"


def summary_layout(
    report: Report, *, now: datetime | None = None, sheet_order: Sequence[str] | None = None
) -> SummaryLayout:
    """Build the sheet. `sheet_order` is the workbook's sheets: it orders findings and only
    those sheets get links. Without it the report's own order is used and every cell is linked."""
    now = now or datetime.now()
    order = list(sheet_order) if sheet_order is not None else default_sheet_order(report)
    linkable = set(order) if sheet_order is not None else None
    rows: list[list[object]] = []
    bold: set[tuple[int, int]] = set()
    header_rows: list[int] = []

    def add(row: list[object]) -> int:
        rows.append(row)
        return len(rows) - 1

    r = add([SUMMARY_TITLE])
    bold.add((r, 0))

    era = _ERA_TEXT.get(report.era or "", report.era or _UNKNOWN)
    if report.tables:
        era += f"，已识别{len(report.tables)}张表"
    facts = [
        ("文件", ntpath.basename(report.workbook) or report.workbook, "部门", report.department),
        ("年度", report.year, "金额单位", report.unit),
        ("格式", era, "检查时间", now.strftime("%Y-%m-%d %H:%M")),
    ]
    for k1, v1, k2, v2 in facts:
        r = add([k1, v1 if v1 is not None else _UNKNOWN, None, None, k2, v2 if v2 is not None else _UNKNOWN])
        bold.update({(r, 0), (r, 4)})
    if report.skipped_rules:  # a reviewer must see that the check was partial
        r = add(["规则选择", selection_text(report.skipped_rules)])
        bold.add((r, 0))
    add([])

    # counts: severity x family, and beside it the checks made
    families = list(Family)
    r = add(["严重程度", *(fam.value for fam in families), "合计", "核对", "项数", "通过"])
    header_rows.append(r)
    checks = [
        ("表格勾稽", report.checks, report.passed),
        ("说明文字", report.text_checked, report.text_passed),
    ]
    if report.acknowledged:  # explained in 核实说明: shown as 提示, counted here
        checks.append(("已核实", report.acknowledged, report.acknowledged))
    for i, sev in enumerate(SEVERITIES):
        per = [sum(1 for f in report.findings if f.severity == sev and f.family == fam) for fam in families]
        extra = list(checks[i]) if i < len(checks) else []
        r = add([sev.label, *per, sum(per), *extra])
        bold.add((r, 0))
    per = [sum(1 for f in report.findings if f.family == fam) for fam in families]
    r = add(["合计", *per, sum(per)])
    bold.add((r, 0))
    add([])

    # findings
    findings_header = add([name for name, _ in FINDING_COLUMNS])
    header_rows.append(findings_header)
    ordered = sort_findings(report.findings, order)
    links: dict[tuple[int, int], CellRef] = {}
    fills: dict[tuple[int, int], Severity] = {}
    first = len(rows)
    for seq, f in enumerate(ordered, start=1):
        ref = f.cells[0] if f.cells else None
        r = add(
            [
                seq,
                f.severity.label,
                f.rule,
                f.family.value,
                ref.sheet if ref else None,
                _cell_text(f),
                f.message,
                f.expected,
                f.actual,
                f.text,
                f.hint,
            ]
        )
        fills[(r, COL_SEVERITY)] = f.severity
        if ref and normalize_cell(ref.cell) and (linkable is None or ref.sheet in linkable):
            links[(r, COL_CELL)] = CellRef(ref.sheet, normalize_cell(ref.cell) or ref.cell)
    if not ordered:
        add([None] * 6 + ["未发现问题"])
    last = len(rows) - 1
    add([])

    # legend
    r = add(["图例", "颜色", "含义"])
    header_rows.append(r)
    for sev in SEVERITIES:
        style = SEVERITY_STYLE[sev]
        r = add([None, style.label, style.meaning])
        fills[(r, COL_SEVERITY)] = sev
    r = add([None, None, "单元格批注中【决算检查】以下为本次检查的说明；点击“单元格”列可跳转到该单元格。"])

    return SummaryLayout(
        rows=rows,
        bold=bold,
        header_rows=header_rows,
        findings_header=findings_header,
        findings_first=first,
        findings_last=last,
        links=links,
        fills=fills,
        ordered=ordered,
    )


def summary_rows(
    report: Report, *, now: datetime | None = None, sheet_order: Sequence[str] | None = None
) -> list[list]:
    """The 检查结果 sheet content as plain values (no formulas), row by row."""
    return summary_layout(report, now=now, sheet_order=sheet_order).rows
