"""绩效 indicators the 评价表 defines by formula, and their scoring rules.

The scoring rule (评价标准) is parsed from the table's own text — bands ('10-20%（含），计3分')
or a threshold with deductions ('100%以下（含）计满分，每超出1%扣1分'). How each indicator is
computed, and from which figures of the 基础数据表 or the report text, is declared here as
data (`INDICATORS`), because the 指标说明 prose names inputs the document may not print.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from checks.text.claims import Claim, Kind
from checks.text.groups import ClaimGroups
from checks.text.interval import HUNDRED, Interval, round_half_up
from checks.text.paragraphs import Paragraph
from checks.text.perf_tables import BaseData, Fact, precompile

_N = r"(-?\d+(?:\.\d+)?)"
# the 评价标准 grammar, compiled at import (a CJK character class costs a 64K table while compiling)
_ZERO_BAND = re.compile(rf"=\s*0\s*[，,]?\s*计{_N}分")
_RANGE_BAND = re.compile(rf"{_N}%?[-－~至]{_N}%[（(]含[）)][，,]?计{_N}分")
_ABOVE_NOTHING = re.compile(rf"(?:大于|超过|高于|＞|>){_N}%(?:不得分|计0分)")
_THRESHOLDS = tuple(
    re.compile(rx)
    for rx in (
        rf"(?:≦|≤|<=|＜＝|不超过){_N}",
        rf"{_N}%以下[（(]含[）)]",
        rf"^{_N}%计满分",
        rf"以{_N}%为标准",
    )
)
_DEDUCTION = re.compile(
    rf"每(超过[（(]降低[）)]|超过|超出|高于|低于|降低)(一个百分点|{_N}(?:%|个百分点))扣{_N}分"
)


# Band, Scoring and the indicator inputs and results below are values, but not frozen: a frozen
# dataclass builds several times slower, and they are made on every run; nothing assigns to one,
# and unsafe_hash keeps the hash a frozen one would have.
@dataclass(slots=True, unsafe_hash=True)
class Band:
    lo: Decimal | None
    lo_incl: bool
    hi: Decimal | None
    hi_incl: bool
    points: Decimal

    def meets(self, iv: Interval) -> bool:
        if self.lo is not None and (iv.hi < self.lo or (iv.hi == self.lo and not self.lo_incl)):
            return False
        if self.hi is not None and (iv.lo > self.hi or (iv.lo == self.hi and not self.hi_incl)):
            return False
        return True


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class Scoring:
    full: Decimal
    text: str  # the rule as the table states it
    bands: tuple[Band, ...] = ()
    threshold: Decimal | None = None
    side: str = ""  # above / below / both: which way from the threshold costs points
    step: Decimal = Decimal(1)
    per_step: Decimal = Decimal(0)

    def score_range(self, rate: Interval) -> tuple[Decimal, Decimal] | None:
        """Lowest and highest score the rule allows for any rate in the interval.

        Deductions per step are read three ways (proportional, whole steps, any started step);
        the table score must fall within the range they span.
        """
        if self.bands:
            pts = [b.points for b in self.bands if b.meets(rate)]
            return (min(pts), max(pts)) if pts else None
        if self.threshold is None:
            return None
        t = self.threshold
        if self.side == "above":
            dists = [max(Decimal(0), rate.lo - t), max(Decimal(0), rate.hi - t)]
        elif self.side == "below":
            dists = [max(Decimal(0), t - rate.hi), max(Decimal(0), t - rate.lo)]
        else:
            near = Decimal(0) if rate.contains(t) else min(abs(rate.lo - t), abs(rate.hi - t))
            dists = [near, max(abs(rate.lo - t), abs(rate.hi - t))]
        scores = []
        for d in dists:
            n = d / self.step
            for k in (n, Decimal(math.floor(n)), Decimal(math.ceil(n))):
                scores.append(max(Decimal(0), self.full - k * self.per_step))
        return min(scores), max(scores)


def parse_scoring(text: str, full: Decimal) -> Scoring | None:
    """A 评价标准 text -> Scoring, or None when it is not a rate rule (e.g. 'has a 制度, 2分')."""
    t = "".join(text.split())
    bands: list[Band] = []
    for m in _ZERO_BAND.finditer(t):
        bands.append(Band(Decimal(0), True, Decimal(0), True, Decimal(m.group(1))))
    for m in _RANGE_BAND.finditer(t):
        bands.append(Band(Decimal(m.group(1)), False, Decimal(m.group(2)), True, Decimal(m.group(3))))
    for m in _ABOVE_NOTHING.finditer(t):
        bands.append(Band(Decimal(m.group(1)), False, None, False, Decimal(0)))
    if len(bands) >= 2:
        return Scoring(full, text.strip(), tuple(bands))
    thr = None
    for rx in _THRESHOLDS:
        m = rx.search(t)
        if m:
            thr = Decimal(m.group(1))
            break
    ded = _DEDUCTION.search(t)
    if thr is None or not ded:
        return None
    word = ded.group(1)
    side = (
        "both" if "降低）" in word or "降低)" in word else ("below" if word in ("低于", "降低") else "above")
    )
    step = Decimal(1) if ded.group(2) == "一个百分点" else Decimal(ded.group(3))
    if step <= 0:  # '每超过0%扣1分' states no rule a score can be recomputed from
        return None
    return Scoring(full, text.strip(), threshold=thr, side=side, step=step, per_step=Decimal(ded.group(4)))


# --- indicator inputs --------------------------------------------------------------------------


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class Operand:
    label: str  # as the message names it, e.g. '2018年决算数'
    value: Decimal
    decimals: int
    fact: Fact | None = None  # where it sits in the 基础数据表
    claim: Claim | None = None  # or in the text

    def interval(self) -> Interval:
        return Interval.printed(self.value, self.decimals)


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class Ratio:
    num: Operand
    den: Operand
    printed: Fact | None = None  # the rate as the 基础数据表 prints it, if it does


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class NoProject:
    reason: str


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class Missing:
    reason: str


Computed = Ratio | NoProject | Missing


@dataclass(slots=True, unsafe_hash=True)  # a value (see Band)
class PerfInputs:
    base: BaseData | None
    year: int | None
    claims: list[Claim]
    groups: ClaimGroups | None = None  # the claims grouped (by paragraph), when the caller has them


# 基础数据表 rows and columns named by the indicators below (compiled at import, see `precompile`)
_STAFF_ROW = r"财政供养|在职"
_SANGONG_ROW = r"^三公经费$"
_ADJUSTMENT_ROW = r"预算调整|追加"
_BUILDING_ROW = r"楼堂馆所"
_LAST_YEAR_BUDGET = r"上年.*预算"
precompile(_STAFF_ROW, r"在职人数", r"^编制数$", r"控制率", _SANGONG_ROW, _ADJUSTMENT_ROW, r".", _BUILDING_ROW,
           _LAST_YEAR_BUDGET)  # fmt: skip


def _fact(base: BaseData | None, label: str, header: str | tuple[str, ...]) -> Fact | None:
    return base.get(label, header) if base else None


def _op(f: Fact | None, label: str) -> Operand | None:
    if f is None or f.value is None:
        return None
    return Operand(label, f.value, f.decimals, fact=f)


def _row_ratio(label_rx: str, what: str) -> Callable[[PerfInputs], Computed]:
    """决算数 ÷ 预算数 of one 基础数据表 row for the report year."""
    precompile(label_rx)

    def compute(x: PerfInputs) -> Computed:
        y = x.year or (x.base.report_year() if x.base else None)
        if y is None:
            return Missing("未能确定报告年度")
        num = _op(_fact(x.base, label_rx, rf"{y}年决算数"), f"{what}{y}年决算数")
        den = _op(_fact(x.base, label_rx, rf"{y}年预算数"), f"{what}{y}年预算数")
        if num is None or den is None:
            return Missing(f"基础数据表未列{what}{y}年预算数或决算数")
        return Ratio(num, den)

    return compute


def _staff(x: PerfInputs) -> Computed:
    num = _op(_fact(x.base, _STAFF_ROW, r"在职人数"), "在职人数")
    den = _op(_fact(x.base, _STAFF_ROW, r"^编制数$"), "编制数")
    if num is None or den is None:
        return Missing("基础数据表未列在职人数或编制数")
    return Ratio(num, den, printed=_fact(x.base, _STAFF_ROW, r"控制率"))


def _sangong_change(x: PerfInputs) -> Computed:
    y = x.year or (x.base.report_year() if x.base else None)
    if y is None:
        return Missing("未能确定报告年度")
    cur = _fact(x.base, _SANGONG_ROW, rf"{y}年预算数")
    prev = _fact(x.base, _SANGONG_ROW, (rf"{y - 1}年预算数", _LAST_YEAR_BUDGET))
    if prev is None or prev.value is None or cur is None or cur.value is None:
        have = _fact(x.base, _SANGONG_ROW, rf"{y - 1}年决算数")
        final = _fact(x.base, _SANGONG_ROW, rf"{y}年决算数")
        extra = ""
        if have is not None and have.value and cur is not None and cur.value is not None:
            # what a reader can derive instead; reported, not scored (the formula asks for 预算数)
            extra = f"（只列了{y - 1}年决算数；{y}年预算数较之{_pct_change(cur.value, have.value)}"
            if final is not None and final.value is not None:
                extra += f"，{y}年决算数较之{_pct_change(final.value, have.value)}"
            extra += "）"
        return Missing(f"基础数据表未列上年度“三公经费”预算数{extra}")
    # (本年预算 − 上年预算) / 上年预算: the numerator is a difference of two printed figures
    diff = Operand(
        f"{y}年预算数−上年预算数", cur.value - prev.value, max(cur.decimals, prev.decimals), fact=cur
    )
    return Ratio(diff, Operand("上年预算数", prev.value, prev.decimals, fact=prev))


def _pct_change(now: Decimal, before: Decimal) -> str:
    pct = round_half_up((now - before) / before * HUNDRED, 2)
    return f"{'+' if pct >= 0 else ''}{pct}%"


def _budget_completion(x: PerfInputs) -> Computed:
    return Missing("文中及基础数据表未列上年结转、年末结余，无法计算预算完成率")


def _text_budget_adjustment(paragraphs: list[list[Claim]]) -> tuple[Claim, Claim] | None:
    """(年初预算, 本年追加) from '年初…支出预算1079万元， 2018年增加187.53万元' (`paragraphs`: the
    claims of each paragraph `_budget_paragraphs` keeps)."""
    for cs in paragraphs:
        for k, c in enumerate(cs):
            if c.kind == Kind.CHANGE and c.sign == 1 and c.compare_to is None and c.is_money:
                budgets = [b for b in cs[:k] if b.role == "budget" and b.is_money and not b.approx]
                if budgets:
                    base = next((b for b in reversed(budgets) if "支出" in b.subject), budgets[-1])
                    return base, c
    return None


def _budget_paragraphs(groups: ClaimGroups) -> list[list[Claim]]:
    """The claims of each 绩效 (or unplaced) paragraph that speaks of 年初, paragraphs in the order
    of their first claims."""
    return [cs for cs in groups.by_paragraph().values() if _speaks_of_budget(cs[0].paragraph)]


def _speaks_of_budget(p: Paragraph) -> bool:
    # (初 first: finding one character is several times faster than finding two, and 初 is rare)
    return p.part_kind in ("perf_overall", "perf_project", "") and "初" in p.text and "年初" in p.text


def _budget_control(x: PerfInputs) -> Computed:
    adj = _op(_fact(x.base, _ADJUSTMENT_ROW, r"."), "本年追加预算")
    groups = x.groups if x.groups is not None else ClaimGroups(x.claims)
    found = _text_budget_adjustment(_budget_paragraphs(groups))
    if found is None:
        return Missing("文中未找到年初预算与本年追加预算")
    base_c, add_c = found
    assert base_c.value is not None and add_c.value is not None
    den = Operand("年初预算", base_c.wan(), base_c.decimals, claim=base_c)
    if adj is not None and x.base is not None and x.base.unit == "元":
        adj = Operand(adj.label, adj.value / 10000, adj.decimals + 4, fact=adj.fact)  # 元 -> 万元
    num = adj or Operand("本年追加预算", add_c.wan(), add_c.decimals, claim=add_c)
    return Ratio(num, den)


def _building(actual_rx: str, approved_rx: str, what: str) -> Callable[[PerfInputs], Computed]:
    precompile(actual_rx, approved_rx)

    def compute(x: PerfInputs) -> Computed:
        actual = _fact(x.base, _BUILDING_ROW, actual_rx)
        approved = _fact(x.base, _BUILDING_ROW, approved_rx)
        a = actual.value if actual else None
        b = approved.value if approved else None
        if (a in (None, 0)) and (b in (None, 0)) and (actual or approved):
            return NoProject("基础数据表楼堂馆所批复与实际均为0，即无楼堂馆所项目，按满分计")
        num, den = _op(actual, f"实际{what}"), _op(approved, f"批复{what}")
        if num is None or den is None:
            return Missing(f"基础数据表未列楼堂馆所{what}")
        return Ratio(num, den)

    return compute


@dataclass(frozen=True)
class Indicator:
    pattern: str  # regex on the 三级指标 name
    formula: str  # as the message states it
    compute: Callable[[PerfInputs], Computed]


INDICATORS: tuple[Indicator, ...] = (
    Indicator(r"在职人员控制率", "在职人数÷编制数", _staff),
    Indicator(r"三公经费.{0,2}变动率", "（本年预算数−上年预算数）÷上年预算数", _sangong_change),
    Indicator(
        r"预算完成率",
        "（上年结转+年初预算+本年追加−年末结余）÷（上年结转+年初预算+本年追加）",
        _budget_completion,
    ),
    Indicator(r"预算控制率", "本年追加预算÷年初预算", _budget_control),
    Indicator(
        r"楼堂馆所面积控制率",
        "实际建设面积÷批准建设面积",
        _building(r"实际规模|实际面积", r"批复规模|批准规模|批复面积", "规模"),
    ),
    Indicator(
        r"投资概算控制率", "实际投资÷批准投资", _building(r"实际投资", r"预算投资|批复投资|批准投资", "投资")
    ),
    Indicator(r"公用经费控制率", "实际支出公用经费÷预算安排公用经费", _row_ratio(r"^公用经费$", "公用经费")),
    Indicator(
        r"三公经费.{0,2}控制率", "“三公经费”实际支出数÷预算安排数", _row_ratio(r"^三公经费$", "“三公经费”")
    ),
    Indicator(r"政府采购执行率", "实际政府采购金额÷政府采购预算数", _row_ratio(r"政府采购", "政府采购")),
)


_INDICATOR_RES = tuple((re.compile(ind.pattern), ind) for ind in INDICATORS)
_ANY_INDICATOR = re.compile("|".join(f"(?:{ind.pattern})" for ind in INDICATORS))  # one search rules out


def indicator_for(name: str) -> Indicator | None:
    if "率" not in name or not _ANY_INDICATOR.search(name):  # every indicator is a rate: most names
        return None  # are ruled out here, and the other rates of the tables by one search
    for rx, ind in _INDICATOR_RES:  # the first indicator in order, wherever the search found one
        if rx.search(name):
            return ind
    return None


def rate_of(r: Ratio) -> Interval | None:
    """num ÷ den × 100 over the printed intervals; None for a zero base."""
    den = r.den.interval()
    if r.den.value == 0 or den.contains_zero():
        return None
    return (r.num.interval() / den).scale(HUNDRED)
