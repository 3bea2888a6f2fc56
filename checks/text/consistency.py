"""W-7 (years and dates vs the report year), W-8 (one indicator, two values), W-13 (类 names by year)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from checks.findings import Severity
from checks.text.claims import Claim, Kind, clean_subject
from checks.text.groups import ClaimGroups
from checks.text.interval import Interval
from checks.text.paragraphs import Paragraph, is_part_title
from checks.text.rules import Tally, make_finding

# 2019 classification reform (domain.md §1.3): old name -> new name
RENAMED_2019 = {
    "文化体育与传媒支出": "文化旅游体育与传媒支出",
    "医疗卫生与计划生育支出": "卫生健康支出",
    "资源勘探信息等支出": "资源勘探工业信息等支出",
    "国土海洋气象等支出": "自然资源海洋气象等支出",
}
FIRST_YEAR = {"灾害防治及应急管理支出": 2019, "抗疫特别国债安排的支出": 2020}
_A_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")


def infer_report_year(paragraphs: list[Paragraph]) -> int | None:
    """The year in the part titles (2018年度部门决算情况说明), else the most frequent year."""
    titles = Counter(
        int(m.group(1)) for p in paragraphs if is_part_title(p.text) and (m := _A_YEAR.search(p.text))
    )
    if titles:
        return titles.most_common(1)[0][0]
    years = Counter(int(m.group(1)) for p in paragraphs for m in _A_YEAR.finditer(p.text))
    return years.most_common(1)[0][0] if years else None


def check_years(
    claims: list[Claim],
    report_year: int | None,
    tally: Tally | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-7: 截至 dates, 比/与 comparison years, part-title years, years with a stray digit."""
    tally = Tally() if tally is None else tally
    if report_year is None:
        return tally
    dated, money_sentences = _dated_and_money_sentences(groups if groups is not None else ClaimGroups(claims))
    for c in dated:
        assert c.value is not None
        digits = str(int(c.value))
        if len(digits) != 4:
            if len(digits) == 5 and str(report_year) in (digits[1:], digits[:4]):
                tally.fail(
                    make_finding(
                        "W-7",
                        f"年份“{c.printed}”多出一位数字，应为“{report_year}年”",
                        [c],
                        severity=Severity.WARNING,
                        expected=f"{report_year}年",
                        actual=c.printed,
                    )
                )
            continue
        rule = _year_rule(c, report_year, money_sentences)
        if rule is None:
            continue
        want, role = rule
        if int(c.value) == want:
            tally.ok("W-7")
        else:
            expected, message = _YEAR_TEXTS[role]
            tally.fail(
                make_finding(
                    "W-7",
                    message.format(printed=c.printed, want=want),
                    [c],
                    expected=expected.format(want=want),
                    actual=c.printed,
                )
            )
    return tally


# per part a year plays: the year as it should be printed, the message when it is not that year
_YEAR_TEXTS = {
    "deadline": (
        "{want}年12月31日",
        "“{printed}”的年份与报告年度{want}年不符，决算数据应截至{want}年12月31日",
    ),
    "compare": ("{want}年", "比较年度“{printed}”应为上年（{want}年）"),
    "statement": ("{want}年", "“{printed}”开头陈述本年数，年份应为报告年度{want}年"),
    "title": ("{want}年", "标题年份“{printed}”与报告年度{want}年不符"),
}


def _year_rule(c: Claim, report_year: int, money_sentences: set) -> tuple[int, str] | None:
    """(the year `c` must be, the part it plays: a key of _YEAR_TEXTS) — None when the year plays
    no part W-7 judges. The texts are made only for a wrong year: most are right."""
    if c.kind == Kind.DATE and c.role == "deadline":
        return report_year, "deadline"
    if c.kind != Kind.YEAR:
        return None
    if c.role == "compare":
        return report_year - 1, "compare"
    if c.role is None and _opens_statement(c, money_sentences):
        return report_year, "statement"
    if is_part_title(c.paragraph.text):
        return report_year, "title"
    return None


_LEAD = re.compile(
    r"^[\s“”\"]*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?(?:本部门|本单位|我单位|我部门|本局|我局|本中心)?$"
)
_NONE_STATEMENT = re.compile(r"(无|没有)[^。；]{0,24}(收入|支出|收支)")


def _opens_statement(year: Claim, money_sentences: set) -> bool:
    """'2018年度财政拨款收入…1680.02万元': a year opening a sentence that states an amount.

    A year inside a sentence ('2017年度…表彰经费40万元' paid this year) is not the period of the figures.
    """
    text = year.paragraph.text
    if not _LEAD.match(text[year.sentence[0] : year.span[0]]):
        return False
    if (id(year.paragraph), year.sentence) in money_sentences:
        return True
    # '本部门2020年度无国有资本经营…支出' (searched within the sentence, not cut out of the text)
    return _NONE_STATEMENT.search(text, *year.sentence) is not None


