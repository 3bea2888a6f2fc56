"""Checks of the text's form rather than its figures: heading numbers, template leftovers, missing topics.

- W-14 heading numbers run on within their parent: 一、二、三、 / （一）（二） / 1、2、 / （1）（2）.
  A skipped number usually means a heading lost its number ("政府采购支出情况" between （一） and
  （四）) or a section was deleted; a repeated one, a copied block. A list may restart at 1.
- W-15 leftovers of the template or a colleague's draft: XX局, ××万元, 【请填写…】, 此处填写.
- C-2 the 情况说明 covers what the 公开 rules require it to (机关运行经费, 政府采购, 国有资产占用,
  "三公", 政府性基金, 国有资本经营 from 2020, 绩效, 名词解释): the topics the 财政部 checks most
  often find missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checks.findings import CellRef, Family, Finding, Severity
from checks.text.cnnum import cn_to_decimal
from checks.text.paragraphs import Paragraph, is_part_title


def marker_number(marker: str) -> int | None:
    """一 → 1, （十二） → 12, 3 → 3; None for what is not a heading number."""
    n = _MARKER_NUMBERS.get(marker, ...)
    return _read_marker_number(marker) if n is ... else n


def _read_marker_number(marker: str) -> int | None:
    tag = marker.strip("（）")
    if tag.isdigit():
        return int(tag)
    try:
        return int(cn_to_decimal(tag))
    except ValueError:
        return None


def _cn_word(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (1 ≤ n ≤ 99), as headings number."""
    cn = "一二三四五六七八九"
    if n < 10:
        return cn[n - 1]
    if n == 10:
        return "十"
    return (cn[n // 10 - 1] if n >= 20 else "") + "十" + (cn[n % 10 - 1] if n % 10 else "")


def _as_marker(level: int, n: int) -> str:
    if level in (1, 2):
        word = _cn_word(n)
        return f"{word}、" if level == 1 else f"（{word}）"
    return f"{n}、" if level == 3 else f"（{n}）"


# the heading markers in use (as `heading_marker` gives them), read once at import: reading a
# Chinese numeral costs microseconds per heading
_MARKER_NUMBERS = {
    marker: _read_marker_number(marker)
    for tag in [*map(_cn_word, range(1, 40)), *map(str, range(100))]
    for marker in (tag, f"（{tag}）")
}


# --- W-14 heading numbers ---------------------------------------------------------------------------


_SENTENCE_MARK = re.compile(r"[。，；：:,;\d]")  # a line holding one is prose, not a lost heading


def _lost_numbers(paragraphs: Sequence[Paragraph], start: int, end: int) -> list[Paragraph]:
    """Unnumbered heading-like lines between two places: headings that may have lost their number."""
    return [
        p
        for p in paragraphs[start + 1 : end]
        if len(p.text) <= 30
        and not _SENTENCE_MARK.search(p.text)
        and p.marker is None
        and not is_part_title(p.text)
    ]


def _part_start(paragraphs: Sequence[Paragraph], at: int, level: int) -> int:
    """Index of the heading that opens the list `at` belongs to (or of the part title): where to look back to."""
    here = paragraphs[at]
    for i in range(at - 1, -1, -1):
        p = paragraphs[i]
        if p.part != here.part or p.sheet != here.sheet:
            return i
        hm = p.marker
        if (hm and hm[0] < level) or is_part_title(p.text):
            return i
    return -1


def numbering_findings(paragraphs: Sequence[Paragraph]) -> list[Finding]:
    """W-14: skipped or repeated heading numbers, one finding per place.

    A list restarting at 1 is a new list, or a list nested in the same style as its parent (the
    duties （一）…（九） under “（一）部门职责”): the outer numbering may then resume where it stopped.
    """
    return _numbering(paragraphs)[0]


def _numbering(paragraphs: Sequence[Paragraph]) -> tuple[list[Finding], int]:
    """numbering_findings, and how many numbered headings they judge."""
    out: list[Finding] = []
    headings = 0
    last: dict[tuple, tuple[int, int]] = {}  # list -> (number, position) of its last heading so far
    suspended: dict[tuple, list[int]] = {}  # numbering runs interrupted by a restart at 1
    titled_parts: set[str] | None = None  # parts with a title line: asked for by a late first heading only
    for at, p in enumerate(paragraphs):
        if p.marker is None:
            continue
        level, marker = p.marker
        number = marker_number(marker)
        if number is None:
            continue
        headings += 1
        # the paragraph's own section ends with its marker; its parent is what comes before
        parent = tuple(p.section[:-1]) if p.section else ()
        key = (p.part, p.sheet if p.part == p.sheet else "", level, parent)
        prev = last.get(key)
        last[key] = number, at
        if prev is None:
            # a first heading numbered 二 or （三）: the ones before it are missing. At the top level
            # only under a part title (a part continued from another sheet may start late).
            late = number > 1
            if late and level <= 1:
                if titled_parts is None:
                    titled_parts = {q.part for q in paragraphs if q.part != q.sheet}
                late = p.part in titled_parts
            if late:
                out.append(_late_start_finding(paragraphs, at, level, number))
            continue
        prev_number, prev_at = prev
        if number == prev_number + 1:
            continue
        runs = suspended.setdefault(key, [])
        if number == 1:
            runs.append(prev_number)
            continue
        if number - 1 in runs:  # the outer list resumes
            del runs[runs.index(number - 1) :]
            continue
        out.append(_gap_finding(paragraphs, at, level, number, prev_at, prev_number))
    return out, headings


def _late_start_finding(paragraphs: Sequence[Paragraph], at: int, level: int, number: int) -> Finding:
    """A list whose first heading (at `at`) is numbered `number` > 1."""
    p = paragraphs[at]
    lost = _lost_numbers(paragraphs, _part_start(paragraphs, at, level), at)[-(number - 1) :]
    return _numbering_finding(
        p,
        f"标题“{_head(p)}”之前没有{_quoted(level, range(1, number))}，序号不连续{_lost_note(lost)}",
        expected=_as_marker(level, 1),
        actual=_as_marker(level, number),
        lost=lost,
    )


def _gap_finding(
    paragraphs: Sequence[Paragraph], at: int, level: int, number: int, prev_at: int, prev_number: int
) -> Finding:
    """A heading numbered `number` after one (at `prev_at`) numbered `prev_number`: a skip or a step back."""
    p = paragraphs[at]
    before = _quoted(level, [prev_number])
    lost: list[Paragraph] = []
    if number > prev_number + 1:
        missing = _quoted(level, range(prev_number + 1, number))
        lost = _lost_numbers(paragraphs, prev_at, at)
        message = f"标题“{_head(p)}”紧接在{before}之后，缺少{missing}{_lost_note(lost, '其间的')}"
    else:
        message = f"标题序号{_quoted(level, [number])}在{before}之后重复或倒序（“{_head(p)}”）"
    return _numbering_finding(
        p, message, expected=_as_marker(level, prev_number + 1), actual=_as_marker(level, number), lost=lost
    )


def _quoted(level: int, numbers: Iterable[int]) -> str:
    return "".join(f"“{_as_marker(level, n)}”" for n in numbers)


def _head(p: Paragraph, width: int = 24) -> str:
    return p.text if len(p.text) <= width else p.text[:width] + "…"


def _lost_note(lost: list[Paragraph], where: str = "") -> str:
    return f"；{where}“{'”“'.join(p.text for p in lost)}”可能漏写了序号" if lost else ""


def _numbering_finding(
    heading: Paragraph, message: str, *, expected: str, actual: str, lost: Sequence[Paragraph] = ()
) -> Finding:
    # the line that lost its number is the likeliest place to fix: it comes first
    cells = [CellRef(p.sheet, p.cell) for p in lost] + [CellRef(heading.sheet, heading.cell)]
    return Finding(
        "W-14",
        Severity.WARNING,
        Family.TEXT_INTERNAL,
        message,
        cells=list(dict.fromkeys(cells)),
        expected=expected.rstrip("、"),
        actual=actual.rstrip("、"),
        text=_head(heading, 40),
    )


# --- W-15 template leftovers ------------------------------------------------------------------------

# each kind of leftover with the strings one of which every match holds: a substring test is far
# cheaper than a scan, and most paragraphs hold none of them
_Leftover = tuple[tuple[str, ...], re.Pattern[str]]
_PLACEHOLDERS: tuple[_Leftover, ...] = (
    (
        tuple("XxＸｘ×＊*某"),
        re.compile(r"(?<![A-Za-z])(?:[XxＸｘ]{2,}|[×＊*]{2,}|某某)(?![A-Za-z])"),
    ),  # XX局 / ××万元
    (("【",), re.compile(r"【[^】]{0,40}(?:填|写|删除|说明|修改)[^】]{0,40}】")),  # 【请填写…】
    (("此处",), re.compile(r"此处(?:填写|填列|说明|列示)")),
    (("填写",), re.compile(r"请(?:根据|按照)?实际(?:情况)?填写|请填写")),
    (("如有",), re.compile(r"[（(]如有[）)]")),
)


def _holds(text: str, needle: str) -> bool:
    """needle in text, found from its first character: str's search for a longer needle reads a
    long text many times slower than for one character, and these first characters are rare."""
    first = needle[0]
    i = text.find(first)
    while i >= 0:
        if text.startswith(needle, i):
            return True
        i = text.find(first, i + 1)
    return False


def _placeholder(text: str, kinds: Iterable[_Leftover] = _PLACEHOLDERS) -> re.Match[str] | None:
    """The first leftover in `text` of the `kinds` of leftover."""
    found = [m for needles, rx in kinds if any(n in text for n in needles) and (m := rx.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def placeholder_findings(paragraphs: Iterable[Paragraph]) -> list[Finding]:
    """W-15: one finding per paragraph that still holds template text."""
    out: list[Finding] = []
    paragraphs = list(paragraphs)
    # the kinds of leftover whose strings the whole text holds: most texts hold none and need no
    # paragraph tested
    whole = "\n".join(p.text for p in paragraphs)
    kinds = [(needles, rx) for needles, rx in _PLACEHOLDERS if any(_holds(whole, n) for n in needles)]
    if not kinds:
        return out
    for p in paragraphs:
        m = _placeholder(p.text, kinds)
        if m is None:
            continue
        start, end = max(0, m.start() - 12), min(len(p.text), m.end() + 12)
        quoted = p.text[start:end]
        out.append(
            Finding(
                "W-15",
                Severity.WARNING,
                Family.TEXT_INTERNAL,
                f"文中“{quoted}”含模板占位或填写提示“{m.group(0)}”，公开前应替换为实际内容或删除",
                cells=[CellRef(p.sheet, p.cell)],
                actual=m.group(0),
                text=quoted,
            )
        )
    return out


# --- C-2 required topics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    name: str  # as the message names it
    pattern: re.Pattern[str]
    since: int = 0  # first report year the topic is required


TOPICS: tuple[Topic, ...] = (
    Topic("机关运行经费", re.compile(r"机关运行经费")),
    Topic("政府采购", re.compile(r"政府采购")),
    Topic("国有资产占用", re.compile(r"国有资产占用|资产占用|车辆\d*辆|公务用车\d+辆|共有车辆")),
    Topic("“三公”经费", re.compile(r"三公")),
    Topic("政府性基金预算财政拨款收支", re.compile(r"政府性基金")),
    Topic("国有资本经营预算财政拨款支出", re.compile(r"国有资本经营"), since=2020),
    Topic("预算绩效管理", re.compile(r"绩效")),
)


def topic_findings(paragraphs: Sequence[Paragraph], year: int | None) -> list[Finding]:
    """C-2: topics of the 情况说明 that appear nowhere in the text (only when there is a 情况说明)."""
    explanation = [p for p in paragraphs if p.part_kind == "explanation"]
    if not explanation:
        return []
    text = "\n".join(p.text for p in explanation)  # not the 名词解释: it defines, it does not disclose
    missing = [t.name for t in TOPICS if (year or 0) >= t.since and not t.pattern.search(text)]
    if not any(p.part_kind == "glossary" or "名词解释" in p.text for p in paragraphs):
        missing.append("名词解释")
    if not missing:
        return []
    where = explanation[0]
    return [
        Finding(
            "C-2",
            Severity.WARNING,
            Family.COMPLETE,
            f"情况说明中未见{''.join(f'“{m}”' for m in missing)}的说明：部门决算公开应说明这些事项"
            "（无此项的也应写明“无…”）",
            cells=[CellRef(where.sheet, where.cell)],
            actual="、".join(missing),
        )
    ]


def structure_findings(
    paragraphs: Sequence[Paragraph], year: int | None
) -> tuple[list[Finding], dict[str, list[int]]]:
    """W-14, W-15 and C-2 over the text's paragraphs: (findings, rule id -> [checked, passed])."""
    numbering, headings = _numbering(paragraphs)
    placeholders = placeholder_findings(paragraphs)
    topics = topic_findings(paragraphs, year)
    counts = {
        "W-14": [headings, headings - len(numbering)],
        "W-15": [len(paragraphs), len(paragraphs) - len(placeholders)],
    }
    if any(p.part_kind == "explanation" for p in paragraphs):
        counts["C-2"] = [1, int(not topics)]
    return numbering + placeholders + topics, counts
