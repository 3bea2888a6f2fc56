"""Reversible marks in a live workbook: what 检查 saves before it colours and annotates cells,
and how 清除标记 undoes it. Pure logic; the xlwings calls live in `addin/excel.py`.

The add-in keeps its state inside the workbook, in a very hidden sheet (`STATE_SHEET`), so the
marks can be undone after the workbook is saved and reopened. One row per marked cell, in the
order of the 检查结果 findings (which is also the 下一处 order):

    工作表 | 单元格 | 原底色 | 原批注状态 | 原批注 | 本次批注 | 本次底色

Restore rules (documented for users in the 清除标记 supertip and README):
- Fill: the original fill comes back only while the cell still shows the colour we applied. A cell
  the user re-coloured after 检查 keeps the user's colour. When the current colour cannot be read
  (the remote engine), the original is restored; an original that could not be read is cleared.
- Note: our block (starting with `NOTE_MARKER`) is removed and everything the user wrote is kept,
  including edits made after 检查. A note that no longer contains our block was replaced by the
  user and is left alone, and so is a note the user deleted. Where notes cannot be read (remote
  engine), our note is deleted and the saved original is put back.
- Re-running 检查 keeps the first snapshot's originals for cells that still show our colour, so
  repeated checks never save our own colours or notes as the user's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from addin.marks import NOTE_MARKER, CellMark, clean_text, merge_note, normalize_cell, note_text, strip_note
from checks.findings import Finding
from checks.grid import parse_a1

STATE_SHEET = "_juesuan_state"
STATE_TITLE = "决算检查状态"  # A1 of the state sheet; how the add-in recognises it
STATE_VERSION = 1
TEXT_KEY = "说明文档"
HEADER = ["工作表", "单元格", "原底色", "原批注状态", "原批注", "本次批注", "本次底色"]
FIRST_ROW = 3  # 0-based index of the first data row: title, settings, header come first

NO_FILL = "none"  # the cell had no fill
UNKNOWN = "unknown"  # the engine cannot read it (remote engine: fills; notes it cannot open)
NOTE_NONE = "none"
NOTE_TEXT = "text"

FillReader = Callable[[str, str], str]  # (sheet, cell) -> RRGGBB | NO_FILL | UNKNOWN
NoteReader = Callable[[str, str], "tuple[str, str | None]"]  # -> (NOTE_NONE|NOTE_TEXT|UNKNOWN, text)


@dataclass(frozen=True)
class StateRow:
    sheet: str
    cell: str
    fill: str  # original fill: RRGGBB, NO_FILL or UNKNOWN
    note_state: str  # NOTE_NONE | NOTE_TEXT | UNKNOWN
    note: str | None  # the user's own note when note_state is NOTE_TEXT
    ours: str  # the block we added to the note; '' when we left the note alone
    our_fill: str  # RRGGBB we applied


@dataclass
class State:
    rows: list[StateRow] = field(default_factory=list)
    text_path: str | None = None  # 说明文档 chosen with 选择说明文档


@dataclass(frozen=True)
class SetFill:
    sheet: str
    cell: str
    fill: str | None  # RRGGBB, or None for no fill


@dataclass(frozen=True)
class SetNote:
    sheet: str
    cell: str
    text: str | None  # None deletes the note


def hex6(color: object) -> str:
    """'#ffc7ce' / 'FFC7CE' / (255, 199, 206) -> 'FFC7CE'."""
    if isinstance(color, tuple | list) and len(color) == 3:
        return "{:02X}{:02X}{:02X}".format(*(int(c) for c in color))
    return str(color).lstrip("#").upper()


# ---------------------------------------------------------------------------------------------
# which cells, in which order


def anchor_marks(marks: Iterable[CellMark], anchor_of: Callable[[str, str], str]) -> dict[tuple[str, str], CellMark]:
    """Marks moved to their merge anchor (the top-left cell Excel shows); marks meeting on one
    anchor are combined, as the headless writer does."""
    out: dict[tuple[str, str], CellMark] = {}
    for mark in marks:
        key = (mark.sheet, normalize_cell(anchor_of(mark.sheet, mark.cell)) or mark.cell)
        prev = out.get(key)
        if prev is None:
            out[key] = CellMark(mark.sheet, key[1], mark.severity, list(mark.findings), mark.note)
            continue
        findings = prev.findings + [f for f in mark.findings if all(f is not g for g in prev.findings)]
        worst = max(findings, key=lambda f: f.severity.rank).severity
        out[key] = CellMark(mark.sheet, key[1], worst, findings, note_text(findings))
    return out


def ordered_marks(
    marks: dict[tuple[str, str], CellMark],
    ordered: Sequence[Finding],
    anchor_of: Callable[[str, str], str] = lambda s, c: c,
) -> list[CellMark]:
    """Marks in the order of the summary's findings (each finding's cells in turn); any mark
    no finding reaches (cannot happen with plan_marks) goes last."""
    seen: dict[tuple[str, str], CellMark] = {}
    for f in ordered:
        for ref in [*f.cells, *f.context]:
            addr = normalize_cell(ref.cell)
            if addr is None:
                continue
            key = (ref.sheet, normalize_cell(anchor_of(ref.sheet, addr)) or addr)
            if key in marks and key not in seen:
                seen[key] = marks[key]
    for key, mark in marks.items():
        seen.setdefault(key, mark)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------
# snapshot and restore


def snapshot_rows(
    marks: Sequence[CellMark],
    read_fill: FillReader,
    read_note: NoteReader,
    previous: Iterable[StateRow] = (),
) -> list[StateRow]:
    """What to save before marking `marks`, merged with an earlier snapshot.

    A cell already in `previous` that still shows our colour (or whose colour cannot be read)
    keeps its saved original; a colour the user set since is taken as the new original. The
    user's note is the current note without our block; where notes cannot be read, the saved
    original stands. A cell whose note cannot be read at all gets no note from us (`ours` = '').
    """
    prev = {(r.sheet, r.cell): r for r in previous}
    rows = []
    for mark in marks:
        old = prev.get((mark.sheet, mark.cell))
        live_fill = read_fill(mark.sheet, mark.cell)
        fill = live_fill
        if old is not None and (live_fill == UNKNOWN or live_fill == hex6(old.our_fill)):
            fill = old.fill
        state, text = read_note(mark.sheet, mark.cell)
        if state == NOTE_TEXT:
            if old is not None and old.ours and text is not None:
                text = _remove_block(text, old.ours)
            else:
                text = strip_note(text)
            state = NOTE_NONE if text is None else NOTE_TEXT
        elif state == UNKNOWN and old is not None and old.ours:
            state, text = old.note_state, old.note  # the note there is ours (plus the saved original)
        elif state != UNKNOWN:
            state, text = NOTE_NONE, None
        ours = mark.note if state != UNKNOWN else ""
        rows.append(StateRow(mark.sheet, mark.cell, fill, state, text if state == NOTE_TEXT else None,
                             ours, mark.fill))
    return rows


def note_to_write(row: StateRow) -> str | None:
    """The full note for a marked cell: the user's note, a blank line, our block."""
    if not row.ours:
        return None
    return clean_text(merge_note(row.note if row.note_state == NOTE_TEXT else None, row.ours))


