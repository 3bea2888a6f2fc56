"""Claims: every number a paragraph states, with what it is about.

A regex over number + unit (+ the direction word before it) finds the figures; Chinese
numerals are converted only on the captured span (`cnnum`). Context words decide the kind:
比… → the compared-to (prior) amount, 增加/减少 → a change, 增幅/降低 → a rate, 占 → a share,
完成预算 → a completion rate. Years, dates, 持平, 类 names and department names are claims too,
so the grounding step and the 文内 checks see one list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter

from checks.text.cnnum import CN_NUMERAL_CHARS, decimals_of, parse_number
from checks.text.interval import ONE, Interval
from checks.text.layout import CLAUSE_SEP, TextLayout
from checks.text.paragraphs import Paragraph


class ClaimKind(StrEnum):
    AMOUNT = "amount"
    CHANGE = "change"  # 增加/减少 X 万元
    RATE = "rate"  # 增幅/降低 X%
    SHARE = "share"  # 占 X%
    COMPLETION = "completion"  # 完成预算的 X%
    PERCENT = "percent"  # any other X% (办结率97.3%)
    PCT_POINT = "pct_point"  # X 个百分点
    COUNT = "count"  # 1辆, 20批次, 40人
    SCORE = "score"  # 90分
    YEAR = "year"  # 2018年
    DATE = "date"  # 截至2018年12月31日
    FLAT = "flat"  # 持平 / 无变化
    COMPARISON = "comparison"  # 决算数小于年初预算数: a direction between two figures, no number
    DEPARTMENT = "department"  # 部门名称
    CLASS_NAME = "class_name"  # 功能分类 类 name


class Kind:
    """ClaimKind's members as plain class attributes, for the checks' hot loops: in Python 3.11 each
    `ClaimKind.X` goes through the enum metaclass's __getattr__ hook (~75 ns, a plain attribute ~15 ns)."""

    AMOUNT = ClaimKind.AMOUNT
    CHANGE = ClaimKind.CHANGE
    RATE = ClaimKind.RATE
    SHARE = ClaimKind.SHARE
    COMPLETION = ClaimKind.COMPLETION
    PERCENT = ClaimKind.PERCENT
    PCT_POINT = ClaimKind.PCT_POINT
    COUNT = ClaimKind.COUNT
    SCORE = ClaimKind.SCORE
    YEAR = ClaimKind.YEAR
    DATE = ClaimKind.DATE
    FLAT = ClaimKind.FLAT
    COMPARISON = ClaimKind.COMPARISON
    DEPARTMENT = ClaimKind.DEPARTMENT
    CLASS_NAME = ClaimKind.CLASS_NAME


