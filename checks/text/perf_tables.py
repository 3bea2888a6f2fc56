"""绩效 tables read from grids: the 评价表 (indicator tree with 分值 and 得分) and the 基础数据表.

Columns are found from header words (一级/二级/三级指标, 分值, 评价标准, 指标说明, 得分), never
by position; maxima come from 分值 columns or from '（4分）' inside the indicator name. Rows the
export shortened (a merged score cell) give their score in the last cell. The result is plain
data (`ScoreTable`, `BaseData`) so the checks can be tested without grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter

from checks.grid import SheetGrid

_YEAR_COLUMN = re.compile(r"\d{4}年(?:预算|决算)数")
_AMOUNT_HEADER = re.compile(r"决算数|预算数|编制数")
_UNIT_NOTE = re.compile(r"单位[：:]([^，。]*)")
_HEADER_YEAR = re.compile(r"(\d{4})年")
_MAX_IN_NAME = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")
_BLANK_OR_HEADER = frozenset(("", "指标"))  # a score-table row holding only these says nothing
_NO_LEVEL: tuple[str, Decimal | None] = ("", None)  # a row that names no indicator at a level
_NUMERIC = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    """The compiled pattern (a few dozen distinct ones): cheaper than re's own cache lookup."""
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = re.compile(pattern)
    return rx


def precompile(*patterns: str) -> None:
    """Compile the fixed label patterns at import: compiling a CJK alternation or character class
    builds a 64K table, a memory peak in whichever check compiles it first."""
    for p in patterns:
        _compiled(p)


def norm(v: object) -> str:
    """The cell as text without any whitespace (split() drops what the regex [\\s\\u3000]+ would)."""
    if v is None:
        return ""
    if type(v) is not str:
        s = str(v)
        # a number prints without whitespace: nothing to drop
        return s if type(v) is float or type(v) is int else "".join(s.split())
    return "".join(v.split()) if v else v


