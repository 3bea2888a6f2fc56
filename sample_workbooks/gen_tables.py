"""Lay out the 决算公开 tables of a `Model` as cell blocks (export layout of 公开01表…).

A `Block` is one table in local 0-based coordinates: its cells, merges, the truth of every amount cell
(role, printed value) and its table-internal identities as role relations. `generate.py` places blocks on
sheets and resolves roles to cells. Role names are documented in generate.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from . import catalogue as cat
from .model import Leaf, Model

RC = tuple[int, int]
RoleKey = tuple[str, str]  # (table number, role)


@dataclass(frozen=True)
class RoleRel:
    """An identity over roles: Σ lhs = Σ rhs ("=") or Σ lhs ≤ Σ rhs ("<="); a missing role counts as 0."""

    id: str
    lhs: tuple[RoleKey, ...]
    rhs: tuple[RoleKey, ...]
    op: str = "="


@dataclass
class Fmt:
    """How amounts are written: numbers or text ("2,899.74"); zero as 0.00, blank or a dash."""

    amount_style: str = "number"
    zero_style: str = "zero"
    thousands: bool = True
    code_style: str = "joined"

    def value(self, d: Decimal) -> object:
        if d == 0 and self.zero_style == "blank":
            return None
        if d == 0 and self.zero_style == "dash":
            return "—"
        if self.amount_style == "number":
            return float(d)
        return f"{d:,.2f}" if self.thousands else f"{d:.2f}"

    def code(self, code: str) -> str:
        if self.code_style == "spaced" and len(code) > 3:
            return " ".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)])
        return code


@dataclass
class Block:
    number: str  # 公开NN表 number in this era
    kind: str  # summary|income|expense|fiscal|general|basic|fund|soe|sangong
    title: str
    cells: dict[RC, object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    truth: dict[RC, tuple[str, Decimal]] = field(default_factory=dict)
    relations: list[RoleRel] = field(default_factory=list)
    columns: list[list[RC]] = field(default_factory=list)  # data columns top to bottom (for column_shifted)
    title_rc: RC = (0, 0)
    dept_rc: RC = (2, 0)
    n_cols: int = 1

    @property
    def n_rows(self) -> int:
        return max(r for r, _ in self.cells) + 1

    def put(self, r: int, c: int, v: object, span: tuple[int, int] | None = None) -> None:
        """Write a value; span=(rows, cols) merges from (r, c)."""
        if v is not None:
            self.cells[(r, c)] = v
        if span and span != (1, 1):
            self.merges.append((r, c, r + span[0] - 1, c + span[1] - 1))

    def rel(self, rid: str, lhs: list[str], rhs: list[str], op: str = "=") -> None:
        n = self.number
        self.relations.append(RoleRel(rid, tuple((n, x) for x in lhs), tuple((n, x) for x in rhs), op))


TITLES = {
    "summary": "收入支出决算总表",
    "income": "收入决算表",
    "expense": "支出决算表",
    "fiscal": "财政拨款收入支出决算总表",
    "general": "一般公共预算财政拨款支出决算表",
    "basic": "一般公共预算财政拨款基本支出决算明细表",
    "fund": "政府性基金预算财政拨款收入支出决算表",
    "soe": "国有资本经营预算财政拨款支出决算表",
    "sangong": "财政拨款“三公”经费支出决算表",
}
TITLES_2018 = dict(TITLES, basic="一般公共预算财政拨款基本支出决算表",
                   sangong="一般公共预算财政拨款“三公”经费支出决算表")
NUMBERS = {
    "2018": ["summary", "income", "expense", "fiscal", "general", "basic", "sangong", "fund"],
    "2020+": ["summary", "income", "expense", "fiscal", "general", "basic", "fund", "soe", "sangong"],
}
NOTES = {
    "summary": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expense": "注：本表反映部门本年度各项支出情况。",
    "general": "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。",
    "basic": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "sangong": "注：本表反映部门本年度“三公”经费支出预决算情况。其中：预算数为“三公”经费年初预算数，"
               "决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
    "fund": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "soe": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
}
EMPTY_NOTES = {
    "fund": "说明：本单位本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    "soe": "说明：本单位本年度没有国有资本经营预算财政拨款支出，故本表无数据。",
}

FUNDS_2018 = ["一般公共预算财政拨款", "政府性基金预算财政拨款"]
FUNDS_2020 = FUNDS_2018 + ["国有资本经营预算财政拨款"]
FUND_KEY = {"一般公共预算财政拨款": "gen", "政府性基金预算财政拨款": "fund", "国有资本经营预算财政拨款": "soe"}


@dataclass
class Layout:
    """Shape options that affect how one table is drawn."""

    fmt: Fmt
    total_first: bool = True
    year_in_title: bool = False
    all_classes: bool = True
    econ_all: bool = True
    sangong_layout: str = "grouped"  # grouped (six 预算数 then six 决算数) | interleaved


class TableWriter:
    def __init__(self, m: Model, lay: Layout):
        self.m = m
        self.lay = lay
        self.fmt = lay.fmt
        self.era = m.era
        self.numbers = {k: f"{i + 1:02d}" for i, k in enumerate(NUMBERS[m.era])}
        self.unit_label = "金额单位：万元" if m.scale.unit == "万元" else "单位：元"

    # ---- shared pieces ----------------------------------------------------------------------------
    def pv(self, base: int) -> Decimal:
        return self.m.scale.printed(base)

    def block(self, kind: str, n_cols: int) -> Block:
        titles = TITLES_2018 if self.era == "2018" else TITLES
        b = Block(self.numbers[kind], kind, titles[kind], n_cols=n_cols)
        title = f"{self.m.year}年度{b.title}" if self.lay.year_in_title else b.title
        b.put(0, 0, title, (1, n_cols))
        b.put(1, n_cols - 1, f"公开{b.number}表")
        b.put(2, 0, f"部门：{self.m.department}")
        b.put(2, n_cols - 1, self.unit_label)
        return b

    def amount(self, b: Block, r: int, c: int, role: str, base: int) -> None:
        d = self.pv(base)
        b.put(r, c, self.fmt.value(d))
        b.truth[(r, c)] = (role, d)

    def all(self) -> list[Block]:
        makers: dict[str, Callable[[], Block]] = {
            "summary": self.summary, "income": self.income, "expense": self.expense,
            "fiscal": self.fiscal, "general": self.general, "basic": self.basic,
            "fund": self.fund, "soe": self.soe, "sangong": self.sangong,
        }
        return [makers[k]() for k in NUMBERS[self.era]]

    # ---- 01 收入支出决算总表 ------------------------------------------------------------------------
    def income_lines(self) -> list[tuple[str, int]]:
        m = self.m
        s = {a: sum(getattr(lf, a) for lf in m.leaves) for a in ("sup", "career", "oper", "affil", "other")}
        fiscal = [("一般公共预算财政拨款收入", sum(lf.fiscal_income for lf in m.of("gen"))),
                  ("政府性基金预算财政拨款收入", sum(lf.fiscal_income for lf in m.of("fund")))]
        if self.era == "2018":
            fiscal = [("财政拨款收入", sum(v for _, v in fiscal))]
        else:
            fiscal.append(("国有资本经营预算财政拨款收入", sum(lf.fiscal_income for lf in m.of("soe"))))
        return fiscal + [("上级补助收入", s["sup"]), ("事业收入", s["career"]), ("经营收入", s["oper"]),
                         ("附属单位上缴收入", s["affil"]), ("其他收入", s["other"])]

    def class_rows(self, value: Callable[[str], int]) -> list[tuple[str, str]]:
        rows = cat.classes(self.era, self.m.year)
        if not self.lay.all_classes:
            rows = [(c, n) for c, n in rows if value(c)]
        return rows

    def summary(self) -> Block:
        m = self.m
        b = self.block("summary", 6)
        b.put(3, 0, "收入", (1, 3))
        b.put(3, 3, "支出", (1, 3))
        for c, v in enumerate(["项目", "行次", "金额", "项目", "行次", "金额"]):
            b.put(4, c, v)
        for c, v in [(0, "栏次"), (2, 1), (3, "栏次"), (5, 2)]:
            b.put(5, c, v)
        inc = self.income_lines()

        def cls_exp(code: str) -> int:
            return sum(lf.expense for lf in m.leaves if lf.code.startswith(code))

        classes = self.class_rows(cls_exp)
        n = max(len(inc), len(classes)) + 1
        first_exp = n + 6  # 行次 of the first expense row
        d = 6
        for i in range(n):
            r = d + i
            b.put(r, 1, i + 1)
            b.put(r, 4, first_exp + i)
            if i < len(inc):
                label, v = inc[i]
                b.put(r, 0, f"{cat.cn_ordinal(i + 1)}、{label}")
                self.amount(b, r, 2, f"income:{label}", v)
            if i < len(classes):
                code, name = classes[i]
                b.put(r, 3, f"{cat.cn_ordinal(i + 1)}、{name}")
                self.amount(b, r, 5, f"expense:{code}", cls_exp(code))
        use_label = "用事业基金弥补收支差额" if self.era == "2018" else "使用非财政拨款结余"
        tail = [
            ("本年收入合计", m.income_total, "本年支出合计", m.expense_total),
            (use_label, m.use_nf, "结余分配", m.dist),
            ("年初结转和结余", m.y0_total, "年末结转和结余", m.y1_total),
            (None, None, None, None),
            ("总计", m.grand_total, "总计", m.grand_total),
        ]
        for j, (il, iv, el, ev) in enumerate(tail):
            r = d + n + j
            b.put(r, 1, n + j + 1)
            b.put(r, 4, first_exp + n + j)
            if il is not None:
                b.put(r, 0, il)
                self.amount(b, r, 2, f"income:{il}", iv)
                b.put(r, 3, el)
                self.amount(b, r, 5, f"expense:{el}", ev)
        b.put(d + n + len(tail), 0, NOTES["summary"])
        b.columns = [[(d + i, 2) for i in range(len(inc))], [(d + i, 5) for i in range(len(classes))]]
        lines = [f"income:{label}" for label, _ in inc]
        b.rel("T01-1", ["income:总计"], ["expense:总计"])
        b.rel("T01-2", ["income:总计"], ["income:本年收入合计", f"income:{use_label}", "income:年初结转和结余"])
        b.rel("T01-3", ["expense:总计"], ["expense:本年支出合计", "expense:结余分配", "expense:年末结转和结余"])
        b.rel("T01-4", ["income:本年收入合计"], lines)
        b.rel("T01-5", ["expense:本年支出合计"], [f"expense:{c}" for c, _ in classes])
        return b

    # ---- coded tables: 02 03 05 基金 国资 -----------------------------------------------------------
    def coded(self, kind: str, spec: list[tuple[str | None, str, str]], leaves: list[Leaf],
              getters: list[Callable[[Leaf], int]], row_rules: list[tuple[str, list[int], list[int]]]) -> Block:
        """A table of 类/款/项 rows. spec: (group label, column label, role column) per amount column;
        row_rules: (id, lhs column indexes, rhs column indexes), identities holding on every row."""
        k = len(spec)
        b = self.block(kind, 2 + k)
        h = 3
        b.put(h, 0, "项目", (1, 2))
        b.put(h + 1, 0, "功能分类科目编码", (3, 1))
        b.put(h + 1, 1, "科目名称", (3, 1))
        c = 0
        while c < k:
            group = spec[c][0]
            if group is None:
                b.put(h, 2 + c, spec[c][1], (4, 1))
                c += 1
                continue
            width = sum(1 for s in spec[c:] if s[0] == group)
            b.put(h, 2 + c, group, (1, width))
            for j in range(width):
                b.put(h + 1, 2 + c + j, spec[c + j][1], (3, 1))
            c += width
        b.put(h + 4, 0, "栏次", (1, 2))
        for j in range(k):
            b.put(h + 4, 2 + j, j + 1)
        d = h + 5
        roles = [s[2] for s in spec]
        empty = not leaves
        codes = sorted({lf.code[:n] for lf in leaves for n in (3, 5, 7)})
        body: list[str] = ["合计"] + codes if self.lay.total_first else codes + ["合计"]
        if empty:
            body = ["合计"]
        b.columns = [[] for _ in range(k)]
        r = d
        for code in body:
            if code == "合计":
                b.put(r, 0, "合计", (1, 2))
            else:
                b.put(r, 0, self.fmt.code(code))
                name = self.m.names[code]
                b.put(r, 1, f"  {name}" if len(code) == 7 else name)
            if not empty:
                rows = [lf for lf in leaves if code == "合计" or lf.code.startswith(code)]
                for j, g in enumerate(getters):
                    self.amount(b, r, 2 + j, f"row:{code}:{roles[j]}", sum(g(lf) for lf in rows))
                    b.columns[j].append((r, 2 + j))
            r += 1
        if empty:
            r += 6  # the template keeps a few empty rows
        b.put(r, 0, NOTES[kind])
        if empty:
            b.put(r + 1, 0, EMPTY_NOTES[kind])
            b.columns = []
            return b
        tid = {"income": "T02", "expense": "T03", "general": "T05", "fund": "T08", "soe": "T08"}[kind]
        for code in body:
            for rid, lhs, rhs in row_rules:
                b.rel(rid, [f"row:{code}:{roles[i]}" for i in lhs], [f"row:{code}:{roles[i]}" for i in rhs])
        for role in roles:
            for parent in ["合计"] + codes:
                if len(parent) == 7:
                    continue
                kids = [x for x in codes if (len(x) == 3 if parent == "合计" else
                                             x.startswith(parent) and len(x) == len(parent) + 2)]
                b.rel(f"{tid}-2" if tid != "T08" else "T08-1",
                      [f"row:{parent}:{role}"], [f"row:{x}:{role}" for x in kids])
        return b

    def income(self) -> Block:
        cols = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        getters = [lambda lf: lf.income, lambda lf: lf.fiscal_income, lambda lf: lf.sup, lambda lf: lf.career,
                   lambda lf: lf.oper, lambda lf: lf.affil, lambda lf: lf.other]
        leaves = [lf for lf in self.m.leaves if lf.income]
        return self.coded("income", [(None, c, c) for c in cols], leaves, getters,
                          [("T02-1", [0], [1, 2, 3, 4, 5, 6])])

    def expense(self) -> Block:
        cols = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        getters = [lambda lf: lf.expense, lambda lf: lf.basic, lambda lf: lf.project, lambda lf: lf.upper,
                   lambda lf: lf.business, lambda lf: lf.subsidiary]
        leaves = [lf for lf in self.m.leaves if lf.expense]
        return self.coded("expense", [(None, c, c) for c in cols], leaves, getters,
                          [("T03-1", [0], [1, 2, 3, 4, 5])])

    def general(self) -> Block:
        spec = [("本年支出", "小计", "合计"), ("本年支出", "基本支出", "基本支出"), ("本年支出", "项目支出", "项目支出")]
        leaves = [lf for lf in self.m.of("gen") if lf.fiscal_expense]
        return self.coded("general", spec, leaves,
                          [lambda lf: lf.fiscal_expense, lambda lf: lf.f_basic, lambda lf: lf.f_project],
                          [("T05-1", [0], [1, 2])])

    def fund(self) -> Block:
        spec = [(None, "年初结转和结余", "年初结转和结余"), (None, "本年收入", "本年收入"),
                ("本年支出", "小计", "本年支出合计"), ("本年支出", "基本支出", "基本支出"),
                ("本年支出", "项目支出", "项目支出"), (None, "年末结转和结余", "年末结转和结余")]
        getters = [lambda lf: lf.y0, lambda lf: lf.fiscal_income, lambda lf: lf.fiscal_expense,
                   lambda lf: lf.f_basic, lambda lf: lf.f_project, lambda lf: lf.y1]
        return self.coded("fund", spec, self.m.of("fund"), getters,
                          [("T08-1", [2], [3, 4]), ("T08-1", [5, 2], [0, 1])])

    def soe(self) -> Block:
        spec = [("本年支出", "合计", "本年支出合计"), ("本年支出", "基本支出", "基本支出"),
                ("本年支出", "项目支出", "项目支出")]
        return self.coded("soe", spec, self.m.of("soe"),
                          [lambda lf: lf.fiscal_expense, lambda lf: lf.f_basic, lambda lf: lf.f_project],
                          [("T08-1", [0], [1, 2])])

    # ---- 04 财政拨款收入支出决算总表 -----------------------------------------------------------------
    def fiscal(self) -> Block:
        m = self.m
        funds = FUNDS_2018 if self.era == "2018" else FUNDS_2020
        nf = len(funds)
        b = self.block("fiscal", 6 + nf)
        b.put(3, 0, "收     入", (1, 3))
        b.put(3, 3, "支     出", (1, 3 + nf))
        for c, v in enumerate(["项目", "行次", "金额", "项目", "行次", "合计"] + funds):
            b.put(4, c, v, (2, 1))
        for c, v in [(0, "栏次"), (2, 1), (3, "栏次")] + [(5 + j, 2 + j) for j in range(nf + 1)]:
            b.put(6, c, v)
        d = 7

        def exp(fund: str, code: str = "") -> int:
            return sum(lf.fiscal_expense for lf in m.of(fund) if lf.code.startswith(code))

        def y(fund: str, attr: str) -> int:
            if fund == "gen":
                return m.gen_y0 if attr == "y0" else m.gen_y1
            return m.fund_total(fund, attr)

        def inc(fund: str) -> int:
            return sum(lf.fiscal_income for lf in m.of(fund))

        keys = [FUND_KEY[f] for f in funds]
        classes = self.class_rows(lambda code: sum(exp(k, code) for k in keys))
        n = max(nf, len(classes))
        n_income_rows = n + 1 + 1 + nf + 1 + 1
        cols = ["合计"] + funds

        def exp_row(r: int, role: str, values: list[int]) -> None:
            self.amount(b, r, 5, f"expense:{role}:合计", sum(values))
            for j, f in enumerate(funds):
                self.amount(b, r, 6 + j, f"expense:{role}:{f}", values[j])

        for i in range(n):
            r = d + i
            b.put(r, 1, i + 1)
            b.put(r, 4, n_income_rows + 1 + i)
            if i < nf:
                b.put(r, 0, f"{cat.cn_ordinal(i + 1)}、{funds[i]}")
                self.amount(b, r, 2, f"income:{funds[i]}", inc(keys[i]))
            if i < len(classes):
                code, name = classes[i]
                b.put(r, 3, f"{cat.cn_ordinal(i + 1)}、{name}")
                exp_row(r, code, [exp(k, code) for k in keys])
        r = d + n
        inc_total = sum(inc(k) for k in keys)
        y0 = [y(k, "y0") for k in keys]
        y1 = [y(k, "y1") for k in keys]
        spent = [exp(k) for k in keys]
        rows_after = [("本年收入合计", inc_total, "本年支出合计", spent),
                      ("年初财政拨款结转和结余", sum(y0), "年末财政拨款结转和结余", y1)]
        rows_after += [(f"  {f}", y0[j], None, None) for j, f in enumerate(funds)]
        rows_after += [(None, None, None, None), ("总计", inc_total + sum(y0), "总计",
                                                   [spent[j] + y1[j] for j in range(nf)])]
        for j, (il, iv, el, ev) in enumerate(rows_after):
            rr = r + j
            b.put(rr, 1, n + j + 1)
            b.put(rr, 4, n_income_rows + n + j + 1)
            if il is not None:
                b.put(rr, 0, il)
                role = f"income:年初:{il.strip()}" if il.startswith("  ") else f"income:{il}"
                self.amount(b, rr, 2, role, iv)
            if el is not None:
                b.put(rr, 3, el)
                exp_row(rr, el, ev)
        b.put(r + len(rows_after), 0, NOTES_FISCAL[self.era])
        # columns of the expense block (classes only) for column_shifted
        b.columns = [[(d + i, 5 + j) for i in range(len(classes))] for j in range(nf + 1)]

        b.rel("T04-2", ["income:本年收入合计"], [f"income:{f}" for f in funds])
        b.rel("T04-2", ["income:年初财政拨款结转和结余"], [f"income:年初:{f}" for f in funds])
        b.rel("T04-3", ["income:总计"], ["income:本年收入合计", "income:年初财政拨款结转和结余"])
        b.rel("T04-3", ["income:总计"], ["expense:总计:合计"])
        for col in cols:
            b.rel("T04-3", [f"expense:总计:{col}"],
                  [f"expense:本年支出合计:{col}", f"expense:年末财政拨款结转和结余:{col}"])
            b.rel("T04-5", [f"expense:本年支出合计:{col}"], [f"expense:{c}:{col}" for c, _ in classes])
        for role in [c for c, _ in classes] + ["本年支出合计", "年末财政拨款结转和结余", "总计"]:
            b.rel("T04-1", [f"expense:{role}:合计"], [f"expense:{role}:{f}" for f in funds])
        for f in funds:
            b.rel("T04-4", [f"income:{f}", f"income:年初:{f}"],
                  [f"expense:本年支出合计:{f}", f"expense:年末财政拨款结转和结余:{f}"])
        return b

    # ---- 06 基本支出 -----------------------------------------------------------------------------
    def basic(self) -> Block:
        m = self.m
        b = self.block("basic", 9)
        b.put(3, 0, "人员经费", (1, 3))
        b.put(3, 3, "公用经费", (1, 6))
        for c in range(9):
            b.put(4, c, ["科目编码", "科目名称", "决算数"][c % 3], (2, 1))
        d = 6
        blocks: list[list[str]] = []
        for classes in cat.ECON_BLOCKS:
            rows: list[str] = []
            for cls in classes:
                rows.append(cls)
                rows += [c for c, _ in cat.ECON if len(c) == 5 and c.startswith(cls)
                         and (self.lay.econ_all or m.econ[c])]
            blocks.append(rows)
        n = max(len(x) for x in blocks)
        b.columns = []
        for j, rows in enumerate(blocks):
            col: list[RC] = []
            for i, code in enumerate(rows):
                r, c = d + i, 3 * j
                b.put(r, c, code)
                b.put(r, c + 1, cat.ECON_NAMES[code] if len(code) == 3 else f"  {cat.ECON_NAMES[code]}")
                self.amount(b, r, c + 2, f"econ:{code}", m.econ_class(code) if len(code) == 3 else m.econ[code])
                col.append((r, c + 2))
            b.columns.append(col)
        r = d + n
        b.put(r, 0, "人员经费合计", (1, 2))
        self.amount(b, r, 2, "econ:人员经费合计", m.staff)
        b.put(r, 3, "公用经费合计", (1, 5))
        self.amount(b, r, 8, "econ:公用经费合计", m.public)
        b.put(r + 1, 0, NOTES["basic"])
        for rows in blocks:
            for code in rows:
                if len(code) == 3:
                    b.rel("T06-1", [f"econ:{code}"], [f"econ:{k}" for k in rows if len(k) == 5 and k[:3] == code])
        b.rel("T06-2", ["econ:人员经费合计"], [f"econ:{c}" for c in cat.STAFF_CLASSES])
        b.rel("T06-2", ["econ:公用经费合计"], [f"econ:{c}" for c in cat.PUBLIC_CLASSES])
        return b

    # ---- 三公 ------------------------------------------------------------------------------------
    def sangong(self) -> Block:
        m = self.m
        b = self.block("sangong", 12)
        h = 3
        items = ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费"]

        def values(src: dict[str, int]) -> list[int]:
            car = src["公务用车购置费"] + src["公务用车运行费"]
            total = src["因公出国（境）费"] + car + src["公务接待费"]
            return [total, src["因公出国（境）费"], car, src["公务用车购置费"], src["公务用车运行费"], src["公务接待费"]]

        kinds = [("预算数", values(m.sangong_budget)), ("决算数", values(m.sangong_actual))]
        cells: list[tuple[int, str, str, int]] = []  # col, item, kind, value
        if self.lay.sangong_layout == "grouped":
            for g, (kname, vals) in enumerate(kinds):
                o = 6 * g
                b.put(h, o, kname, (1, 6))
                b.put(h + 1, o, "合计", (2, 1))
                b.put(h + 1, o + 1, "因公出国（境）费", (2, 1))
                b.put(h + 1, o + 2, "公务用车购置及运行费", (1, 3))
                b.put(h + 2, o + 2, "小计")
                b.put(h + 2, o + 3, "公务用车购置费")
                b.put(h + 2, o + 4, "公务用车运行费")
                b.put(h + 1, o + 5, "公务接待费", (2, 1))
                cells += [(o + i, items[i], kname, vals[i]) for i in range(6)]
        else:
            b.put(h, 0, "合计", (2, 2))
            b.put(h, 2, "因公出国（境）费", (2, 2))
            b.put(h, 4, "公务用车购置及运行费", (1, 6))
            b.put(h + 1, 4, "小计", (1, 2))
            b.put(h + 1, 6, "公务用车购置费", (1, 2))
            b.put(h + 1, 8, "公务用车运行费", (1, 2))
            b.put(h, 10, "公务接待费", (2, 2))
            for i in range(6):
                for g, (kname, vals) in enumerate(kinds):
                    b.put(h + 2, 2 * i + g, kname)
                    cells.append((2 * i + g, items[i], kname, vals[i]))
        for c in range(12):  # 栏次 row, below three header rows in both layouts
            b.put(h + 3, c, c + 1)
        r = h + 4
        for c, item, kname, v in cells:
            self.amount(b, r, c, f"sangong:{item}:{kname}", v)
        b.put(r + 1, 0, NOTES["sangong"].replace("当年财政拨款", "当年一般公共预算财政拨款")
              if self.era == "2018" else NOTES["sangong"])
        for kname in ("预算数", "决算数"):
            b.rel("T07-1", [f"sangong:合计:{kname}"], [f"sangong:{i}:{kname}" for i in
                                                       ("因公出国（境）费", "公务用车购置及运行费", "公务接待费")])
            b.rel("T07-2", [f"sangong:公务用车购置及运行费:{kname}"],
                  [f"sangong:公务用车购置费:{kname}", f"sangong:公务用车运行费:{kname}"])
        return b


NOTES_FISCAL = {
    "2018": "注：本表反映部门本年度一般公共预算财政拨款和政府性基金预算财政拨款的总收支和年末结转结余情况。",
    "2020+": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的"
             "总收支和年末结转结余情况。",
}


def cross_relations(era: str, numbers: dict[str, str], m: Model, lay: Layout) -> list[RoleRel]:
    """Cross-table identities X-1 … X-10 (domain §2.2) over roles."""
    n = numbers
    out: list[RoleRel] = []

    def rel(rid: str, lhs: list[RoleKey], rhs: list[RoleKey], op: str = "=") -> None:
        out.append(RoleRel(rid, tuple(lhs), tuple(rhs), op))

    s, i, e, f, g, bs, sg = (n["summary"], n["income"], n["expense"], n["fiscal"], n["general"], n["basic"],
                             n["sangong"])
    fund = n["fund"]
    funds = FUNDS_2018 if era == "2018" else FUNDS_2020
    fiscal_lines = (["财政拨款收入"] if era == "2018" else
                    ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"])
    rel("X-1", [(i, "row:合计:本年收入合计")], [(s, "income:本年收入合计")])
    rel("X-1", [(i, "row:合计:财政拨款收入")], [(s, f"income:{x}") for x in fiscal_lines])
    for src in ["上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]:
        rel("X-1", [(i, f"row:合计:{src}")], [(s, f"income:{src}")])
    rel("X-2", [(e, "row:合计:本年支出合计")], [(s, "expense:本年支出合计")])
    for code, _ in cat.classes(era, m.year):
        rel("X-2", [(s, f"expense:{code}")], [(e, f"row:{code}:本年支出合计")])
        rel("X-4", [(f, f"expense:{code}:一般公共预算财政拨款")], [(g, f"row:{code}:合计")])
        rel("X-6", [(f, f"expense:{code}:政府性基金预算财政拨款")], [(fund, f"row:{code}:本年支出合计")])
        if era != "2018":
            rel("X-6", [(f, f"expense:{code}:国有资本经营预算财政拨款")], [(n["soe"], f"row:{code}:本年支出合计")])
    rel("X-3", [(f, "income:本年收入合计")], [(i, "row:合计:财政拨款收入")])
    if era != "2018":
        for line, fcol in zip(fiscal_lines, funds, strict=True):
            rel("X-3", [(f, f"income:{fcol}")], [(s, f"income:{line}")])
    rel("X-4", [(f, "expense:本年支出合计:一般公共预算财政拨款")], [(g, "row:合计:合计")])
    rel("X-5", [(g, "row:合计:基本支出")], [(bs, "econ:人员经费合计"), (bs, "econ:公用经费合计")])
    fcol = "政府性基金预算财政拨款"
    rel("X-6", [(f, f"income:{fcol}")], [(fund, "row:合计:本年收入")])
    rel("X-6", [(f, f"expense:本年支出合计:{fcol}")], [(fund, "row:合计:本年支出合计")])
    rel("X-6", [(f, f"income:年初:{fcol}")], [(fund, "row:合计:年初结转和结余")])
    rel("X-6", [(f, f"expense:年末财政拨款结转和结余:{fcol}")], [(fund, "row:合计:年末结转和结余")])
    if era != "2018":
        rel("X-6", [(f, "expense:本年支出合计:国有资本经营预算财政拨款")], [(n["soe"], "row:合计:本年支出合计")])
    for code in sorted({lf.code[:k] for lf in m.of("gen") if lf.fiscal_expense for k in (3, 5, 7)}) + ["合计"]:
        for c03, c05 in [("本年支出合计", "合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")]:
            rel("X-8", [(g, f"row:{code}:{c05}")], [(e, f"row:{code}:{c03}")], "<=")
    rel("X-9", [(f, "income:年初财政拨款结转和结余")], [(s, "income:年初结转和结余")], "<=")
    rel("X-9", [(f, "expense:年末财政拨款结转和结余:合计")], [(s, "expense:年末结转和结余")], "<=")
    rel("X-9", [(f, "expense:本年支出合计:合计")], [(s, "expense:本年支出合计")], "<=")
    for econ, item in [("30217", "公务接待费"), ("30231", "公务用车运行费"), ("30212", "因公出国（境）费"),
                       ("31013", "公务用车购置费")]:
        rel("X-10", [(bs, f"econ:{econ}")], [(sg, f"sangong:{item}:决算数")], "<=")
    return out
