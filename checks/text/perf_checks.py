"""W-10 (绩效评价表: 分值 sums, 得分 ≤ 分值, Σ 得分 = 综合评分, formula indicators re-scored)
and W-12 (基础数据表 figures vs the report text)."""

from __future__ import annotations

import re
from decimal import Decimal

from checks.findings import CellRef, Family, Finding, Outcome, Severity
from checks.grid import a1
from checks.text.claims import Claim, Kind
from checks.text.groups import ClaimGroups
from checks.text.interval import Interval, interval_sum, pct_point
from checks.text.perf_rules import (
    Missing,
    NoProject,
    PerfInputs,
    Ratio,
    indicator_for,
    parse_scoring,
    rate_of,
)
from checks.text.perf_tables import BaseData, Fact, ScoreGroup, ScoreItem, ScoreTable, precompile
from checks.text.rules import RULES, Tally, cells_of, fmt_amount, fmt_pct, quote


def _finding(
    rule: str,
    message: str,
    cells: list[CellRef],
    *,
    severity: Severity | None = None,
    expected: str | None = None,
    actual: str | None = None,
    outcome: Outcome = Outcome.VIOLATION,
    text: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity or RULES[rule].severity,
        family=Family.TEXT_INTERNAL,
        message=message,
        cells=cells,
        expected=expected,
        actual=actual,
        text=text,
        outcome=outcome,
    )


def _n(v: Decimal) -> str:
    return format(v.normalize(), "f") if v == v.to_integral() else format(v, "f")


def _q(name: str) -> str:
    """Quote an indicator name unless it already carries quotes (“三公经费”变动率)."""
    return name if "“" in name else f"“{name}”"


def _item_cell(t: ScoreTable, item: ScoreItem) -> CellRef:
    r, c = item.score_cell if item.score_cell else (item.row, item.name_col)
    return CellRef(t.sheet, a1(r, c))


def _check_maxima(t: ScoreTable, tally: Tally) -> None:
    def judge(parent: ScoreGroup, maxima: list[Decimal | None], level: str) -> None:
        if parent.max_score is None or not maxima or None in maxima:
            return
        total = sum(maxima, Decimal(0))  # (none is None: ruled out above)
        if total == parent.max_score:
            tally.ok("W-10")
            return
        parts = "＋".join(_n(m) for m in maxima if m is not None)
        tally.fail(
            _finding(
                "W-10",
                f"{t.title}：{level}“{parent.name or '（未命名）'}”分值{_n(parent.max_score)}，其下各指标分值 {parts} = {_n(total)}",
                [CellRef(t.sheet, a1(parent.row, parent.col))],
                expected=_n(total),
                actual=_n(parent.max_score),
            )
        )

    for g1 in t.groups:
        if g1.children:
            for g2 in g1.children:
                judge(g2, [i.max_score for i in g2.items], "二级指标")
            judge(g1, [g.max_score for g in g1.children], "一级指标")
        else:
            judge(g1, [i.max_score for i in g1.items], "一级指标")
    for item in t.items:
        if item.score is None or item.max_score is None:
            continue
        if item.score <= item.max_score and item.score >= 0:
            tally.ok("W-10")
        else:
            tally.fail(
                _finding(
                    "W-10",
                    f"{t.title}：{_q(item.name)}得分{_n(item.score)}，超出分值{_n(item.max_score)}",
                    [_item_cell(t, item)],
                    expected=f"≤{_n(item.max_score)}",
                    actual=_n(item.score),
                )
            )


_TOTAL_SUBJECT = re.compile(r"综合评分|总得分|总分|评价得分|自评得分|综合得分|评分结果|评分为|得分为")


def _check_total(t: ScoreTable, claims: list[Claim], tally: Tally) -> None:
    stated = [
        c for c in claims
        if c.kind == Kind.SCORE and c.value is not None and c.paragraph.part_kind == t.kind
        and _TOTAL_SUBJECT.search(c.subject + c.clause)
    ]  # fmt: skip
    if not stated or any(i.score is None for i in t.items):
        return
    # scores are awarded, not measured: exact, while the text's total is read at its printed precision
    got = interval_sum([Interval.exact(i.score) for i in t.items if i.score is not None])
    total = sum((i.score for i in t.items if i.score is not None), Decimal(0))
    for c in stated:
        if got.overlaps(c.interval()):
            tally.ok("W-10")
            continue
        tally.fail(
            _finding(
                "W-10",
                f"文中称{c.subject}{c.printed}，而{t.title}各项得分合计为{_n(total)}分",
                cells_of(c.paragraph) + [_item_cell(t, t.items[-1])],
                expected=f"{_n(total)}分",
                actual=c.printed,
                text=quote([c]),
            )
        )


def _operand_text(op_value: Decimal, decimals: int) -> str:
    return fmt_amount(op_value, decimals) if abs(op_value) >= 1000 else format(op_value, "f")