def to_number(v: object) -> tuple[Decimal, int] | None:
    """Cell -> (value, printed decimals); '110,700.00' and 5 and '　7' are numbers, '——' is not."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, float):
        if v.is_integer() and 0 < abs(v) < 1e15:
            return Decimal(int(v)), 0  # what the general path below gives a whole number, sooner
        d = Decimal(repr(v)).normalize()
        exp = d.as_tuple().exponent
        if not isinstance(exp, int):  # inf, nan
            return d, 0
        if exp > 0:
            return d.quantize(Decimal(1)), 0  # 5E+2 -> 500
        return d, -exp
    if isinstance(v, int):
        return Decimal(v), 0  # an integer's exponent is 0
    return text_number(norm(v))


def text_number(s: str) -> tuple[Decimal, int] | None:
    """`to_number` of text already normalised by `norm` (a `normed_rows` cell)."""
    if not s or (s[0] != "-" and not s[0].isdecimal()):  # what _NUMERIC opens with: most text fails here
        return None
    # most figures are plain, '5.0' or '-12': _NUMERIC's second form, told by str methods sooner
    # (isdecimal is what \d matches)
    int_part, dot, fraction = (s[1:] if s[0] == "-" else s).partition(".")
    if int_part.isdecimal() and (not dot or fraction.isdecimal()):
        return Decimal(s), len(fraction)
    if _NUMERIC.match(s) is None:
        return None
    # the decimals as printed: what Decimal(s)'s exponent says, read off the text
    try:
        d = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None
    dot = s.find(".")
    return d, (len(s) - dot - 1 if dot >= 0 else 0)


def is_number_text(s: str) -> bool:
    """`to_number(s) is not None` for normalised text, without making the Decimal."""
    if not s or (s[0] != "-" and not s[0].isdecimal()):  # what _NUMERIC opens with: most text fails here
        return False
    return _NUMERIC.match(s) is not None


@dataclass
class ScoreItem:
    """A 三级指标 row block."""

    name: str
    level1: str
    level2: str
    max_score: Decimal | None
    score: Decimal | None = None
    score_decimals: int = 0
    criterion: str = ""  # 评价标准 (scoring rule)
    formula: str = ""  # 指标说明 (how the indicator is computed)
    row: int = 0
    name_col: int = 0
    score_cell: tuple[int, int] | None = None


@dataclass
class ScoreGroup:
    level: int  # 1 or 2
    name: str
    max_score: Decimal | None
    row: int
    col: int
    items: list[ScoreItem] = field(default_factory=list)
    children: list[ScoreGroup] = field(default_factory=list)


@dataclass
class ScoreTable:
    sheet: str
    title: str
    groups: list[ScoreGroup]  # level-1 groups
    items: list[ScoreItem]

    @property
    def kind(self) -> str:
        """perf_project or perf_overall, from the title."""
        return "perf_project" if "项目" in self.title else "perf_overall"


def _title(grid: SheetGrid, header_row: int) -> str:
    for r in range(header_row):
        for v in grid.rows[r]:
            if isinstance(v, str) and "表" in v and norm(v):
                return norm(v)
    return grid.name


def normed_rows(grid: SheetGrid) -> list[list[str]]:
    """Every cell of the grid as `norm` text: what both table parsers read, made once per grid."""
    # blank and text cells, most of a sheet, are normalised inline: a call per cell costs more
    return [
        ["" if v is None else "".join(v.split()) if type(v) is str else norm(v) for v in row]
        for row in grid.rows
    ]


def _find_header(normed: list[list[str]]) -> tuple[int, dict[str, int], list[int]] | None:
    for r, cells in enumerate(normed):
        if "得分" not in cells:
            continue
        cols: dict[str, int] = {"score": cells.index("得分")}
        for c, t in enumerate(cells):
            for key, word in (("l1", "一级"), ("l2", "二级"), ("l3", "三级")):
                if t.startswith(word) and key not in cols:
                    cols[key] = c
            if "评价标准" in t:
                cols.setdefault("criterion", c)
            elif t == "指标说明":
                cols.setdefault("formula", c)
            elif t == "指标解释":
                cols.setdefault("explain", c)
        if {"l1", "l3"} <= cols.keys():
            maxcols = [c for c, t in enumerate(cells) if t == "分值"]
            return r, cols, maxcols
    return None


def _split_max(text: str, max_text: str) -> tuple[str, Decimal | None]:
    """An indicator's name without its '（4分）', and its maximum: the 分值 cell's number, else the
    one in the name (`max_text`: the normalised 分值 cell, '' without a 分值 column)."""
    m = _MAX_IN_NAME.search(text) if "分" in text else None
    name = _MAX_IN_NAME.sub("", text) if m else text
    mx = text_number(max_text) if max_text else None  # an empty cell is no number: skip the call
    if mx is not None:
        return name, mx[0]
    return name, Decimal(m.group(1)) if m else None


def _joined(before: str, cell: object) -> str:
    """A text column's lines of one item: the rows it spans, each as the cell prints it."""
    return (before + "\n" + str(cell).strip()).strip()


