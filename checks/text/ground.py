"""表文 checks: numbers in the 情况说明 grounded to the table cells they speak of.

A claim is grounded by its topic (the level-1 heading it sits under: 收入决算, 三公, …) and its
subject (the words before the number), through the anchor tables below — data, not code, so a
new template's wording is a change here. Then: amount = cell (Y-1), share = part ÷ the topic's
denominator (Y-2), completion = 三公 决算 ÷ 预算 (Y-3), "无…收支" = an empty table (Y-4).
Comparisons are at the printed precision (interval overlap). A claim whose anchor names a cell
that cannot be found is 未能定位 (info), never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from checks.findings import CellRef, Family, Finding, Outcome, Severity
from checks.layouts import _QUOTES, class_code_for_name, norm_label
from checks.model import Cell, Table, WorkbookModel
from checks.rules.evaluate import Absent, Unlocated, _row_desc, resolve
from checks.text.claims import MONEY_UNITS, Claim, Kind
from checks.text.groups import ClaimGroups
from checks.text.interval import HUNDRED, Interval, round_half_up
from checks.text.paragraphs import Paragraph

# level-1 heading keywords -> topic (first match wins)
TOPICS: list[tuple[str, str]] = [
    (r"三公", "sangong"),
    (r"基本支出", "basic"),
    (r"政府性基金", "fund"),
    (r"国有资本经营", "soe"),
    (r"一般公共预算财政拨款支出", "gp"),
    (r"财政拨款收入支出", "fiscal"),
    (r"收入支出决算总体|收支决算总体|总体情况", "overall"),
    (r"收入决算", "income"),
    (r"支出决算", "expense"),
    (r"绩效", "perf"),
    (r"其他重要事项|机关运行", "other"),
]

_FISCAL_01 = ["01|收入|财政拨款收入|金额", "02|main|合计|财政拨款收入"]

# topic -> [(subject regex, [refs tried in order])]; "{k}" is 预算/决算 from the claim's role
AMOUNTS: dict[str, list[tuple[str, list[str]]]] = {
    "overall": [
        (r"(收入|支出|收支)(决算)?总计", ["01|收入|总计|金额"]),
        (r"^(本年)?(总)?收入(合计)?$", ["01|收入|本年收入合计|金额"]),
        (r"^(本年)?(总)?支出(合计)?$", ["01|支出|本年支出合计|金额"]),
    ],
    "income": [
        (r"一般公共预算财政拨款收入$", ["01|收入|一般公共预算财政拨款收入|金额"]),
        (r"政府性基金预算财政拨款收入$", ["01|收入|政府性基金预算财政拨款收入|金额"]),
        (r"国有资本经营预算财政拨款收入$", ["01|收入|国有资本经营预算财政拨款收入|金额"]),
        (r"财政拨款收入$", _FISCAL_01),
        (r"上级补助收入$", ["01|收入|上级补助收入|金额"]),
        (r"事业收入$", ["01|收入|事业收入|金额"]),
        (r"(?<!事业)经营收入$", ["01|收入|经营收入|金额"]),
        (r"附属单位上缴收入$", ["01|收入|附属单位上缴收入|金额"]),
        (r"其他收入$", ["01|收入|其他收入|金额"]),
        (r"^(本年)?(总)?收入(合计)?$", ["01|收入|本年收入合计|金额"]),
    ],
    "expense": [
        (r"基本支出$", ["03|main|合计|基本支出"]),
        (r"项目支出$", ["03|main|合计|项目支出"]),
        (r"上缴上级支出$", ["03|main|合计|上缴上级支出"]),
        (r"(?<!对附属单位补助)经营支出$", ["03|main|合计|经营支出"]),
        (r"对附属单位补助支出$", ["03|main|合计|对附属单位补助支出"]),
        (r"财政拨款(总)?支出$", ["04|支出|本年支出合计|合计"]),
        (r"^(本年)?(总)?支出(合计)?$", ["01|支出|本年支出合计|金额"]),
    ],
    "fiscal": [
        (r"一般公共预算财政拨款(收入)?$", ["04|收入|一般公共预算财政拨款|金额"]),
        (r"一般公共预算财政拨款支出$", ["04|支出|本年支出合计|一般公共预算财政拨款"]),
        (r"政府性基金预算财政拨款(收入)?$", ["04|收入|政府性基金预算财政拨款|金额"]),
        (r"政府性基金预算财政拨款支出$", ["04|支出|本年支出合计|政府性基金预算财政拨款"]),
        (r"国有资本经营预算财政拨款(收入)?$", ["04|收入|国有资本经营预算财政拨款|金额"]),
        (r"国有资本经营预算财政拨款支出$", ["04|支出|本年支出合计|国有资本经营预算财政拨款"]),
        (r"财政拨款(总)?收入$", ["04|收入|本年收入合计|金额"]),
        (r"财政拨款(总)?支出$", ["04|支出|本年支出合计|合计"]),
        (r"(收入|支出|收支)(决算)?总计", ["04|收入|总计|金额"]),
    ],
    "gp": [
        (r"^(本年)?(一般公共预算)?财政拨款(本年)?(总)?支出(决算)?$", ["05|main|合计|合计"]),
        (r"基本支出$", ["05|main|合计|基本支出"]),
        (r"项目支出$", ["05|main|合计|项目支出"]),
    ],
    "basic": [
        (r"工资福利", ["06|main|301|决算数"]),
        (r"对个人和家庭", ["06|main|303|决算数"]),
        (r"商品和?服务", ["06|main|302|决算数"]),
        (r"资本性支出", ["06|main|310|决算数"]),
        (r"人员经费", ["06|main|人员经费合计|决算数"]),
        (r"公用经费", ["06|main|公用经费合计|决算数"]),
        (r"基本支出(总计|合计)?$", ["05|main|合计|基本支出"]),
    ],
    "sangong": [],  # items and 预算/决算 from the sentence: see _sangong_ref
    "fund": [
        (r"年初结转和?结余$", ["08|main|合计|年初结转和结余"]),
        (r"年末结转和?结余$", ["08|main|合计|年末结转和结余"]),
        (r"收入$", ["08|main|合计|本年收入"]),
        (r"支出$", ["08|main|合计|本年支出合计"]),
    ],
    "soe": [
        (r"年初结转和?结余$", ["?09|main|合计|年初结转和结余"]),
        (r"年末结转和?结余$", ["?09|main|合计|年末结转和结余"]),
        (r"收入$", ["?09|main|合计|本年收入"]),
        (r"支出$", ["09|main|合计|本年支出合计"]),
    ],
    "perf": [
        (r"纳入.*绩效.*金额", ["01|支出|本年支出合计|金额"]),
        (r"^基本支出$", ["03|main|合计|基本支出"]),
        (r"^项目支出$", ["03|main|合计|项目支出"]),
    ],
    "other": [
        (r"机关运行经费", ["06|main|公用经费合计|决算数"]),
    ],
}
# anchors whose cell is the usual, not the defined, counterpart: a mismatch is a 警告
# (机关运行经费 equals 公用经费 for 行政单位; a 事业单位 may report it on another basis)
SOFT_REFS = {"06|main|公用经费合计|决算数"}

# topic -> share denominator, unless the words after 占 name one (SHARE_BASES)
SHARE_DEFAULT: dict[str, str] = {
    "income": "01|收入|本年收入合计|金额",
    "expense": "01|支出|本年支出合计|金额",
    "gp": "05|main|合计|合计",
    "basic": "05|main|合计|基本支出",
    "sangong": "07|main|data|决算:合计",
}
SHARE_BASES: list[tuple[str, str]] = [  # whole words after 占 (…的)
    (r"^(本年)?(总)?收入(合计)?的?$", "01|收入|本年收入合计|金额"),
    (r"^(本年)?(一般公共预算)?财政拨款(总)?支出(合计)?的?$", "05|main|合计|合计"),
    (r"^基本支出(合计)?的?$", "05|main|合计|基本支出"),
    (r"^(本年)?(总)?支出(合计)?的?$", "01|支出|本年支出合计|金额"),
]
SANGONG_ITEMS: list[tuple[str, str]] = [
    (r"因公出国", "因公出国（境）费"),
    (r"公务用车购置费?(及|和|与)运行", "公务用车小计"),
    (r"公务用车购置", "公务用车购置费"),
    (r"公务用车运行|运行维护", "公务用车运行费"),
    (r"公务接待", "公务接待费"),
    (r"三公", "合计"),
]
# 06 款 names quoted in 一般性支出 / other paragraphs (会议费, 培训费 …)
ECON_SUBJECT = re.compile(
    r"(会议费|培训费|差旅费|办公费|印刷费|水费|电费|邮电费|物业管理费|租赁费|维修（护）费|劳务费)$"
)
_EMPTY_STATEMENT = [
    (re.compile(r"(无|没有)[^。；，]{0,12}政府性基金"), "08", "政府性基金预算财政拨款收入支出决算表"),
    (re.compile(r"(无|没有)[^。；，]{0,12}国有资本经营"), "09", "国有资本经营预算财政拨款支出决算表"),
    (re.compile(r"(无|没有)[^。；，]{0,6}三公"), "07", "“三公”经费支出决算表"),
]


# the anchor tables above, compiled once (they are searched for every claim)
_TOPIC_RES = tuple((re.compile(pat), topic) for pat, topic in TOPICS)
# refs as tuples: they key `_Cells`' answers as they are
_AMOUNT_RES = {
    topic: tuple((re.compile(pat), tuple(refs)) for pat, refs in rows) for topic, rows in AMOUNTS.items()
}
_SHARE_BASE_RES = tuple((re.compile(pat), ref) for pat, ref in SHARE_BASES)
_SANGONG_ITEM_RES = tuple((re.compile(pat), item) for pat, item in SANGONG_ITEMS)
_LEAD_QIZHONG = re.compile(r"^(基中|其中|中)")
_CLASS_MARK = re.compile(r"[（(]类[）)]")
_XIANG_NAME = re.compile(r"([^（）]+)（项）")
_CLAUSE_END = re.compile(r"[。；]")
# norm_label deletes quotes and spaces, then a list number at the start: a text holding no such
# character and opening with none of a list number's is its own norm_label (and translate is slow)
_MAY_NORMALISE = re.compile("[" + re.escape("".join(map(chr, _QUOTES))) + r"]|^[其一二三四五六七八九十（(\d]")
_GROUNDED_KINDS = (Kind.AMOUNT, Kind.SHARE, Kind.COMPLETION)
_EXPLAINED_PARTS = ("explanation", "")  # part_kind of the paragraphs with a topic
_UNGROUNDED_ROLES = ("prior", "compare")  # compared-to figures (比上年…): not this year's cells


@dataclass
class GroundResult:
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    passed: int = 0
    per_rule: dict[str, list[int]] = field(default_factory=dict)  # id -> [checked, passed]

    def count(self, rule: str, ok: bool) -> None:
        self.checked += 1
        self.passed += ok
        c = self.per_rule.get(rule)
        if c is None:
            c = self.per_rule[rule] = [0, 0]
        c[0] += 1
        c[1] += ok


def topics_of(paragraphs: list[Paragraph]) -> dict[int, tuple[str, str]]:
    """paragraph index -> (topic, level-2 heading text) for the 情况说明 part."""
    # the paragraphs with a topic; a part's headings are its own paragraphs, so only theirs count
    explained = [p for p in paragraphs if p.section and p.part_kind in _EXPLAINED_PARTS]
    level1: dict[tuple[str, str], str] = {}
    level2: dict[tuple[str, str, str], str] = {}
    for p in explained:
        hm = p.marker
        if hm and len(p.text) <= 60:
            if hm[0] == 1:
                level1.setdefault((p.part, p.section[0]), p.text)
            elif hm[0] == 2 and len(p.section) > 1:
                level2.setdefault((p.part, p.section[0], p.section[1]), p.text)
    out = {}
    topic_of: dict[str, str] = {}  # the paragraphs of a section share its heading
    for p in explained:
        head = level1.get((p.part, p.section[0]), p.heading)
        topic = topic_of.get(head)
        if topic is None:
            topic = topic_of[head] = next((t for rx, t in _TOPIC_RES if rx.search(head)), "")
        sub = level2.get((p.part, p.section[0], p.section[1]), "") if len(p.section) > 1 else ""
        if topic == "gp" and "三公" in sub:
            topic = "sangong"
        out[p.index] = (topic, sub)
    return out


class _Reading(NamedTuple):
    """What refs lead to: the cell, and what it holds (status, value, _cell_interval in the
    workbook's unit); no cell: `why` (None when no table explains it)."""

    cell: Cell | None
    why: str | None = None
    status: str = ""
    value: Decimal | None = None
    interval: Interval | None = None


class _Cells:
    """The table side of one grounding run: `_cell` answers (the same refs, denominators and 三公
    cells, recur per claim), what a cell holds and where it sits (for messages), each found once."""

    __slots__ = ("model", "_tables", "_found", "_candidates", "_codes", "_where")

    def __init__(self, model: WorkbookModel) -> None:
        self.model = model
        self._tables: dict[str, Table | None] = {}  # key -> model.get(key)
        self._found: dict[tuple[str, ...], _Reading] = {}  # refs -> their reading
        self._candidates: dict[str, list[tuple[str, str]]] = {}  # table key -> `_code_rows`
        self._codes: dict[tuple[str, str], str | None] = {}  # (table key, name) -> `code`
        # (sheet, row, col) -> `where`: a share's base recurs
        self._where: dict[tuple[str, int, int], str] = {}

    def table(self, key: str) -> Table | None:
        """model.get(key), looked up once per key."""
        tables = self._tables
        if key not in tables:
            tables[key] = self.model.get(key)
        return tables[key]

    def code(self, key: str, name: str) -> str | None:
        """The one row code of table `key` ('05'/'08'/'09': a 项 name; '06': an economic class name)."""
        name = name if key == "06" else norm_label(name)
        found = self._codes.get((key, name), ...)
        if found is ...:
            rows = self._candidates.get(key)
            if rows is None:
                t = self.table(key)
                rows = self._candidates[key] = _code_rows(t, key) if t is not None else []
            # norm_label only deletes characters: a label without the name's first character
            # cannot normalise to it, and testing that is much cheaper than normalising it
            first = name[:1]
            hits = [code for code, label in rows if first in label and norm_label(label) == name]
            found = self._codes[(key, name)] = hits[0] if len(hits) == 1 else None
        return found

    def where(self, cell: Cell) -> str:
        """'公开05表合计行“合计”（C9）': the table, row and column a grounded cell sits in.

        Found by position (sheet, row, column) in table order, first place wins; no Cell is made
        (the model makes them on access), so only a message pays for this, once per place."""
        key = (cell.sheet, cell.row, cell.col)
        got = self._where.get(key)
        if got is None:
            got = self._where[key] = self._find(cell)
        return got

    def _find(self, cell: Cell) -> str:
        sheet, at, col_at = cell.sheet, cell.row, cell.col
        for t in self.model.tables:  # rows of a continuation may sit on another sheet: test each row
            for block, rows in t.blocks.items():
                for key, row in rows.items():
                    if row.row != at or row.layout.sheet != sheet:
                        continue
                    for col, c in row.layout.cols.items():
                        if c == col_at:
                            return f"{_row_desc(t, block, key, col)}（{cell.ref.cell}）"
        return f"{cell.sheet}!{cell.ref.cell}"

    def __call__(self, refs: tuple[str, ...]) -> _Reading:
        """The cell of the first resolvable ref, read; none resolvable: why. Once per refs."""
        got = self._found.get(refs)
        if got is None:
            cell, why = self._cell(refs)
            if cell is None:
                got = _Reading(None, why)
            else:
                value = cell.value
                got = _Reading(cell, None, cell.status, value, _cell_interval(cell, value, self.model.unit))
            self._found[refs] = got
        return got

    def _cell(self, refs: tuple[str, ...]) -> tuple[Cell | None, str | None]:
        why = None
        for ref in refs:
            cell = self._named_cell(ref)
            if cell is not None:
                return cell, None
            try:
                terms = resolve(self.model, ref)
            except Absent:
                why = why or f"缺少{ref.split('|')[0]}表"
                continue
            except Unlocated as u:
                why = f"{u.table.name}中的{u.what}"
                continue
            if terms and terms[0].cell is not None:
                return terms[0].cell, None
        return None, why

    def _named_cell(self, ref: str) -> Cell | None:
        """The cell of a ref naming a row and a column that the table has: the cell `resolve`
        finds, without building its Term. None for any other ref (a row selector, a table, row
        or column not there): `resolve` answers those."""
        tkey, block, row_key, col = ref.lstrip("?").split("|")
        if row_key[:1] == "@":
            return None
        t = self.table(tkey)
        row = t.blocks.get(block, {}).get(row_key) if t is not None else None
        return row.cell(col) if row is not None else None


def _item_from(text: str) -> str | None:
    """The 三公 item named last in `text`; longer names shadow the shorter ones they contain."""
    if "公" not in text and "运行维护" not in text:  # no item pattern matches without one of them
        return None
    last: tuple[int, str] | None = None  # (start, item) of the last name found
    masked = text
    for rx, item in _SANGONG_ITEM_RES:
        if rx.search(masked) is None:  # most patterns find nothing: a search costs less than finditer
            continue
        for m in rx.finditer(masked):
            a, b = m.span()
            if last is None or (a, item) > last:
                last = (a, item)
            masked = masked[:a] + "＿" * (b - a) + masked[b:]
    return last[1] if last else None


def _sangong_ref(c: Claim) -> tuple[str] | None:
    item = _item_from(c.subject) or _item_from(c.paragraph.text[c.sentence[0] : c.span[0]])
    if item is None:
        return None
    k = (
        "预算"
        if c.role == "budget" or (c.role != "final" and "预算" in c.subject and "决算" not in c.subject)
        else "决算"
    )
    return (f"07|main|data|{k}:{item}",)


def _norm(text: str) -> str:
    """norm_label(text), skipped for a text it would leave as it is (most subjects)."""
    return norm_label(text) if _MAY_NORMALISE.search(text) else text


def _refs_for(cells: _Cells, c: Claim, topic: str, sub: str) -> tuple[str, ...] | None:
    if topic == "sangong":
        return _sangong_ref(c)  # from the words as printed
    subject = _norm(c.subject).replace("拔款", "拨款")
    if subject[:1] in "基其中":  # the openings _LEAD_QIZHONG cuts
        subject = _LEAD_QIZHONG.sub("", subject)
    if topic in ("fund", "soe") and "（项）" in subject:
        key = "08" if topic == "fund" else "09"
        code = cells.code(key, subject.split("（项）")[0].split("（款）")[-1])
        return (f"{key}|main|{code}|本年支出合计",) if code else None
    if topic == "gp" and ("结构" in sub or "具体" in sub or not sub):
        code = class_code_for_name(_CLASS_MARK.sub("", subject))
        if code:
            return (f"05|main|{code}|合计",)
        m = _XIANG_NAME.search(c.paragraph.text[c.sentence[0] : c.span[0]])
        if m and c.role == "final":
            code = cells.code("05", m.group(1))
            return (f"05|main|{code}|合计",) if code else None
    for rx, refs in _AMOUNT_RES.get(topic, ()):
        if rx.search(subject):
            return refs
    if topic in ("other", "perf", "") and ECON_SUBJECT.search(subject):
        code = cells.code("06", ECON_SUBJECT.search(subject).group(1))
        return (f"06|main|{code}|决算数",) if code else None
    return None


def _code_rows(table: Table, key: str) -> list[tuple[str, str]]:
    """(code, label) of the rows a name may denote, in table order: 项 (level 3) rows of 05/08/09,
    5-digit economic classes of 06."""
    width = 5 if key == "06" else 7  # level 3 is a 7-digit code
    return [(r.code, r.label) for r in table.rows("main") if r.code and len(r.code) == width]


_TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1")}


def _cell_interval(cell: Cell, value: Decimal | None, unit: str | None = None) -> Interval:
    """The printed cell (its `value`) as an interval, in 万元 when the workbook unit is given
    (claims are in 万元)."""
    v = value or Decimal(0)
    half = cell.half
    iv = Interval(v - half, v + half)
    if unit not in _TO_WAN:
        return iv
    # a table in 元 is quoted in 万元 to 2 decimals: allow for that rounding as well
    wan = round_half_up(v * _TO_WAN[unit], 2)
    exact = iv.scale(_TO_WAN[unit])
    return Interval(min(exact.lo, wan - Decimal("0.005")), max(exact.hi, wan + Decimal("0.005")))


def _fmt(v: Decimal, decimals: int) -> str:
    return f"{round_half_up(v, decimals):,.{decimals}f}"


def _finding(rule: str, severity: Severity, message: str, c: Claim, cells: list[CellRef], **kw) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        family=Family.TEXT,
        message=message,
        cells=[CellRef(c.paragraph.sheet, c.paragraph.cell), *cells],
        text=c.clause.strip(),
        **kw,
    )


