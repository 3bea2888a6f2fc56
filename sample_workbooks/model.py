"""The numbers of one generated department, as exact integers in a base unit.

Every leaf (项) is drawn in base units and every total is an exact integer sum, so printed totals equal the
sum of printed parts. With `tails=True` the base unit is finer than the printed 0.01 (元 behind a 万元 table),
so totals can differ from Σ printed parts by a rounding tail, as in real exports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import catalogue as cat

CENT = Decimal("0.01")


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scale:
    """Base units per printed unit; the printed value of a base amount."""

    unit: str  # "万元" | "元"
    tails: bool

    @property
    def per_wan(self) -> int:
        """Base units per 万元."""
        if self.unit == "万元":
            return 10000 if self.tails else 100  # 元 | 0.01 万元
        return 10_000_000 if self.tails else 1_000_000  # 厘 | 分

    @property
    def per_unit(self) -> int:
        return self.per_wan if self.unit == "万元" else self.per_wan // 10000

    def wan(self, x: float) -> int:
        """An amount given in 万元 -> base units (rounded)."""
        return int(round(x * self.per_wan))

    def printed(self, base: int) -> Decimal:
        """Value as printed in a table (table unit, 2 decimals, half-up)."""
        return q2(Decimal(base) / Decimal(self.per_unit))

    def to_wan(self, printed: Decimal) -> Decimal:
        """A printed table value -> 万元 for the text (2 decimals)."""
        return printed if self.unit == "万元" else q2(printed / 10000)


@dataclass
class Leaf:
    """One 项 row. Expense parts: fiscal (05/基金/国资) + non-fiscal; income by source."""

    code: str
    fund: str  # "gen" (一般公共预算) | "fund" (政府性基金) | "soe" (国有资本经营)
    f_basic: int = 0
    f_project: int = 0
    n_basic: int = 0
    n_project: int = 0
    upper: int = 0  # 上缴上级支出
    business: int = 0  # 经营支出
    subsidiary: int = 0  # 对附属单位补助支出
    fiscal_income: int = 0
    sup: int = 0  # 上级补助收入
    career: int = 0  # 事业收入
    oper: int = 0  # 经营收入
    affil: int = 0  # 附属单位上缴收入
    other: int = 0  # 其他收入
    y0: int = 0  # 年初结转和结余 (基金/国资 rows)
    y1: int = 0  # 年末结转和结余

    @property
    def basic(self) -> int:
        return self.f_basic + self.n_basic

    @property
    def project(self) -> int:
        return self.f_project + self.n_project

    @property
    def expense(self) -> int:
        return self.basic + self.project + self.upper + self.business + self.subsidiary

    @property
    def fiscal_expense(self) -> int:
        return self.f_basic + self.f_project

    @property
    def nf_income(self) -> int:
        return self.sup + self.career + self.oper + self.affil + self.other

    @property
    def income(self) -> int:
        return self.fiscal_income + self.nf_income


SANGONG_ITEMS = ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]


@dataclass
class Model:
    era: str
    year: int
    department: str
    bureau: cat.Bureau
    scale: Scale
    leaves: list[Leaf]
    names: dict[str, str]  # code (3/5/7 digits) -> name in the era
    gen_y0: int
    gen_y1: int
    nf_y0: int
    nf_y1: int
    use_nf: int  # 使用非财政拨款结余 (2018: 用事业基金弥补收支差额)
    dist: int  # 结余分配
    econ: dict[str, int]  # 06 款 code -> amount
    sangong_actual: dict[str, int]
    sangong_budget: dict[str, int]
    extra: dict[str, object] = field(default_factory=dict)

    # ---- aggregates -------------------------------------------------------------------------------
    def of(self, fund: str) -> list[Leaf]:
        return [lf for lf in self.leaves if lf.fund == fund]

    @property
    def gen_income(self) -> int:
        return sum(lf.fiscal_income for lf in self.of("gen"))

    def fund_total(self, fund: str, attr: str) -> int:
        return sum(getattr(lf, attr) for lf in self.of(fund))

    @property
    def fiscal_y0(self) -> int:
        return self.gen_y0 + self.fund_total("fund", "y0") + self.fund_total("soe", "y0")

    @property
    def fiscal_y1(self) -> int:
        return self.gen_y1 + self.fund_total("fund", "y1") + self.fund_total("soe", "y1")

    @property
    def income_total(self) -> int:
        return sum(lf.income for lf in self.leaves)

    @property
    def expense_total(self) -> int:
        return sum(lf.expense for lf in self.leaves)

    @property
    def y0_total(self) -> int:
        return self.fiscal_y0 + self.nf_y0

    @property
    def y1_total(self) -> int:
        return self.fiscal_y1 + self.nf_y1

    @property
    def grand_total(self) -> int:
        return self.income_total + self.use_nf + self.y0_total

    def econ_class(self, cls: str) -> int:
        return sum(v for k, v in self.econ.items() if k.startswith(cls))

    @property
    def staff(self) -> int:
        return sum(self.econ_class(c) for c in cat.STAFF_CLASSES)

    @property
    def public(self) -> int:
        return sum(self.econ_class(c) for c in cat.PUBLIC_CLASSES)


def split(total: int, weights: list[float]) -> list[int]:
    """Split an integer total by weights, exactly (largest remainder)."""
    s = sum(weights)
    if total == 0 or s == 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[:rest]:
        out[i] += 1
    return out


def _u(rng: random.Random, lo: float, hi: float) -> float:
    return rng.uniform(lo, hi)


def build(rng: random.Random, era: str, year: int, department: str | None, unit: str, tails: bool,
          n_classes: int | None, max_kuan: int, max_xiang: int, fund: str, soe: str,
          institution: bool | None) -> Model:
    """Draw one department's numbers."""
    scale = Scale(unit, tails)
    bureau = rng.choice(cat.BUREAUS)
    if department is None:
        department = rng.choice(cat.REGIONS) + (bureau.name_2018 if era == "2018" else bureau.name_2020)
    inst = bureau.institution if institution is None else institution

    # ---- which 项: main function, common staff leaves, extras ----------------------------------
    main = list(bureau.main_2018 if era == "2018" and bureau.main_2018 else bureau.main)
    want_classes = n_classes if n_classes is not None else rng.randint(3, 6)
    chosen: list[str] = [main[0]]
    chosen += [c for c in main[1:] if rng.random() < 0.6]
    common = [c for c in cat.COMMON_LEAVES if rng.random() < 0.75] or ["2080505"]
    chosen += common
    chosen += [c for c in cat.EXTRA_LEAVES if rng.random() < 0.3]
    chosen = _limit(chosen, want_classes, max_kuan, max_xiang, keep=main[0])

    leaves: list[Leaf] = []
    for code in chosen:
        lf = Leaf(code, "gen")
        if code == main[0]:  # 行政运行 / 事业运行: the bulk of basic spending
            lf.f_basic = scale.wan(_u(rng, 150, 1800))
        elif code.startswith(("20805", "21011", "22102", "20899")):
            lf.f_basic = scale.wan(_u(rng, 5, 160))
        elif code in main:  # 一般行政管理事务 and business 项: project, sometimes some basic
            lf.f_project = scale.wan(_u(rng, 20, 1200))
            if code.endswith("50") or rng.random() < 0.2:
                lf.f_basic = scale.wan(_u(rng, 20, 400))
        else:
            lf.f_project = scale.wan(_u(rng, 5, 300))
        # non-fiscal parts (other income sources pay for them)
        if rng.random() < (0.5 if inst else 0.15):
            if lf.f_basic and rng.random() < 0.5:
                lf.n_basic = scale.wan(_u(rng, 1, 120))
            else:
                lf.n_project = scale.wan(_u(rng, 1, 200))
        if inst and rng.random() < 0.15:
            lf.business = scale.wan(_u(rng, 1, 80))
        if rng.random() < 0.05:
            lf.upper = scale.wan(_u(rng, 1, 30))
        if inst and rng.random() < 0.08:
            lf.subsidiary = scale.wan(_u(rng, 1, 60))
        leaves.append(lf)

    # an 一般公共 项 with income but no spending this year (02 rows differ from 03 rows)
    if rng.random() < 0.2:
        spare = [c for c in main if c not in chosen and c[:5] in {x[:5] for x in chosen}
                 and sum(x[:5] == c[:5] for x in chosen) < max_xiang]
        if spare:
            leaves.append(Leaf(spare[0], "gen"))

    # 政府性基金 / 国有资本经营 leaves
    if fund == "data":
        for code in rng.sample(cat.FUND_LEAVES, rng.randint(1, 2)):
            lf = Leaf(code, "fund")
            lf.y0 = scale.wan(_u(rng, 0, 200)) if rng.random() < 0.5 else 0
            lf.fiscal_income = scale.wan(_u(rng, 10, 900))
            spend = min(lf.y0 + lf.fiscal_income, scale.wan(_u(rng, 10, 900)))
            if rng.random() < 0.2:
                lf.f_basic = spend // 5
            lf.f_project = spend - lf.f_basic
            lf.y1 = lf.y0 + lf.fiscal_income - lf.fiscal_expense
            leaves.append(lf)
    if soe == "data" and era != "2018":
        for code in rng.sample(cat.SOE_LEAVES, rng.randint(1, 2)):
            lf = Leaf(code, "soe")
            lf.f_project = scale.wan(_u(rng, 5, 300))
            lf.fiscal_income = lf.f_project
            leaves.append(lf)
    leaves.sort(key=lambda lf: lf.code)

    # ---- 一般公共预算: carry-overs and income by 项 ----------------------------------------------
    gen = [lf for lf in leaves if lf.fund == "gen"]
    e_gen = sum(lf.fiscal_expense for lf in gen)
    gen_y0 = int(e_gen * _u(rng, 0, 0.3)) if rng.random() < 0.8 else 0
    gen_y1 = int(e_gen * _u(rng, 0, 0.25)) if rng.random() < 0.8 else 0
    gen_income = e_gen + gen_y1 - gen_y0
    weights = [lf.fiscal_expense or e_gen * 0.03 for lf in gen]
    for lf, part in zip(gen, split(gen_income, weights), strict=True):
        lf.fiscal_income = part

    # ---- non-fiscal income by source ------------------------------------------------------------
    sources = ["other"] if not inst else ["career", "other", "sup"]
    if any(lf.business for lf in gen):
        sources.append("oper")
    if inst and rng.random() < 0.3:
        sources.append("affil")
    for lf in gen:
        need = lf.n_basic + lf.n_project + lf.upper + lf.business + lf.subsidiary
        if need == 0 and rng.random() > 0.1:
            continue
        amount = int(max(need, scale.wan(5)) * _u(rng, 0.7, 1.3))
        used = [s for s in sources if s != "oper"] or ["other"]
        parts = split(amount, [rng.random() + 0.2 for _ in used])
        for s, p in zip(used, parts, strict=True):
            setattr(lf, s, getattr(lf, s) + p)
        if lf.business:
            lf.oper = int(lf.business * _u(rng, 0.9, 1.3))

    nf_income = sum(lf.nf_income for lf in gen)
    nf_exp = sum(lf.expense - lf.fiscal_expense for lf in gen)
    nf_y0 = scale.wan(_u(rng, 0, 300)) if rng.random() < 0.6 else 0
    use_nf = int(nf_y0 * _u(rng, 0.1, 0.5)) if nf_y0 and rng.random() < 0.3 else 0
    dist = scale.wan(_u(rng, 0.5, 20)) if rng.random() < 0.15 else 0
    nf_y1 = nf_income + use_nf + nf_y0 - nf_exp - dist
    if nf_y1 < 0:  # top up the opening balance so the closing one is not negative
        nf_y0 += -nf_y1
        nf_y1 = 0

    econ, actual, budget = _basic_detail(rng, scale, sum(lf.f_basic for lf in gen))
    names = _names(leaves, era, year)
    return Model(era, year, department, bureau, scale, leaves, names, gen_y0, gen_y1, nf_y0, nf_y1,
                 use_nf, dist, econ, actual, budget)


