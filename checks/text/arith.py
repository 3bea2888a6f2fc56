"""W-1/W-2/W-3/W-4/W-9: arithmetic inside one sentence — change, rate, completion, direction.

A comparison sentence prints a current amount, the compared-to amount after 比/较, the change
(增加/减少/多/少) and often the rate (增幅/降低). Whatever is printed is recomputed from the
rest with interval arithmetic at the printed precision.
"""

from __future__ import annotations

import re
from decimal import Decimal

from checks.findings import Severity
from checks.text.claims import Claim, ClaimKind, Kind
from checks.text.groups import ClaimGroups
from checks.text.interval import HUNDRED, Interval, pct_point, round_half_up
from checks.text.rules import Tally, fmt_pct, make_finding, quote

_DIR_WORDS = re.compile(
    r"决算数?\s*(?P<w>大于|小于|等于|高于|低于|超过|少于|多于|与[^，。；]{0,8}?持平)\s*(?:年初)?预算数?"
)
_WORD_SIGN = {"大于": 1, "高于": 1, "超过": 1, "多于": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0}


_COMPARED = (Kind.CHANGE, Kind.RATE)  # the kinds a comparison sentence is checked from
_COMPLETION = (Kind.COMPLETION,)
_FLAT = (Kind.FLAT,)


def _usable_money(c: Claim) -> bool:
    return c.is_money and c.value is not None and not c.approx and not c.in_parens


def _sentences_with(
    kinds: tuple[ClaimKind, ...], claims: list[Claim], groups: ClaimGroups | None
) -> list[list[Claim]]:
    """The sentences holding a claim of one of `kinds`, in text order (few do)."""
    return (groups if groups is not None else ClaimGroups(claims)).sentences_with(kinds)


def _prior_label(compare_to: str | None) -> str:
    if not compare_to:
        return "上年数"
    if compare_to.endswith("数"):
        return compare_to
    return f"{compare_to}数"


def _dp(*claims: Claim) -> int:
    return max((c.decimals for c in claims), default=2)


def _wan(c: Claim, signed: bool = False) -> Interval:
    return c.interval(signed=signed)


def _num(c: Claim) -> str:
    """The figure without its unit, as printed (Chinese numerals shown in digits)."""
    assert c.value is not None
    return f"{c.value:,f}" if abs(c.value) >= 10000 else format(c.value, "f")


def _show(v: Decimal, decimals: int) -> str:
    return f"{round_half_up(v, decimals):.{decimals}f}"


def _pct_claim_interval(c: Claim) -> Interval:
    """A printed rate's magnitude (the sign lives in the direction word)."""
    assert c.value is not None
    return Interval.printed(c.value, c.decimals)


def check_comparisons(
    claims: list[Claim], tally: Tally | None = None, groups: ClaimGroups | None = None
) -> Tally:
    """W-1, W-2, W-4, W-9 over every comparison sentence."""
    tally = Tally() if tally is None else tally
    groups = groups if groups is not None else ClaimGroups(claims)
    for sent in _sentences_with(_COMPARED, claims, groups):  # only these are checked here
        nums = [c for c in sent if c.value is not None and c.kind not in (Kind.YEAR, Kind.DATE)]
        used_rates: set[int] = set()
        for i, ch in enumerate(nums):
            if ch.kind != Kind.CHANGE or not _usable_money(ch) or not ch.compare_to:
                continue
            prior = current = None
            j = i - 1
            if j >= 0 and nums[j].role == "prior" and _usable_money(nums[j]):
                prior, j = nums[j], j - 1
            while j >= 0 and nums[j].kind in (Kind.SHARE, Kind.PERCENT):
                j -= 1
            if j >= 0 and nums[j].kind == Kind.AMOUNT and nums[j].role != "prior" and _usable_money(nums[j]):
                current = nums[j]
            if current is None and prior is None:
                current = _earlier_current(ch, groups.by_paragraph()[id(ch.paragraph)])
            rate = nums[i + 1] if i + 1 < len(nums) and nums[i + 1].kind == Kind.RATE else None
            if rate is not None:
                used_rates.add(i + 1)
            _check_change(ch, prior, current, rate, tally)
        for k, r in enumerate(nums):
            if r.kind != Kind.RATE or k in used_rates or not r.compare_to:
                continue
            before = nums[:k]
            prior = next((c for c in reversed(before) if c.role == "prior" and _usable_money(c)), None)
            current = next(
                (
                    c
                    for c in reversed(before)
                    if c.kind == Kind.AMOUNT and c.role != "prior" and _usable_money(c)
                ),
                None,
            )
            if prior is not None and current is not None and current.span[0] < prior.span[0]:
                _check_rate_from_amounts(r, current, prior, tally)
    return tally