def _text_finding(rule: str, message: str, c: Claim, context: list[CellRef], **kw) -> Finding:
    """The sentence is what is wrong; the table cells it was checked against are context."""
    return Finding(
        rule=rule,
        severity=Severity.ERROR,
        family=Family.TEXT,
        message=message,
        cells=[CellRef(c.paragraph.sheet, c.paragraph.cell)],
        context=context,
        text=c.clause.strip(),
        **kw,
    )


def ground_claims(
    model: WorkbookModel, paragraphs: list[Paragraph], claims: list[Claim], groups: ClaimGroups | None = None
) -> GroundResult:
    """Y-1…Y-4 over the claims (`groups`: the same claims grouped, when the caller has them)."""
    res = GroundResult()
    cells = _Cells(model)
    topics = topics_of(paragraphs)
    grounded: dict[int, _Reading] = {}  # id(claim) -> its cell, for shares
    groups = groups if groups is not None else ClaimGroups(claims)
    for idx, cs in _claims_by_paragraph(groups.of_kinds(_GROUNDED_KINDS), topics).items():
        topic, sub = topics[idx]
        for c in cs:
            if (
                c.kind == Kind.AMOUNT
                and c.unit in MONEY_UNITS
                and not c.approx
                and c.role not in _UNGROUNDED_ROLES
            ):
                _check_amount(cells, c, topic, sub, grounded, res)
        for c in cs:
            if c.kind == Kind.SHARE and c.value is not None:
                _check_share(cells, c, cs, topic, grounded, res)
            elif c.kind == Kind.COMPLETION and topic == "sangong" and c.value is not None:
                _check_completion(cells, c, res)
    _check_empty_statements(model, paragraphs, topics, res)
    return res