def _remove_block(text: str, ours: str) -> str | None:
    """The user's note without the exact block we wrote; what they typed around it stays.
    When they edited inside our block, everything from our marker on is dropped (strip_note)."""
    for sep in ("\r\n\r\n", "\n\n", ""):
        if sep + ours in text:
            rest = text.replace(sep + ours, "", 1)
            if not sep:
                rest = rest.lstrip("\r\n")
            return rest or None
    return strip_note(text)


def plan_restore(
    rows: Iterable[StateRow],
    read_fill: FillReader | None = None,
    read_note: NoteReader | None = None,
) -> list[SetFill | SetNote]:
    """Actions that put back what the snapshot saved, following the module's restore rules."""
    actions: list[SetFill | SetNote] = []
    for r in rows:
        live = read_fill(r.sheet, r.cell) if read_fill else UNKNOWN
        if live == UNKNOWN or live == hex6(r.our_fill):
            actions.append(SetFill(r.sheet, r.cell, None if r.fill in (NO_FILL, UNKNOWN) else hex6(r.fill)))
        if not r.ours:
            continue
        state, text = read_note(r.sheet, r.cell) if read_note else (UNKNOWN, None)
        if state == UNKNOWN:
            actions.append(SetNote(r.sheet, r.cell, r.note if r.note_state == NOTE_TEXT else None))
        elif state == NOTE_TEXT and text is not None and NOTE_MARKER in text:
            actions.append(SetNote(r.sheet, r.cell, _remove_block(text, r.ours)))
    return actions


