"""Paragraphs of the text parts (情况说明, 部门概况, 绩效评价报告) with their section path.

Text sheets are found by content, never by sheet name: most rows hold one cell, some of
them long sentences, often under a heading such as 2018年度部门决算情况说明. A paragraph
knows its sheet and A1 cell (for highlighting), its document part (the title it sits under)
and its section path from numbered headings 一、/（一）/1、/（1）.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checks.grid import SheetGrid, WorkbookGrid, a1, col_letter

# Words that make a short line a document-part title.
PART_WORDS = (
    "决算情况说明",
    "绩效评价报告",
    "名词解释",
    "概况",
    "部门决算表",
    "绩效评价表",
    "基础数据表",
    "情况说明",
)
_MARKER_LEVELS = (
    (re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]"), 1),
    (re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]"), 2),
    (re.compile(r"^\s*(\d{1,2})\s*[、．](?!\d)"), 3),
    (re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]"), 4),
)
# the marker patterns a heading's first character leaves possible: 一 / （ / 1
_CN_LEVELS = _MARKER_LEVELS[:1]
_PAREN_LEVELS = (_MARKER_LEVELS[1], _MARKER_LEVELS[3])
_DIGIT_LEVELS = _MARKER_LEVELS[2:3]
_LEVELS_BY_FIRST = {ch: _PAREN_LEVELS for ch in "（("} | {ch: _CN_LEVELS for ch in "一二三四五六七八九十"}
_PART_NO = re.compile(r"^\s*第[一二三四五六七八九十]+部分\s*$")
_SENTENCE_PUNCT = re.compile(r"[。，；,;：:！？]")
_CJK = r"\u3400-\u9fff"
_JOINABLE_END = re.compile(rf"[{_CJK}\d.,]$")
_JOINABLE_START = re.compile(rf"^[{_CJK}\d.,]")
_DIGIT = re.compile(r"\d")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_CLAUSE_PUNCT = re.compile(r"[，。；]")


# a value, but not frozen (a frozen dataclass builds several times slower; nothing assigns to a
# paragraph); unsafe_hash keeps the hash a frozen one would have
@dataclass(slots=True, unsafe_hash=True)
class Paragraph:
    sheet: str
    cell: str  # A1 address of the cell holding the paragraph
    text: str
    section: tuple[str, ...] = ()  # e.g. ('五', '（二）')
    part: str = ""  # title of the document part, e.g. '2018年度部门决算情况说明'
    heading: str = ""  # nearest heading line above (numbered or not), for context
    index: int = 0  # order in the document
    # heading_marker(text) and part_kind(part), worked out once: most checks ask, some per figure
    marker: tuple[int, str] | None = field(default=..., compare=False, repr=False)  # type: ignore[assignment]
    part_kind: str = field(default=..., compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.marker is ...:
            self.marker = heading_marker(self.text)
        if self.part_kind is ...:
            self.part_kind = part_kind(self.part)


def part_kind(part: str) -> str:
    """Kind of document part: explanation / overview / glossary / perf_overall / perf_project / ''."""
    if "项目支出绩效" in part or ("项目" in part and "绩效" in part):
        return "perf_project"
    if "绩效" in part:
        return "perf_overall"
    if "名词解释" in part:
        return "glossary"
    if "情况说明" in part:
        return "explanation"
    if "概况" in part:
        return "overview"
    return ""


def heading_marker(text: str) -> tuple[int, str] | None:
    """(level, marker) when the text begins with a numbered heading, e.g. (2, '（二）')."""
    head = text.lstrip()[:1]  # every marker pattern starts with \s*: its first character picks the patterns
    levels = _LEVELS_BY_FIRST.get(head)
    if levels is None:
        if not head.isdigit():
            return None
        levels = _DIGIT_LEVELS
    for rx, level in levels:
        m = rx.match(text)
        if m:
            tag = m.group(1)
            return level, f"（{tag}）" if level in (2, 4) else tag
    return None


# "…收入支出决算总体情况说明" / "“三公”经费…情况说明" are section headings (that lost their number),
# not the title of a document part such as "2018年度部门决算情况说明"
_SECTION_SUBJECT = re.compile(r"收入|支出|经费|拨款|资产|采购|基金")


def is_part_title(text: str) -> bool:
    t = text.strip()
    if not 0 < len(t) <= 40:  # _is_title's first test, before the heading marker it needs
        return False
    return _is_title(t, heading_marker(t))


def _is_title(t: str, marker: tuple[int, str] | None) -> bool:
    """is_part_title of a stripped line whose heading marker is known."""
    if not (0 < len(t) <= 40 and marker is None) or _SENTENCE_PUNCT.search(t):
        return False
    words = [w for w in PART_WORDS if w in t]
    if (
        words
        and set(words) <= {"决算情况说明", "情况说明"}
        and "部门决算" not in t
        and _SECTION_SUBJECT.search(t)
    ):
        return False
    return bool(words)


def _is_heading_line(t: str, marker: tuple[int, str] | None) -> bool:
    """A stripped line that heads what follows: numbered and short, or short without punctuation."""
    if marker:
        return len(t) <= 40 and "。" not in t
    return 0 < len(t) <= 20 and not _SENTENCE_PUNCT.search(t) and not _DIGIT.search(t)


class _Sectioner:
    """Tracks part, section path and nearest heading while paragraphs stream by."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.part_kind = part_kind(part)  # of `part`, shared by its paragraphs
        # the open headings: their levels (rising) and markers, one tuple shared by their paragraphs
        self.levels: tuple[int, ...] = ()
        self.section: tuple[str, ...] = ()
        self.heading = ""

    def feed(self, t: str) -> tuple[int, str] | None:
        """Take the next line (stripped) in; its heading marker, for the paragraph it becomes."""
        hm = heading_marker(t)
        if "部分" in t and _PART_NO.match(t):
            self.levels, self.section, self.heading = (), (), ""
            return hm
        # _is_title's and _is_heading_line's first tests: most lines are long or numbered headings
        short = len(t) <= 40
        if short and hm is None and _is_title(t, hm):
            self.part, self.levels, self.section, self.heading = t, (), (), ""
            self.part_kind = part_kind(t)
            return hm
        if hm:
            # a heading closes the open ones of its level and below: as levels rise, those that
            # stay open are the first k
            level, marker = hm
            k = bisect_left(self.levels, level)
            self.levels = (*self.levels[:k], level)
            self.section = (*self.section[:k], marker)
        if short and _is_heading_line(t, hm):
            self.heading = t
        return hm