def _claims_by_paragraph(grounded: list[Claim], topics: dict[int, tuple[str, str]]) -> dict[int, list[Claim]]:
    """Paragraph index -> its claims among `grounded` (the amount, share and completion claims, in
    text order), for the paragraphs with a topic, in the order the paragraphs first come."""
    out: dict[int, list[Claim]] = {}
    paragraph = group = None
    for c in grounded:
        if c.paragraph is not paragraph:  # a paragraph's claims come together: one lookup for them
            paragraph = c.paragraph
            group = out.setdefault(paragraph.index, []) if paragraph.index in topics else None
        if group is not None:
            group.append(c)
    return out


def _check_amount(cells: _Cells, c: Claim, topic: str, sub: str, grounded: dict, res: GroundResult) -> None:
    """Y-1: a money amount against the cell its topic and subject name."""
    refs = _refs_for(cells, c, topic, sub)
    if not refs:
        return
    reading = cells(refs)
    cell, why, status, _, cell_iv = reading
    if cell is None:
        if why and not why.startswith("缺少"):
            res.findings.append(
                _finding(
                    "Y-1",
                    Severity.INFO,
                    f"未能定位：“{c.clause.strip()}”对应的{why}",
                    c,
                    [],
                    outcome=Outcome.UNLOCATED,
                )
            )
        return
    if status in ("uncached", "text"):
        return
    grounded[id(c)] = reading
    ok = c.interval().overlaps(cell_iv)
    res.count("Y-1", ok)
    if ok:
        return
    unit = cells.model.unit
    expected = f"{_fmt(cell.value or Decimal(0), 2)}{'万元' if unit != '元' else '元'}"
    soft = topic == "other" and refs[0] in SOFT_REFS
    res.findings.append(
        _finding(
            "Y-1",
            Severity.WARNING if soft else Severity.ERROR,
            f"文中“{c.subject}{c.printed}”与{cells.where(cell)} {expected} 不符",
            c,
            [cell.ref],
            expected=expected,
            actual=c.printed,
        )
    )


