"""Where the clauses, subject pieces and sentences of one paragraph begin and end, and what lies
inside （…）: one scan of the punctuation per paragraph, then a bisection per figure.

Each kind of span is found on first use, so a paragraph without figures costs no scan at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right

CLAUSE_SEP = "，,；;。：:、！？!?\n"
SUBJECT_SEP = CLAUSE_SEP.replace("、", "")  # '收入、支出决算总计' is one subject
SENTENCE_SEP = "。！？!?\n"

_PAREN_RE = re.compile(r"[（()）]")
_NOWHERE = (0, 0)


class _Pieces:
    """The pieces of a text ended by one set of separators (each piece keeps its separator)."""

    __slots__ = ("_ends", "_n", "_spans")

    def __init__(self, seps: str, text: str) -> None:
        self._ends = [m.end() for m in _sep_re(seps).finditer(text)]
        self._n = len(text)
        self._spans: dict[int, tuple[int, int]] = {}  # claims in one piece share its span tuple

    def at(self, pos: int) -> tuple[int, int]:
        """Span of the piece holding `pos` ((0, 0) when outside the text)."""
        if not 0 <= pos < self._n:
            return _NOWHERE
        i = bisect_right(self._ends, pos)
        span = self._spans.get(i)
        if span is None:
            ends = self._ends
            span = self._spans[i] = (ends[i - 1] if i else 0, ends[i] if i < len(ends) else self._n)
        return span


_SEP_RES: dict[str, re.Pattern[str]] = {}


def _sep_re(seps: str) -> re.Pattern[str]:
    rx = _SEP_RES.get(seps)
    if rx is None:
        rx = _SEP_RES[seps] = re.compile("[" + re.escape(seps) + "]")
    return rx


for _seps in (CLAUSE_SEP, SUBJECT_SEP, SENTENCE_SEP):
    _sep_re(_seps)  # compiled at import, not during the first check


class TextLayout:
    """Clause, subject-piece and sentence spans and parenthesised ranges of one text, each
    found on first use (most paragraphs need only some of them, many none)."""

    __slots__ = ("_text", "_clauses", "_pieces", "_sentences", "_parens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._clauses: _Pieces | None = None
        self._pieces: _Pieces | None = None
        self._sentences: _Pieces | None = None
        self._parens: tuple[list[tuple[int, int]], list[int]] | None = None

    def clause(self, pos: int) -> tuple[int, int]:
        """Span of the clause holding `pos` ((0, 0) when outside the text)."""
        if self._clauses is None:
            self._clauses = _Pieces(CLAUSE_SEP, self._text)
        return self._clauses.at(pos)

    def piece(self, pos: int) -> tuple[int, int]:
        """Span of the subject piece (a clause, but '、' does not end it) holding `pos`."""
        if self._pieces is None:
            self._pieces = _Pieces(SUBJECT_SEP, self._text)
        return self._pieces.at(pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._sentences is None:
            self._sentences = _Pieces(SENTENCE_SEP, self._text)
        return self._sentences.at(pos)

    def around(self, pos: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(clause, sentence, subject piece) holding `pos`: what every figure needs, in one call."""
        if self._pieces is None:
            self._pieces = _Pieces(SUBJECT_SEP, self._text)
        return self.clause(pos), self.sentence(pos), self._pieces.at(pos)

    def in_parens(self, pos: int) -> bool:
        if self._parens is None:
            self._parens = _paren_ranges(self._text)
        ranges, starts = self._parens
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < ranges[i][1]


def _paren_ranges(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Outermost （…） ranges in order (an unclosed one runs to the end), and their starts."""
    inside: list[tuple[int, int]] = []
    if "（" not in text and "(" not in text:
        return inside, []
    depth, start = 0, 0
    for m in _PAREN_RE.finditer(text):
        if m.group() in "（(":
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                inside.append((start, m.end()))
    if depth:
        inside.append((start, len(text)))
    return inside, [a for a, _ in inside]