_DATED = (Kind.DATE, Kind.YEAR)
_MONEY = (Kind.AMOUNT, Kind.CHANGE)  # the kinds of the money figures (is_money)


def _dated_and_money_sentences(groups: ClaimGroups) -> tuple[list[Claim], set[tuple[int, tuple[int, int]]]]:
    """The dates and years with a value, and the (paragraph, sentence) pairs that state an amount."""
    dated = [c for c in groups.of_kinds(_DATED) if c.value is not None]
    money_sentences = {
        (id(c.paragraph), c.sentence)
        for kind in _MONEY
        for c in groups.of_kind(kind)
        if c.value is not None and c.role != "prior" and c.is_money
    }
    return dated, money_sentences


# --- W-8 ---------------------------------------------------------------------------------------

_STAFF_UNITS = {"人", "名", "辆", "台", "台（套）"}
_ORG_NOUN = re.compile(r"科室|处室|内设机构|机构|下属|二级单位|事业单位|股室")  # 8个科室, not 24个系统
_ORG_PREFIX = re.compile(r"^.*?(?:中心|局|委员会|办公室|单位|部门)(?=核定|内设|现有|共有|下设|机关)")
_ORG_FOLLOW = re.compile(r"核定|内设|现有|共有|下设|机关")
_VERBS = frozenset(("核定", "现有", "共有", "下设", "内设"))  # a verb opening the subject is cut off
# a subject made of these words only is too vague to compare. No word begins another, so a text
# splits into them in at most one way: a full match is what removing every match leaves empty.
_ONLY_GENERIC = re.compile(
    r"(?:支出|收入|预算|决算|数|为|年初|财政拨款|总|合计|金额|资金|经费|本年|的|比例)+"
)
# compiled at import: a CJK character class costs a 64K table while compiling, a peak in every check
_CLOSE_PAREN = re.compile(r"[)）]")


def indicator_key(c: Claim, subjects: dict[str, str | None] | None = None) -> tuple[str, str, str] | None:
    """(subject, unit family, noun) naming what a figure measures, or None when too vague to compare
    (`subjects`: measured_subject's answers so far in this run)."""
    if c.value is None or c.approx or c.role == "prior":
        return None
    fam = _unit_family(c)
    if fam is None:
        return None
    if subjects is None:
        s = measured_subject(c.subject, cleaned=True)  # (an amount's or a count's: see _clean_again)
    else:
        s = subjects.get(c.subject, ...)  # type: ignore[arg-type]
        if s is ...:
            s = subjects[c.subject] = measured_subject(c.subject, cleaned=True)
    return None if s is None else (s, fam, c.noun or "")


def _unit_family(c: Claim) -> str | None:
    """万元 for an amount of money, the unit for a count of staff, vehicles or offices; None for
    other figures, which W-8 does not compare."""
    if c.kind == Kind.AMOUNT and c.is_money:
        return "万元"
    if c.kind == Kind.COUNT and (
        c.unit in _STAFF_UNITS or (c.unit == "个" and _ORG_NOUN.search(c.noun or ""))
    ):
        return c.unit or ""
    return None


_END_QUOTES = "“”\"'"  # what clean_subject strips off both ends before its loops (besides spaces)


def _clean_again(subject: str) -> str:
    """clean_subject(subject) of a subject clean_subject gave. Its loops stop at a subject they leave
    as it is, so only its first step, stripping the quotes at the ends, can change such a subject.
    Every amount's and count's subject (the claims W-8 compares) is clean_subject's (claims.py)."""
    if subject and (subject[0] in _END_QUOTES or subject[-1] in _END_QUOTES):
        return clean_subject(subject)
    return subject


def measured_subject(subject: str, cleaned: bool = False) -> str | None:
    """What a figure's subject says it measures, without fillers, the organisation and verbs before
    it and 在职 after it; None when too vague to compare (`cleaned`: the subject is clean_subject's,
    as an amount's or a count's is)."""
    s = cleaned_subject = _clean_again(subject) if cleaned else clean_subject(subject)
    if ")" in s or "）" in s:
        opened = s.count("(") + s.count("（")
        if opened < s.count(")") + s.count("）"):
            s = _CLOSE_PAREN.split(s)[-1]  # a parenthesis closed before the subject started
    if _ORG_FOLLOW.search(s):  # the lookahead of _ORG_PREFIX: without one of its words it cannot match
        s = _ORG_PREFIX.sub("", s)
    if s[:2] in _VERBS:
        s = s[2:]
    if s.endswith("在职"):
        s = s[:-2]
    # clean again what the cuts left: clean_subject does not always finish in one call (a quote
    # before a link it cut stays), but a subject it left as it was it leaves so again
    if s != cleaned_subject or cleaned_subject != subject:
        s = clean_subject(s)
    if len(s) < 2 or _ONLY_GENERIC.fullmatch(s):
        return None
    return s