def _part_of_share(c: Claim, cs: list[Claim]) -> Claim | None:
    """The last money amount before the share in its sentence (searched from the end)."""
    start, sentence = c.span[0], c.sentence
    for x in reversed(cs):
        if x.kind == Kind.AMOUNT and x.span[0] < start and x.sentence == sentence and x.unit in MONEY_UNITS:
            return x
    return None


def _check_share(
    cells: _Cells, c: Claim, cs: list[Claim], topic: str, grounded: dict, res: GroundResult
) -> None:
    if topic not in SHARE_DEFAULT:
        return  # e.g. 政府采购 shares: their base is in the text, checked by W-11
    den_ref = None
    den_words = _norm(c.denominator or "")
    if den_words not in ("", "支出", "收入", "总额"):  # a bare 支出 means the topic's own total
        den_ref = next((ref for rx, ref in _SHARE_BASE_RES if rx.search(den_words)), None)
        if topic == "gp" and den_ref == "01|支出|本年支出合计|金额" and "财政拨款" in den_words:
            den_ref = "05|main|合计|合计"
    den_ref = den_ref or SHARE_DEFAULT.get(topic)
    part = _part_of_share(c, cs)
    if den_ref is None or part is None:
        return
    den, _, _, den_value, den_iv = cells((den_ref,))
    if den is None or not den_value:
        return
    part_read = grounded.get(id(part))
    part_cell = part_read.cell if part_read is not None else None
    part_iv = part_read.interval if part_read is not None else part.interval()
    ratio = (part_iv / den_iv).scale(HUNDRED)
    claim_iv = Interval.printed(c.value, c.decimals)
    ok = claim_iv.overlaps(ratio)
    res.count("Y-2", ok)
    if ok:
        return
    mid = (part_iv.mid if part_cell is not None else part.wan()) / den_iv.mid * HUNDRED
    expected = f"{_fmt(mid, max(c.decimals, 2))}%"
    hint = ""
    if topic == "sangong":
        rate = _sangong_completion(cells, c)
        if rate is not None and claim_iv.overlaps(rate):
            hint = "；所写数值其实是该项的完成预算比例，不是占比"
    res.findings.append(
        _text_finding(
            "Y-2",
            f"“{part.subject}{part.printed}，{c.subject}{c.printed}”：按{cells.where(den)} "
            f"{_fmt(den_value, 2)} 计算应为 {expected}{hint}",
            c,
            ([part_cell.ref] if part_cell is not None else []) + [den.ref],
            expected=expected,
            actual=c.printed or f"{c.value}%",
        )
    )


