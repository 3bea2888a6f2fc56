"""Text of a published PDF (情况说明 / the whole 公开 document) in the form `checks.text` reads.

A PDF has no paragraphs, only printed lines: a paragraph runs on while a line reaches the right
margin and the next one starts at the left margin (a new paragraph is indented two characters,
a heading is short). Justified lines carry spaces between 汉字 and digits that the author never
typed ("2018 年收入 3082.32 万元"); page numbers are page furniture. Tables are cut out of the
flow and written as the .docx export writes them (each cell on a tab-led line, a blank line
between rows), so the 绩效 评价表 in a PDF is read like one in a .docx.

`layout_text` is pure (printed lines in, text out) and tested on its own; `read_pdf_text` is
the pdfplumber front.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.text.paragraphs import heading_marker, is_part_title

_WIDE = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"  # 汉字 and full-width punctuation
_SPACE_BY_WIDE = re.compile(rf"(?<=[{_WIDE}])[ \t]+|[ \t]+(?=[{_WIDE}])")
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(第\s*)?\d{1,4}\s*(页)?(\s*[/共]\s*\d{1,4}\s*页?)?[\s\-—–－·]*$")
_WRAP = re.compile(rf"\s*\n\s*(?=[{_WIDE}])|(?<=[{_WIDE}])\s*\n\s*")


class PdfTextError(Exception):
    """A PDF whose text cannot be used; the message is Chinese and shown as is."""


@dataclass(frozen=True)
class PrintedLine:
    """One printed line: its text and where it sits (points; `size` is the median font size)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float
    page: int


@dataclass(frozen=True)
class PrintedTable:
    """A ruled table cut out of the flow: rows of cell texts (None for a merged cell's span)."""

    rows: tuple[tuple[str | None, ...], ...]
    top: float
    page: int


def tidy(text: str) -> str:
    """Drop the spaces justification put next to 汉字 and full-width punctuation."""
    return _SPACE_BY_WIDE.sub("", text).strip()


def _is_page_furniture(line: PrintedLine) -> bool:
    return _PAGE_NUMBER.match(line.text) is not None


def _margins(lines: Sequence[PrintedLine]) -> tuple[float, float, float]:
    """(body left edge, right margin, em): the commonest x0, the 90th-percentile x1, the median size."""
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(0.9 * (len(rights) - 1))]
    sizes = sorted(ln.size for ln in lines)
    return left, right, sizes[len(sizes) // 2] or 10.0


def _opens_block(text: str) -> bool:
    return heading_marker(text) is not None or is_part_title(text)


def _body(lines: Iterable[PrintedLine]) -> list[PrintedLine]:
    return [ln for ln in lines if ln.text.strip() and not _is_page_furniture(ln)]


def join_lines(lines: Sequence[PrintedLine], margins: tuple[float, float, float] | None = None) -> list[str]:
    """Paragraphs of consecutive printed lines (in reading order), each as one tidy string.

    `margins` (left, right, em) default to those of `lines`; pass the whole document's when
    `lines` is a short run between two tables.
    """
    body = _body(lines)
    if not body:
        return []
    left, right, em = margins or _margins(body)
    out: list[str] = []
    prev: PrintedLine | None = None
    for ln in body:
        text = tidy(ln.text)
        runs_on = (
            prev is not None
            and prev.x1 >= right - 1.5 * em  # the line above filled the measure
            and ln.x0 <= left + 0.5 * em  # and this one is not indented
            and not _opens_block(text)
        )
        if runs_on:
            out[-1] += text
        else:
            out.append(text)
        prev = ln
    return out


def _cell_text(value: str | None) -> str:
    # a narrow column wraps 因公出国（境）费 over four lines: the breaks are not the author's
    return "" if value is None else tidy(_WRAP.sub("", value)).replace("\n", " ")


def table_lines(table: PrintedTable) -> list[str]:
    """The table as tab-led cell lines with a blank line between rows (see checks.text.texttables)."""
    out = [""]
    for row in table.rows:
        out.extend("\t" + _cell_text(v) for v in row)
        out.append("")
    return out


def layout_text(items: Iterable[PrintedLine | PrintedTable]) -> str:
    """The document's text: paragraphs one per line, tables as tab-led blocks, in reading order."""
    items = list(items)
    body = _body(it for it in items if isinstance(it, PrintedLine))
    margins = _margins(body) if body else None
    out: list[str] = []
    run: list[PrintedLine] = []
    for item in items:
        if isinstance(item, PrintedTable):
            out.extend(join_lines(run, margins))
            run = []
            out.extend(table_lines(item))
        else:
            run.append(item)
    out.extend(join_lines(run, margins))
    return "\n".join(out)


# --- pdfplumber --------------------------------------------------------------------------------


def _inside(line: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    mid = (line["top"] + line["bottom"]) / 2
    return top <= mid <= bottom and line["x0"] < x1 and line["x1"] > x0


def _page_items(page, number: int) -> list[PrintedLine | PrintedTable]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[PrintedLine | PrintedTable] = [
        PrintedTable(tuple(tuple(r) for r in t.extract()), t.bbox[1], number) for t in tables
    ]
    for ln in page.extract_text_lines(return_chars=True):
        if any(_inside(ln, b) for b in boxes):
            continue
        sizes = sorted(c["size"] for c in ln["chars"]) or [0.0]
        items.append(PrintedLine(ln["text"], ln["x0"], ln["x1"], ln["top"], sizes[len(sizes) // 2], number))
    return sorted(items, key=lambda it: it.top)


def read_pdf_text(path: str | Path) -> str:
    """Text of a PDF with a text layer. Raises PdfTextError (Chinese message) when there is none."""
    import pdfplumber  # lazy: pdfminer costs ~150 ms to import and only PDFs need it

    p = Path(path)
    try:
        with pdfplumber.open(p) as pdf:
            items = [it for n, page in enumerate(pdf.pages, 1) for it in _page_items(page, n)]
    except PdfTextError:
        raise
    except Exception as exc:  # pdfminer raises its own types for damaged or encrypted files
        # pdfplumber wraps pdfminer's error (PDFPasswordIncorrect, PDFSyntaxError) in its own type
        causes = [exc, *(a for a in exc.args if isinstance(a, BaseException))]
        kinds = " ".join(type(e).__name__ for e in causes)
        if "Password" in kinds or "Encrypt" in kinds:
            raise PdfTextError(f"PDF 有打开密码，无法读取文字，请先取消密码：{p.name}") from exc
        if "Syntax" in kinds:
            raise PdfTextError(f"文件不是有效的 PDF 或已损坏：{p.name}") from exc
        raise PdfTextError(f"无法读取 PDF：{p.name}（{type(causes[-1]).__name__}）") from exc
    text = layout_text(items)
    if not re.search(rf"[{_WIDE}]", text):
        raise PdfTextError(f"PDF 中没有可提取的文字（可能是扫描件），请提供 Word 或文本版说明：{p.name}")
    return text
