"""Tables inside a text export (.txt/.docx): tab-led cell lines -> SheetGrid.

The export writes each cell on its own line starting with a tab, a cell's further lines
without the tab, and a blank line between rows. A table's title and caption lines (单位：…)
are the prose lines just above it; they become the grid's first rows, as in a worksheet.
"""

from __future__ import annotations

import re

from checks.grid import SheetGrid

_CAPTION = re.compile(r"(单位|部门)\s*[:：]")
_SENTENCE_END = re.compile(r"[。；;：:]")


def _is_cell_continuation(lines: list[str], i: int, after_blank: bool) -> bool:
    if not after_blank:
        return True
    # short words after a blank ('三级' / '' / '指标') still belong to the cell above when
    # only short words follow until the next cell line
    for nxt in lines[i:]:
        if nxt.startswith("\t"):
            return True
        if nxt.strip() and (len(nxt.strip()) > 8 or _SENTENCE_END.search(nxt)):
            return False
    return False


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title.strip())[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def _mend_split_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rejoin a row the export split at a blank line inside a multi-line cell.

    '业务管理\\n（10分）' followed by a blank line looks like a row end; when that row is
    short and together with the next row it fits the table width, they are one row.
    """
    widths = [len(r) for r in rows]
    width = max(set(widths), key=widths.count)
    out: list[list[str]] = []
    for r in rows:
        prev = out[-1] if out else None
        if prev and len(prev) < width and "\n" in prev[-1] and len(prev) + len(r) <= width:
            prev.extend(r)
        else:
            out.append(list(r))
    return out


def tables_from_text(text: str) -> list[SheetGrid]:
    """Every tab-delimited table block of the text, titled by the prose lines above it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    grids: list[SheetGrid] = []
    used: set[str] = set()
    captions: list[str] = []  # prose lines since the last table
    rows: list[list[str]] = []
    row: list[str] | None = None
    in_table = False
    prev_blank = False

    def close() -> None:
        nonlocal rows, row, in_table
        if row is not None:
            rows.append(row)
        if rows:
            at = next((k for k in range(len(captions) - 1, -1, -1) if not _CAPTION.search(captions[k])), None)
            head = [[c] for c in captions[at:]] if at is not None else []
            rows = _mend_split_rows(rows)
            title = captions[at] if at is not None else ""
            if not title:
                first = [c for c in rows[0] if c.strip()]
                title = first[0] if len(first) == 1 else "表"
            grids.append(SheetGrid(_sheet_name(title, used), head + [list(r) for r in rows]))
        rows, row, in_table = [], None, False

    for i, line in enumerate(lines):
        if line.startswith("\t"):
            if row is None or prev_blank:
                if row is not None:
                    rows.append(row)
                row = []
            row.append(line[1:].strip())
            in_table, prev_blank = True, False
            continue
        if not line.strip():
            prev_blank = True
            continue
        if in_table and row and _is_cell_continuation(lines, i, prev_blank):
            row[-1] = (row[-1] + "\n" + line.strip()).strip()
            prev_blank = False
            continue
        if in_table:
            close()
            captions = []
        captions.append(line.strip())
        prev_blank = False
    if in_table:
        close()
    return grids