def parse_score_table(grid: SheetGrid, normed: list[list[str]] | None = None) -> ScoreTable | None:
    """The indicator tree of a 绩效评价表 grid, or None when the grid is not one
    (`normed`: its `normed_rows`, when the caller has them)."""
    normed = normed_rows(grid) if normed is None else normed
    found = _find_header(normed)
    if not found:
        return None
    hr, cols, maxcols = found
    level_cols = sorted((cols[k], k) for k in ("l1", "l2", "l3") if k in cols)
    max_col: dict[str, int] = {}
    for mc in maxcols:
        owner = [k for c, k in level_cols if c < mc]
        if owner:
            max_col[owner[-1]] = mc
    sc = cols["score"]
    last_level_col = max([cols["l3"], max_col.get("l3", -1)])

    groups: list[ScoreGroup] = []
    items: list[ScoreItem] = []
    g1: ScoreGroup | None = None
    g2: ScoreGroup | None = None
    item: ScoreItem | None = None

    # the cells every row is read at, in one call: columns a row lacks (and a table lacks, -1)
    # read blank from the padding
    c1, c3 = cols["l1"], cols["l3"]
    read = [c1, max_col.get("l1"), cols.get("l2"), max_col.get("l2"), c3, max_col.get("l3")]
    read += [cols.get("criterion"), cols.get("formula"), sc]
    row_cells = itemgetter(*(-1 if c is None else c for c in read))
    padding = [""] * (max(read, key=lambda c: -1 if c is None else c) + 1)
    has_l2, has_max3 = "l2" in cols, "l3" in max_col
    for r in range(hr + 1, grid.n_rows):
        row = grid.rows[r]
        texts = normed[r]
        if set(texts) <= _BLANK_OR_HEADER:  # (a blank row too)
            continue
        t1, max1, t2, max2, t3, max3, criterion, formula, score_text = row_cells(texts + padding)
        n1, m1 = _split_max(t1, max1) if t1 or max1 else _NO_LEVEL  # most rows leave the upper levels blank
        if n1 or m1 is not None:
            if g1 is None or (n1 and n1 != g1.name) or (not n1 and m1 is not None):
                g1 = ScoreGroup(1, n1, m1, r, c1)
                groups.append(g1)
                g2 = None
        if has_l2 and (t2 or max2):
            n2, m2 = _split_max(t2, max2)
            if (n2 or m2 is not None) and g1 is not None:
                if g2 is None or (n2 and n2 != g2.name) or (not n2 and m2 is not None):
                    g2 = ScoreGroup(2, n2, m2, r, cols["l2"])
                    g1.children.append(g2)
        n3, m3 = _split_max(t3, max3) if t3 or max3 else _NO_LEVEL
        if n3:
            # (the last item is in g2 only as its last: items are ScoreItems, and `in` would compare fields)
            if (
                item is not None
                and m3 is None
                and has_max3
                and g2 is not None
                and g2.items
                and g2.items[-1] is item
            ):
                item.name = f"{item.name}/{n3}"  # shares a merged 分值 cell with the row above
            else:
                item = ScoreItem(n3, g1.name if g1 else "", g2.name if g2 else "", m3, row=r, name_col=c3)
                items.append(item)
                (g2 or g1 or ScoreGroup(1, "", None, r, 0)).items.append(item)
        if item is None:
            continue
        if criterion:
            item.criterion = _joined(item.criterion, row[cols["criterion"]])
        if formula:
            item.formula = _joined(item.formula, row[cols["formula"]])
        if item.score is None:
            got = text_number(score_text) if score_text else None  # an empty cell is no number: skip the call
            at = (r, sc)
            if got is None and len(row) <= sc and row:
                got = text_number(texts[-1]) if len(row) - 1 > last_level_col else None
                at = (r, len(row) - 1)
            if got is not None:
                item.score, item.score_decimals = got
                item.score_cell = at
    if not items:
        return None
    return ScoreTable(grid.name, _title(grid, hr), groups, items)


# --- 基础数据表 ---------------------------------------------------------------------------------


# a value, but not frozen (a frozen dataclass builds several times slower; nothing assigns to a
# fact); unsafe_hash keeps the hash a frozen one would have
@dataclass(slots=True, unsafe_hash=True)
class Fact:
    label: str  # row label, e.g. '三公经费'
    header: str  # column header, e.g. '2018年决算数'
    raw: str
    value: Decimal | None
    decimals: int
    percent: bool
    row: int
    col: int


@dataclass
class BaseData:
    sheet: str
    unit: str  # money unit of the table: '元' or '万元'
    facts: list[Fact]
    # get's answers: W-10 and W-12 ask for the same rows again and again (one check run's table)
    _found: dict[tuple[str, str | tuple[str, ...]], Fact | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _rows: dict[str, list[Fact]] = field(default_factory=dict, compare=False, repr=False)  # _labelled's
    # the facts of each row label, in table order (a row's columns share its label): built on first use
    _by_label: dict[str, list[Fact]] = field(default_factory=dict, compare=False, repr=False)

    def get(self, label: str, header: str | tuple[str, ...]) -> Fact | None:
        """First fact whose row label and column header match the regexes (a tuple of header
        regexes: any of them, as their alternation would, without compiling one during the check)."""
        key = (label, header)
        found = self._found
        if key not in found:
            found[key] = self._get(label, header)
        return found[key]

    def _get(self, label: str, header: str | tuple[str, ...]) -> Fact | None:
        header_rxs = [_compiled(h) for h in header] if isinstance(header, tuple) else [_compiled(header)]
        for f in self._labelled(label):
            for rx in header_rxs:
                if rx.search(f.header):
                    return f
        return None

    def _labelled(self, label: str) -> list[Fact]:
        """The facts whose row label the regex finds, in table order: a label is asked for with
        several headers (each label regex searched once, over the distinct labels)."""
        got = self._rows.get(label)
        if got is None:
            by_label = self._by_label
            if not by_label:
                for f in self.facts:
                    by_label.setdefault(f.label, []).append(f)
            rx = _compiled(label)
            hits = [lab for lab in by_label if rx.search(lab)]
            if len(hits) <= 1:
                got = by_label[hits[0]] if hits else []
            else:  # several labels: their facts interleaved as the table has them
                wanted = set(hits)
                got = [f for f in self.facts if f.label in wanted]
            self._rows[label] = got
        return got

    def report_year(self) -> int | None:
        years = [int(m.group(1)) for f in self.facts if (m := _HEADER_YEAR.search(f.header))]
        return max(years) if years else None


_LABEL_NOISE = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]|其中[：:])|[：:]$")