_PART_NAMES = {
    "explanation": "情况说明",
    "overview": "部门概况",
    "perf_overall": "整体支出绩效评价报告",
    "perf_project": "项目支出绩效评价报告",
}


def _place(p: Paragraph) -> str:
    kind = _PART_NAMES.get(p.part_kind, p.part or p.sheet)
    sec = "".join(p.section)
    return f"{kind}{sec}" if sec else kind


_MEASURED = (Kind.AMOUNT, Kind.COUNT)  # the only kinds _unit_family keeps


def _indicator_groups(groups: ClaimGroups) -> dict[tuple[str, str, str], list[Claim]]:
    """The claims outside the glossary by indicator_key, keys in the order they first appear."""
    found: dict[tuple[str, str, str], list[Claim]] = {}
    subjects: dict[str, str | None] = {}  # a subject repeats (部门概况 quoted in the 绩效 report)
    for c in groups.of_kinds(_MEASURED):
        # indicator_key, inline: most claims fail its first tests
        if c.value is None or c.approx or c.role == "prior" or c.paragraph.part_kind == "glossary":
            continue
        fam = _unit_family(c)
        if fam is None:
            continue
        s = subjects.get(c.subject, ...)  # type: ignore[arg-type]
        if s is ...:
            s = subjects[c.subject] = measured_subject(c.subject, cleaned=True)  # (an amount or a count)
        if s is not None:
            found.setdefault((s, fam, c.noun or ""), []).append(c)
    return found


def check_repeated(
    claims: list[Claim], tally: Tally | None = None, groups: ClaimGroups | None = None
) -> Tally:
    """W-8: a person/vehicle count or a named amount quoted with different values in different sections."""
    tally = Tally() if tally is None else tally
    groups = groups if groups is not None else ClaimGroups(claims)
    for (subject, fam, noun), cs in _indicator_groups(groups).items():
        if len(cs) < 2:
            continue  # quoted once: nothing to compare (most figures)
        places = {(c.paragraph.part, c.paragraph.section) for c in cs}
        if len(places) < 2:
            continue
        clusters: list[list[Claim]] = []
        heads: list[Interval] = []  # each cluster's first interval
        for c in cs:
            iv = c.interval()
            for cl, head in zip(clusters, heads, strict=True):
                if head.overlaps(iv):
                    cl.append(c)
                    break
            else:
                clusters.append([c])
                heads.append(iv)
        if len(clusters) == 1:
            tally.ok("W-8")
            continue
        clusters.sort(key=len)  # the odd one out first
        unit = "万元" if fam == "万元" else fam
        parts = []
        for cl in clusters:
            where = "、".join(dict.fromkeys(_place(c.paragraph) for c in cl))
            assert cl[0].value is not None
            parts.append(f"{_fmt(cl[0].value)}{unit}（{where}）")
        ordered = [c for cl in clusters for c in cl]
        tally.fail(
            make_finding(
                "W-8",
                f"“{subject}{noun}”在不同部分数值不同：" + "；".join(parts),
                ordered,
                expected=f"{_fmt(clusters[-1][0].value or Decimal(0))}{unit}",
                actual=f"{_fmt(clusters[0][0].value or Decimal(0))}{unit}",
            )
        )
    return tally


def _fmt(v: Decimal) -> str:
    return format(v, "f")


def check_class_names(
    claims: list[Claim],
    report_year: int | None,
    tally: Tally | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-13: 功能分类 类 names in the text belong to the report year's classification."""
    tally = Tally() if tally is None else tally
    if report_year is None:
        return tally
    new_to_old = {v: k for k, v in RENAMED_2019.items()}
    for c in (groups if groups is not None else ClaimGroups(claims)).of_kind(Kind.CLASS_NAME):
        name = c.subject
        wrong = None
        if report_year >= 2019 and name in RENAMED_2019:
            wrong = f"2019年起该类科目名称为“{RENAMED_2019[name]}”"
        elif report_year <= 2018 and name in new_to_old:
            wrong = f"{report_year}年该类科目名称为“{new_to_old[name]}”"
        elif name in FIRST_YEAR and report_year < FIRST_YEAR[name]:
            wrong = f"“{name}”自{FIRST_YEAR[name]}年起才设立"
        if wrong is None:
            tally.ok("W-13")
        else:
            tally.fail(
                make_finding(
                    "W-13", f"科目名称“{name}”与报告年度{report_year}年不符：{wrong}", [c], actual=name
                )
            )
    return tally