def join_broken_lines(lines: list[str]) -> list[str]:
    """Undo line breaks inside words/numbers (pdfplumber output): '较上年增加' + '184.20万元'.

    A break is joined only when both sides are CJK/digits, the line is as long as a full
    printed line (a short line is a title or a paragraph end) and the next line does not
    open a heading.
    """
    lengths = sorted(len(s.rstrip()) for s in lines if s.strip())
    if not lengths:
        return []
    full = max(20, lengths[int(0.9 * (len(lengths) - 1))] if len(lengths) >= 10 else lengths[-1])
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            out.append("")
            continue
        if (
            out
            and out[-1]
            and len(out[-1]) >= 0.8 * full
            and _JOINABLE_END.search(out[-1])
            and _JOINABLE_START.search(line.lstrip())
            and not heading_marker(line)
            and not _PART_NO.match(line)
        ):
            out[-1] = out[-1] + line.lstrip()
        else:
            out.append(line)
    return out


def _is_table_line(line: str) -> bool:
    return line.startswith("\t")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, line) for lines outside tab-delimited table blocks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[tuple[int, str]] = []
    in_table = False
    prev_blank = False
    for i, line in enumerate(lines):
        if _is_table_line(line):
            in_table, prev_blank = True, False
            continue
        if not line.strip():
            prev_blank = True
            out.append((i + 1, ""))
            continue
        if in_table and (not prev_blank or _short_cell_continuation(lines, i)):
            continue  # a cell's continuation line
        in_table, prev_blank = False, False
        out.append((i + 1, line))
    return out


def _short_cell_continuation(lines: list[str], i: int) -> bool:
    """A short word after a blank line inside a table ('三级' / '' / '指标') still belongs to a cell."""
    for nxt in lines[i:]:
        if _is_table_line(nxt):
            return True
        if nxt.strip() and (len(nxt.strip()) > 8 or _SENTENCE_PUNCT.search(nxt)):
            return False
    return False


def paragraphs_from_text(text: str, source: str) -> list[Paragraph]:
    """Paragraphs of a plain text (.txt/.docx export): one per non-empty prose line.

    Table blocks (lines starting with a tab, as exported from .docx) are skipped; see
    `texttables.tables_from_text`. Each paragraph is addressed as if it sat in column A
    of a sheet named `source`, one paragraph per row.
    """
    prose = _prose_lines(text)
    joined = join_broken_lines([ln for _, ln in prose])
    sectioner = _Sectioner(source)
    out: list[Paragraph] = []
    for line in joined:
        t = line.strip()
        if not t:
            continue
        hm = sectioner.feed(t)
        out.append(
            Paragraph(
                sheet=source,
                cell=a1(len(out), 0),
                text=t,
                section=sectioner.section,
                part=sectioner.part,
                heading=sectioner.heading,
                index=len(out),
                marker=hm,
                part_kind=sectioner.part_kind,
            )
        )
    return out


# --- workbooks ---------------------------------------------------------------------------------


def _long_text(v: object) -> bool:
    return (
        isinstance(v, str)
        and len(v.strip()) >= 20
        and _HAS_CJK.search(v) is not None
        and (_CLAUSE_PUNCT.search(v) is not None)
    )


_NUMBER_TYPES = (int, float, bool)  # never shown as blank


def _filled(v: object) -> bool:
    """A cell that shows something: not None, not blank text."""
    if v is None:
        return False
    if type(v) is str:
        return v.strip() != ""
    return type(v) in _NUMBER_TYPES or str(v).strip() != ""


