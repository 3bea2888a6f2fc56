"""Interval arithmetic over Decimal for printed (rounded) figures.

A figure printed with d decimals stands for every value that rounds to it:
[v - 0.5·10⁻ᵈ, v + 0.5·10⁻ᵈ]. A derived quantity (difference, ratio) is computed
from its operands' intervals; a printed claim agrees with it iff the intervals overlap.
This settles half-up/half-even disputes without guessing how the author rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ONE = Decimal(1)  # the scale of a figure printed in the unit wanted: `Interval.printed` skips it
# printed figures have few decimals (Interval.printed inlines the 16)
_HALF_STEPS = tuple(Decimal(5).scaleb(-d - 1) for d in range(16))


def half_step(decimals: int) -> Decimal:
    if 0 <= decimals < len(_HALF_STEPS):
        return _HALF_STEPS[decimals]
    return Decimal(5).scaleb(-decimals - 1)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Excel-style rounding to the given number of decimals."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# a value, but not frozen: a frozen dataclass builds several times slower and intervals are made
# by the thousand; nothing assigns to one, and unsafe_hash keeps the hash a frozen one would have
@dataclass(slots=True, unsafe_hash=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def printed(cls, value: Decimal, decimals: int, scale: Decimal = ONE) -> Interval:
        """The values a figure printed with `decimals` decimals may stand for, times `scale`."""
        h = _HALF_STEPS[decimals] if 0 <= decimals < 16 else half_step(decimals)  # half_step, inlined
        if scale is ONE or scale == ONE:  # x × 1 is x, digit for digit: two multiplications saved
            return cls(value - h, value + h)
        return cls((value - h) * scale, (value + h) * scale)

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi

    def __truediv__(self, other: Interval) -> Interval:
        if other.contains_zero():
            raise ZeroDivisionError("divisor interval contains zero")
        qs = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(qs), max(qs))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def abs(self) -> Interval:
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Interval(Decimal(0), max(-self.lo, self.hi))


def pct_point(num: Interval, den: Interval) -> Decimal:
    """num ÷ den × 100 on the printed values (the midpoints): what a message shows as 'should be'."""
    return num.mid / den.mid * HUNDRED


def interval_sum(items: list[Interval]) -> Interval:
    lo = hi = Decimal(0)
    for it in items:  # the same additions, in the same order, as summing Intervals
        lo += it.lo
        hi += it.hi
    return Interval(lo, hi)