def _limit(codes: list[str], n_classes: int, max_kuan: int, max_xiang: int, keep: str) -> list[str]:
    """Keep at most n 类, max_kuan 款 per 类 and max_xiang 项 per 款 (the main 行政运行 leaf always stays)."""
    out: list[str] = []
    for code in [keep] + [c for c in codes if c != keep]:
        if code in out:
            continue
        cls, kuan = code[:3], code[:5]
        classes = {c[:3] for c in out}
        kuans = {c[:5] for c in out if c[:3] == cls}
        xiangs = [c for c in out if c[:5] == kuan]
        if cls not in classes and len(classes) >= n_classes:
            continue
        if kuan not in kuans and len(kuans) >= max_kuan:
            continue
        if len(xiangs) >= max_xiang:
            continue
        out.append(code)
    return sorted(out)


def _names(leaves: list[Leaf], era: str, year: int) -> dict[str, str]:
    names: dict[str, str] = {}
    cls_names = dict(cat.classes(era, year))
    for lf in leaves:
        names[lf.code[:3]] = cls_names[lf.code[:3]]
        names[lf.code[:5]] = cat.name(lf.code[:5], era)
        names[lf.code] = cat.name(lf.code, era)
    return names


STAFF_WEIGHTS = {"30101": 25, "30102": 20, "30103": 10, "30106": 1, "30107": 12, "30108": 9, "30109": 4,
                 "30110": 5, "30111": 1, "30112": 1, "30113": 7, "30114": 1, "30199": 3}
