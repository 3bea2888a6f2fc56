"""Where the clauses, subject pieces and sentences of one paragraph begin and end, and what lies
inside （…）: one scan of the punctuation per paragraph, then a bisection per figure.

Built lazily by the claim extractor, so a paragraph without figures costs no scan at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right

CLAUSE_SEP = "，,；;。：:、！？!?\n"
SUBJECT_SEP = CLAUSE_SEP.replace("、", "")  # '收入、支出决算总计' is one subject
SENTENCE_SEP = "。！？!?\n"

_CLAUSE_SEP_RE = re.compile("[" + re.escape(CLAUSE_SEP) + "]")
_PAREN_RE = re.compile(r"[（()）]")
_NOWHERE = (0, 0)


def _pieces(ends: list[int], n: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Starts and spans of the pieces ended at `ends` (each keeps its separator), plus the tail."""
    starts = [0]
    spans = []
    for e in ends:
        spans.append((starts[-1], e))
        starts.append(e)
    if starts[-1] < n:
        spans.append((starts[-1], n))
    else:
        starts.pop()
    return starts, spans


def _find(starts: list[int], spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return _NOWHERE
    span = spans[i]
    return span if pos < span[1] else _NOWHERE


class TextLayout:
    """Clause, subject-piece and sentence spans and parenthesised ranges of one text."""

    __slots__ = ("_clauses", "_pieces", "_sentences", "_parens", "_paren_starts")

    def __init__(self, text: str) -> None:
        n = len(text)
        clause_ends: list[int] = []
        piece_ends: list[int] = []
        sentence_ends: list[int] = []
        for m in _CLAUSE_SEP_RE.finditer(text):
            e = m.end()
            clause_ends.append(e)
            ch = text[e - 1]
            if ch != "、":
                piece_ends.append(e)
                if ch in SENTENCE_SEP:
                    sentence_ends.append(e)
        self._clauses = _pieces(clause_ends, n)
        self._pieces = _pieces(piece_ends, n)
        self._sentences = _pieces(sentence_ends, n)
        self._parens, self._paren_starts = _paren_ranges(text)

    def clause(self, pos: int) -> tuple[int, int]:
        """Span of the clause holding `pos` ((0, 0) when outside the text)."""
        return _find(*self._clauses, pos)

    def piece(self, pos: int) -> tuple[int, int]:
        """Span of the subject piece (a clause, but '、' does not end it) holding `pos`."""
        return _find(*self._pieces, pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        return _find(*self._sentences, pos)

    def in_parens(self, pos: int) -> bool:
        i = bisect_right(self._paren_starts, pos) - 1
        return i >= 0 and pos < self._parens[i][1]


def _paren_ranges(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Outermost （…） ranges in order (an unclosed one runs to the end), and their starts."""
    inside: list[tuple[int, int]] = []
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
