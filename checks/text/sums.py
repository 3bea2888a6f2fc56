"""W-5 (parts add to the stated total), W-6 (shares add to 100%), W-11 (share = part ÷ total).

Lists are read the way they are written: a total, then 其中/中，/主要是 and the parts up to
the sentence end; a parenthesis （含…） under the figure before it; a paragraph ending in
其中： whose parts are the following paragraphs (三公: 预算 and 决算 columns at once).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from checks.findings import Finding, Severity
from checks.text.claims import MONEY_UNITS, Claim, Kind
from checks.text.groups import ClaimGroups
from checks.text.interval import HUNDRED, Interval, interval_sum, pct_point, round_half_up
from checks.text.paragraphs import Paragraph
from checks.text.rules import Tally, fmt_pct, make_finding

_QIZHONG = re.compile(r"其中\s*[：:，,]?")
_ZHONG = re.compile(r"中\s*[，,]")  # 3383.61万元中，财政拨款支出…
_MAINLY = re.compile(r"主要(?:原因)?(?:是|为|有|用于|包括)[：:]?")
_PAREN_LIST = re.compile(r"[（(]\s*(?:含|其中|包括)[^）)]*[）)]")
_QIZHONG_END = re.compile(r"其中\s*[：:]\s*$")
_COLONS = ("：", ":")
_SENT_END = "。！？!?\n"
_SENT_END_RE = re.compile("[" + _SENT_END + "]")


def _unit_family(c: Claim) -> str:
    unit = c.unit
    if unit in MONEY_UNITS:  # c.is_money, without the property call: this runs per figure
        return "money"
    if unit in ("人", "名"):
        return "person"
    return unit or ""


def _eligible(c: Claim) -> bool:
    if c.value is None or c.approx:
        return False
    if c.unit in MONEY_UNITS:  # c.is_money, without the property call: this runs per figure
        return c.kind in (Kind.AMOUNT, Kind.CHANGE) and c.role != "prior"
    return c.kind == Kind.COUNT


def _band(items: list[Claim]) -> Interval:
    return interval_sum([c.interval() for c in items])


def _sentence_ends(text: str) -> list[int]:
    """Where the text's sentences end (each _SENT_END character), in order: one scan for all of a
    paragraph's markers, each of which looks for the end before and after it."""
    return [m.start() for m in _SENT_END_RE.finditer(text)]


def _show(v: Decimal, decimals: int) -> str:
    return f"{round_half_up(v, decimals):.{decimals}f}"


def _num(c: Claim) -> str:
    assert c.value is not None
    return format(c.value, "f")


@dataclass(slots=True)
class _List:
    total: Claim
    parts: list[Claim]
    marker: str  # 其中 / 中 / 主要是 / 含
    may_end_early: bool = True  # a '，'-separated list may stop before the sentence does
    band: Interval | None = None  # Σ parts, when finding the list already summed them

    def parts_band(self) -> Interval:
        if self.band is None:
            self.band = _band(self.parts)
        return self.band

    def sep(self, k: int) -> str:
        """The text between part k and part k + 1 (read only when a list may end early)."""
        a, b = self.parts[k], self.parts[k + 1]
        return a.paragraph.text[a.span[1] : b.span[0]]


class ParagraphLists:
    """The lists of each paragraph, found once for W-5 and W-6/11 (one check call's claims)."""

    __slots__ = ("_found",)

    def __init__(self) -> None:
        self._found: dict[int, list[_List]] = {}  # id(paragraph) -> its lists

    def of(self, claims: list[Claim]) -> list[_List]:
        """Lists among one paragraph's claims (all claims of one paragraph, in text order)."""
        if not claims:
            return []
        key = id(claims[0].paragraph)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = _lists_in_paragraph(claims)
        return found


