"""Turn raw cell values into amounts.

Numbers stored as text ("1,234.56", full-width digits, trailing spaces) are amounts;
"—", "-", blank are empty; a formula with no cached value is unreadable, never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from checks.grid import Uncached

EMPTY_MARKS = {"", "-", "—", "——", "－", "–", "/", "—　", "－－", "--"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PAREN_NEG = re.compile(r"^\((.+)\)$")


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed cell: value is None when the cell is empty; status says why it is not a number."""

    value: Decimal | None
    status: str = "ok"  # ok | empty | text | uncached
    raw: object = None

    @property
    def is_number(self) -> bool:
        return self.value is not None


def to_decimal(x: float | int) -> Decimal:
    """Float from a workbook -> Decimal as Excel shows it (shortest repr, binary noise removed)."""
    if isinstance(x, int):
        return Decimal(x)
    return float_to_decimal(x)


def float_to_decimal(x: float) -> Decimal:
    """`to_decimal` of a float."""
    s = repr(x)
    d = Decimal(s)
    dot = s.find(".")
    if dot > 0 and len(s) - dot <= 10 and "e" not in s:  # at most 9 decimals: nothing to remove
        return d
    if d.as_tuple().exponent < -9:  # e.g. 0.30000000000000004 from a formula
        d = d.quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP).normalize()
        if d.as_tuple().exponent > 0:
            d = d.quantize(Decimal(1))
    return d


def parse_amount(raw: object) -> Amount:
    if raw is None:
        return Amount(None, "empty", raw)
    if isinstance(raw, Uncached):
        return Amount(None, "uncached", raw)
    if isinstance(raw, bool):
        return Amount(None, "text", raw)
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):  # NaN/inf
            return Amount(None, "text", raw)
        return Amount(to_decimal(raw), "ok", raw)
    if isinstance(raw, Decimal):
        return Amount(raw, "ok", raw)
    if isinstance(raw, str):
        s = raw.strip().replace("\u3000", "").replace(" ", "").translate(_FULLWIDTH)
        if s in EMPTY_MARKS:
            return Amount(None, "empty", raw)
        neg = False
        m = _PAREN_NEG.match(s)
        if m:
            s, neg = m.group(1), True
        if _NUMBER.match(s):
            try:
                d = Decimal(s.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - regex guards this
                return Amount(None, "text", raw)
            return Amount(-d if neg else d, "ok", raw)
        return Amount(None, "text", raw)
    return Amount(None, "text", raw)


def amount_value(raw: object) -> Decimal | None:
    """`parse_amount(raw).value` without building the Amount (the common float cell first)."""
    if type(raw) is float:
        return float_to_decimal(raw) if raw - raw == 0 else None  # nan and inf are not amounts
    if raw is None:
        return None
    return parse_amount(raw).value


def amount_status(raw: object) -> str:
    """`parse_amount(raw).status` without building the Amount."""
    if type(raw) is float:
        return "ok" if raw - raw == 0 else "text"
    if raw is None:
        return "empty"
    return parse_amount(raw).status


def fmt_amount(d: Decimal | None, places: int = 2) -> str:
    """1234.5 -> '1,234.50' (half-up, like Excel's #,##0.00)."""
    if d is None:
        return "空"
    q = Decimal(1).scaleb(-places)
    return f"{d.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def round_half_up(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
