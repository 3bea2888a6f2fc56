"""Chinese numerals -> exact Decimal, keeping the printed precision.

Only captured spans are converted (the extractor in `claims.py` finds them), so the
grammar here is the small one accountants write: 三千零八十二点三二, 二十, 两百, 〇,
一万二千, 百分之六点三七. No dependency: cn2an is slower to import and raises on spans
like 三千零八十二点三二万 that never reach this module anyway.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _integer_part(s: str) -> int:
    """Integer Chinese numeral (十二, 两百零五, 一万二千, 三千零八十二)."""
    if not s:
        return 0
    if all(ch in DIGITS for ch in s) and len(s) > 1:
        # digit-by-digit form: 二〇一八
        return int("".join(str(DIGITS[ch]) for ch in s))
    total = 0  # completed 万/亿 groups
    section = 0  # value below the current big unit
    digit: int | None = None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            # a bare 十 at the start means 一十
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            digit = None
            if total and total < BIG_UNITS[ch]:
                total = (total + section) * BIG_UNITS[ch]
            else:
                total += section * BIG_UNITS[ch]
            section = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


def cn_to_decimal(s: str) -> Decimal:
    """三千零八十二点三二 -> Decimal('3082.32'); the fraction keeps every printed digit."""
    s = s.strip()
    if not s:
        raise ValueError("empty numeral")
    if s.startswith("百分之"):
        s = s[3:]
    head, _, frac = s.partition("点")
    if any(ch not in DIGITS for ch in frac):
        raise ValueError(f"bad fraction in Chinese numeral: {s!r}")
    whole = _integer_part(head) if head else 0
    if not frac:
        return Decimal(whole)
    return Decimal(f"{whole}.{''.join(str(DIGITS[ch]) for ch in frac)}")


def parse_number(s: str) -> Decimal:
    """An Arabic ('1,234.56', '０.5') or Chinese numeral span -> Decimal with its printed decimals."""
    t = s.strip().translate(_FULLWIDTH)
    if t and (t[0].isdigit() or t[0] in "+-."):
        return Decimal(t.replace(",", ""))
    return cn_to_decimal(t)


def decimals_of(value: Decimal) -> int:
    """Printed decimals of a Decimal built from text (Decimal('17') -> 0, Decimal('3.08') -> 2)."""
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0
