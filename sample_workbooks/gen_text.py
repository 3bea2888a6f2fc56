"""The 情况说明 of a generated department: one paragraph per row, every number recorded as a `Claim`.

Claims are correct by construction: shares and completion rates are computed from the printed values
(table values for shares, the text's own amounts for rates and completions) and rounded half-up.
Operands (`num`, `den`) let a test recompute each claim; `cells` point at the table cells behind it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import cn2an

from . import catalogue as cat
from .model import Model, Scale, q2

CellKey = tuple[str, str]  # (sheet, A1)


@dataclass(frozen=True)
class Claim:
    """A number written in the text.

    kind: amount | change | rate | share | completion | count | year.
    value: the number as written; amounts are in 万元. For share/completion value = num / den × 100,
    for change value = |num − den| and for rate value = |num − den| / den × 100 (num = this year,
    den = prior year, both 万元). For amount claims num is the table value (table unit) when `cells` is
    set. `cells` are the table cells behind num (and den for shares).
    """

    kind: str
    label: str
    printed: str
    value: Decimal
    decimals: int
    start: int
    end: int
    num: Decimal | None = None
    den: Decimal | None = None
    cells: tuple[CellKey, ...] = ()


@dataclass
class Paragraph:
    cell: str  # A1 address in the text sheet
    text: str
    claims: list[Claim] = field(default_factory=list)


def pct(num: Decimal, den: Decimal, d: int) -> Decimal:
    return (num * 100 / den).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


class Para:
    """Builds one paragraph and the offsets of its claims."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.claims: list[Claim] = []

    def t(self, s: str) -> Para:
        self.parts.append(s)
        self.n += len(s)
        return self

    def c(self, kind: str, label: str, printed: str, value: Decimal, decimals: int, **kw) -> Para:
        self.claims.append(Claim(kind, label, printed, value, decimals, self.n, self.n + len(printed), **kw))
        return self.t(printed)

    @property
    def text(self) -> str:
        return "".join(self.parts)


Lookup = Callable[[str, str], tuple[CellKey, Decimal] | None]  # (table kind, role) -> (cell, printed value)