_SUBJECT_NOISE = re.compile(r"[“”\"'\s]|\d{4}\s*年度?|本年度?|全年")
_ROLE_WORD = re.compile(r"(?:预算|决算)数?$")
_ROLE_NOISE = re.compile(r"支出|预算|决算|数")


def _full_subject(c: Claim, para_claims: list[Claim]) -> str:
    """'…支出预算为34.00万元，支出决算为26.93万元': the second figure is the '…支出决算' of the first's item."""
    subj = _SUBJECT_NOISE.sub("", c.subject)
    if _ROLE_NOISE.sub("", subj):
        return subj
    lead = next(
        (
            x
            for x in para_claims
            if x.sentence == c.sentence and x.span[0] < c.span[0] and x.is_money and x.subject
        ),
        None,
    )
    if lead is None:
        return subj
    return (
        _ROLE_WORD.sub("", _SUBJECT_NOISE.sub("", lead.subject)) + _ROLE_WORD.search(subj or "决算").group(0)
        if (_ROLE_WORD.search(subj))
        else subj
    )


def _earlier_current(ch: Claim, para_claims: list[Claim]) -> Claim | None:
    """'…支出351.64万元。与2017年度相比，机关运行经费支出减少98.00万元': the amount the change is about,
    printed in an earlier sentence of the paragraph under the same subject."""
    subj = _SUBJECT_NOISE.sub("", ch.subject)
    if len(subj) < 2:
        return None
    for c in reversed(para_claims):
        if (
            c.span[1] <= ch.sentence[0]
            and c.kind == Kind.AMOUNT
            and c.role not in ("prior", "budget")
            and _usable_money(c)
            and _full_subject(c, para_claims) == subj
        ):
            return c
    return None


def _check_change(
    ch: Claim, prior: Claim | None, current: Claim | None, rate: Claim | None, tally: Tally
) -> None:
    label = _prior_label(ch.compare_to)
    if prior is not None and current is not None:
        diff = _wan(current) - _wan(prior)
        magnitude_ok = diff.abs().overlaps(_wan(ch))
        mid = current.wan() - prior.wan()
        sign_ok = ch.sign is None or diff.contains_zero() or (mid > 0) == (ch.sign > 0)
        if magnitude_ok:
            tally.ok("W-2")
        else:
            d = _dp(ch)
            tally.fail(
                make_finding(
                    "W-2",
                    f"增减额应为 {_num(current)}−{_num(prior)} = {_show(abs(mid), d)}{ch.unit}，"
                    f"文中为“{ch.direction}{ch.printed}”",
                    [current, prior, ch],
                    expected=f"{_show(abs(mid), d)}{ch.unit}",
                    actual=ch.printed,
                    args={"current": current.wan(), "prior": prior.wan(), "change": ch.wan()},
                )
            )
        if sign_ok:
            tally.ok("W-4")
        else:
            word = "增加" if mid > 0 else "减少"
            tally.fail(
                make_finding(
                    "W-4",
                    f"本年数 {current.printed} {'大于' if mid > 0 else '小于'}{label} {prior.printed}，"
                    f"应为“{word}”，文中为“{ch.direction}”",
                    [current, prior, ch],
                    expected=word,
                    actual=ch.direction,
                )
            )
    if rate is None:
        return
    if rate.sign is not None and ch.sign is not None and rate.sign != ch.sign:
        tally.fail(
            make_finding(
                "W-4",
                f"增减额写作“{ch.direction}”而增减率写作“{rate.direction}”，方向相反",
                [ch, rate],
                expected=("增长" if ch.sign > 0 else "下降"),
                actual=rate.direction,
            )
        )
    else:
        tally.ok("W-4")
    if prior is not None:
        base = _wan(prior)
        base_txt = _num(prior)
        base_zero = prior.value == 0
    elif current is not None:
        signed_change = -ch.wan() if ch.sign == -1 else ch.wan()
        base = _wan(current) - _wan(ch, signed=True)
        base_txt = f"（{_num(current)}{'+' if ch.sign == -1 else '−'}{_num(ch)}）"
        base_zero = current.wan() - signed_change == 0
    else:
        return  # the rate's base is not in the sentence: grounding step
    _judge_rate(rate, _wan(ch), ch, base, base_txt, base_zero, current, label, tally)