MONEY_UNITS: dict[str, Decimal] = {
    "万元": Decimal(1),
    "亿元": Decimal(10000),
    "千元": Decimal("0.1"),
    "元": Decimal("0.0001"),
}
_UNITS = [
    "万元", "亿元", "千元", "元", "个百分点", "%", "％", "人次", "批次", "台（套）", "台(套)", "台套",
    "辆", "人", "名", "个", "项", "件", "次", "家", "批", "台", "套",
]  # fmt: skip
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS) + r"|分(?![钟之别类配析局期批部项解化散布享工管担级值])"
_CN = CN_NUMERAL_CHARS
# units a Chinese numeral may carry; elsewhere (十分, 一次, 八项) the numeral is a word
_CN_UNITS = {
    "万元",
    "亿元",
    "千元",
    "元",
    "个百分点",
    "%",
    "％",
    "人次",
    "批次",
    "台（套）",
    "台",
    "套",
    "辆",
    "人",
    "名",
    "个",
}
_CN_DIGITS = "零〇一二两三四五六七八九十"  # the characters a Chinese-numeral figure opens with
# Figures and years in one scan. The pattern opens with a character class, so the scan jumps from
# digit to digit in C; each branch then checks the character it opened with by a lookbehind.
# A year is digits + 年, a figure digits + unit: no text is both, and neither starts inside the other.
_TOKEN_RE = re.compile(
    rf"[\d{_CN_DIGITS}](?:"
    # year: (?<![\d.-…]) of the first digit is checked after it (width 2)
    r"(?<![\d.\-－—~～至]\d)(?<=\d)(?P<y>\d{3,4})\s*年(?P<du>度)?(?![\-－—~～至])"
    r"|(?:(?<![\d.,]\d)(?<=\d)(?P<ar>\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
    rf"|(?<=[{_CN_DIGITS}])(?<![{_CN}].)(?P<cn>[{_CN}]*?))"
    rf"\s*(?P<approx>多|余)?\s*(?P<unit>{_UNIT_RE}))"
)
# _TOKEN_RE's groups by number: a figure reads three of them, and a number skips the name look-up
_G_AR, _G_CN, _G_APPROX, _G_UNIT = (_TOKEN_RE.groupindex[g] for g in ("ar", "cn", "approx", "unit"))
_PERCENT_CN_RE = re.compile(rf"百分之(?P<cn>[{_CN}\d.]+)")
# every date holds this, and the scan for dates (which has no first character to jump to) starts
# just before the first one
_DATE_CORE_RE = re.compile(r"年\s*\d{1,2}\s*月")
_DATE_LEAD_LONGEST = 3  # 截止到, 截至到
_DATE_RE = re.compile(
    r"(?=[截至到\s\d])(?P<lead>截至|截止到|截止|截至到|至|到)?\s*(?<!\d)(?P<y>\d{4,5})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
)
_FLAT_RE = re.compile(r"(?:基本)?持平|无变化|没有变化|保持不变")
_VERSUS_RE = re.compile(
    r"(?P<a>决算数?|支出数?|实际数?)\s*(?P<dir>大于|小于|等于|高于|低于|超过|少于|多于)\s*(?P<b>(?:年初)?预算数?)"
)
_VERSUS_SIGN = {"大于": 1, "高于": 1, "超过": 1, "多于": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0}
_DIRECTION_WORDS = "增加|减少|增长|下降|降低|提高|上升|增幅|降幅|减幅|涨幅|节约|超支|多|少|增|减"
_DIRECTION_LINKS = "了|为|约|达|额为|额|幅度为|幅度|幅为"
_DIRECTION_RE = re.compile(rf"(?P<dir>{_DIRECTION_WORDS})(?:{_DIRECTION_LINKS})?\s*$")
_DIRECTION_LONGEST = 5  # 增幅 + 幅度为: the longest match _DIRECTION_RE can make before the end
_NEGATIVE = {"减少", "下降", "降低", "降幅", "减幅", "节约", "少", "减"}
_COMPARE_RE = re.compile(
    r"(?:比|较|与|同)\s*(?P<to>上年度?|上一年度?|去年|上年同期|同期|\d{4}\s*年度?|年初预算数?|预算数?|年初数)"
)
_APPROX_WORDS = "近|约|超过|逾|不足|不到|将近|大约"
_APPROX_BEFORE = re.compile(rf"({_APPROX_WORDS})\s*$")
_APPROX_LONGEST = 2  # the longest word _APPROX_BEFORE ends with
_APPROX_AFTER = re.compile(r"\s*(以上|以下|左右|以内|上下)")  # matched at the figure's end: no ^
_CLAUSE_STRIP = CLAUSE_SEP + " "
_LEAD_FILLER = re.compile(
    r"^(?:本部门|本单位|我单位|我局|我部门|我中心|本年度|本年|全年共|全年|年度|其中|主要是|主要有|主要用于|"
    r"主要包括|包括|用于|含|现有|共有|共|开支|发生|安排|\d{4}\s*年度?|\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
    r"[一二三四五六七八九十]+、|[：:，,、（(\s])"
)
# the characters a filler can open with, besides \d and \s: most subjects open with none of them
_LEAD_FIRST = frozenset("本我全年其主包用含现共开发安（(一二三四五六七八九十：:，,、")
_TRAIL_LINK = re.compile(r"(?:为|是|达到|达|约|共计|(?<![总合共])计|了|共|各|均)$")
_TRAIL_LINK_LAST = "为是到达约计了共各均"  # the last character of every link word
_TRAIL_STRIP = "、，,；; "  # separators cut off a subject's end with the links