class TextWriter:
    def __init__(self, m: Model, rng: random.Random, look: Lookup, thousands: bool, chinese: bool):
        self.m = m
        self.rng = rng
        self.look = look
        self.scale: Scale = m.scale
        self.thousands = thousands
        self.chinese = chinese
        self.paras: list[Para] = []
        self.y = m.year

    # ---- number writers ---------------------------------------------------------------------------
    def p(self, text: str = "") -> Para:
        para = Para().t(text)
        self.paras.append(para)
        return para

    def fmt(self, v: Decimal) -> tuple[str, int]:
        """An amount as the text writes it: 2 decimals, or none when integral, rarely in 中文数字."""
        if self.chinese and v == v.to_integral_value() and 0 < v < 100 and self.rng.random() < 0.2:
            return cn2an.an2cn(int(v)), 0
        if v == v.to_integral_value() and self.rng.random() < 0.5:
            return (f"{int(v):,}" if self.thousands else str(int(v))), 0
        return (f"{v:,.2f}" if self.thousands else f"{v:.2f}"), 2

    def cell(self, kind: str, role: str) -> tuple[CellKey | None, Decimal]:
        hit = self.look(kind, role)
        return (None, Decimal(0)) if hit is None else hit

    def amt(self, p: Para, label: str, kind: str, role: str) -> Decimal:
        """Write a table amount in 万元; returns the 万元 value written."""
        key, v = self.cell(kind, role)
        w = self.scale.to_wan(v)
        printed, d = self.fmt(w)
        p.c("amount", label, printed, w, d, num=v, cells=(key,) if key else ())
        return w

    def text_amt(self, p: Para, label: str, w: Decimal) -> None:
        printed, d = self.fmt(w)
        p.c("amount", label, printed, w, d)

    def share(self, p: Para, label: str, num: tuple[CellKey | None, Decimal],
              den: tuple[CellKey | None, Decimal]) -> None:
        d = 2
        v = pct(num[1], den[1], d)
        cells = tuple(k for k in (num[0], den[0]) if k)
        p.c("share", label, f"{v}", v, d, num=num[1], den=den[1], cells=cells)

    def ratio(self, p: Para, kind: str, label: str, num: Decimal, den: Decimal) -> None:
        d = 1 if self.rng.random() < 0.3 else 2
        v = pct(num, den, d)
        p.c(kind, label, f"{v}", v, d, num=num, den=den)

    def year(self, p: Para, label: str, y: int) -> None:
        p.c("year", label, str(y), Decimal(y), 0)

    def count(self, p: Para, label: str, n: int) -> None:
        if self.chinese and n > 0 and self.rng.random() < 0.4:
            p.c("count", label, cn2an.an2cn(n), Decimal(n), 0)
        else:
            p.c("count", label, str(n), Decimal(n), 0)

    def prior(self, cur: Decimal, same: float = 0.1) -> Decimal:
        if self.rng.random() < same:
            return cur
        return q2(cur * Decimal(str(round(self.rng.uniform(0.75, 1.3), 4))))

    def versus(self, p: Para, label: str, subject: str, cur: Decimal, prior: Decimal, each: bool = False) -> None:
        """'与上年度相比，…增加X万元，增长Y%。' (or 持平)."""
        p.t("与")
        self.year(p, f"{label}:上年", self.y - 1)
        if cur == prior:
            p.t(f"年度相比，{subject}持平。")
            return
        up = cur > prior
        p.t(f"年度相比，{subject}{'各' if each else ''}{'增加' if up else '减少'}")
        diff = abs(cur - prior)
        printed, d = self.fmt(diff)
        p.c("change", f"{label}:增减额", printed, diff, d, num=cur, den=prior)
        p.t(f"万元，{'增长' if up else '下降'}")
        d = 1 if self.rng.random() < 0.3 else 2
        rate = pct(diff, prior, d)
        p.c("rate", f"{label}:增减率", f"{rate}", rate, d, num=cur, den=prior)
        p.t("%。")
        p.t("主要原因是" + self.rng.choice(REASONS_UP if up else REASONS_DOWN) + "。")

    # ---- sections ---------------------------------------------------------------------------------
    def write(self) -> list[Para]:
        m = self.m
        self.p(f"{m.department}{self.y}年度部门决算情况说明")
        self.overall()
        self.income()
        self.expense()
        self.fiscal()
        self.general()
        self.basic()
        self.sangong()
        self.fund()
        n = 9
        if m.era != "2018":
            self.soe()
            n = 10
        self.p(f"{cat.cn_ordinal(n)}、预算绩效管理情况说明")
        p = self.p("本部门按要求对")
        self.count(p, "绩效自评项目数", self.rng.randint(1, 12))
        p.t("个项目开展了绩效自评，自评结果已随部门决算一并公开。")
        self.other(cat.cn_ordinal(n + 1))
        self.p("名词解释")
        for line in GLOSSARY:
            self.p(line)
        return self.paras

    def overall(self) -> None:
        self.p("一、收入支出决算总体情况说明")
        p = self.p()
        self.year(p, "一:本年", self.y)
        p.t("年度收入、支出决算总计")
        k1, v = self.cell("summary", "income:总计")
        k2, _ = self.cell("summary", "expense:总计")
        w = self.scale.to_wan(v)
        printed, d = self.fmt(w)
        p.c("amount", "一:收入支出总计", printed, w, d, num=v, cells=tuple(k for k in (k1, k2) if k))
        p.t("万元。")
        self.versus(p, "一:收入支出总计", "收入、支出决算总计", w, self.prior(w), each=True)

    def income(self) -> None:
        self.p("二、收入决算情况说明")
        p = self.p()
        self.year(p, "二:本年", self.y)
        p.t("年度本年收入合计")
        self.amt(p, "二:本年收入合计", "summary", "income:本年收入合计")
        total = self.cell("summary", "income:本年收入合计")
        lines = (["财政拨款收入"] if self.m.era == "2018" else
                 ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"])
        lines += ["上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        items = [(x, self.cell("summary", f"income:{x}")) for x in lines]
        items = [(x, kv) for x, kv in items if kv[1]]
        p.t("万元，其中：")
        for i, (x, kv) in enumerate(items):
            p.t(x)
            self.amt(p, f"二:{x}", "summary", f"income:{x}")
            p.t("万元，占")
            self.share(p, f"二:{x}:占比", kv, total)
            p.t("%" + ("；" if i < len(items) - 1 else "。"))

    def expense(self) -> None:
        self.p("三、支出决算情况说明")
        p = self.p()
        self.year(p, "三:本年", self.y)
        p.t("年度本年支出合计")
        self.amt(p, "三:本年支出合计", "expense", "row:合计:本年支出合计")
        total = self.cell("expense", "row:合计:本年支出合计")
        cols = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        items = [(x, self.cell("expense", f"row:合计:{x}")) for x in cols]
        items = [(x, kv) for x, kv in items if kv[1]]
        p.t("万元，其中：")
        for i, (x, kv) in enumerate(items):
            p.t(x)
            self.amt(p, f"三:{x}", "expense", f"row:合计:{x}")
            p.t("万元，占")
            self.share(p, f"三:{x}:占比", kv, total)
            p.t("%" + ("；" if i < len(items) - 1 else "。"))

    def fiscal(self) -> None:
        self.p("四、财政拨款收入支出决算总体情况说明")
        p = self.p()
        self.year(p, "四:本年", self.y)
        p.t("年度财政拨款收入、支出决算总计")
        w = self.amt(p, "四:财政拨款收支总计", "fiscal", "income:总计")
        p.t("万元。")
        self.versus(p, "四:财政拨款收支总计", "财政拨款收入、支出决算总计", w, self.prior(w), each=True)

    def general(self) -> None:
        m = self.m
        self.p("五、一般公共预算财政拨款支出决算情况说明")
        self.p("（一）一般公共预算财政拨款支出决算总体情况")
        p = self.p()
        self.year(p, "五:本年", self.y)
        p.t("年度一般公共预算财政拨款支出")
        total = self.cell("general", "row:合计:合计")
        w = self.amt(p, "五(一):一般公共预算财政拨款支出", "general", "row:合计:合计")
        p.t("万元，占本年支出合计的")
        self.share(p, "五(一):占本年支出合计", total, self.cell("summary", "expense:本年支出合计"))
        p.t("%。")
        self.versus(p, "五(一):一般公共预算财政拨款支出", "一般公共预算财政拨款支出", w, self.prior(w))

        self.p("（二）一般公共预算财政拨款支出决算结构情况")
        p = self.p()
        self.year(p, "五(二):本年", self.y)
        p.t("年度一般公共预算财政拨款支出")
        self.amt(p, "五(二):一般公共预算财政拨款支出", "general", "row:合计:合计")
        p.t("万元，主要用于以下方面：")
        codes = sorted({lf.code for lf in m.of("gen") if lf.fiscal_expense})
        classes = sorted({c[:3] for c in codes})
        for i, cls in enumerate(classes):
            p.t(f"{m.names[cls].removesuffix('支出')}（类）支出")
            self.amt(p, f"五(二):{cls}", "general", f"row:{cls}:合计")
            p.t("万元，占")
            self.share(p, f"五(二):{cls}:占比", self.cell("general", f"row:{cls}:合计"), total)
            p.t("%" + ("；" if i < len(classes) - 1 else "。"))

        self.p("（三）一般公共预算财政拨款支出决算具体情况")
        actual = {c: self.scale.to_wan(self.cell("general", f"row:{c}:合计")[1]) for c in codes}
        budget = {c: (v if self.rng.random() < 0.15 else
                      max(Decimal("0.01"), q2(v * Decimal(str(round(self.rng.uniform(0.7, 1.25), 4))))))
                  for c, v in actual.items()}
        p = self.p()
        self.year(p, "五(三):本年", self.y)
        p.t("年度一般公共预算财政拨款支出年初预算为")
        b_total = sum(budget.values(), Decimal(0))
        self.text_amt(p, "五(三):年初预算", b_total)
        p.t("万元，支出决算为")
        self.amt(p, "五(三):支出决算", "general", "row:合计:合计")
        p.t("万元，完成年初预算的")
        self.ratio(p, "completion", "五(三):完成年初预算", w, b_total)
        p.t("%。其中：")
        for i, c in enumerate(codes):
            p = self.p(f"{i + 1}.{m.names[c[:3]]}（类）{m.names[c[:5]]}（款）{m.names[c]}（项）：年初预算为")
            self.text_amt(p, f"五(三):{c}:年初预算", budget[c])
            p.t("万元，支出决算为")
            self.amt(p, f"五(三):{c}:支出决算", "general", f"row:{c}:合计")
            p.t("万元，完成年初预算的")
            self.ratio(p, "completion", f"五(三):{c}:完成年初预算", actual[c], budget[c])
            if actual[c] == budget[c]:
                p.t("%，决算数与年初预算数持平。")
            else:
                p.t("%，决算数" + ("大于" if actual[c] > budget[c] else "小于") + "年初预算数的主要原因是"
                    + self.rng.choice(REASONS_UP if actual[c] > budget[c] else REASONS_DOWN) + "。")

    def basic(self) -> None:
        m = self.m
        self.p("六、一般公共预算财政拨款基本支出决算情况说明")
        p = self.p()
        self.year(p, "六:本年", self.y)
        p.t("年度一般公共预算财政拨款基本支出")
        self.amt(p, "六:基本支出", "general", "row:合计:基本支出")
        total = self.cell("general", "row:合计:基本支出")
        p.t("万元，其中：人员经费")
        self.amt(p, "六:人员经费", "basic", "econ:人员经费合计")
        p.t("万元，占")
        self.share(p, "六:人员经费:占比", self.cell("basic", "econ:人员经费合计"), total)
        p.t("%，主要包括" + _top(m, ("301", "303")) + "；公用经费")
        self.amt(p, "六:公用经费", "basic", "econ:公用经费合计")
        p.t("万元，占")
        self.share(p, "六:公用经费:占比", self.cell("basic", "econ:公用经费合计"), total)
        p.t("%，主要包括" + _top(m, ("302", "310", "399")) + "。")

    def sangong(self) -> None:
        m = self.m
        scope = "一般公共预算财政拨款" if m.era == "2018" else "财政拨款"
        self.p(f"七、{scope}“三公”经费支出决算情况说明")
        self.p("（一）“三公”经费财政拨款支出决算总体情况说明")

        def sg(item: str, kind: str) -> tuple[CellKey | None, Decimal]:
            return self.cell("sangong", f"sangong:{item}:{kind}")

        tb, ta = sg("合计", "预算数"), sg("合计", "决算数")
        if tb[1] == 0 and ta[1] == 0:
            p = self.p("本部门")
            self.year(p, "七:本年", self.y)
            p.t("年度无“三公”经费财政拨款支出。")
            m.extra["sangong_none"] = True
            return
        p = self.p()
        self.year(p, "七:本年", self.y)
        p.t("年度“三公”经费财政拨款支出预算为")
        bw = self.amt(p, "七:三公:预算数", "sangong", "sangong:合计:预算数")
        p.t("万元，支出决算为")
        aw = self.amt(p, "七:三公:决算数", "sangong", "sangong:合计:决算数")
        p.t("万元")
        if bw:
            p.t("，完成预算的")
            self.ratio(p, "completion", "七:三公:完成预算", aw, bw)
            p.t("%")
        p.t("。其中：")
        items = [("因公出国（境）费", "因公出国（境）费"), ("公务用车购置费", "公务用车购置费"),
                 ("公务用车运行费", "公务用车运行维护费"), ("公务接待费", "公务接待费")]
        for i, (item, said) in enumerate(items):
            p.t(f"{said}支出预算为")
            b = self.amt(p, f"七:{item}:预算数", "sangong", f"sangong:{item}:预算数")
            p.t("万元，支出决算为")
            a = self.amt(p, f"七:{item}:决算数", "sangong", f"sangong:{item}:决算数")
            p.t("万元")
            if b:
                p.t("，完成预算的")
                self.ratio(p, "completion", f"七:{item}:完成预算", a, b)
                p.t("%")
            p.t("；" if i < len(items) - 1 else "。")
        if aw != bw:
            p.t("决算数" + ("大于" if aw > bw else "小于") + "预算数的主要原因是"
                + self.rng.choice(["严格执行中央八项规定精神，厉行节约", "压减一般性支出", "公务活动有所增加"]) + "。")
        if aw:
            self.versus(p, "七:三公决算", "“三公”经费财政拨款支出决算", aw, self.prior(aw, same=0.05))

        self.p("（二）“三公”经费财政拨款支出决算具体情况说明")
        if aw:
            p = self.p()
            self.year(p, "七(二):本年", self.y)
            p.t("年度“三公”经费财政拨款支出决算中，")
            parts = [("因公出国（境）费", "因公出国（境）费"), ("公务用车购置及运行费", "公务用车购置及运行维护费"),
                     ("公务接待费", "公务接待费")]
            for i, (item, said) in enumerate(parts):
                p.t(f"{said}支出决算")
                self.amt(p, f"七(二):{item}", "sangong", f"sangong:{item}:决算数")
                p.t("万元，占")
                self.share(p, f"七(二):{item}:占比", sg(item, "决算数"), ta)
                p.t("%" + ("；" if i < 2 else "。具体情况如下："))
        a_abroad = self.scale.to_wan(sg("因公出国（境）费", "决算数")[1])
        p = self.p("1.因公出国（境）费支出")
        self.amt(p, "七(二):因公出国（境）费:决算数", "sangong", "sangong:因公出国（境）费:决算数")
        if a_abroad:
            groups = self.rng.randint(1, 3)
            p.t("万元，全年安排因公出国（境）团组")
            self.count(p, "出国团组数", groups)
            p.t("个，累计")
            self.count(p, "出国人次", groups * self.rng.randint(2, 6))
            p.t("人次。")
        else:
            p.t("万元，全年未安排因公出国（境）团组。")
        buy = sg("公务用车购置费", "决算数")[1]
        run = sg("公务用车运行费", "决算数")[1]
        p = self.p("2.公务用车购置及运行维护费支出")
        self.amt(p, "七(二):公务用车购置及运行费:决算数", "sangong", "sangong:公务用车购置及运行费:决算数")
        p.t("万元。其中：公务用车购置费")
        self.amt(p, "七(二):公务用车购置费:决算数", "sangong", "sangong:公务用车购置费:决算数")
        if buy:
            p.t("万元，购置车辆")
            self.count(p, "购置车辆数", self.rng.randint(1, 2))
            p.t("辆；")
        else:
            p.t("万元，本年度未购置公务用车；")
        p.t("公务用车运行维护费")
        self.amt(p, "七(二):公务用车运行费:决算数", "sangong", "sangong:公务用车运行费:决算数")
        p.t("万元，主要用于公务用车燃料费、维修费、过路过桥费、保险费等支出。截至")
        self.year(p, "七(二):保有量日期", self.y)
        p.t("年12月31日，公务用车保有量为")
        keep = self.rng.randint(1, 12) if (buy or run) else 0
        m.extra["vehicles_kept"] = keep
        self.count(p, "公务用车保有量", keep)
        p.t("辆。")
        recep = sg("公务接待费", "决算数")[1]
        p = self.p("3.公务接待费支出")
        self.amt(p, "七(二):公务接待费:决算数", "sangong", "sangong:公务接待费:决算数")
        if recep:
            batches = self.rng.randint(5, 120)
            p.t("万元，全年共接待国内来访")
            self.count(p, "接待批次", batches)
            p.t("批次、")
            self.count(p, "接待人次", batches * self.rng.randint(3, 10))
            p.t("人次；未发生外事接待支出。")
        else:
            p.t("万元，本年度未发生公务接待支出。")

    def fund(self) -> None:
        m = self.m
        self.p("八、政府性基金预算财政拨款收入支出决算情况说明")
        if not m.of("fund"):
            p = self.p("本部门")
            self.year(p, "八:本年", self.y)
            p.t("年度无政府性基金预算财政拨款收入和支出。")
            return
        p = self.p()
        self.year(p, "八:本年", self.y)
        p.t("年度政府性基金预算财政拨款收入")
        self.amt(p, "八:本年收入", "fund", "row:合计:本年收入")
        p.t("万元，支出")
        self.amt(p, "八:本年支出", "fund", "row:合计:本年支出合计")
        p.t("万元，年末结转和结余")
        self.amt(p, "八:年末结转和结余", "fund", "row:合计:年末结转和结余")
        p.t("万元。其中：")
        leaves = [lf for lf in m.of("fund") if lf.fiscal_expense]
        for i, lf in enumerate(leaves):
            p.t(f"{m.names[lf.code]}（项）")
            self.amt(p, f"八:{lf.code}", "fund", f"row:{lf.code}:本年支出合计")
            p.t("万元" + ("；" if i < len(leaves) - 1 else "。"))
        if not leaves:
            p.t("本年度无支出。")

    def soe(self) -> None:
        m = self.m
        self.p("九、国有资本经营预算财政拨款支出决算情况说明")
        if not m.of("soe"):
            p = self.p("本部门")
            self.year(p, "九:本年", self.y)
            p.t("年度无国有资本经营预算财政拨款支出。")
            return
        p = self.p()
        self.year(p, "九:本年", self.y)
        p.t("年度国有资本经营预算财政拨款支出")
        self.amt(p, "九:本年支出", "soe", "row:合计:本年支出合计")
        p.t("万元。其中：")
        leaves = m.of("soe")
        for i, lf in enumerate(leaves):
            p.t(f"{m.names[lf.code]}（项）")
            self.amt(p, f"九:{lf.code}", "soe", f"row:{lf.code}:本年支出合计")
            p.t("万元" + ("；" if i < len(leaves) - 1 else "。"))

    def other(self, n: str) -> None:
        m = self.m
        self.p(f"{n}、其他重要事项的情况说明")
        self.p("（一）机关运行经费支出情况")
        p = self.p("本部门")
        self.year(p, "机关运行经费:本年", self.y)
        p.t("年度机关运行经费支出")
        w = self.amt(p, "机关运行经费", "basic", "econ:公用经费合计")
        p.t("万元。")
        self.versus(p, "机关运行经费", "机关运行经费支出", w, self.prior(w))
        if m.era == "2018":
            p = self.p("本部门")
            self.year(p, "一般性支出:本年", self.y)
            p.t("年度开支会议费")
            self.amt(p, "会议费", "basic", "econ:30215")
            p.t("万元，培训费")
            self.amt(p, "培训费", "basic", "econ:30216")
            p.t("万元。")

        self.p("（二）政府采购支出情况")
        p = self.p("本部门")
        self.year(p, "政府采购:本年", self.y)
        if self.rng.random() < 0.15:
            p.t("年度无政府采购支出。")
        else:
            parts = [q2(Decimal(self.rng.randint(0, 40000)) / 100) if self.rng.random() < 0.8 else Decimal(0)
                     for _ in range(3)]
            if not any(parts):
                parts[0] = Decimal("12.50")
            total = sum(parts, Decimal(0))
            sme = q2(total * Decimal(str(round(self.rng.uniform(0.5, 1.0), 4))))
            small = q2(sme * Decimal(str(round(self.rng.uniform(0.3, 0.9), 4))))
            p.t("年度政府采购支出总额")
            self.text_amt(p, "政府采购:总额", total)
            p.t("万元，其中：政府采购货物支出")
            self.text_amt(p, "政府采购:货物", parts[0])
            p.t("万元、政府采购工程支出")
            self.text_amt(p, "政府采购:工程", parts[1])
            p.t("万元、政府采购服务支出")
            self.text_amt(p, "政府采购:服务", parts[2])
            p.t("万元。授予中小企业合同金额")
            self.text_amt(p, "政府采购:中小企业", sme)
            p.t("万元，占政府采购支出总额的")
            self.share(p, "政府采购:中小企业:占比", (None, sme), (None, total))
            p.t("%，其中：授予小微企业合同金额")
            self.text_amt(p, "政府采购:小微企业", small)
            p.t("万元，占政府采购支出总额的")
            self.share(p, "政府采购:小微企业:占比", (None, small), (None, total))
            p.t("%。")

        self.p("（三）国有资产占用情况")
        p = self.p("截至")
        self.year(p, "国有资产:日期", self.y)
        keep = int(m.extra.get("vehicles_kept", 0))
        special = self.rng.randint(0, 3)
        cats = VEHICLES_2018 if m.era == "2018" else VEHICLES_2020
        rest = [c for c in cats if c != "特种专业技术用车"]
        counts = dict.fromkeys(cats, 0)
        for _ in range(keep):
            counts[self.rng.choice(rest)] += 1
        counts["特种专业技术用车"] = special
        p.t("年12月31日，本部门共有车辆")
        self.count(p, "车辆总数", keep + special)
        p.t("辆，其中：")
        for i, c in enumerate(cats):
            p.t(c)
            self.count(p, f"车辆:{c}", counts[c])
            p.t("辆" + ("、" if i < len(cats) - 1 else "；"))
        p.t("单价50万元以上通用设备")
        self.count(p, "通用设备", self.rng.randint(0, 3))
        p.t("台（套），单价100万元以上专用设备")
        self.count(p, "专用设备", self.rng.randint(0, 2))
        p.t("台（套）。")


def _top(m: Model, classes: tuple[str, ...], n: int = 5) -> str:
    """Names of the largest 款 in the given 经济分类 类 (the 主要包括 list)."""
    rows = sorted(((v, k) for k, v in m.econ.items() if v and k[:3] in classes), reverse=True)[:n]
    return "、".join(cat.ECON_NAMES[k] for _, k in rows) or "无"


VEHICLES_2018 = ["部级领导干部用车", "一般公务用车", "一般执法执勤用车", "特种专业技术用车", "其他用车"]
VEHICLES_2020 = ["主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车",
                 "离退休干部服务用车", "其他用车"]
REASONS_UP = ["人员经费及重点项目支出增加", "新增专项工作任务", "上年结转资金在本年使用"]
REASONS_DOWN = ["严格落实过紧日子要求，压减一般性支出", "部分项目完成后不再安排", "项目支出减少"]
GLOSSARY = [
    "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "四、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "五、机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项公用经费。",
]
