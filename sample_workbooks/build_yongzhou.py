"""Build the sample workbook yongzhou_2018.xlsx from the text of a real 2018 决算公开 document.

The source text (永州市政务服务中心, 2018 部门决算公开) gives table cells on TAB-prefixed lines,
one cell per line; a cell with line breaks continues on plain lines right after it; rows are
separated by blank lines; paragraphs are plain lines. The workbook lays every part out as the
accountant would have it in Excel and keeps every number and sentence as printed, mistakes
included (wrong totals, a table of another department, truncated sentences).

Usage:
    python sample_workbooks/build_yongzhou.py SOURCE.txt -o sample_workbooks/yongzhou_2018.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

# Pinned so that rebuilding gives the same file.
FIXED_TIME = dt.datetime(2019, 9, 1, 9, 0, 0)
ZIP_TIME = (2019, 9, 1, 9, 0, 0)

AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=16)

MARKER_RE = re.compile(r"公开\d{2}表")
NUMBER_RE = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
PERCENT_RE = re.compile(r"-?\d+(?:\.\d+)?%")


# ---------------------------------------------------------------- text blocks


@dataclass
class Paragraph:
    text: str


@dataclass
class Row:
    cells: list[str] = field(default_factory=list)


Block = Paragraph | Row


def tokenize(lines: list[str], min_cells: int = 0) -> list[Block]:
    """Split lines into paragraphs and table rows.

    A blank line closes the current row once it has ``min_cells`` cells: some tables of the
    绩效 part break a cell over blank lines (e.g. the header '三级' / '指标'), and there a plain
    line after a blank still belongs to the open cell.
    """
    blocks: list[Block] = []
    row: Row | None = None
    for line in lines:
        if line.startswith("\t"):
            if row is None:
                row = Row()
                blocks.append(row)
            row.cells.append(line[1:])
        elif not line:
            if row is not None and len(row.cells) >= min_cells:
                row = None
        elif row is not None:
            row.cells[-1] += "\n" + line
        else:
            blocks.append(Paragraph(line))
    return blocks


# Each part of the document begins at the first line, after the previous part, equal to its marker.
PART_MARKERS = (
    ("概况", "第一部分"),
    ("决算表", "第二部分"),
    ("情况说明", "2018年度部门决算情况说明"),
    ("名词解释", "名词解释"),
    ("整体报告", "第五部分"),
    ("整体评价表", "部门整体支出绩效评价表"),
    ("基础数据表", "部门整体支出绩效评价基础数据表"),
    ("项目报告", "2018年度部门项目支出绩效评价报告"),
    ("项目评价表", "市级财政专项（项目）资金绩效评价表"),
)


def split_parts(lines: list[str]) -> dict[str, list[str]]:
    starts: list[int] = []
    pos = 0
    for key, marker in PART_MARKERS:
        for i in range(pos, len(lines)):
            if lines[i].strip() == marker:
                starts.append(i)
                pos = i + 1
                break
        else:
            raise ValueError(f"part {key!r}: marker line {marker!r} not found")
    ends = starts[1:] + [len(lines)]
    return {key: lines[s:e] for (key, _), s, e in zip(PART_MARKERS, starts, ends, strict=True)}


def paragraphs_of(lines: list[str]) -> list[str]:
    blocks = tokenize(lines)
    if any(isinstance(b, Row) for b in blocks):
        raise ValueError("a text part unexpectedly contains table cells")
    return [b.text for b in blocks]


# ---------------------------------------------------------------- cell values


def parse_number(text: str) -> int | float | None:
    """'2,899.74' -> 2899.74, '59' -> 59; None when the text is not a plain number."""
    s = text.strip()
    if not NUMBER_RE.fullmatch(s):
        return None
    d = Decimal(s.replace(",", ""))
    if "." in s:
        return float(d)
    return int(d)


def amount_value(text: str) -> tuple[object, str | None]:
    """Value and number format of a cell in an amount column; non-numbers stay text."""
    if not text.strip():
        return None, None
    n = parse_number(text)
    if n is None:
        return text, None
    return float(n), AMOUNT_FORMAT


def free_value(text: str) -> tuple[object, str | None]:
    """Value of a cell in a form-like table: numbers, percentages or verbatim text."""
    s = text.strip()
    if not s:
        return None, None
    if PERCENT_RE.fullmatch(s):
        return float(Decimal(s[:-1]) / 100), PERCENT_FORMAT
    n = parse_number(s)
    if isinstance(n, float):
        return n, AMOUNT_FORMAT
    if isinstance(n, int):
        return n, None
    return text, None


# ---------------------------------------------------------------- 决算表 layout


@dataclass
class Span:
    first: int  # 0-based first column
    last: int  # 0-based last column
    text: str


@dataclass
class SourceTable:
    title: str
    marker: str
    dept: str
    unit: str
    rows: list[list[str]]
    note: str | None


def split_tables(lines: list[str]) -> list[SourceTable]:
    """Cut the 决算表 part into tables, each found by its 公开NN表 marker row."""
    blocks = tokenize(lines)
    marker_at = [
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Row) and MARKER_RE.fullmatch(next((c for c in reversed(b.cells) if c), ""))
    ]
    tables = []
    for n, i in enumerate(marker_at):
        title_block = blocks[i - 1]
        title = title_block.text if isinstance(title_block, Paragraph) else "".join(title_block.cells)
        end = marker_at[n + 1] - 1 if n + 1 < len(marker_at) else len(blocks)
        body = blocks[i + 1 : end]
        if not all(isinstance(b, Row) for b in body):
            raise ValueError(f"table {title!r}: text between its rows")
        dept_cells = [c for c in body[0].cells if c]
        rows = [b.cells for b in body[1:]]
        note = None
        if len(rows[-1]) == 1 and rows[-1][0].startswith("注"):
            note = rows.pop()[0]
        tables.append(
            SourceTable(
                title=title.strip(),
                marker=blocks[i].cells[-1],
                dept=dept_cells[0],
                unit=dept_cells[-1],
                rows=rows,
                note=note,
            )
        )
    return tables


def is_column_number_row(cells: list[str]) -> bool:
    """The 栏次 row: labelled 栏次, or (公开07表) just the numbers 1..n."""
    if cells[0].strip() == "栏次":
        return True
    return all(c.strip() == str(i + 1) for i, c in enumerate(cells))


def header_row_count(rows: list[list[str]]) -> int:
    """Header rows end with the 栏次 row, or (公开06表) before the first row starting with a code."""
    for i, cells in enumerate(rows):
        if is_column_number_row(cells):
            return i + 1
    for i, cells in enumerate(rows):
        if cells[0].strip().isdigit():
            return i
    raise ValueError("cannot tell the header rows from the data rows")


def resolve_short_header(cells: list[str], below: list[str], width: int) -> tuple[list[Span], bool]:
    """Place the cells of a header row that has fewer cells than the table is wide.

    Either a block row ('收入 | 支出', '预算数 | 决算数', '人员经费 | 公用经费'): each block starts
    where the row below repeats its first heading; or a grouped row: a heading above an empty
    cell stands alone (merged down later), a heading above sub-headings spans them up to the
    next '小计', which opens another group. Returns the spans and whether it was a block row.
    """
    starts = [c for c in range(width) if below[c] and below[c] == below[0]]
    if below[0] and 2 <= len(cells) <= len(starts):
        starts = starts[: len(cells)]
        ends = [s - 1 for s in starts[1:]] + [width - 1]
        return [Span(s, e, t) for s, e, t in zip(starts, ends, cells, strict=True)], True
    spans = []
    col = 0
    for text in cells:
        last = col
        if below[col]:
            while last + 1 < width and below[last + 1] and below[last + 1] != "小计":
                last += 1
        spans.append(Span(col, last, text))
        col = last + 1
    if col != width:
        raise ValueError(f"header row {cells!r} does not fill {width} columns")
    return spans, False


def spans_by_column(spans: list[Span], width: int) -> list[str]:
    texts = [""] * width
    for s in spans:
        texts[s.first] = s.text
    return texts


def full_spans(cells: list[str]) -> list[Span]:
    return [Span(i, i, c) for i, c in enumerate(cells)]


def short_row_spans(cells: list[str], width: int, blocks: list[Span]) -> list[Span]:
    """Place a body row with fewer cells than the table is wide.

    'label | value' pairs, one per block (公开06表 footer 人员经费合计 | 563.51 | 公用经费合计 | …),
    put the label over the block and the value in its last column; otherwise the first cell
    (栏次, 合计) spans the columns the row lacks.
    """
    if blocks and len(cells) == 2 * len(blocks):
        spans = []
        for block, label, value in zip(blocks, cells[0::2], cells[1::2], strict=True):
            spans += [Span(block.first, block.last - 1, label), Span(block.last, block.last, value)]
        return spans
    extra = width - len(cells)
    return [Span(0, extra, cells[0])] + [Span(i + extra, i + extra, c) for i, c in enumerate(cells) if i]


@dataclass
class TableLayout:
    width: int
    header: list[list[Span]]
    body: list[list[Span]]
    column_roles: list[str]


def column_role(heading: str) -> str:
    if heading == "行次":
        return "row_no"
    if "编码" in heading:
        return "code"
    if heading in ("项目", "科目名称"):
        return "label"
    return "amount"


def lay_out_table(table: SourceTable) -> TableLayout:
    width = max(len(r) for r in table.rows)
    n_header = header_row_count(table.rows)
    header_rows = table.rows[:n_header]
    if is_column_number_row(header_rows[-1]):
        header_rows = header_rows[:-1]
    # Resolve header rows bottom-up: a short row is placed against the row below it.
    header: list[list[Span]] = [[] for _ in header_rows]
    blocks: list[Span] = []
    below: list[str] = []
    for r in range(len(header_rows) - 1, -1, -1):
        cells = header_rows[r]
        if len(cells) == width:
            header[r] = full_spans(cells)
        else:
            header[r], is_block = resolve_short_header(cells, below, width)
            if is_block:
                blocks = header[r]
        below = spans_by_column(header[r], width)
    body = []
    for cells in table.rows[len(header_rows) :]:
        body.append(full_spans(cells) if len(cells) == width else short_row_spans(cells, width, blocks))
    # A column's role comes from its lowest non-empty heading.
    roles = []
    for col in range(width):
        heading = ""
        for spans in header:
            for s in spans:
                if s.first <= col <= s.last and s.text.strip():
                    heading = s.text.strip()
        roles.append(column_role(heading))
    return TableLayout(width, header, body, roles)


def header_merges(header: list[list[Span]], width: int) -> list[tuple[int, int, int, int]]:
    """(row0, col0, row1, col1) merges, 0-based within the header: across a span, and down
    over the empty header cells beneath a heading."""
    covered = [[False] * width for _ in header]
    for r, spans in enumerate(header):
        for s in spans:
            if s.text:
                for c in range(s.first, s.last + 1):
                    covered[r][c] = True
    merges = []
    for r, spans in enumerate(header):
        for s in spans:
            if not s.text:
                continue
            cols = range(s.first, s.last + 1)
            bottom = r
            while bottom + 1 < len(header) and not any(covered[bottom + 1][c] for c in cols):
                bottom += 1
                for c in cols:
                    covered[bottom][c] = True
            if bottom > r or s.last > s.first:
                merges.append((r, s.first, bottom, s.last))
    return merges


COLUMN_WIDTHS = {"code": 12, "label": 30, "row_no": 6, "amount": 14}


def body_value(role: str, text: str, is_column_numbers: bool) -> tuple[object, str | None]:
    if not text:
        return None, None
    if is_column_numbers:
        n = parse_number(text)
        return (n if isinstance(n, int) else text), None
    if role == "row_no":
        n = parse_number(text)
        return (n if isinstance(n, int) else text), None
    if role == "amount":
        return amount_value(text)
    return text, None


def write_table_sheet(ws: Worksheet, table: SourceTable) -> None:
    layout = lay_out_table(table)
    w = layout.width
    ws.cell(1, 1, table.title).font = TITLE_FONT
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=w)
    ws.row_dimensions[1].height = 30
    ws.cell(2, w, table.marker).alignment = Alignment(horizontal="right")
    ws.cell(3, 1, table.dept)
    ws.cell(3, w, table.unit).alignment = Alignment(horizontal="right")

    top = 4
    for r, spans in enumerate(layout.header):
        for s in spans:
            if s.text:
                cell = ws.cell(top + r, s.first + 1, s.text)
                cell.alignment = HEADER_ALIGN
    for r0, c0, r1, c1 in header_merges(layout.header, w):
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)

    first_body = top + len(layout.header)
    for r, spans in enumerate(layout.body):
        row = first_body + r
        numbers_row = is_column_number_row([s.text for s in spans])
        for s in spans:
            value, fmt = body_value(layout.column_roles[s.last], s.text, numbers_row)
            if value is None:
                continue
            cell = ws.cell(row, s.first + 1, value)
            if fmt:
                cell.number_format = fmt
            if numbers_row:
                cell.alignment = Alignment(horizontal="center")
            if s.last > s.first:
                ws.merge_cells(start_row=row, start_column=s.first + 1, end_row=row, end_column=s.last + 1)
    last_body = first_body + len(layout.body) - 1

    for row in ws.iter_rows(min_row=top, max_row=last_body, min_col=1, max_col=w):
        for cell in row:
            cell.border = BORDER
    if table.note is not None:
        ws.cell(last_body + 1, 1, table.note)
    for col, role in enumerate(layout.column_roles, start=1):
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[role]


def table_sheet_names(tables: list[SourceTable]) -> list[str]:
    """The marker names the sheet; a repeated marker (a pasted table) gets '(2)', '(3)', …"""
    seen: dict[str, int] = {}
    names = []
    for t in tables:
        seen[t.marker] = seen.get(t.marker, 0) + 1
        names.append(t.marker if seen[t.marker] == 1 else f"{t.marker}({seen[t.marker]})")
    return names


# ---------------------------------------------------------------- text and 绩效 sheets


def write_paragraph_sheet(ws: Worksheet, paragraphs: list[str]) -> None:
    ws.column_dimensions["A"].width = 120
    for r, text in enumerate(paragraphs, start=1):
        ws.cell(r, 1, text).alignment = WRAP_TOP


def write_title(ws: Worksheet, title: str, width: int) -> None:
    ws.cell(1, 1, title).font = TITLE_FONT
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30


def write_score_table(
    ws: Worksheet,
    lines: list[str],
    width: int,
    n_header: int,
    wide_cell: int | None,
    widths: list[int],
) -> None:
    """A 绩效评价表: title, header rows, then one row per text row.

    Columns headed 分值/得分 hold numbers. A row one cell short has its ``wide_cell``
    spanning two columns (评价标准 and 指标说明 printed as one cell).
    """
    blocks = tokenize(lines, min_cells=width - (1 if wide_cell is not None else 0))
    title = blocks[0]
    rows = [b.cells for b in blocks[1:] if isinstance(b, Row)]
    if not isinstance(title, Paragraph) or len(rows) != len(blocks) - 1:
        raise ValueError("a 绩效评价表 is its title followed by rows only")
    write_title(ws, title.text, width)
    header = [full_spans(cells) for cells in rows[:n_header]]
    if any(len(cells) != width for cells in rows[:n_header]):
        raise ValueError("绩效评价表 header rows must be full width")
    headings = [
        next((rows[r][c] for r in range(n_header - 1, -1, -1) if rows[r][c].strip()), "")
        for c in range(width)
    ]
    numeric = [h.strip() in ("分值", "得分") for h in headings]
    top = 2
    for r, spans in enumerate(header):
        for s in spans:
            if s.text:
                ws.cell(top + r, s.first + 1, s.text).alignment = HEADER_ALIGN
    for r0, c0, r1, c1 in header_merges(header, width):
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    row = top + n_header
    for cells in rows[n_header:]:
        if len(cells) == width:
            spans = full_spans(cells)
        elif wide_cell is not None and len(cells) == width - 1:
            spans = full_spans(cells[:wide_cell]) + [Span(wide_cell, wide_cell + 1, cells[wide_cell])]
            spans += [Span(i + 1, i + 1, c) for i, c in enumerate(cells) if i > wide_cell]
        else:
            raise ValueError(f"绩效评价表 row with {len(cells)} cells: {cells[:3]!r}")
        for s in spans:
            if numeric[s.first]:
                value = parse_number(s.text) if s.text.strip() else None
                if value is None and s.text.strip():
                    value = s.text
            else:
                value = s.text or None
            if value is not None:
                ws.cell(row, s.first + 1, value).alignment = WRAP_TOP
            if s.last > s.first:
                ws.merge_cells(start_row=row, start_column=s.first + 1, end_row=row, end_column=s.last + 1)
        row += 1
    for cells in ws.iter_rows(min_row=top, max_row=row - 1, min_col=1, max_col=width):
        for cell in cells:
            cell.border = BORDER
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w


def write_basic_data_sheet(ws: Worksheet, lines: list[str]) -> None:
    """部门整体支出绩效评价基础数据表: title, 填报单位 line, the form rows, the 说明 line."""
    blocks = tokenize(lines)
    rows = [b.cells for b in blocks if isinstance(b, Row)]
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    width = max(len(r) for r in rows)
    title, filler, *after = texts
    write_title(ws, title, width)
    ws.cell(2, 1, filler)
    r = 3
    for cells in rows:
        for c, text in enumerate(cells, start=1):
            value, fmt = (text or None, None) if c == 1 else free_value(text)
            cell = ws.cell(r, c, value)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
            if fmt:
                cell.number_format = fmt
        r += 1
    for text in after:
        ws.cell(r, 1, text)
        r += 1
    ws.column_dimensions["A"].width = 30
    for col in range(2, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16


# ---------------------------------------------------------------- workbook


def build_workbook(text: str) -> Workbook:
    lines = text.split("\n")
    parts = split_parts(lines)
    wb = Workbook()
    wb.remove(wb.active)

    write_paragraph_sheet(wb.create_sheet("部门概况"), paragraphs_of(parts["概况"]))
    tables = split_tables(parts["决算表"])
    for name, table in zip(table_sheet_names(tables), tables, strict=True):
        write_table_sheet(wb.create_sheet(name), table)
    write_paragraph_sheet(wb.create_sheet("情况说明"), paragraphs_of(parts["情况说明"]))
    write_paragraph_sheet(wb.create_sheet("名词解释"), paragraphs_of(parts["名词解释"]))
    write_paragraph_sheet(wb.create_sheet("整体支出绩效评价报告"), paragraphs_of(parts["整体报告"]))
    write_score_table(
        wb.create_sheet("整体支出绩效评价表"),
        parts["整体评价表"],
        width=9,
        n_header=1,
        wide_cell=6,
        widths=[10, 6, 10, 6, 16, 6, 40, 40, 6],
    )
    write_basic_data_sheet(wb.create_sheet("整体支出绩效基础数据表"), parts["基础数据表"])
    write_paragraph_sheet(wb.create_sheet("项目支出绩效评价报告"), paragraphs_of(parts["项目报告"]))
    write_score_table(
        wb.create_sheet("项目支出绩效评价表"),
        parts["项目评价表"],
        width=6,
        n_header=2,
        wide_cell=None,
        widths=[10, 10, 16, 40, 50, 6],
    )
    wb.properties.creator = "永州市政务服务中心"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise with pinned document times and zip entry times, so rebuilds are byte-identical."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike Workbook.save, keeps properties.modified
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o644 << 16
            dst.writestr(pinned, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把永州市政务服务中心2018年决算公开文本生成为示例工作簿")
    parser.add_argument("source", type=Path, help="源文本（sample_workbooks/source/yongzhou_2018.txt）")
    parser.add_argument("-o", "--output", type=Path, required=True, help="输出的 .xlsx 路径")
    args = parser.parse_args(argv)
    wb = build_workbook(args.source.read_text(encoding="utf-8"))
    args.output.write_bytes(workbook_bytes(wb))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