def _sangong_completion(cells: _Cells, c: Claim) -> Interval | None:
    item = _item_from(c.subject) or _item_from(c.paragraph.text[c.sentence[0] : c.span[0]])
    if item is None:
        return None
    fin = cells((f"07|main|data|决算:{item}",))
    bud = cells((f"07|main|data|预算:{item}",))
    if fin.cell is None or bud.cell is None or not bud.value:
        return None
    return (fin.interval / bud.interval).scale(HUNDRED)


def _check_completion(cells: _Cells, c: Claim, res: GroundResult) -> None:
    item = _item_from(c.paragraph.text[c.sentence[0] : c.span[0]])
    if item is None:
        return
    fin_read = cells((f"07|main|data|决算:{item}",))
    bud_read = cells((f"07|main|data|预算:{item}",))
    fin, bud = fin_read.cell, bud_read.cell
    if fin is None or bud is None or not bud_read.value:
        return  # a zero budget is W-3's zero-base warning
    ratio = (fin_read.interval / bud_read.interval).scale(HUNDRED)
    ok = Interval.printed(c.value, c.decimals).overlaps(ratio)
    res.count("Y-3", ok)
    if ok:
        return
    expected = f"{_fmt((fin.value or Decimal(0)) / bud.value * HUNDRED, max(c.decimals, 1))}%"
    res.findings.append(
        _text_finding(
            "Y-3",
            f"“{c.clause.strip()}”：按三公表 决算 {_fmt(fin.value or Decimal(0), 2)} ÷ 预算 {_fmt(bud.value, 2)} 应为 {expected}",
            c,
            [fin.ref, bud.ref],
            expected=expected,
            actual=c.printed or f"{c.value}%",
        )
    )