def is_text_sheet(sheet: SheetGrid) -> bool:
    """Most non-empty rows hold one cell, and there is long prose or a text-part heading."""
    rows = _mostly_single_cell_rows(sheet)
    if rows is None:
        return False
    singles, multi_rows = rows
    return _has_prose([*singles, *(v for row in multi_rows for v in row if _filled(v))])


def _mostly_single_cell_rows(sheet: SheetGrid) -> tuple[list[object], list[list[object]]] | None:
    """(the cells of the rows holding one, the rows holding more) when at least 80 % of the
    non-empty rows hold one cell; None otherwise (a table: most sheets, told apart in a few rows)."""
    singles: list[object] = []
    multi_rows: list[list[object]] = []  # read only if the sheet still looks like text at the end
    limit = len(sheet.rows) / 5  # more multi-cell rows than this: under 80 % single, whatever follows
    for row in sheet.rows:
        first = None
        n = 0
        for v in row:
            # _filled(v), inline: this loop reads every cell of every sheet
            if v is None or (v.isspace() or not v if type(v) is str else not _filled(v)):
                continue
            n += 1
            if n == 1:
                first = v
            else:
                break  # two cells: a multi-cell row, its other cells do not matter yet
        if n == 1:
            singles.append(first)
        elif n:
            multi_rows.append(row)
            if len(multi_rows) > limit:
                return None
    filled_rows = len(singles) + len(multi_rows)
    if not filled_rows or len(singles) / filled_rows < 0.8:
        return None
    return singles, multi_rows


def _has_prose(cells: list[object]) -> bool:
    """Three long sentences, or one and a text-part title."""
    long_cells = 0
    for v in cells:
        if _long_text(v):
            long_cells += 1
            if long_cells == 3:  # enough: the rest need not be read
                return True
    return long_cells >= 1 and any(
        isinstance(v, str) and any(is_part_title(x) for x in v.split("\n")) for v in cells
    )


def _cell_lines(v: str) -> list[str]:
    """The lines of a cell holding text, stripped, without blank ones."""
    return [t for line in join_broken_lines(v.split("\n")) if (t := line.strip())]


_COLUMN_LETTERS = tuple(map(col_letter, range(26)))  # text sits in the first columns


def _address(row: int, col: int) -> str:
    """a1(row, col), without working out the letters of the first columns."""
    return f"{_COLUMN_LETTERS[col]}{row + 1}" if col < 26 else a1(row, col)


def _sheet_paragraphs(sheet: SheetGrid, start_index: int) -> list[Paragraph]:
    name = sheet.name
    sectioner = _Sectioner(name)
    out: list[Paragraph] = []
    for r, row in enumerate(sheet.rows):
        for c, v in enumerate(row):  # noqa: B007 - the first cell holding text: c, v and stripped are kept
            if isinstance(v, str) and (stripped := v.strip()):
                break
        else:
            continue
        address = _address(r, c)  # shared by the cell's lines
        # the usual cell holds one line: nothing to join, already stripped
        for t in _cell_lines(v) if "\n" in v else (stripped,):
            hm = sectioner.feed(t)
            out.append(
                Paragraph(  # by position: the fields in their order (keywords cost more)
                    name,
                    address,
                    t,
                    sectioner.section,
                    sectioner.part,
                    sectioner.heading,
                    start_index + len(out),
                    hm,
                    sectioner.part_kind,
                )
            )
    return out


def text_paragraphs(wb: WorkbookGrid, text_sheets: list[SheetGrid] | None = None) -> list[Paragraph]:
    """All paragraphs of the workbook's text sheets (or of `text_sheets`, already found), in sheet order."""
    sheets = text_sheets if text_sheets is not None else [s for s in wb.sheets if is_text_sheet(s)]
    out: list[Paragraph] = []
    for sheet in sheets:
        if not sheet.hidden:
            out.extend(_sheet_paragraphs(sheet, len(out)))
    return out


# --- files -------------------------------------------------------------------------------------


def read_text_file(path: str | Path) -> str:
    """Text of a .txt (utf-8 or gb18030) or .docx file; .docx tables come out as tab-led cell lines."""
    p = Path(path)
    if p.suffix.lower() == ".docx":
        return _read_docx(p)
    data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _read_docx(path: Path) -> str:
    import docx  # lazy: python-docx costs ~100 ms to import
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    doc = docx.Document(str(path))
    out: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(DocxParagraph(child, doc).text)
        elif tag == "tbl":
            out.extend(_docx_table_lines(Table(child, doc)))
    return "\n".join(out)


def _docx_table_lines(table: object) -> Iterable[str]:
    """Rows as the .txt export writes them: each cell on a line led by a tab, rows split by a blank."""
    seen: list[object] = []  # merged cells repeat their <w:tc>; keep refs so identity holds
    yield ""
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row.cells:
            tc = cell._tc
            repeated = any(tc is s for s in seen)
            seen.append(tc)
            yield "\t" + ("" if repeated else cell.text)
        yield ""