def _check_rate_from_amounts(rate: Claim, current: Claim, prior: Claim, tally: Tally) -> None:
    label = _prior_label(rate.compare_to)
    change = (_wan(current) - _wan(prior)).abs()
    _judge_rate(
        rate,
        change,
        None,
        _wan(prior),
        _num(prior),
        prior.value == 0,
        current,
        label,
        tally,
        change_txt=f"（{_num(current)}−{_num(prior)}）",
    )


def _judge_rate(
    rate: Claim,
    change: Interval,
    ch: Claim | None,
    base: Interval,
    base_txt: str,
    base_zero: bool,
    current: Claim | None,
    label: str,
    tally: Tally,
    change_txt: str | None = None,
) -> None:
    change_txt = change_txt or (_num(ch) if ch else "")
    if base_zero or base.contains_zero():
        tally.fail(
            make_finding(
                "W-1",
                f"{label}为0，增减率无从计算，文中写作“{rate.direction or ''}{rate.printed}”，宜说明上年无此项支出",
                [c for c in (current, ch, rate) if c is not None],
                severity=Severity.WARNING,
                actual=rate.printed,
            )
        )
        return
    want = (change / base).scale(HUNDRED)
    printed = _pct_claim_interval(rate)
    if want.overlaps(printed):
        tally.ok("W-1")
        if current is not None and current.value:
            tally.ok("W-9")  # the base is the prior amount, not the current one
        return
    point = pct_point(change, base)
    expected = fmt_pct(point, rate.decimals)
    claims = [c for c in (current, ch, rate) if c is not None]
    if current is not None and current.value:
        wrong = (change / _wan(current)).scale(HUNDRED)
        if wrong.overlaps(printed):
            tally.fail(
                make_finding(
                    "W-9",
                    f"增减率应以{label}为基数：{change_txt}÷{base_txt} = {expected}；"
                    f"文中 {rate.printed} 等于 {change_txt}÷{_num(current)}，是以本年数为基数计算的",
                    claims,
                    expected=expected,
                    actual=rate.printed,
                    text=quote(claims),
                    args={"expected": round_half_up(point, rate.decimals), "actual": rate.value},
                )
            )
            return
    tally.fail(
        make_finding(
            "W-1",
            f"增减率应为 {change_txt}÷{base_txt} = {expected}，文中为 {rate.printed}",
            claims,
            expected=expected,
            actual=rate.printed,
            args={"expected": round_half_up(point, rate.decimals), "actual": rate.value},
        )
    )


