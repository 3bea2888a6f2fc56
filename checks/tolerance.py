"""The rounding band of XBRL Calculations 1.1, applied to printed 2-decimal amounts.

Each printed amount v stands for the interval [v − h, v + h] with h = half a unit of the
last printed decimal (0.005 for 2 decimals). A total T = Σ wᵢ·vᵢ is consistent iff its
interval meets the summed interval of the items: |T − Σ wᵢ·vᵢ| ≤ h_T + Σ |wᵢ|·hᵢ.
Exact → pass; non-zero but inside the band → 尾差 (info); outside → violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

HALF_CENT = Decimal("0.005")


class Verdict(Enum):
    EXACT = "exact"
    ROUNDING = "rounding"
    VIOLATION = "violation"


@dataclass(frozen=True)
class RoundingBand:
    """Allowed |difference| for an identity; `halves` are the half-units of every term."""

    width: Decimal

    @classmethod
    def of(cls, halves: list[Decimal]) -> RoundingBand:
        return cls(sum(halves, Decimal(0)))

    @classmethod
    def for_terms(cls, n_terms: int, half: Decimal = HALF_CENT) -> RoundingBand:
        return cls(half * n_terms)

    def judge(self, diff: Decimal) -> Verdict:
        if diff == 0:
            return Verdict.EXACT
        if abs(diff) <= self.width:
            return Verdict.ROUNDING
        return Verdict.VIOLATION

    def interval(self, centre: Decimal) -> tuple[Decimal, Decimal]:
        return centre - self.width, centre + self.width