# 功能分类 类 names, both eras (domain.md §1.3); the year check lives in internal checks.
CLASS_NAMES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化体育与传媒支出", "文化旅游体育与传媒支出", "社会保障和就业支出", "医疗卫生与计划生育支出",
    "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出", "资源勘探信息等支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "国土海洋气象等支出",
    "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "灾害防治及应急管理支出",
    "抗疫特别国债安排的支出", "债务还本支出", "债务付息支出",
)  # fmt: skip
_CLASS_RE = re.compile("|".join(sorted(CLASS_NAMES, key=len, reverse=True)))
# the endings of an organisation's name (names never end in a line break, so endswith is the test)
_ORG_SUFFIXES = tuple(
    "局|委员会|委|办公室|办|中心|院|厅|站|所|馆|队|处|社|学校|医院|政府|部|会|署".split("|")
)
_DEPT_LABEL_RE = re.compile(
    r"(?:填报单位|部门名称|单位名称|部门|单位)\s*[:：]\s*(?P<name>[^\s:：，。]{2,30})"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")  # never the comma: it ends clauses
_FULLWIDTH_RE = re.compile("[０-９．％]")  # translating is slow: only texts that need it
# canonical unit strings: claims share them instead of each keeping its own copy
_UNIT_NAME = {u: u for u in _UNITS} | {"％": "%", "台(套)": "台（套）", "台套": "台（套）", "分": "分"}
_WS = re.compile(r"\s+")
_COMPARE_START = re.compile(r"\s*(?:比|较)")
_COMPLETION_WORDS = re.compile(r"完成.*预算|预算.*完成率|执行率")
_DENOMINATOR_TAIL = re.compile(r"(?:的|比例|比重|为)+$")
_NOUN = re.compile(r"[\u3400-\u9fff]{1,6}")
_NOUN_END = re.compile(r"[的和及与]")
_FUND_KINDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")
_COMPARED_BEFORE = re.compile(r"(比|较|与|同)\s*$")
_NOT_A_NAME = re.compile(r"[，。；：:\d]")


# a value, but not frozen: a frozen dataclass builds 3x slower and nothing assigns to a claim;
# unsafe_hash keeps the hash a frozen one would have
@dataclass(slots=True, unsafe_hash=True)
class Claim:
    kind: ClaimKind
    value: Decimal | None  # magnitude as printed (sign in `sign`); None for names
    decimals: int  # printed decimals: the claim stands for value ± 0.5·10⁻ᵈ
    unit: str | None
    direction: str | None  # the direction word as printed: 增加/减少/多/增幅/持平…
    sign: int | None  # +1 / -1 / 0 (持平); None when no direction
    subject: str  # words before the number, e.g. '公务接待费支出预算'
    clause_span: tuple[int, int]  # punctuation-delimited piece the claim sits in (see `clause`)
    span: tuple[int, int]  # offsets in paragraph.text
    paragraph: Paragraph
    printed: str = ""  # the number and unit as printed, e.g. '3082.32万元'
    role: str | None = None  # prior (the compared-to amount) / budget / final / compare / deadline
    compare_to: str | None = None  # '2017年', '上年', '年初预算数' when the sentence compares
    denominator: str | None = None  # share: the words after 占, e.g. '总收入'
    approx: bool = False  # 1000多万元, 50万元以上, 近百: never used in arithmetic
    noun: str | None = None  # 8个科室 -> '科室'
    date: tuple[int, int | None, int | None] | None = None
    sentence: tuple[int, int] = (0, 0)  # span of the sentence in paragraph.text
    in_parens: bool = False  # inside （…）

    @property
    def signed(self) -> Decimal | None:
        if self.value is None:
            return None
        return -self.value if self.sign == -1 else self.value

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    def interval(self, signed: bool = False) -> Interval:
        """Values the printed figure stands for, in 万元 for money (元/亿元 converted); counts are exact."""
        assert self.value is not None
        v = self.signed if signed else self.value
        assert v is not None
        if self.kind == Kind.COUNT and self.decimals == 0:
            return Interval.exact(v)  # 40人 is 40 people, not 39.5–40.5
        scale = MONEY_UNITS.get(self.unit or "", ONE)
        return Interval.printed(v, self.decimals, scale)

    def wan(self) -> Decimal:
        """Value in 万元 (money) or as printed."""
        assert self.value is not None
        return self.value * MONEY_UNITS.get(self.unit or "", Decimal(1))

    @property
    def sentence_text(self) -> str:
        return self.paragraph.text[self.sentence[0] : self.sentence[1]]

    @property
    def clause(self) -> str:
        """The clause the claim sits in, for quoting: cut from the paragraph only when asked."""
        a, b = self.clause_span
        return self.paragraph.text[a:b].strip(_CLAUSE_STRIP)


def _last_compare(t: str, start: int, end: int) -> re.Match[str] | None:
    """The last 比/较/与 + period phrase in t[start:end] (the comparison in force at its end)."""
    found = None
    piece = t[start:end]
    if not _may_compare(piece):
        return found
    for found in _COMPARE_RE.finditer(piece):  # noqa: B007 - keep the last match
        pass
    return found


def clean_subject(s: str) -> str:
    """Strip fillers (其中/本部门/2018年/list markers) and links (为/是/达) around a subject."""
    s = s.strip().strip("“”\"' ")
    head, last = s[:1], s[-1:]
    if (
        head not in _LEAD_FIRST
        and not head.isdecimal()
        and not head.isspace()
        and last not in _TRAIL_LINK_LAST
        and last not in _TRAIL_STRIP
        and not last.isspace()
    ):
        return s  # most subjects: no filler can open it, no link or separator end it (nor "")
    while True:  # fillers are anchored at the start: cut each one off until none is left
        head = s[:1]
        m = _LEAD_FILLER.match(s) if head in _LEAD_FIRST or head.isdecimal() or head.isspace() else None
        cut = s[m.end() :].strip() if m else s.strip()
        if cut == s:
            break
        s = cut
    while True:
        m = _TRAIL_LINK.search(s) if s and s[-1] in _TRAIL_LINK_LAST else None
        cut = (s[: m.start()] if m else s).strip().rstrip(_TRAIL_STRIP)
        if cut == s:
            break
        s = cut
    return s


def _role_of(subject: str) -> str | None:
    if "算" not in subject:  # every word below (and every fund name) holds 算
        return None
    subject = _FUND_KINDS.sub("", subject)
    if "决算" in subject:
        return "final"
    if "预算" in subject:
        return "budget"
    return None


def _figures(
    t: str, text: str, found: list[re.Match[str]]
) -> list[tuple[int, int, Decimal, int, str, bool, str]]:
    """(start, end, value, decimals, unit, approx, printed) of every number + unit, in text order;
    `found` holds the figure matches of _TOKEN_RE."""
    raw: list[tuple[int, int, Decimal, int, str, bool, str]] = []
    if "百分之" in t:
        for m in _PERCENT_CN_RE.finditer(t):
            try:
                v = parse_number(m.group("cn"))
            except (ValueError, ArithmeticError):
                continue
            raw.append((m.start(), m.end(), v, decimals_of(v), "%", False, m.group(0)))
    covered = [(s, e) for s, e, *_ in raw]
    for m in found:
        start, end = m.span()
        if covered and any(s <= start < e for s, e in covered):
            continue
        ar_end = m.end(_G_AR)
        approx, unit = m.group(_G_APPROX, _G_UNIT)
        try:
            if ar_end >= 0:  # t has no full-width digits left; the decimals are those printed
                ar = t[start:ar_end]
                v = Decimal(ar.replace(",", "") if "," in ar else ar)
                decimals = len(ar) - ar.index(".") - 1 if "." in ar else 0
            elif unit in _CN_UNITS:  # else 十分关心, 一次办, 八项规定: words, not figures
                v = parse_number(t[start : m.end(_G_CN)])
                decimals = decimals_of(v)
            else:
                continue
        except (ValueError, ArithmeticError):
            continue
        raw.append((start, end, v, decimals, _UNIT_NAME[unit], approx is not None, text[start:end]))
    if covered:
        raw.sort()
    return raw


def _ends_with(rx: re.Pattern[str], s: str, longest: int, enders: frozenset[str]) -> re.Match[str] | None:
    r"""rx.search(s) for a pattern anchored at the end (…\s*$) whose words are at most `longest`
    characters and end in one of `enders`: when s does not end in a space, its last character rules
    most texts out and only its tail can match."""
    if not s:
        return None  # every such pattern needs a word
    last = s[-1]
    if last > "\u3000":  # every character \s matches is at most U+3000
        return rx.search(s, max(0, len(s) - longest)) if last in enders else None
    return rx.search(s)


def _last_chars(*alternations: str) -> frozenset[str]:
    """The characters the words of '|'-separated alternations end with."""
    return frozenset(w[-1] for alt in alternations for w in alt.split("|"))


_DIRECTION_ENDERS = _last_chars(_DIRECTION_WORDS, _DIRECTION_LINKS)
_APPROX_ENDERS = _last_chars(_APPROX_WORDS)
_TAIL_ENDERS = _DIRECTION_ENDERS | _APPROX_ENDERS


def _may_compare(s: str) -> bool:
    """Whether _COMPARE_RE can match in s: it opens with 比/较/与/同 (a test far cheaper than the scan)."""
    return "比" in s or "较" in s or "与" in s or "同" in s


def _number_claims(p: Paragraph, t: str, layout: TextLayout, found: list[re.Match[str]]) -> list[Claim]:
    raw = _figures(t, p.text, found)
    claims: list[Claim] = []
    if not raw:
        return claims
    prev_end: dict[tuple[int, int], int] = {}  # per subject span: where the last figure ended
    # no 比/较/与/同 anywhere: no figure needs a comparison scan
    compares = _may_compare(t)
    places = layout.at_figures([f[0] for f in raw])
    for (start, end, value, decimals, unit, approx, printed), (clause, sentence, piece, in_parens) in zip(
        raw, places, strict=True
    ):
        lead_from = max(piece[0], prev_end.get(piece, piece[0]))
        prev_end[piece] = end
        before = t[lead_from:start]
        # most subjects end in neither an approximation nor a direction word: test the last
        # character once for both (a space may hide either, so it goes to the scans)
        last = before[-1:]
        if last and (last in _TAIL_ENDERS or last <= "\u3000"):
            approx_before = _ends_with(_APPROX_BEFORE, before, _APPROX_LONGEST, _APPROX_ENDERS)
            dm = _ends_with(_DIRECTION_RE, before, _DIRECTION_LONGEST, _DIRECTION_ENDERS)
        else:
            approx_before = dm = None
        if not approx and approx_before is None:
            # 以上/左右…, maybe after spaces: only a figure followed by one of these characters
            after = t[end : end + 1]
            approx = (
                after != ""
                and (after in "以左上" or after.isspace())
                and _APPROX_AFTER.match(t, end, clause[1]) is not None
            )
        else:
            approx = True
        if dm:
            direction = dm.group("dir")
            sign = -1 if direction in _NEGATIVE else 1
            subject_raw = before[: dm.start()]
            approx_raw = _ends_with(_APPROX_BEFORE, subject_raw, _APPROX_LONGEST, _APPROX_ENDERS)
        else:
            direction = sign = None
            subject_raw, approx_raw = before, approx_before
        # the subject without an approximation word ending it (the only place it can match)
        unapprox = subject_raw[: approx_raw.start()] if approx_raw else subject_raw
        subject = clean_subject(
            _COMPARE_RE.sub("", unapprox) if compares and _may_compare(unapprox) else unapprox
        )
        money = unit in MONEY_UNITS
        # the comparison in force: only money figures and changes/rates use it
        cm = _last_compare(t, sentence[0], start) if compares and (money or direction) else None
        role = None
        denominator = None
        noun = None
        if money:
            if direction:
                kind = Kind.CHANGE
            elif compares and (
                _COMPARE_START.match(t, clause[0], start) or (cm and sentence[0] + cm.start() >= lead_from)
            ):
                kind, role = Kind.AMOUNT, "prior"
                subject = clean_subject(_COMPARE_RE.sub("", subject_raw))
            else:
                kind, role = Kind.AMOUNT, _role_of(subject)
        elif unit == "%":
            clause_before = t[clause[0] : start]
            if _COMPLETION_WORDS.search(clause_before):
                kind = Kind.COMPLETION
            elif "占" in clause_before:
                kind = Kind.SHARE
                den = clause_before[clause_before.rindex("占") + 1 :]
                denominator = _DENOMINATOR_TAIL.sub("", den.strip()).strip()
            elif direction:
                kind = Kind.RATE
            else:
                kind = Kind.PERCENT
        elif unit == "个百分点":
            kind = Kind.PCT_POINT
        elif unit == "分":
            kind = Kind.SCORE
        else:
            kind = Kind.COUNT
            if unit == "个":
                nm = _NOUN.match(t, end)
                noun = _NOUN_END.split(nm.group(0), 1)[0] if nm else None
        compare_to = _WS.sub("", cm.group("to")) if cm and (direction or role == "prior") else None
        claims.append(
            Claim(  # by position: a figure-heavy text makes hundreds, and keywords cost twice as much
                kind, value, decimals, unit, direction, sign, subject, clause, (start, end), p, printed,
                role, compare_to, denominator, approx, noun, None, sentence, in_parens,
            )
        )  # fmt: skip
    return claims


def _date_and_year_claims(
    p: Paragraph, t: str, layout: TextLayout, years: list[re.Match[str]]
) -> list[Claim]:
    """Dates, and the years (`years`: the year matches of _TOKEN_RE) outside them."""
    out: list[Claim] = []
    if "年" not in t:
        return out
    text = p.text
    covered: list[tuple[int, int]] = []
    core = _DATE_CORE_RE.search(t) if "月" in t else None
    if core:
        for m in _DATE_RE.finditer(t, _date_scan_start(t, core.start())):
            y, mo, d = m.group("y", "m", "d")
            year = int(y)
            lead = m.group("lead")
            start, end = m.span()
            at = m.start("y")
            out.append(
                Claim(  # by position, as in _number_claims
                    Kind.DATE, Decimal(year), 0, "年", None, None, lead or "", layout.clause(at),
                    (start, end), p, text[start:end],
                    "deadline" if lead in ("截至", "截止", "截止到", "截至到") else None, None, None, False, None,
                    (year, int(mo), int(d) if d else None), layout.sentence(at),
                )
            )  # fmt: skip
            covered.append((start, end))
    for m in years:
        start, end = m.span()
        if covered and any(s <= start < e for s, e in covered):
            continue
        du = m.group("du")
        out.append(
            Claim(  # by position, as in _number_claims
                Kind.YEAR, Decimal(t[start : m.end("y")]), 0, "年度" if du else "年", None, None, "",
                layout.clause(start), (start, end), p, text[start:end],
                "compare" if _COMPARED_BEFORE.search(t, max(0, start - 2), start) else None, None, None,
                False, None, None, layout.sentence(start),
            )
        )  # fmt: skip
    return out


def _date_scan_start(t: str, core: int) -> int:
    """Where no date can start before, given the first 年…月 of t at `core`: a date's year digits
    and spaces run up to its 年, after at most a lead word."""
    i = core
    while i and (t[i - 1].isdecimal() or t[i - 1].isspace()):  # \d and \s exactly
        i -= 1
    return max(0, i - _DATE_LEAD_LONGEST)


def _word_claim(
    p: Paragraph, layout: TextLayout, kind: ClaimKind, start: int, end: int, printed: str, subject: str,
    value: Decimal | None = None, direction: str | None = None, sign: int | None = None,
    compare_to: str | None = None,
) -> Claim:  # fmt: skip
    return Claim(  # by position, as in _number_claims
        kind, value, 0, None, direction, sign, subject, layout.clause(start), (start, end), p, printed, None,
        compare_to, None, False, None, None, layout.sentence(start),
    )  # fmt: skip


def _word_claims(p: Paragraph, t: str, layout: TextLayout) -> list[Claim]:
    out: list[Claim] = []
    # each pattern needs a word the substring test finds far faster than the scan
    if "持平" in t or "变化" in t or "不变" in t:
        for m in _FLAT_RE.finditer(t):
            start = m.start()
            clause = layout.clause(start)
            cm = _last_compare(t, layout.sentence(start)[0], start)
            subject = clean_subject(_COMPARE_RE.sub("", t[clause[0] : start]))
            out.append(
                _word_claim(
                    p,
                    layout,
                    Kind.FLAT,
                    start,
                    m.end(),
                    m.group(0),
                    subject,
                    value=Decimal(0),
                    direction=m.group(0),
                    sign=0,
                    compare_to=_WS.sub("", cm.group("to")) if cm else None,
                )
            )
    if "于" in t or "超过" in t:
        for m in _VERSUS_RE.finditer(t):
            w = m.group("dir")
            out.append(
                _word_claim(
                    p,
                    layout,
                    Kind.COMPARISON,
                    m.start(),
                    m.end(),
                    m.group(0),
                    m.group("a"),
                    direction=w,
                    sign=_VERSUS_SIGN[w],
                    compare_to=m.group("b"),
                )
            )
    if "支出" in t:
        for m in _CLASS_RE.finditer(t):
            out.append(_word_claim(p, layout, Kind.CLASS_NAME, m.start(), m.end(), m.group(0), m.group(0)))
    if ":" in t or "：" in t:
        for m in _DEPT_LABEL_RE.finditer(t):
            if m.group("name").endswith(_ORG_SUFFIXES):
                out.append(
                    _word_claim(p, layout, Kind.DEPARTMENT, m.start(), m.end(), m.group(0), m.group("name"))
                )
    stripped = t.strip()
    if 4 <= len(stripped) <= 30 and stripped.endswith(_ORG_SUFFIXES) and not _NOT_A_NAME.search(stripped):
        at = t.find(stripped)
        if at >= 0:
            out.append(_word_claim(p, layout, Kind.DEPARTMENT, at, at + len(stripped), stripped, stripped))
    return out


def extract_claims(p: Paragraph) -> list[Claim]:
    """All claims of one paragraph, in text order."""
    text = p.text
    t = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    layout = TextLayout(t)
    figures: list[re.Match[str]] = []
    years: list[re.Match[str]] = []
    for m in _TOKEN_RE.finditer(t):
        (figures if m.lastgroup == "unit" else years).append(m)
    # most paragraphs hold no figure and no year: skip those steps without a call
    claims = _number_claims(p, t, layout, figures) if figures or "百分之" in t else []
    if years or "月" in t:
        claims += _date_and_year_claims(p, t, layout, years)
    claims += _word_claims(p, t, layout)
    if len(claims) > 1:
        claims.sort(key=_SPAN)
    return claims


_SPAN = attrgetter("span")


def extract_all(paragraphs: list[Paragraph]) -> list[Claim]:
    """Claims of all paragraphs in order. A text repeated in another part (部门概况 in the 绩效
    report, say) is read once: its claims are copied onto the later paragraph, whose cell they name."""
    out: list[Claim] = []
    first: dict[str, list[Claim]] = {}  # text -> claims of its first paragraph
    for p in paragraphs:
        seen = first.get(p.text)
        if seen is None:
            seen = first[p.text] = extract_claims(p)
            out += seen
        else:
            out += [_moved(c, p) for c in seen]
    return out


_INIT_FIELDS = [f.name for f in fields(Claim) if f.init]
_PARAGRAPH_AT = _INIT_FIELDS.index("paragraph")
_VALUES = attrgetter(*_INIT_FIELDS)  # a claim's constructor arguments, in order


def _moved(c: Claim, p: Paragraph) -> Claim:
    """The same claim in paragraph `p` (same text, so every offset and word still holds)."""
    values = list(_VALUES(c))
    values[_PARAGRAPH_AT] = p
    return Claim(*values)