def _check_empty_statements(model, paragraphs, topics, res: GroundResult) -> None:
    for p in paragraphs:
        if p.index not in topics or ("无" not in p.text and "没有" not in p.text):
            continue  # each statement needs 无 or 没有
        for pat, key, name in _EMPTY_STATEMENT:
            m = pat.search(p.text)
            if not m:
                continue
            t = model.get(key)
            if t is None:
                continue
            cells = _data_cells(t, _SHOWN_CELLS)
            res.count("Y-4", not cells)
            if not cells:
                continue
            clause = _CLAUSE_END.split(p.text[m.start() :], 1)[0]
            res.findings.append(
                Finding(
                    rule="Y-4",
                    severity=Severity.ERROR,
                    family=Family.TEXT,
                    message=f"文中称“{clause}”，但{t.name}{name}有数据（如 {cells[0].ref.cell} = {_fmt(cells[0].value, 2)}）",
                    cells=[CellRef(p.sheet, p.cell)] + [x.ref for x in cells],
                    text=clause,
                    expected="表中无数据",
                    actual=_fmt(cells[0].value, 2),
                )
            )


_SHOWN_CELLS = 5  # the cells a Y-4 finding names


def _data_cells(t: Table, limit: int) -> list[Cell]:
    """The first `limit` cells of `t` holding a nonzero amount, in table order (of 07, in its 决算
    columns only). Read from the grid rows: only the cells found are made."""
    only: set[int] | None = None  # the sheet columns searched; None: all
    if t.key == "07":
        main = t.rows("main")
        if not main:
            return []
        only = {c for k, c in main[0].layout.cols.items() if k.startswith("决算")}
    found: list[Cell] = []
    for rows in t.blocks.values():
        for r in rows.values():
            values = r.values
            for k, c in r.layout.cols.items():
                if (only is None or c in only) and c < len(values) and values[c] is not None and r.value(k):
                    found.append(r.cells[k])
                    if len(found) == limit:
                        return found
    return found