def check_completion(
    claims: list[Claim], tally: Tally | None = None, groups: ClaimGroups | None = None
) -> Tally:
    """W-3 (完成预算% = 决算 ÷ 预算) and W-4 for 决算数大于/小于预算数 in the same paragraph."""
    tally = Tally() if tally is None else tally
    for sent in _sentences_with(_COMPLETION, claims, groups):
        for k, c in enumerate(sent):
            if c.kind != Kind.COMPLETION or c.value is None:
                continue
            before = [x for x in sent[:k] if _usable_money(x)]
            budget = next((x for x in reversed(before) if x.role == "budget"), None)
            final = next((x for x in reversed(before) if x.role == "final"), None)
            if budget is None or final is None:
                continue
            _judge_completion(c, budget, final, tally)
            _judge_budget_words(c, budget, final, tally)
    return tally


def _judge_completion(c: Claim, budget: Claim, final: Claim, tally: Tally) -> None:
    if budget.value == 0:
        tally.fail(
            make_finding(
                "W-3",
                f"预算数为0，完成预算比例无从计算，文中写作“{c.printed}”，宜表述为“不适用”或说明未安排预算",
                [budget, final, c],
                severity=Severity.WARNING,
                actual=c.printed,
            )
        )
        return
    want = (_wan(final) / _wan(budget)).scale(HUNDRED)
    if want.overlaps(_pct_claim_interval(c)):
        tally.ok("W-3")
        return
    expected = fmt_pct(pct_point(_wan(final), _wan(budget)), max(c.decimals, 1))
    tally.fail(
        make_finding(
            "W-3",
            f"完成预算比例应为 决算数 {_num(final)}÷预算数 {_num(budget)} = {expected}，文中为 {c.printed}",
            [budget, final, c],
            expected=expected,
            actual=c.printed,
            args={"budget": budget.wan(), "final": final.wan(), "actual": c.value},
        )
    )


def _judge_budget_words(c: Claim, budget: Claim, final: Claim, tally: Tally) -> None:
    text = c.paragraph.text
    m = _DIR_WORDS.search(text, c.span[1], c.sentence[1])  # the words must explain this very sentence
    if not m:
        return
    word = m.group("w")
    said = 0 if "持平" in word else _WORD_SIGN[word]
    diff = _wan(final) - _wan(budget)
    if diff.contains_zero():
        actual_sign = 0 if final.wan() == budget.wan() else None
    else:
        actual_sign = 1 if diff.lo > 0 else -1
    if actual_sign is None or actual_sign == said:
        tally.ok("W-4")
        return
    right = {1: "大于", -1: "小于", 0: "等于"}[actual_sign]
    tally.fail(
        make_finding(
            "W-4",
            f"决算数 {final.printed}{right}预算数 {budget.printed}，文中称“决算数{word}预算数”",
            [budget, final],
            expected=f"决算数{right}预算数",
            actual=m.group(0),
            text=quote([budget, final]) + "……" + m.group(0),
        )
    )


def check_flat(claims: list[Claim], tally: Tally | None = None, groups: ClaimGroups | None = None) -> Tally:
    """W-4: 持平/无变化 where both compared amounts are printed in the sentence."""
    tally = Tally() if tally is None else tally
    for sent in _sentences_with(_FLAT, claims, groups):
        for k, c in enumerate(sent):
            if c.kind != Kind.FLAT or (c.direction or "").startswith("基本"):
                continue
            before = [x for x in sent[:k] if _usable_money(x)]
            pair = None
            budget = next((x for x in reversed(before) if x.role == "budget"), None)
            final = next((x for x in reversed(before) if x.role == "final"), None)
            prior = next((x for x in reversed(before) if x.role == "prior"), None)
            if budget and final:
                pair = (final, budget)
            elif prior:
                cur = next((x for x in before if x.role is None and x.span[0] < prior.span[0]), None)
                pair = (cur, prior) if cur else None
            if not pair:
                continue
            a, b = pair
            if (_wan(a) - _wan(b)).contains_zero():
                tally.ok("W-4")
            else:
                tally.fail(
                    make_finding(
                        "W-4",
                        f"{a.printed} 与 {b.printed} 不等，文中称“{c.direction}”",
                        [a, b, c],
                        expected="增加" if a.wan() > b.wan() else "减少",
                        actual=c.direction,
                    )
                )
    return tally
