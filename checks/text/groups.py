"""Claims grouped by paragraph and by sentence, each grouping built once per run and shared by the
checks that read it (W-1/2/4/9, W-3, W-4 持平 and W-12)."""

from __future__ import annotations

from checks.text.claims import Claim


class ClaimGroups:
    """Groupings of one run's claims, in text order, keyed by paragraph identity (hashing a
    Paragraph would hash all its fields) and sentence start; each built on first use."""

    __slots__ = ("claims", "_paragraphs", "_sentences")

    def __init__(self, claims: list[Claim]) -> None:
        self.claims = claims
        self._paragraphs: dict[int, list[Claim]] | None = None
        self._sentences: dict[tuple[int, int], list[Claim]] | None = None

    def by_paragraph(self) -> dict[int, list[Claim]]:
        """id(paragraph) -> its claims."""
        if self._paragraphs is None:
            out: dict[int, list[Claim]] = {}
            for c in self.claims:  # inline, not a key function: one call less per claim
                k = id(c.paragraph)
                group = out.get(k)
                if group is None:
                    out[k] = [c]
                else:
                    group.append(c)
            self._paragraphs = out
        return self._paragraphs

    def by_sentence(self) -> dict[tuple[int, int], list[Claim]]:
        """(id(paragraph), sentence start) -> the claims of that sentence."""
        if self._sentences is None:
            out: dict[tuple[int, int], list[Claim]] = {}
            for c in self.claims:
                k = (id(c.paragraph), c.sentence[0])
                group = out.get(k)
                if group is None:
                    out[k] = [c]
                else:
                    group.append(c)
            self._sentences = out
        return self._sentences

    def sentences(self) -> list[list[Claim]]:
        return list(self.by_sentence().values())