PERSON_WEIGHTS = {"30302": 5, "30304": 1, "30305": 3, "30307": 2, "30309": 1, "30399": 2}
PUBLIC_WEIGHTS = {"30201": 8, "30202": 2, "30203": 1, "30205": 1, "30206": 4, "30207": 2, "30208": 1,
                  "30209": 6, "30211": 5, "30213": 3, "30214": 3, "30215": 1, "30216": 2, "30218": 1,
                  "30226": 3, "30227": 2, "30228": 3, "30229": 2, "30239": 4, "30240": 1, "30299": 5}


def _basic_detail(rng: random.Random, scale: Scale, basic: int):
    """06 detail of the 一般公共预算 basic spending, and the 三公 budget/actual that it contains."""
    staff = int(basic * _u(rng, 0.55, 0.85))
    public = basic - staff
    econ = {code: 0 for code, _ in cat.ECON if len(code) == 5}

    def chance(p: float, lo: float, hi: float) -> int:
        return int(public * _u(rng, lo, hi)) if rng.random() < p else 0

    actual = {
        "因公出国（境）费": chance(0.25, 0.02, 0.08),
        "公务用车购置费": chance(0.2, 0.08, 0.2),
        "公务用车运行费": chance(0.8, 0.02, 0.08),
        "公务接待费": chance(0.85, 0.01, 0.06),
    }
    econ["30212"] = actual["因公出国（境）费"]
    econ["31013"] = actual["公务用车购置费"]
    econ["30231"] = actual["公务用车运行费"]
    econ["30217"] = actual["公务接待费"]
    rest = public - sum(actual.values())
    capital = int(rest * _u(rng, 0.02, 0.12)) if rng.random() < 0.4 else 0
    other = int(rest * _u(rng, 0.01, 0.03)) if rng.random() < 0.1 else 0
    econ["31002"] = capital
    econ["39999"] = other
    _fill(rng, econ, PUBLIC_WEIGHTS, rest - capital - other)

    person = int(staff * _u(rng, 0.01, 0.1))
    _fill(rng, econ, STAFF_WEIGHTS, staff - person)
    _fill(rng, econ, PERSON_WEIGHTS, person)

    budget: dict[str, int] = {}
    for item, value in actual.items():
        if value:
            wan = max(1, round(value / scale.per_wan / _u(rng, 0.55, 1.05)))
            budget[item] = wan * scale.per_wan
        else:
            budget[item] = rng.randint(1, 10) * scale.per_wan if rng.random() < 0.3 else 0
    return econ, actual, budget


def _fill(rng: random.Random, econ: dict[str, int], weights: dict[str, int], total: int) -> None:
    """Spread a total over a random subset of 款 (the heavier ones are kept more often)."""
    codes = [c for c, w in weights.items() if rng.random() < min(0.95, 0.3 + w / 10)]
    if not codes:
        codes = [max(weights, key=weights.__getitem__)]
    parts = split(total, [weights[c] * _u(rng, 0.5, 1.5) for c in codes])
    for c, p in zip(codes, parts, strict=True):
        econ[c] += p