def _check_indicators(t: ScoreTable, inputs: PerfInputs, tally: Tally) -> None:
    for item in t.items:
        ind = indicator_for(item.name)
        if ind is None or item.max_score is None:
            continue
        where = [_item_cell(t, item)]
        got = ind.compute(inputs)
        if isinstance(got, Missing):
            tally.note(
                _finding(
                    "W-10",
                    f"{t.title}：{_q(item.name)}（{ind.formula}）未能复核：{got.reason}",
                    where,
                    severity=Severity.INFO,
                    outcome=Outcome.UNLOCATED,
                )
            )
            continue
        scoring = None if isinstance(got, NoProject) else parse_scoring(item.criterion, item.max_score)
        if isinstance(got, NoProject):
            lo = hi = item.max_score
            basis = got.reason
        else:
            assert isinstance(got, Ratio)
            rate = rate_of(got)
            if rate is None:
                tally.note(
                    _finding(
                        "W-10",
                        f"{t.title}：{_q(item.name)}的分母{got.den.label}为0，无法计算",
                        where,
                        severity=Severity.INFO,
                        outcome=Outcome.UNLOCATED,
                    )
                )
                continue
            point = pct_point(got.num.interval(), got.den.interval())
            shown = fmt_pct(point, 2)
            basis = (
                f"{got.num.label} {_operand_text(got.num.value, got.num.decimals)}÷{got.den.label} "
                f"{_operand_text(got.den.value, got.den.decimals)} = {shown}"
            )
            if got.printed is not None and got.printed.value is not None:
                printed = Interval.printed(got.printed.value, got.printed.decimals)
                if printed.overlaps(rate):
                    tally.ok("W-10")
                else:
                    tally.fail(
                        _finding(
                            "W-10",
                            f"基础数据表{got.printed.header}{got.printed.raw}，按{basis}",
                            [CellRef(inputs.base.sheet, a1(got.printed.row, got.printed.col))]
                            if inputs.base
                            else where,
                            expected=fmt_pct(point, got.printed.decimals),
                            actual=got.printed.raw,
                        )
                    )
            if scoring is None:
                tally.note(
                    _finding(
                        "W-10",
                        f"{t.title}：{_q(item.name)}按{basis}，但评分标准未能解析，得分未复核",
                        where,
                        severity=Severity.INFO,
                        outcome=Outcome.UNLOCATED,
                    )
                )
                continue
            rng = scoring.score_range(rate)
            if rng is None:
                continue
            lo, hi = rng
        if item.score is None:
            continue
        if lo <= item.score <= hi:
            tally.ok("W-10")
            continue
        want = _n(lo) if lo == hi else f"{_n(lo)}～{_n(hi)}"
        if scoring is None:  # (a NoProject's rule, read only now that its message quotes it)
            scoring = parse_scoring(item.criterion, item.max_score)
        rule_txt = "".join(scoring.text.split()) if scoring else "无项目按满分计"
        tally.fail(
            _finding(
                "W-10",
                f"{t.title}：{_q(item.name)} = {basis}，按评分标准“{rule_txt}”应得{want}分，表中得分为{_n(item.score)}分",
                where,
                expected=f"{want}分",
                actual=f"{_n(item.score)}分",
                text=item.criterion or None,
            )
        )