def _lists_in_paragraph(claims: list[Claim]) -> list[_List]:
    if len(claims) < 2:
        return []  # every list is a total and at least one part
    text = claims[0].paragraph.text
    # cheap tests first (a one-character search is several times faster than a two-character one;
    # the figures are few): most paragraphs are ruled out before their figures are read in full
    has_qizhong = "其" in text and "其中" in text
    has_mainly = "主" in text and "主要" in text
    zhong_at = [c.span[1] for c in claims if text.startswith("中", c.span[1])] if "中" in text else []
    if not (has_qizhong or has_mainly or zhong_at or _may_hold_paren_list(text, claims, has_qizhong)):
        return []  # no marker a list opens with
    eligible = [c for c in claims if _eligible(c)]  # the figures a list may hold, in text order
    if len(eligible) < 2:
        return []  # every list is a total and at least one part, all eligible
    markers: list[tuple[int, int, str]] = []
    if has_qizhong:
        markers += [(m.start(), m.end(), "其中") for m in _QIZHONG.finditer(text)]
    if has_mainly:
        markers += [(m.start(), m.end(), "主要是") for m in _MAINLY.finditer(text)]
    if zhong_at:
        markers += _zhong_markers(text, eligible, zhong_at)
    markers.sort()
    opening: list[tuple[int, int, str]] = []
    naming: list[int] = []  # ends of the 主要… markers that name items only: they open no list
    for m in markers:
        if m[2] == "主要是" and not _figure_before_semicolon(text, eligible, m[1]):
            naming.append(m[1])
        else:
            opening.append(m)
    out: list[_List] = []
    if opening:
        found = _MarkerLists(text, eligible, markers, naming)  # all markers bound the lists before them
        for marker in opening:
            found.add_lists_at(marker, out)
    return out + _paren_lists(claims, text)


def _figure_before_semicolon(text: str, eligible: list[Claim], end: int) -> bool:
    """Whether a figure follows a 主要… marker (ending at `end`) before the next '；': one that names
    items only ('…191万元，主要用于…；') opens no list (see add_lists_at), and _describes it (it
    looks no further than the '；')."""
    found = [i for i in (text.find("；", end), text.find(";", end)) if i != -1]
    bound = min(found) if found else len(text)
    return any(end <= c.span[0] < bound for c in eligible)


class _MarkerLists:
    """The lists opened by a paragraph's markers (其中/中/主要是): what they share, found once."""

    __slots__ = ("text", "eligible", "markers", "free", "ends", "_describes")

    def __init__(
        self, text: str, eligible: list[Claim], markers: list[tuple[int, int, str]], naming: list[int]
    ) -> None:
        self.text = text
        self.eligible = eligible
        self.markers = markers  # in text order
        self.free = [c for c in eligible if not c.in_parens]
        self.ends = _sentence_ends(text)
        # 主要… marker end -> whether it names items only (`naming`: those known to)
        self._describes: dict[int, bool] = dict.fromkeys(naming, True)

    def add_lists_at(self, marker: tuple[int, int, str], out: list[_List]) -> None:
        text, ends = self.text, self.ends
        start, end, name = marker
        if name == "其中" and start > 0 and text[start - 1] in _SENT_END:
            limit = 0  # '。其中': the total closes the previous sentence
        else:
            i = bisect_left(ends, start)  # the last end before the marker
            limit = ends[i - 1] + 1 if i else 0
        i = bisect_left(ends, end)  # the first end from the marker's end on
        stop = ends[i] if i < len(ends) else len(text)
        if name == "主要是":
            semi = min([i for i in (text.find("；", end), text.find(";", end)) if i != -1] or [stop])
            if not any(end <= c.span[0] < semi for c in self.eligible):
                # '…191万元，主要用于…；电子政务…368万元': a description, no parts (the list would
                # stop at the '；' with no figure before it)
                return
        before = [c for c in self.free if limit <= c.span[0] and c.span[1] <= start]
        if not before:
            return
        total = before[-1]
        stop = self._next_marker(end, stop)
        fam = _unit_family(total)
        parts = [c for c in self.free if end <= c.span[0] < stop and _unit_family(c) == fam]
        band = None
        if total.kind == Kind.AMOUNT:
            parts = [c for c in parts if c.kind == Kind.AMOUNT]
            if limit == 0 and parts:
                total, band = _whole_before(before, parts)
        roles = {c.role for c in parts}
        if {"budget", "final"} <= roles:
            # '预算为25万元，决算为21.63万元。其中：…预算为0.00万元，决算为0.00万元；…': two columns
            for role in ("budget", "final"):
                col_total = next((c for c in reversed(before) if c.role == role), None)
                col = [c for c in parts if c.role == role]
                if col_total is not None and col:
                    out.append(_List(col_total, col, name, may_end_early=False))
        elif parts:
            out.append(_List(total, parts, name, band=band))

    def _next_marker(self, end: int, stop: int) -> int:
        """Where the next marker within [end, stop) opens a list of its own (or `stop`); a 主要…
        that only names items (_describes) does not."""
        for a, b, kind in self.markers:  # in text order: the first that counts is the nearest
            if end <= a < stop and not (kind == "主要是" and self._names_items(b)):
                return a
        return stop

    def _names_items(self, marker_end: int) -> bool:
        known = self._describes.get(marker_end)
        if known is None:
            known = self._describes[marker_end] = _describes(self.eligible, self.text, marker_end)
        return known