# ---------------------------------------------------------------------------------------------
# the state sheet's values


def _inert(v: str | None) -> str | None:
    """Every string is written with Excel's text prefix, so nothing is read as a number, date or
    formula ("001", "1/2", "=A1"); Excel stores the rest exactly and drops the apostrophe."""
    return None if v is None else "'" + v


def state_values(state: State) -> list[list[object]]:
    """The state sheet as one 2-D block of values (A1 onwards), every row as wide as the header."""
    width = len(HEADER)
    out: list[list[object]] = [
        [STATE_TITLE, STATE_VERSION] + [None] * (width - 2),
        [TEXT_KEY, _inert(state.text_path)] + [None] * (width - 2),
        list(HEADER),
    ]
    for r in state.rows:
        out.append([_inert(r.sheet), _inert(r.cell), r.fill, r.note_state, _inert(r.note), _inert(r.ours),
                    hex6(r.our_fill)])
    return out


def _text(v: object) -> str | None:
    """A value read back from the state sheet as the text that was written."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def is_state_values(values: Sequence[Sequence[object]]) -> bool:
    return bool(values) and bool(values[0]) and values[0][0] == STATE_TITLE


def parse_state(values: Sequence[Sequence[object]]) -> State | None:
    """Read back `state_values` (as Excel returns them); None when this is not our state sheet.
    Rows that do not name a sheet and a single cell are skipped."""
    if not is_state_values(values):
        return None
    state = State()
    if len(values) > 1 and len(values[1]) > 1 and _text(values[1][0]) == TEXT_KEY:
        state.text_path = _text(values[1][1])
    for raw in values[FIRST_ROW:]:
        cells = list(raw) + [None] * (len(HEADER) - len(raw))
        sheet, cell = _text(cells[0]), normalize_cell(_text(cells[1]) or "")
        if not sheet or not cell:
            continue
        fill = _text(cells[2]) or UNKNOWN
        fill = fill if fill in (NO_FILL, UNKNOWN) else hex6(fill)
        note_state = _text(cells[3]) or UNKNOWN
        if note_state not in (NOTE_NONE, NOTE_TEXT, UNKNOWN):
            note_state = UNKNOWN
        note = _text(cells[4]) if note_state == NOTE_TEXT else None
        if note_state == NOTE_TEXT and note is None:
            note_state = NOTE_NONE
        state.rows.append(StateRow(sheet, cell, fill, note_state, note, _text(cells[5]) or "",
                                   hex6(_text(cells[6]) or "")))
    return state


# ---------------------------------------------------------------------------------------------
# navigation and batching


def next_index(order: Sequence[tuple[str, str]], current: tuple[str, str] | None) -> int | None:
    """Index of the flagged cell after `current` in `order`, wrapping around; the first one when
    the selection is not a flagged cell; None when nothing is flagged."""
    if not order:
        return None
    if current is not None:
        sheet, cell = current[0], normalize_cell(current[1] or "")
        for i, (s, c) in enumerate(order):
            if s == sheet and c == cell:
                return (i + 1) % len(order)
    return 0


def fill_groups(actions: Iterable[SetFill]) -> dict[tuple[str, str | None], list[str]]:
    """(sheet, fill) -> cells, so one call colours many cells where the engine allows it."""
    out: dict[tuple[str, str | None], list[str]] = {}
    for a in actions:
        out.setdefault((a.sheet, a.fill), []).append(a.cell)
    return out


_ADDRESS_LIMIT = 255  # Excel's Range("A1,B2,...") accepts at most 255 characters


def multi_area_addresses(cells: Iterable[str], limit: int = _ADDRESS_LIMIT) -> list[str]:
    """Cells joined into comma-separated multi-area addresses of at most `limit` characters,
    in row/column order."""
    ordered = sorted(set(cells), key=parse_a1)
    out: list[str] = []
    current = ""
    for c in ordered:
        candidate = f"{current},{c}" if current else c
        if len(candidate) > limit and current:
            out.append(current)
            current = c
        else:
            current = candidate
    if current:
        out.append(current)
    return out


_FIRST_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def first_cell(address: str | None) -> str | None:
    """'$B$3:$C$5' or 'B3,D4' -> 'B3'."""
    m = _FIRST_CELL.search(address or "")
    return normalize_cell(m.group(0)) if m else None