def check_score_tables(
    tables: list[ScoreTable],
    base: BaseData | None,
    claims: list[Claim],
    year: int | None,
    tally: Tally | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-10 over every 绩效评价表."""
    tally = Tally() if tally is None else tally
    groups = groups if groups is not None else ClaimGroups(claims)
    inputs = PerfInputs(base, year, claims, groups)
    scores = groups.of_kind(Kind.SCORE)  # what _check_total reads, once for all tables
    for t in tables:
        _check_maxima(t, tally)
        _check_total(t, scores, tally)
        _check_indicators(t, inputs, tally)
    return tally


# --- W-12: 基础数据表 vs text ---------------------------------------------------------------------

# (基础数据表 row label, text subject, words that rule the subject out)
BASE_LINKS: tuple[tuple[str, str, str | None], ...] = (
    (r"^三公经费$", r"三公", r"因公出国|出国|公务接待|接待|公务用车|公车"),
    (
        r"^公务用车购置(?:和|及)(?:运行)?维护|^公务用车购置及运行",
        r"公务用车购置费?及运行|公务用车购置和维护|公车经费",
        None,
    ),
    (r"^公车运行维护|^公务用车运行", r"^公务用车运行维护费|^公车运行维护", None),
    (r"出国", r"因公出国|出国", None),
    (r"^公务接待", r"公务接待", None),
    (r"^项目支出$", r"^项目支出$", None),
    (r"^公用经费$", r"^公用经费", None),
)
_GENERIC_WORDS = "支出|收入|预算|决算|数|为|年初|财政拨款|总|合计|金额|资金|经费|本年|的".split("|")
_GENERIC = re.compile("|".join(_GENERIC_WORDS))
_QUOTES = "“”\"'"
# every subject pattern of BASE_LINKS contains one of these words: a subject without any links to no row
_LINK_WORD_LIST = "三公|公务用车|公车|出国|公务接待|项目支出|公用经费".split("|")
_LINK_WORDS = re.compile("|".join(_LINK_WORD_LIST))
# a subject with any other character is not generic: the character outlives _GENERIC and the strip
_GENERIC_CHARS = frozenset("".join(_GENERIC_WORDS) + _QUOTES)
# so a subject naming a link word is never generic: each has such a character
assert all(not _GENERIC_CHARS.issuperset(w) for w in _LINK_WORD_LIST)
precompile(*(row_rx for row_rx, _, _ in BASE_LINKS))
_LINK_RES = tuple(
    (row_rx, re.compile(subj_rx), re.compile(exclude) if exclude else None)
    for row_rx, subj_rx, exclude in BASE_LINKS
)


def _topic(c: Claim, claims_in_sentence: list[Claim]) -> str:
    if _GENERIC.sub("", c.subject).strip(_QUOTES):
        return c.subject
    lead = next((x for x in claims_in_sentence if x.is_money and x.subject), None)
    return lead.subject if lead else c.subject


def _linked_topic(c: Claim, sentences: dict[tuple[int, int], list[Claim]]) -> str | None:
    """The claim's `_topic` if it has a link word (else None), worked out only as far as it must."""
    if _LINK_WORDS.search(c.subject):
        return c.subject  # its own topic: not generic (see _GENERIC_CHARS)
    if not _GENERIC_CHARS.issuperset(c.subject):
        return None  # its own topic, and without a link word
    subject = _topic(c, sentences[(id(c.paragraph), c.sentence[0])])
    return subject if _LINK_WORDS.search(subject) else None


def _compared_amounts(groups: ClaimGroups) -> list[Claim]:
    """The money amounts of the text W-12 compares with the 基础数据表."""
    return [
        c for c in groups.of_kind(Kind.AMOUNT)
        if c.is_money and c.role != "prior" and not c.approx and not c.in_parens
        and c.value is not None and c.paragraph.part_kind != "glossary"
    ]  # fmt: skip


def check_base_vs_text(
    base: BaseData | None,
    claims: list[Claim],
    year: int | None,
    tally: Tally | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-12: money rows of the 基础数据表 (元) against the same items in the text (万元)."""
    tally = Tally() if tally is None else tally
    if base is None:
        return tally
    y = year or base.report_year()
    if y is None:
        return tally
    scale = Decimal("0.0001") if base.unit == "元" else Decimal(1)
    groups = groups if groups is not None else ClaimGroups(claims)
    sentences = groups.by_sentence()
    budget, final = rf"{y}年预算数", rf"{y}年决算数"  # the column a claim is read against, and the other
    for c in _compared_amounts(groups):
        subject = _linked_topic(c, sentences)
        if subject is None:
            continue
        for row_rx, subj_rx, exclude in _LINK_RES:
            if not subj_rx.search(subject) or (exclude and exclude.search(subject)):
                continue
            col, other = (budget, final) if c.role == "budget" else (final, budget)
            fact = base.get(row_rx, col)
            if fact is None or fact.value is None:
                break
            _judge_base(c, fact, (row_rx, other), scale, base, tally)
            break
    return tally


def _judge_base(
    c: Claim,
    fact: Fact,
    other_column: tuple[str, str],
    scale: Decimal,
    base: BaseData,
    tally: Tally,
) -> None:
    """The claim against its fact; `other_column` (row and header regexes) names the row's other
    column, which a wrong figure may match (looked up only then)."""
    assert fact.value is not None
    table_iv = Interval.printed(fact.value, fact.decimals, scale)
    if table_iv.overlaps(c.interval()):
        tally.ok("W-12")
        return
    wan = fact.value * scale
    cells = cells_of(c.paragraph) + [CellRef(base.sheet, a1(fact.row, fact.col))]
    shown = f"{fmt_amount(fact.value, max(fact.decimals, 2))}{base.unit}"
    msg = f"文中“{c.subject}{c.printed}”，基础数据表“{fact.label}”{fact.header}为{shown}（{fmt_amount(wan, 2)}万元）"
    severity = None
    other = base.get(*other_column)
    if (
        other is not None
        and other.value is not None
        and Interval.printed(other.value, other.decimals, scale).overlaps(c.interval())
    ):
        msg += f"；文中数与{other.header}相符，疑将{other.header[-3:]}写作{fact.header[-3:]}"
        severity = Severity.WARNING
    tally.fail(
        _finding(
            "W-12",
            msg,
            cells,
            severity=severity,
            expected=f"{fmt_amount(wan, 2)}万元",
            actual=c.printed,
            text=quote([c]),
        )
    )
