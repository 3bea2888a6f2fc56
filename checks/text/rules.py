"""The 文内 rule catalogue (one declaration per rule) and the tally every check reports into."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from checks.findings import CellRef, Family, Finding, Outcome, Severity
from checks.text.claims import Claim
from checks.text.interval import round_half_up
from checks.text.paragraphs import Paragraph


@dataclass(frozen=True)
class TextRule:
    id: str
    severity: Severity  # severity of a violation; zero bases and 未能定位 are set per finding
    title: str  # names the fault
    formula: str  # one line, Chinese


_RULES = (
    TextRule(
        "W-1",
        Severity.ERROR,
        "增减率与增减额、上年数不符",
        "增减率 = 增减额 ÷ 上年数（上年数 = 本年数 ∓ 增减额）",
    ),
    TextRule("W-2", Severity.ERROR, "增减额与本年数、上年数不符", "增减额 = 本年数 − 上年数"),
    TextRule("W-3", Severity.ERROR, "完成预算比例与预算数、决算数不符", "完成预算% = 决算数 ÷ 预算数"),
    TextRule(
        "W-4",
        Severity.ERROR,
        "增减方向用词与数值不符",
        "增加/多/大于 ⇔ 差额 > 0；减少/少/小于 ⇔ 差额 < 0；持平 ⇔ 差额 = 0",
    ),
    TextRule("W-5", Severity.ERROR, "分项之和与所述总数不符", "总数 = Σ 其中各分项"),
    TextRule(
        "W-6", Severity.ERROR, "同一列举中各项占比之和不为100%", "Σ 占比 = 100%（列举完整时）；Σ 占比 ≤ 100%"
    ),
    TextRule(
        "W-7", Severity.ERROR, "年份或日期与报告年度不符", "截至日期 = 报告年度年末；比较年度 = 报告年度 − 1"
    ),
    TextRule("W-8", Severity.WARNING, "同一指标在不同部分数值不同", "同一指标各处数值相等"),
    TextRule(
        "W-9", Severity.ERROR, "增减率以本年数而非上年数为基数计算", "增减率 = 增减额 ÷ 上年数，而非 ÷ 本年数"
    ),
    TextRule(
        "W-10",
        Severity.ERROR,
        "绩效评价表分值、得分或指标计算不符",
        "上级分值 = Σ 下级分值；得分 ≤ 分值；Σ 得分 = 综合评分；得分按评分标准",
    ),
    TextRule("W-11", Severity.ERROR, "占比与分项、总数不符", "占比 = 分项 ÷ 总数"),
    TextRule(
        "W-12", Severity.ERROR, "绩效基础数据表与正文数值不符", "基础数据表（元）÷ 10000 = 正文金额（万元）"
    ),
    TextRule(
        "W-13",
        Severity.WARNING,
        "功能分类科目名称与报告年度不符",
        "2018年及以前用旧科目名，2019年起用新科目名",
    ),
    TextRule(
        "W-14",
        Severity.WARNING,
        "标题序号不连续或重复",
        "同一上级标题下序号依次为 一、二、三 / （一）（二） / 1、2、",
    ),
    TextRule(
        "W-15",
        Severity.WARNING,
        "文中残留模板占位或填写提示",
        "公开文本不含 XX、××、【请填写…】、此处填写 等",
    ),
)

_ID = re.compile(r"^W-\d+$")


def _catalogue() -> dict[str, TextRule]:
    out: dict[str, TextRule] = {}
    for r in _RULES:
        if not _ID.match(r.id) or r.id in out or not r.title or not r.formula:
            raise ValueError(f"malformed or duplicate text rule: {r.id}")
        out[r.id] = r
    return out


RULES: dict[str, TextRule] = _catalogue()


@dataclass
class Tally:
    """Findings and check counts of one run; every evaluated check calls `ok` or `fail`."""

    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    passed: int = 0
    per_rule: dict[str, list[int]] = field(default_factory=dict)  # id -> [checked, passed]

    # ok and fail count inline (no shared helper): checks call ok hundreds of times a run
    def ok(self, rule: str) -> None:
        self.checked += 1
        self.passed += 1
        c = self.per_rule.get(rule)
        if c is None:
            self.per_rule[rule] = [1, 1]
        else:
            c[0] += 1
            c[1] += 1

    def fail(self, finding: Finding) -> None:
        """A violation or zero-base warning: counted as checked, not passed."""
        self.checked += 1
        c = self.per_rule.get(finding.rule)
        if c is None:
            self.per_rule[finding.rule] = [1, 0]
        else:
            c[0] += 1
        self.findings.append(finding)

    def note(self, finding: Finding) -> None:
        """未能定位 and other info: not a check that ran."""
        self.findings.append(finding)


def cells_of(*paragraphs: Paragraph) -> list[CellRef]:
    """The cells of the paragraphs, each once."""
    out: list[CellRef] = []
    for p in paragraphs:
        ref = CellRef(p.sheet, p.cell)
        if ref not in out:
            out.append(ref)
    return out


def quote(claims: list[Claim]) -> str:
    """The sentence piece spanning the given claims (whole clauses), for Finding.text."""
    cs = [c for c in claims if c is not None]
    p = cs[0].paragraph
    same = [c for c in cs if c.paragraph is p]  # (a run's distinct paragraphs never compare equal)
    start = min(c.span[0] for c in same)
    end = max(c.span[1] for c in same)
    text = p.text
    seps = "，,；;。：:！？\n"
    while start > 0 and text[start - 1] not in seps:
        start -= 1
    while end < len(text) and text[end] not in seps:
        end += 1
    return text[start:end].strip()


def make_finding(
    rule: str,
    message: str,
    claims: list[Claim],
    *,
    severity: Severity | None = None,
    expected: str | None = None,
    actual: str | None = None,
    outcome: Outcome = Outcome.VIOLATION,
    hint: str | None = None,
    args: dict[str, Decimal | str | int | None] | None = None,
    text: str | None = None,
) -> Finding:
    # the claims' paragraphs, each once, told apart by identity: comparing two paragraphs compares all
    # their fields, and a run's distinct paragraphs never compare equal (their `index` differs)
    paras: list[Paragraph] = []
    for c in claims:
        p = c.paragraph
        if all(p is not q for q in paras):
            paras.append(p)
    return Finding(
        rule=rule,
        severity=severity or RULES[rule].severity,
        family=Family.TEXT_INTERNAL,
        message=message,
        cells=cells_of(*paras),
        expected=expected,
        actual=actual,
        text=text if text is not None else (quote(claims) if claims else None),
        outcome=outcome,
        hint=hint,
        args=args or {},
    )


def fmt_amount(v: Decimal, decimals: int = 2) -> str:
    """1234.5 -> '1,234.50' (thousands separators, fixed decimals)."""
    q = round_half_up(v, decimals)
    return f"{q:,.{decimals}f}"


def fmt_pct(v: Decimal, decimals: int) -> str:
    return f"{round_half_up(v, decimals):.{decimals}f}%"
