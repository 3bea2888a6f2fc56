"""Where the clauses, subject pieces and sentences of one paragraph begin and end, and what lies
inside （…）: one scan of the punctuation per paragraph, then a forward walk over the figures
(a bisection for the other claims). Pieces and sentences are clauses joined across the separators
that do not end them, found by walking the clause ends from the clause at hand.

The scan happens on first use, so a paragraph without figures costs none.
"""

from __future__ import annotations

import re
from bisect import bisect_right

CLAUSE_SEP = "，,；;。：:、！？!?\n"
SUBJECT_SEP = CLAUSE_SEP.replace("、", "")  # '收入、支出决算总计' is one subject
SENTENCE_SEP = "。！？!?\n"

_PAREN_RE = re.compile(r"[（()）]")
_FLAT_PAIR_RE = re.compile(r"[（(][^（()）]*[）)]")  # a （…） with no bracket inside
_NOWHERE = (0, 0)
_CLAUSE_SEP_RE = re.compile("[" + re.escape(CLAUSE_SEP) + "]")


def _joined_span(t: str, ends: list[int], i: int, n: int, stops: str) -> tuple[int, int]:
    """Clause i joined with its neighbours across the separators not in `stops` (the clauses end at
    `ends`, the last runs to `n`): SUBJECT_SEP gives the subject piece, SENTENCE_SEP the sentence."""
    j = i - 1
    while j >= 0 and t[ends[j] - 1] not in stops:
        j -= 1
    start = ends[j] if j >= 0 else 0
    j = i
    ne = len(ends)
    while j < ne and t[ends[j] - 1] not in stops:
        j += 1
    return start, ends[j] if j < ne else n


class TextLayout:
    """Clause, subject-piece and sentence spans and parenthesised ranges of one text. The text is
    scanned once for punctuation on first use (most paragraphs hold no figure and are never scanned);
    a clause ends at any separator, a subject piece not at '、', a sentence only at 。！？ and breaks."""

    __slots__ = ("_text", "_n", "_clause_ends", "_spans", "_parens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._n = len(text)
        self._clause_ends: list[int] | None = None
        # clause and sentence span tuples by clause index: claims in one clause share them
        self._spans: tuple[dict, dict] = ({}, {})
        self._parens: tuple[list[tuple[int, int]], list[int]] | None = None

    def _scan(self) -> list[int]:
        ends = self._clause_ends = [m.end() for m in _CLAUSE_SEP_RE.finditer(self._text)]
        return ends

    def _clause_at(self, pos: int) -> int:
        """Index of the clause holding `pos` (0 <= pos < n)."""
        ends = self._clause_ends if self._clause_ends is not None else self._scan()
        return bisect_right(ends, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        """Span of the clause holding `pos` ((0, 0) when outside the text)."""
        return self._span_at(pos, CLAUSE_SEP, self._spans[0])

    def sentence(self, pos: int) -> tuple[int, int]:
        """Span of the sentence holding `pos` ((0, 0) when outside the text)."""
        return self._span_at(pos, SENTENCE_SEP, self._spans[1])

    def _span_at(self, pos: int, stops: str, shared: dict[int, tuple[int, int]]) -> tuple[int, int]:
        if not 0 <= pos < self._n:
            return _NOWHERE
        i = self._clause_at(pos)
        span = shared.get(i)
        if span is None:
            assert self._clause_ends is not None
            span = shared[i] = _joined_span(self._text, self._clause_ends, i, self._n, stops)
        return span

    def at_figures(
        self, positions: list[int]
    ) -> list[tuple[tuple[int, int], tuple[int, int], tuple[int, int], bool]]:
        """(clause, sentence, subject piece, inside （…）) at each position, the positions in text order:
        one forward walk over the separators and the （…） ranges (claims in one piece share its tuple)."""
        t, n = self._text, self._n
        ends = self._clause_ends if self._clause_ends is not None else self._scan()
        if self._parens is None:
            self._parens = _paren_ranges(t)
        ranges = self._parens[0]
        ne, nr = len(ends), len(ranges)
        i = k = 0  # the next separator and （…） range
        clause = piece = sentence = _NOWHERE  # the spans in force (end 0: none yet)
        out = []
        for pos in positions:
            if not 0 <= pos < n:
                out.append((_NOWHERE, _NOWHERE, _NOWHERE, self.in_parens(pos)))
                continue
            if pos >= clause[1]:  # a new clause: the separators before pos by bisection from the last
                i = bisect_right(ends, pos, i)
                clause = (ends[i - 1] if i else 0, ends[i] if i < ne else n)
                if pos >= piece[1]:
                    piece = _joined_span(t, ends, i, n, SUBJECT_SEP)
                if pos >= sentence[1]:
                    sentence = _joined_span(t, ends, i, n, SENTENCE_SEP)
            while k < nr and ranges[k][1] <= pos:
                k += 1
            out.append((clause, sentence, piece, k < nr and ranges[k][0] <= pos))
        return out

    def in_parens(self, pos: int) -> bool:
        if self._parens is None:
            self._parens = _paren_ranges(self._text)
        ranges, starts = self._parens
        if not starts:
            return False
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < ranges[i][1]


def _paren_ranges(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Outermost （…） ranges in order (an unclosed one runs to the end), and their starts."""
    inside: list[tuple[int, int]] = []
    if "（" not in text and "(" not in text:
        return inside, []
    # most texts hold only flat （…）: when every bracket is in one, those are the ranges
    flat = [m.span() for m in _FLAT_PAIR_RE.finditer(text)]
    if 2 * len(flat) == text.count("（") + text.count("(") + text.count("）") + text.count(")"):
        return flat, [a for a, _ in flat]
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