def _whole_before(before: list[Claim], parts: list[Claim]) -> tuple[Claim, Interval | None]:
    """'。其中' looks back across a sentence end, where several figures may be the whole
    ('…支出197.84万元，年末结转和结余0万元。其中：…'): the last one the parts make up, else the
    last figure before the marker; with Σ parts when it was summed."""
    amounts = [c for c in before if c.kind == Kind.AMOUNT]
    if not amounts or (len(amounts) == 1 and amounts[0] is before[-1]):
        return before[-1], None  # whichever fits, the whole is the last figure
    band = _band(parts)
    fitting = next((c for c in reversed(amounts) if band.overlaps(c.interval())), None)
    return (fitting if fitting is not None else before[-1]), band


def _paren_lists(claims: list[Claim], text: str) -> list[_List]:
    """（含 a、b…） under the figure right before the parenthesis."""
    out: list[_List] = []
    if not _paren_after_figure(text, claims):
        return out  # the scan below would find no total: a figure right before the parenthesis
    for m in _PAREN_LIST.finditer(text):
        opening, closing = m.span()
        touch = opening  # figures ending from here to the parenthesis have only spaces between
        while touch and text[touch - 1].isspace():
            touch -= 1
        total = next((c for c in claims if touch <= c.span[1] <= opening), None)
        if total is None or not _eligible(total):
            continue
        fam = _unit_family(total)
        parts = [
            c for c in claims if opening < c.span[0] < closing and _eligible(c) and _unit_family(c) == fam
        ]
        if parts:
            out.append(_List(total, parts, "含", may_end_early=False))  # the parenthesis bounds it
    return out


def _may_hold_paren_list(text: str, claims: list[Claim], has_qizhong: bool) -> bool:
    """Whether _paren_lists can find a list: _PAREN_LIST needs a （ or ( and one of 含/其中/包括
    (`has_qizhong`: whether the text holds 其中), and the list a figure right before the parenthesis."""
    if not ("含" in text or has_qizhong or ("包" in text and "包括" in text)):
        return False
    return _paren_after_figure(text, claims)


def _paren_after_figure(text: str, claims: list[Claim]) -> bool:
    """Whether a （ or ( follows one of the claims, after spaces maybe (a test of a few places,
    not a scan of the text)."""
    if "（" not in text and "(" not in text:
        return False
    return any(_paren_follows(text, c.span[1]) for c in claims)


def _paren_follows(text: str, at: int) -> bool:
    """Whether a （ or ( opens at `at`, after spaces maybe."""
    while at < len(text) and text[at].isspace():
        at += 1
    return text.startswith(("（", "("), at)


def _zhong_markers(text: str, eligible: list[Claim], zhong_at: list[int]) -> list[tuple[int, int, str]]:
    """'3383.61万元中，…': a 中， right at the end of a figure (`zhong_at`: the figures' ends a 中
    follows). Looked for there, not by scanning the text (中 is frequent: 中心). _ZHONG's matches
    cannot overlap, so its matches at those ends are the ones a scan of the text would find there."""
    ends = {c.span[1] for c in eligible}
    out: list[tuple[int, int, str]] = []
    for end in sorted(set(zhong_at)):
        m = _ZHONG.match(text, end) if end in ends else None
        if m:
            out.append((end, m.end(), "中"))
    return out


