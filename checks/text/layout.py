"""Where the clauses, subject pieces and sentences of one paragraph begin and end, and what lies
inside （…）: one scan of the punctuation per paragraph, then a bisection per figure.

The scan happens on first use, so a paragraph without figures costs none.
"""

from __future__ import annotations

import re
from bisect import bisect_right

CLAUSE_SEP = "，,；;。：:、！？!?\n"
SUBJECT_SEP = CLAUSE_SEP.replace("、", "")  # '收入、支出决算总计' is one subject
SENTENCE_SEP = "。！？!?\n"

_PAREN_RE = re.compile(r"[（()）]")
_NOWHERE = (0, 0)
_CLAUSE_SEP_RE = re.compile("[" + re.escape(CLAUSE_SEP) + "]")


def _span(ends: list[int], n: int, spans: dict[int, tuple[int, int]], pos: int) -> tuple[int, int]:
    """Span of the piece holding `pos` among the pieces ended at `ends` (each keeps its separator,
    the last runs to `n`); (0, 0) outside the text. Claims in one piece share its tuple."""
    if not 0 <= pos < n:
        return _NOWHERE
    i = bisect_right(ends, pos)
    span = spans.get(i)
    if span is None:
        span = spans[i] = (ends[i - 1] if i else 0, ends[i] if i < len(ends) else n)
    return span


class TextLayout:
    """Clause, subject-piece and sentence spans and parenthesised ranges of one text. The text is
    scanned once for punctuation on first use (most paragraphs hold no figure and are never scanned);
    a clause ends at any separator, a subject piece not at '、', a sentence only at 。！？ and breaks."""

    __slots__ = ("_text", "_n", "_clause_ends", "_piece_ends", "_sentence_ends", "_spans", "_parens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._n = len(text)
        self._clause_ends: list[int] | None = None
        self._piece_ends: list[int] = []
        self._sentence_ends: list[int] = []
        self._spans: tuple[dict, dict, dict] = ({}, {}, {})  # clause, piece, sentence span tuples
        self._parens: tuple[list[tuple[int, int]], list[int]] | None = None

    def _scan(self) -> list[int]:
        t = self._text
        ends = [m.end() for m in _CLAUSE_SEP_RE.finditer(t)]
        self._piece_ends = [e for e in ends if t[e - 1] != "、"]
        self._sentence_ends = [e for e in ends if t[e - 1] in SENTENCE_SEP]
        self._clause_ends = ends
        return ends

    def clause(self, pos: int) -> tuple[int, int]:
        """Span of the clause holding `pos` ((0, 0) when outside the text)."""
        ends = self._clause_ends if self._clause_ends is not None else self._scan()
        return _span(ends, self._n, self._spans[0], pos)

    def piece(self, pos: int) -> tuple[int, int]:
        """Span of the subject piece (a clause, but '、' does not end it) holding `pos`."""
        if self._clause_ends is None:
            self._scan()
        return _span(self._piece_ends, self._n, self._spans[1], pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._clause_ends is None:
            self._scan()
        return _span(self._sentence_ends, self._n, self._spans[2], pos)

    def around(self, pos: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(clause, sentence, subject piece) holding `pos`: what every figure needs, in one call."""
        ends = self._clause_ends if self._clause_ends is not None else self._scan()
        n, spans = self._n, self._spans
        return (
            _span(ends, n, spans[0], pos),
            _span(self._sentence_ends, n, spans[2], pos),
            _span(self._piece_ends, n, spans[1], pos),
        )

    def at_figures(
        self, positions: list[int]
    ) -> list[tuple[tuple[int, int], tuple[int, int], tuple[int, int], bool]]:
        """(clause, sentence, subject piece, inside （…）) at each position: `around` and `in_parens`
        for all the figures of a paragraph in one pass (claims in one piece share its span tuple)."""
        ends = self._clause_ends if self._clause_ends is not None else self._scan()
        n = self._n
        piece_ends, sentence_ends = self._piece_ends, self._sentence_ends
        clauses, pieces, sentences = self._spans[0], self._spans[1], self._spans[2]
        if self._parens is None:
            self._parens = _paren_ranges(self._text)
        ranges, starts = self._parens
        out = []
        for pos in positions:
            if not 0 <= pos < n:
                out.append((_NOWHERE, _NOWHERE, _NOWHERE, self.in_parens(pos)))
                continue
            i = bisect_right(ends, pos)
            clause = clauses.get(i) or clauses.setdefault(
                i, (ends[i - 1] if i else 0, ends[i] if i < len(ends) else n)
            )
            i = bisect_right(sentence_ends, pos)
            sentence = sentences.get(i) or sentences.setdefault(
                i, (sentence_ends[i - 1] if i else 0, sentence_ends[i] if i < len(sentence_ends) else n)
            )
            i = bisect_right(piece_ends, pos)
            piece = pieces.get(i) or pieces.setdefault(
                i, (piece_ends[i - 1] if i else 0, piece_ends[i] if i < len(piece_ends) else n)
            )
            if starts:
                k = bisect_right(starts, pos) - 1
                inside = k >= 0 and pos < ranges[k][1]
            else:
                inside = False
            out.append((clause, sentence, piece, inside))
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
