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
from typing import NamedTuple

from checks.findings import CellRef, Family, Finding, Severity
from checks.text.cnnum import cn_to_decimal
from checks.text.paragraphs import Paragraph, is_part_title


def marker_number(marker: str) -> int | None:
    """一 → 1, （十二） → 12, 3 → 3; None for what is not a heading number."""
    tag = marker.strip("（）")
    if tag.isdigit():
        return int(tag)
    try:
        return int(cn_to_decimal(tag))
    except ValueError:
        return None


def _as_marker(level: int, n: int) -> str:
    if level in (1, 2):
        cn = "一二三四五六七八九"
        word = (
            cn[n - 1]
            if n < 10
            else (
                "十"
                if n == 10
                else (cn[n // 10 - 1] if n >= 20 else "") + "十" + (cn[n % 10 - 1] if n % 10 else "")
            )
        )
        return f"{word}、" if level == 1 else f"（{word}）"
    return f"{n}、" if level == 3 else f"（{n}）"


# --- W-14 heading numbers ---------------------------------------------------------------------------


class _Numbered(NamedTuple):  # a tuple: made per heading, and builds faster than a frozen dataclass
    paragraph: Paragraph
    level: int
    number: int
    parent: tuple[str, ...]  # the section path above this heading


def _numbered(paragraphs: Iterable[Paragraph]) -> Iterable[_Numbered]:
    for p in paragraphs:
        hm = p.marker
        if hm is None:
            continue
        level, marker = hm
        n = marker_number(marker)
        if n is not None:
            # the paragraph's own section ends with its marker; its parent is what comes before
            yield _Numbered(p, level, n, tuple(p.section[:-1]) if p.section else ())


def _lost_numbers(paragraphs: Sequence[Paragraph], start: int, end: int) -> list[Paragraph]:
    """Unnumbered heading-like lines between two places: headings that may have lost their number."""
    return [
        p
        for p in paragraphs[start + 1 : end]
        if len(p.text) <= 30
        and not re.search(r"[。，；：:,;\d]", p.text)
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


def numbering_findings(
    paragraphs: Sequence[Paragraph], numbered: Sequence[_Numbered] | None = None
) -> list[Finding]:
    """W-14: skipped or repeated heading numbers, one finding per place.

    A list restarting at 1 is a new list, or a list nested in the same style as its parent (the
    duties （一）…（九） under “（一）部门职责”): the outer numbering may then resume where it stopped.
    """
    out: list[Finding] = []
    index = {id(p): i for i, p in enumerate(paragraphs)}
    last: dict[tuple, _Numbered] = {}
    suspended: dict[tuple, list[int]] = {}  # numbering runs interrupted by a restart at 1
    titled_parts = {p.part for p in paragraphs if p.part != p.sheet}
    for h in numbered if numbered is not None else _numbered(paragraphs):
        p = h.paragraph
        key = (p.part, p.sheet if p.part == p.sheet else "", h.level, h.parent)
        prev = last.get(key)
        last[key] = h
        if prev is None:
            # a first heading numbered 二 or （三）: the ones before it are missing. At the top level
            # only under a part title (a part continued from another sheet may start late).
            if h.number > 1 and (h.level > 1 or p.part in titled_parts):
                here = _as_marker(h.level, h.number)
                at = index[id(p)]
                lost = _lost_numbers(paragraphs, _part_start(paragraphs, at, h.level), at)[-(h.number - 1) :]
                out.append(
                    _numbering_finding(
                        h,
                        f"标题“{_head(p)}”之前没有{_quoted(h.level, range(1, h.number))}，"
                        f"序号不连续{_lost_note(lost)}",
                        expected=_as_marker(h.level, 1),
                        actual=here,
                        lost=lost,
                    )
                )
            continue
        if h.number == prev.number + 1:
            continue
        runs = suspended.setdefault(key, [])
        if h.number == 1:
            runs.append(prev.number)
            continue
        if h.number - 1 in runs:  # the outer list resumes
            del runs[runs.index(h.number - 1) :]
            continue
        here = _as_marker(h.level, h.number)
        before = _quoted(h.level, [prev.number])
        lost: list[Paragraph] = []
        if h.number > prev.number + 1:
            missing = _quoted(h.level, range(prev.number + 1, h.number))
            lost = _lost_numbers(paragraphs, index[id(prev.paragraph)], index[id(p)])
            message = f"标题“{_head(p)}”紧接在{before}之后，缺少{missing}{_lost_note(lost, '其间的')}"
        else:
            message = f"标题序号{_quoted(h.level, [h.number])}在{before}之后重复或倒序（“{_head(p)}”）"
        out.append(
            _numbering_finding(
                h, message, expected=_as_marker(h.level, prev.number + 1), actual=here, lost=lost
            )
        )
    return out


def _quoted(level: int, numbers: Iterable[int]) -> str:
    return "".join(f"“{_as_marker(level, n)}”" for n in numbers)


def _head(p: Paragraph, width: int = 24) -> str:
    return p.text if len(p.text) <= width else p.text[:width] + "…"


def _lost_note(lost: list[Paragraph], where: str = "") -> str:
    return f"；{where}“{'”“'.join(p.text for p in lost)}”可能漏写了序号" if lost else ""


def _numbering_finding(
    h: _Numbered, message: str, *, expected: str, actual: str, lost: Sequence[Paragraph] = ()
) -> Finding:
    # the line that lost its number is the likeliest place to fix: it comes first
    cells = [CellRef(p.sheet, p.cell) for p in lost] + [CellRef(h.paragraph.sheet, h.paragraph.cell)]
    return Finding(
        "W-14",
        Severity.WARNING,
        Family.TEXT_INTERNAL,
        message,
        cells=list(dict.fromkeys(cells)),
        expected=expected.rstrip("、"),
        actual=actual.rstrip("、"),
        text=_head(h.paragraph, 40),
    )


# --- W-15 template leftovers ------------------------------------------------------------------------

# each kind of leftover with the character that must be present for it (a cheap set test first:
# most paragraphs hold none of them and never reach a pattern)
_PLACEHOLDERS: tuple[tuple[frozenset[str], re.Pattern[str]], ...] = (
    (
        frozenset("XxＸｘ×＊*某"),
        re.compile(r"(?<![A-Za-z])(?:[XxＸｘ]{2,}|[×＊*]{2,}|某某)(?![A-Za-z])"),
    ),  # XX局 / ××万元
    (frozenset("【"), re.compile(r"【[^】]{0,40}(?:填|写|删除|说明|修改)[^】]{0,40}】")),  # 【请填写…】
    (frozenset("此"), re.compile(r"此处(?:填写|填列|说明|列示)")),
    (frozenset("请"), re.compile(r"请(?:根据|按照)?实际(?:情况)?填写|请填写")),
    (frozenset("如"), re.compile(r"[（(]如有[）)]")),
)
# every character some leftover needs: a text holding none of them holds no leftover
_TRIGGERS = tuple(sorted(frozenset().union(*(c for c, _ in _PLACEHOLDERS))))


def _placeholder(text: str, triggers: Iterable[str] = _TRIGGERS) -> re.Match[str] | None:
    """The first leftover in `text` (`triggers`: the trigger characters that may occur in it)."""
    present = {ch for ch in triggers if ch in text}
    if not present:
        return None
    # only the kinds whose character is present can match (此/请/如 are common words)
    found = [m for chars, rx in _PLACEHOLDERS if not chars.isdisjoint(present) and (m := rx.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def placeholder_findings(paragraphs: Iterable[Paragraph]) -> list[Finding]:
    """W-15: one finding per paragraph that still holds template text."""
    out: list[Finding] = []
    paragraphs = list(paragraphs)
    # the trigger characters of the whole text, found in one pass each: most texts hold none or
    # one or two (请, 如), and a paragraph is tested only for those
    whole = "\n".join(p.text for p in paragraphs)
    triggers = [ch for ch in _TRIGGERS if ch in whole]
    if not triggers:
        return out
    for p in paragraphs:
        m = _placeholder(p.text, triggers)
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
    numbered = list(_numbered(paragraphs))
    numbering = numbering_findings(paragraphs, numbered)
    placeholders = placeholder_findings(paragraphs)
    topics = topic_findings(paragraphs, year)
    headings = len(numbered)
    counts = {
        "W-14": [headings, headings - len(numbering)],
        "W-15": [len(paragraphs), len(paragraphs) - len(placeholders)],
    }
    if any(p.part_kind == "explanation" for p in paragraphs):
        counts["C-2"] = [1, int(not topics)]
    return numbering + placeholders + topics, counts
