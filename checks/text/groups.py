"""Claims grouped by paragraph, by sentence and by kind: built in one pass per run and shared by the
checks that read them (W-1…W-13 and the grounding step), so that no check walks every claim to
find the few it judges."""

from __future__ import annotations

from collections.abc import Iterable

from checks.text.claims import Claim, ClaimKind


class ClaimGroups:
    """Groupings of one run's claims, in text order, keyed by paragraph identity (hashing a
    Paragraph would hash all its fields), sentence start and kind."""

    __slots__ = ("claims", "_paragraphs", "_sentences", "_sentence_list", "_sentence_no", "_kinds")

    def __init__(self, claims: list[Claim]) -> None:
        self.claims = claims
        self._paragraphs: dict[int, list[Claim]] = {}
        self._sentences: dict[tuple[int, int], list[Claim]] = {}
        self._sentence_list: list[list[Claim]] = []  # the values of `_sentences`, in order
        self._sentence_no: dict[tuple[int, int], int] = {}  # key of `_sentences` -> place in that order
        self._kinds: dict[ClaimKind, list[int]] = {kind: [] for kind in ClaimKind}  # -> claim positions
        self._group(claims)

    def _group(self, claims: list[Claim]) -> None:
        paragraphs, sentences, kinds = self._paragraphs, self._sentences, self._kinds
        sentence_list, sentence_no = self._sentence_list, self._sentence_no
        # a paragraph's claims, and a sentence's, come together: a group is looked up when it changes
        paragraph = None
        key = start = -1
        add_to_paragraph = add_to_sentence = list.append  # (bound to the groups at the first claim)
        for i, c in enumerate(claims):
            if c.paragraph is not paragraph:
                paragraph = c.paragraph
                key = id(paragraph)
                group = paragraphs.get(key)
                if group is None:
                    group = paragraphs[key] = []
                add_to_paragraph = group.append
                start = -1
            add_to_paragraph(c)
            if c.sentence[0] != start:
                start = c.sentence[0]
                group = sentences.get((key, start))
                if group is None:
                    group = sentences[(key, start)] = []
                    sentence_no[(key, start)] = len(sentence_list)
                    sentence_list.append(group)
                add_to_sentence = group.append
            add_to_sentence(c)
            kinds[c.kind].append(i)

    def by_paragraph(self) -> dict[int, list[Claim]]:
        """id(paragraph) -> its claims."""
        return self._paragraphs

    def by_sentence(self) -> dict[tuple[int, int], list[Claim]]:
        """(id(paragraph), sentence start) -> the claims of that sentence."""
        return self._sentences

    def sentences(self) -> list[list[Claim]]:
        return list(self._sentence_list)

    def sentences_with(self, kinds: Iterable[ClaimKind]) -> list[list[Claim]]:
        """The sentences holding a claim of one of `kinds`, in the order of `by_sentence`: found from
        the claims of those kinds (few), not by a walk through every sentence."""
        claims, found, number = self.claims, self._kinds, self._sentence_no
        at = sorted(
            {number[(id(claims[i].paragraph), claims[i].sentence[0])] for kind in kinds for i in found[kind]}
        )
        return list(map(self._sentence_list.__getitem__, at))

    def of_kind(self, kind: ClaimKind) -> list[Claim]:
        """The claims of one kind, in text order."""
        return list(map(self.claims.__getitem__, self._kinds[kind]))

    def of_kinds(self, kinds: Iterable[ClaimKind]) -> list[Claim]:
        """The claims of any of `kinds`, in text order."""
        found = self._kinds
        at = [i for kind in kinds for i in found[kind]]
        at.sort()  # the kinds' positions: sorted runs, merged in one pass
        return list(map(self.claims.__getitem__, at))