def _describes(eligible: list[Claim], text: str, end: int) -> bool:
    """'公用经费358.02万元，占25.83%，主要包括办公费、差旅费；': a 主要… that names items, no figures
    (`eligible`: the paragraph's figures a list may hold)."""
    stop = min([i for i in (text.find(ch, end) for ch in "；;。") if i != -1] or [len(text)])
    return not any(end <= c.span[0] < stop for c in eligible)


def check_lists(
    claims: list[Claim],
    paragraphs: list[Paragraph],
    tally: Tally | None = None,
    lists: ParagraphLists | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-5 over in-paragraph lists and paragraph-spanning 其中： lists."""
    tally = Tally() if tally is None else tally
    lists = ParagraphLists() if lists is None else lists
    by_p = (groups if groups is not None else ClaimGroups(claims)).by_paragraph()
    for cs in by_p.values():
        for lst in lists.of(cs):
            _judge_list(lst, cs, tally)
    _check_paragraph_lists(paragraphs, by_p, tally)
    return tally


def _judge_list(lst: _List, para_claims: list[Claim], tally: Tally) -> None:
    total, parts = lst.total, lst.parts
    tv = total.interval()
    band = lst.parts_band()
    if band.overlaps(tv):
        tally.ok("W-5")
        return
    partial = lst.marker in ("主要是", "含") or len(parts) == 1
    if band.hi < tv.lo:
        if partial:
            tally.ok("W-5")  # a partial list only has to stay within the total
            return
        running: list[Claim] = []
        for k, c in enumerate(parts[:-1]):
            running.append(c)
            if lst.may_end_early and k >= 1 and "、" not in lst.sep(k) and _band(running).overlaps(tv):
                tally.ok("W-5")  # the list ended here; what follows is another fact
                return
        if _shares_declare_partial(parts, para_claims):
            tally.ok("W-5")
            return
        names, s_mid, d, unit = _sum_text(total, parts)
        tally.fail(
            make_finding(
                "W-5",
                f"所列分项 {names} = {_show(s_mid, d)}{unit}，小于总数 {total.printed}，可能未列全",
                [total, *parts],
                severity=Severity.WARNING,
                expected=total.printed,
                actual=f"{_show(s_mid, d)}{unit}",
            )
        )
        return
    running = []
    for k, c in enumerate(parts[:-1]):
        running.append(c)
        if lst.may_end_early and k >= 1 and "、" not in lst.sep(k) and _band(running).overlaps(tv):
            tally.ok("W-5")
            return
    names, s_mid, d, unit = _sum_text(total, parts)
    tally.fail(
        make_finding(
            "W-5",
            f"所列分项 {names} = {_show(s_mid, d)}{unit}，大于总数 {total.printed}"
            if partial
            else f"分项之和 {names} = {_show(s_mid, d)}{unit}，与总数 {total.printed} 不符",
            [total, *parts],
            expected=total.printed,
            actual=f"{_show(s_mid, d)}{unit}",
            args={"total": total.wan(), "sum": s_mid},
        )
    )


def _sum_text(total: Claim, parts: list[Claim]) -> tuple[str, Decimal, int, str]:
    """What a W-5 message shows: the parts as printed, their sum, its decimals and unit."""
    names = "＋".join(_num(c) for c in parts)
    s_mid = sum((c.wan() for c in parts), Decimal(0))
    d = max(c.decimals for c in [total, *parts])
    return names, s_mid, d, "万元" if total.is_money else (total.unit or "")


def _shares_declare_partial(parts: list[Claim], para_claims: list[Claim]) -> bool:
    """Parts carrying 占X% that add to clearly less than 100% say the list is partial."""
    shares = [_share_after(c, para_claims) for c in parts]
    if any(s is None for s in shares):
        return False
    return interval_sum([s.interval() for s in shares if s is not None]).hi < HUNDRED


def _share_after(part: Claim, para_claims: list[Claim]) -> Claim | None:
    i = next((k for k, c in enumerate(para_claims) if c is part), None)
    if i is None:
        return None
    for c in para_claims[i + 1 :]:
        if c.kind == Kind.SHARE and c.sentence == part.sentence:
            return c
        if c.value is not None and c.kind not in (Kind.YEAR, Kind.DATE):
            return None
    return None


def _amount_vector(p: Paragraph, claims: list[Claim], upto: int | None = None) -> list[Claim]:
    text = p.text
    cut = upto if upto is not None else len(text)
    m = _QIZHONG.search(text)
    if upto is None and m:
        cut = m.start()
    return [
        c for c in claims
        if c.span[1] <= cut and c.is_money and c.kind == Kind.AMOUNT and c.role != "prior"
        and not c.approx and not c.in_parens and c.value is not None
    ]  # fmt: skip


def _check_paragraph_lists(paragraphs: list[Paragraph], by_p: dict[int, list[Claim]], tally: Tally) -> None:
    """'…支出预算为17万元，支出决算为10.08万元，…其中：' + one paragraph per item (columns add up)."""
    # the totals are figures of the paragraph, and only a text ending in '：' can end in '其中：':
    # test the end of the texts with figures only, not search every paragraph
    heads = {key for key, cs in by_p.items() if cs[0].paragraph.text.rstrip().endswith(_COLONS)}
    if not heads:
        return
    for i, p in enumerate(paragraphs):
        if id(p) not in heads:
            continue
        m = _QIZHONG_END.search(p.text)
        if not m:
            continue
        start = max(p.text.rfind(ch, 0, m.start() - 1) for ch in _SENT_END) + 1
        totals = [c for c in _amount_vector(p, by_p.get(id(p), []), upto=m.start()) if c.span[0] >= start]
        if not totals:
            continue
        rows: list[list[Claim]] = []
        for q in paragraphs[i + 1 :]:
            if q.part != p.part or q.section[: len(p.section)] != p.section:
                break
            hm = q.marker
            if hm and len(q.text) <= 40 and "。" not in q.text:
                break
            vec = _amount_vector(q, by_p.get(id(q), []))
            if not vec:
                break
            rows.append(vec)
        if len(rows) < 2 or any(len(r) != len(totals) for r in rows):
            continue
        for k, total in enumerate(totals):
            col = [r[k] for r in rows]
            _judge_list(_List(total, col, "其中", may_end_early=False), [], tally)


# --- shares ------------------------------------------------------------------------------------

_WHOLE = re.compile(r"^[^，,。；;：:]*?中\s*[，,：:]")
_MEASURE_NOISE = re.compile(
    r"\d{4}\s*年度?|本年度|本年|全年|年度|总额|金额|合计|总计|总|的|比例|比重|数|全部"
)


def _norm_measure(s: str) -> str:
    return _MEASURE_NOISE.sub("", s or "").strip()


def _share_parts(sent: list[Claim]) -> dict[int, Claim | None]:
    """id(share) -> the figure it refers to: the nearest money/count figure before it in the
    sentence, unless another share comes between. One walk through the sentence for all its shares."""
    out: dict[int, Claim | None] = {}
    last: Claim | None = None  # the nearest such figure since the last share
    for c in sent:
        if c.kind == Kind.SHARE:
            out[id(c)] = last
            last = None
        elif _eligible(c) and not c.in_parens:
            last = c
    return out


def check_shares(
    claims: list[Claim],
    tally: Tally | None = None,
    lists: ParagraphLists | None = None,
    groups: ClaimGroups | None = None,
) -> Tally:
    """W-11 for each share whose denominator the paragraph prints; W-6 per enumeration."""
    tally = Tally() if tally is None else tally
    found = ParagraphLists() if lists is None else lists
    groups = groups if groups is not None else ClaimGroups(claims)
    # the sentences printing a share, found from the shares: few paragraphs hold one
    with_share = {(id(c.paragraph), c.sentence[0]) for c in groups.of_kind(Kind.SHARE)}
    if not with_share:
        return tally
    paragraphs_with_share = {key[0] for key in with_share}
    by_sentence = groups.by_sentence()
    measures = _Measures()
    for key, para_claims in groups.by_paragraph().items():
        if key not in paragraphs_with_share:
            continue
        para_lists = found.of(para_claims)  # found for W-5 already, when both run
        for start in dict.fromkeys(c.sentence[0] for c in para_claims):  # its sentences, in order
            if (key, start) not in with_share:
                continue
            sent = by_sentence[(key, start)]
            shares = [c for c in sent if c.kind == Kind.SHARE and c.value is not None]
            if not shares:
                continue
            parts = _share_parts(sent)
            by_measure: dict[tuple[str, int], list[Claim]] = {}
            level = 0  # '占…93.32%，其中：小微…占…51.49%' is a part of a part, not a sibling
            for k, s in enumerate(shares):
                if k and _QIZHONG.search(s.paragraph.text, shares[k - 1].span[1], s.span[0]):
                    level += 1
                by_measure.setdefault((measures[s.denominator or ""], level), []).append(s)
            for group in by_measure.values():
                _judge_share_group(group, parts, para_lists, para_claims, tally, measures)
    return tally


class _Measures(dict[str, str]):
    """_norm_measure of each subject met in one check_shares call, worked out once (every share
    compares its denominator with the subjects of the figures before it)."""

    def __missing__(self, s: str) -> str:
        m = self[s] = _norm_measure(s)
        return m


def _resolve_total(
    s: Claim,
    part: Claim | None,
    lists: list[_List],
    para_claims: list[Claim],
    measures: _Measures,
    followed: Callable[[], set[int]],
) -> Claim | None:
    den = measures[s.denominator or ""]
    if part is not None:
        for lst in lists:
            if lst.marker in ("其中", "中", "主要是") and any(x is part for x in lst.parts):
                subj = measures[lst.total.subject]
                if not den or den in subj or (subj and subj in den):
                    return lst.total
    if not den:
        return None
    at = s.span[0]
    for c in para_claims:
        if c.span[0] > at or c is part or not _eligible(c) or (part and id(c) in followed()):
            continue
        subj = measures[c.subject]
        if subj and (den == subj or den in subj or subj in den) and c.kind == Kind.AMOUNT:
            return c
    return None


def _followed_by_share(para_claims: list[Claim]) -> set[int]:
    """ids of the claims whose `_share_after` is a share: one pass from the end, not one walk each."""
    out: set[int] = set()
    nxt: Claim | None = None  # the nearest later claim that ends the walk: a share or another figure
    for c in reversed(para_claims):
        if nxt is not None and nxt.kind == Kind.SHARE and nxt.sentence == c.sentence:
            out.add(id(c))
        if c.kind == Kind.SHARE or (c.value is not None and c.kind not in (Kind.YEAR, Kind.DATE)):
            nxt = c
    return out


def _judge_share_group(
    group: list[Claim],
    parts: dict[int, Claim | None],
    lists: list[_List],
    para_claims: list[Claim],
    tally: Tally,
    measures: _Measures,
) -> None:
    followed: set[int] | None = None

    def followed_by_share() -> set[int]:  # the paragraph's, found once for all the group's shares
        nonlocal followed
        if followed is None:
            followed = _followed_by_share(para_claims)
        return followed

    totals = {
        id(s): _resolve_total(s, parts[id(s)], lists, para_claims, measures, followed_by_share) for s in group
    }
    all_parts = [parts[id(s)] for s in group]
    listed = [p for p in all_parts if p is not None]
    have_parts = len(listed) == len(all_parts)
    if len(group) >= 2:
        common = {id(t) if t is not None else None for t in totals.values()}
        total = totals[id(group[0])] if len(common) == 1 else None
        # W-6 first: it decides whether the parts make the whole (and so can serve as the total)
        whole = _judge_share_sum(group, total, listed, have_parts, tally)
        if whole is not None:
            # the parts are the whole: each share is part ÷ Σ parts
            for s, p in zip(group, listed, strict=True):
                _judge_share(s, p, None, listed, tally, whole)
            return
    for s in group:
        part, total = parts[id(s)], totals[id(s)]
        if part is not None and total is not None:
            _judge_share(s, part, total, [], tally)


def _judge_share_sum(
    group: list[Claim], total: Claim | None, listed: list[Claim], have_parts: bool, tally: Tally
) -> Interval | None:
    """W-6 for two or more shares of one whole (`total`: the printed whole they share, if any).
    Returns Σ parts when the parts are the whole, unprinted: the base of every share then."""
    share_sum = interval_sum([s.interval() for s in group])
    band: Interval | None = None  # Σ parts, summed once
    exhaustive = False
    if total is not None and have_parts:
        exhaustive = _band(listed).overlaps(total.interval())
    elif total is None:
        # '“三公”经费…支出决算中，A占a%；B占b%' breaks a whole down; so do shares that make 100%
        whole = _WHOLE.match(group[0].sentence_text)
        exhaustive = share_sum.contains(HUNDRED) or (
            whole is not None and all(p.span[0] >= group[0].sentence[0] + whole.end() for p in listed)
        )
    hundred = Interval.exact(HUNDRED)
    if total is None and have_parts and listed:
        # the unprinted whole is the table's rounded total, which may differ from Σ parts by a
        # rounding tail: allow (n + 1) half-cents of it, relative to the parts
        band = _band(listed)
        if band.mid > 0:
            slack = HUNDRED * (band.hi - band.lo) / 2 * (len(listed) + 1) / len(listed) / band.mid
            hundred = Interval(HUNDRED - slack, HUNDRED + slack)
    ok = share_sum.overlaps(hundred) if exhaustive else share_sum.lo <= HUNDRED
    if ok:
        tally.ok("W-6")
    else:
        tally.fail(_share_sum_finding(group, share_sum, exhaustive, listed, have_parts))
    return band if total is None and exhaustive and have_parts else None


def _share_sum_finding(
    group: list[Claim], share_sum: Interval, exhaustive: bool, listed: list[Claim], have_parts: bool
) -> Finding:
    d = max(s.decimals for s in group)
    msg = (
        f"同一列举中各项占比之和为 {_show(share_sum.mid, d)}%（"
        + "＋".join(s.printed for s in group)
        + "），"
        + ("应为100%" if exhaustive else "超过100%")
    )
    if have_parts and listed:
        base = sum((p.wan() for p in listed), Decimal(0))
        if base:
            shown = "、".join(
                fmt_pct(p.wan() / base * HUNDRED, max(s.decimals, 2))
                for p, s in zip(listed, group, strict=True)
            )
            msg += f"；按所列金额 {'＋'.join(_num(p) for p in listed)} 合计计算应为 {shown}"
    return make_finding("W-6", msg, [*listed, *group], expected="100%", actual=f"{_show(share_sum.mid, d)}%")


def _judge_share(
    s: Claim,
    part: Claim,
    total: Claim | None,
    whole: list[Claim],
    tally: Tally,
    whole_band: Interval | None = None,
) -> None:
    """W-11 for one share: part ÷ total, or part ÷ Σ `whole` (`whole_band`: that sum, when known)."""
    if total is not None:
        base, base_zero = total.interval(), total.value == 0
        involved = [total, part, s]
    else:
        base = whole_band if whole_band is not None else _band(whole)
        base_zero = all(c.value == 0 for c in whole)
        involved = [part, s]
    if base_zero or base.contains_zero():
        tally.fail(
            make_finding(
                "W-11",
                f"占比的基数{('“' + total.subject + '”') if total else ''}为0，比例无从计算，"
                f"文中写作“占…{s.printed}”，宜说明无此项支出",
                involved,
                severity=Severity.WARNING,
                actual=s.printed,
            )
        )
        return
    want = (part.interval() / base).scale(HUNDRED)
    if want.overlaps(s.interval()):
        tally.ok("W-11")
        return
    point = pct_point(part.interval(), base)
    expected = fmt_pct(point, s.decimals)
    base_txt = _num(total) if total is not None else f"（{'＋'.join(_num(c) for c in whole)}）"
    tally.fail(
        make_finding(
            "W-11",
            f"占比应为 {_num(part)}÷{base_txt} = {expected}，文中为 {s.printed}",
            involved,
            expected=expected,
            actual=s.printed,
            args={"part": part.wan(), "expected": round_half_up(point, s.decimals), "actual": s.value},
        )
    )