def _clean_label(s: str) -> str:
    """A row label (normalised text) without its numbering, '其中：' or trailing colon."""
    prev = None
    while prev != s:
        prev = s
        s = _LABEL_NOISE.sub("", s)
    return s


# All the cells of a sheet in one string, each between two _SEPs, to ask about every cell with one
# search: _SEP is whitespace to str.split, so `norm` leaves none inside a cell.
_SEP = "\x1f"
_YEAR_CELL = re.compile(_SEP + _YEAR_COLUMN.pattern + _SEP)  # a cell _YEAR_COLUMN fullmatches
_DASHES = ("——", "—", "-")


def _all_cells(normed: list[list[str]]) -> str:
    return _SEP + _SEP.join(_SEP.join(row) for row in normed) + _SEP


def _is_base_sheet(flat: list[str], cells: str) -> bool:
    """Titled a 基础数据表, or laid out as one; and with amount columns (`cells`: `_all_cells`)."""
    # (each search on `cells` only rules out: a hit is judged cell by cell)
    titled = "基础数据" in cells and any("基础数据" in t and len(t) <= 30 for t in flat)
    # untitled: still the 绩效 layout (三公经费 and 公用经费 rows under 'YYYY年决算数' columns),
    # never a 公开07表 whose 三公 columns say just 预算数/决算数
    if not titled and not (
        _SEP + "三公经费" in cells and _SEP + "公用经费" in cells and _YEAR_CELL.search(cells)
    ):
        return False
    return _AMOUNT_HEADER.search(cells) is not None and any(
        len(t) <= 20 and _AMOUNT_HEADER.search(t) for t in flat
    )


def _unit(flat: list[str], cells: str) -> str:
    """The money unit the first '单位：…' note names (万元 when none does)."""
    if "单位" in cells:
        for t in flat:
            m = _UNIT_NOTE.search(t) if "单位" in t else None
            if m:
                return "万元" if "万元" in m.group(1) else ("元" if "元" in m.group(1) else "万元")
    return "万元"


def _is_figure(t: str) -> bool:
    """A normalised cell a data row holds: a number, a percentage or a dash."""
    return is_number_text(t) or t.endswith("%") or t in _DASHES


def parse_base_data(grid: SheetGrid, normed: list[list[str]] | None = None) -> BaseData | None:
    """Facts of a 绩效基础数据表 grid (label × header -> value), or None when it is not one
    (`normed`: its `normed_rows`, when the caller has them)."""
    normed = normed_rows(grid) if normed is None else normed  # each cell normalised once
    flat = [t for row in normed for t in row]
    cells_text = _all_cells(normed)
    if not _is_base_sheet(flat, cells_text):
        return None
    unit = _unit(flat, cells_text)
    facts: list[Fact] = []
    headers: list[str] = []
    group = ""
    for r, row in enumerate(grid.rows):
        cells = normed[r]  # to_number and _clean_label normalise first: the normalised text will do
        rest = cells[1:]
        if not any(_is_figure(t) for t in rest):
            if len(cells) >= 3 and any(rest):  # a header row: the labels of the rows below
                headers = cells
                group = _clean_label(cells[0])
            continue
        if not headers:
            continue
        label = _clean_label(cells[0]) or group
        for c, v in enumerate(row[1:], start=1):
            h = headers[c] if c < len(headers) else ""
            t = cells[c]
            pct = t.endswith("%")
            got = text_number(t[:-1] if pct else t) if pct or type(v) is str else to_number(v)
            if got and not pct and isinstance(v, float) and "率" in h and abs(got[0]) <= 2:
                # a percent-formatted cell holds the fraction (0.678 shows as 67.8%)
                got, pct, t = (got[0] * 100, max(0, got[1] - 2)), True, f"{(got[0] * 100).normalize()}%"
            facts.append(Fact(label, h, t, got[0] if got else None, got[1] if got else 0, pct, r, c))
    if not facts:
        return None
    return BaseData(grid.name, unit, facts)
