"""Inject one realistic fault into a copy of a generated workbook and report exactly what changed.

Every fault is detectable in principle: table faults are kept only if some hard identity of the generator's
relation list breaks beyond its rounding band; text faults move a number beyond its printed precision (and
beyond the rounding interval of its operands). The copy's truth map (`gen.cells`) keeps the correct values.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from checks.grid import a1, parse_a1
from checks.text.paragraphs import heading_marker

from . import catalogue as cat
from .gen_text import Claim
from .generate import Generated, SheetData, generate

KINDS = ("amount_changed", "digit_dropped", "cells_swapped", "column_shifted", "text_amount", "text_share",
         "text_rate", "text_completion", "wrong_year", "other_department", "foreign_table", "heading_unnumbered",
         "placeholder")


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str  # A1
    old: object
    new: object


@dataclass
class Fault:
    kind: str
    gen: Generated  # the faulted copy
    changes: list[Change] = field(default_factory=list)
    added_sheet: str | None = None  # foreign_table: the pasted sheet
    claim: Claim | None = None  # text faults: the claim as it now reads (operands still the true ones)
    note: str = ""
    broken: list[str] = field(default_factory=list)  # table faults: ids of the identities now broken

    @property
    def sheet(self) -> str:
        return self.added_sheet or self.changes[0].sheet

    @property
    def cell(self) -> str | None:
        return self.changes[0].cell if self.changes else None

    @property
    def old(self) -> object:
        return self.changes[0].old if self.changes else None

    @property
    def new(self) -> object:
        return self.changes[0].new if self.changes else None

    def describe(self) -> str:
        where = ", ".join(f"{c.sheet}!{c.cell}: {c.old!r} -> {c.new!r}" for c in self.changes[:4])
        more = f" (+{len(self.changes) - 4})" if len(self.changes) > 4 else ""
        return f"[{self.kind}] {self.note} {where}{more}".strip()


_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、．])\s*")


class NoCandidate(ValueError):
    """The workbook offers no place for this fault kind (e.g. no rate claim in the text)."""


def inject(gen: Generated, kind: str, rng: random.Random) -> Fault:
    """Apply one fault of `kind` to a copy of `gen`; the original is left untouched."""
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {KINDS}")
    g = gen.copy()
    return _KIND_FUNCS[kind](g, rng)


# ---- helpers -----------------------------------------------------------------------------------------

def _write(g: Generated, sheet: str, a1: str, value: object) -> Change:
    s = g.sheet(sheet)
    rc = parse_a1(a1)
    old = s.cells.get(rc)
    if value is None:
        s.cells.pop(rc, None)
    else:
        s.cells[rc] = value
    if isinstance(value, float):
        s.amounts.add(rc)
    return Change(sheet, a1, old, value)


def _styled(g: Generated, d: Decimal) -> object:
    """A new amount written the way this workbook writes amounts."""
    if g.options.get("amount_style") == "text":
        return f"{d:,.2f}" if g.options.get("thousands") else f"{d:.2f}"
    return float(d)


def _revert(g: Generated, changes: list[Change]) -> None:
    for c in reversed(changes):
        _write(g, c.sheet, c.cell, c.old)


def _try_table(g: Generated, kind: str, rng: random.Random, attempt) -> Fault:
    """Run attempt(rng) -> (changes, note) until a hard identity breaks; revert failures."""
    for _ in range(60):
        got = attempt()
        if got is None:
            continue
        changes, note = got
        broken = sorted({r.id for r, _ in g.violations()}) if changes else []
        if broken:
            return Fault(kind, g, changes, note=note, broken=broken)
        _revert(g, changes)
    raise NoCandidate(kind)


def _amount_keys(g: Generated, pred=lambda v: True) -> list[tuple[str, str]]:
    return [k for k, t in g.cells.items() if pred(g.value(k) if g.value(k) is not None else t.value)]


# ---- table faults ------------------------------------------------------------------------------------

def _amount_changed(g: Generated, rng: random.Random) -> Fault:
    nonzero = _amount_keys(g, lambda v: v > 0)
    keys = list(g.cells)

    def attempt():
        key = rng.choice(nonzero if nonzero and rng.random() < 0.8 else keys)
        old = g.value(key) or Decimal(0)
        delta = Decimal(rng.randint(100, max(101, int(old * 30)))) / 100  # 1.00 … ~30 % of the value
        new = old - delta if old - delta >= 0 and rng.random() < 0.5 else old + delta
        return [_write(g, key[0], key[1], _styled(g, new))], f"{old} -> {new}"

    return _try_table(g, "amount_changed", rng, attempt)


def _digit_dropped(g: Generated, rng: random.Random) -> Fault:
    keys = _amount_keys(g, lambda v: v >= 100)
    if not keys:
        raise NoCandidate("digit_dropped")

    def attempt():
        key = rng.choice(keys)
        old = g.value(key)
        ip, frac = f"{old:.2f}".split(".")
        i = rng.randrange(len(ip))
        new = Decimal((ip[:i] + ip[i + 1:] or "0") + "." + frac)
        return [_write(g, key[0], key[1], _styled(g, new))], f"{old} -> {new}"

    return _try_table(g, "digit_dropped", rng, attempt)


def _columns(g: Generated) -> list[tuple[str, list[str]]]:
    return [(t.sheet, col) for t in g.tables.values() for col in t.columns if len(col) >= 2]


def _cells_swapped(g: Generated, rng: random.Random) -> Fault:
    cols = _columns(g)

    def attempt():
        sheet, col = rng.choice(cols)
        vals = {a: g.value((sheet, a)) for a in col}
        pairs = [(x, y) for i, x in enumerate(col) for y in col[i + 1:] if abs(vals[x] - vals[y]) >= 1]
        if not pairs:
            return None
        x, y = rng.choice(pairs)
        vx, vy = g.raw((sheet, x)), g.raw((sheet, y))
        return [_write(g, sheet, x, vy), _write(g, sheet, y, vx)], f"{x} <-> {y}"

    return _try_table(g, "cells_swapped", rng, attempt)


def _column_shifted(g: Generated, rng: random.Random) -> Fault:
    cols = _columns(g)

    def attempt():
        sheet, col = rng.choice(cols)
        old = [g.raw((sheet, a)) for a in col]
        new = [None] + old[:-1]
        changes = [_write(g, sheet, a, n) for a, o, n in zip(col, old, new, strict=True) if o != n]
        return changes, f"{col[0]}:{col[-1]} shifted down one row"

    return _try_table(g, "column_shifted", rng, attempt)


# ---- text faults -------------------------------------------------------------------------------------

def _half_width(c: Claim) -> Decimal:
    """Half-width of the interval a checker may accept for the claim's true value."""
    if c.num is None or c.den is None or c.den == 0:
        return Decimal("0.5")
    e_num = Decimal("0.5") if c.num == c.num.to_integral_value() else Decimal("0.005")
    e_den = Decimal("0.5") if c.den == c.den.to_integral_value() else Decimal("0.005")
    base = abs(c.num - c.den) if c.kind == "rate" else c.num
    e_top = e_num + e_den if c.kind == "rate" else e_num
    den_lo = max(c.den - e_den, Decimal("0.001"))
    return ((base + e_top) / den_lo - base / c.den) * 100


def _fmt_like(g: Generated, c: Claim, v: Decimal) -> str:
    """Print a changed number the way the text prints that kind of number."""
    if c.kind == "amount" and g.options.get("text_thousands"):
        return f"{v:,.{c.decimals}f}"
    return f"{v:.{c.decimals}f}"


def _text_fault(g: Generated, kind: str, claim_kind: str, rng: random.Random, grounded: bool = False) -> Fault:
    cands = [(i, c) for i, p in enumerate(g.paragraphs) for c in p.claims
             if c.kind == claim_kind and c.printed.replace(",", "").replace(".", "").isdigit()
             and (not grounded or c.cells) and (claim_kind != "amount" or c.value > 0)]
    if not cands:
        raise NoCandidate(kind)
    i, c = rng.choice(cands)
    unit = Decimal(1).scaleb(-c.decimals)
    if claim_kind == "amount":
        shift = max(Decimal(1), (c.value * Decimal(str(round(rng.uniform(0.05, 0.4), 3)))).quantize(unit))
    else:
        need = 2 * _half_width(c) + 1
        shift = max(need, Decimal(str(round(rng.uniform(1, 12), 2)))).quantize(unit)
        while shift <= need:
            shift += 1
    down_ok = c.value - shift > 0
    up_ok = claim_kind not in ("share",) or c.value + shift <= 100
    new = c.value - shift if down_ok and (not up_ok or rng.random() < 0.5) else c.value + shift
    printed = _fmt_like(g, c, new)
    return _replace_claim(g, kind, i, c, printed, new)


def _replace_claim(g: Generated, kind: str, i: int, c: Claim, printed: str, value: Decimal) -> Fault:
    p = g.paragraphs[i]
    text = p.text[:c.start] + printed + p.text[c.end:]
    shift = len(printed) - len(c.printed)
    new_claim = replace(c, printed=printed, value=value, end=c.start + len(printed))
    claims = []
    for x in p.claims:
        if x is c:
            claims.append(new_claim)
        elif x.start > c.start:
            claims.append(replace(x, start=x.start + shift, end=x.end + shift))
        else:
            claims.append(x)
    p.text, p.claims = text, claims
    change = _write(g, g.text_sheet, p.cell, text)
    return Fault(kind, g, [change], claim=new_claim, note=f"{c.label}: {c.printed} -> {printed}")


def _wrong_year(g: Generated, rng: random.Random) -> Fault:
    titles = [t for t in g.tables.values() if f"{g.year}年度" in str(g.raw((t.sheet, t.title_cell)))]
    claims = [(i, c) for i, p in enumerate(g.paragraphs) for c in p.claims if c.kind == "year"]
    if titles and (not claims or rng.random() < 0.4):
        t = rng.choice(titles)
        old = str(g.raw((t.sheet, t.title_cell)))
        wrong = g.year + rng.choice([-1, 1])
        change = _write(g, t.sheet, t.title_cell, old.replace(f"{g.year}年度", f"{wrong}年度"))
        return Fault("wrong_year", g, [change], note=f"{t.number}表标题 {g.year} -> {wrong}")
    if not claims:
        raise NoCandidate("wrong_year")
    i, c = rng.choice(claims)
    wrong = int(c.value) + rng.choice([-1, 1])
    return _replace_claim(g, "wrong_year", i, c, str(wrong), Decimal(wrong))


def _other_name(g: Generated, rng: random.Random) -> str:
    while True:
        b = rng.choice(cat.BUREAUS)
        name = rng.choice(cat.REGIONS) + (b.name_2018 if g.era == "2018" else b.name_2020)
        if name != g.department:
            return name


def _other_department(g: Generated, rng: random.Random) -> Fault:
    t = rng.choice(list(g.tables.values()))
    other = _other_name(g, rng)
    change = _write(g, t.sheet, t.dept_cell, f"部门：{other}")
    return Fault("other_department", g, [change], note=f"{t.number}表 部门 -> {other}")


def _foreign_table(g: Generated, rng: random.Random) -> Fault:
    shape = {k: v for k, v in g.options.items() if k not in ("department", "year", "text", "randomize")}
    other = generate(rng.randrange(1, 10**6), g.era, **dict(shape, year=g.year, department=_other_name(g, rng),
                                                             text=False))
    t = rng.choice([t for t in other.tables.values() if t.columns])
    src = other.sheet(t.sheet)
    base = {"marker": f"公开{t.number}表", "title": t.title[:27], "numbered": f"表{int(t.number)}"}.get(
        str(g.options.get("sheet_names")), f"Sheet{len(g.sheets) + 1}")
    taken = {s.name for s in g.sheets}
    name, k = base, 2
    while name in taken:  # usually the table's own name is taken: paste as "公开02表(2)"
        name, k = f"{base}({k})", k + 1
    new = SheetData(name)
    for (r, c), v in src.cells.items():
        if t.top <= r <= t.bottom and t.left <= c <= t.right:
            new.cells[(r - t.top, c - t.left)] = v
            if (r, c) in src.amounts:
                new.amounts.add((r - t.top, c - t.left))
    for r0, c0, r1, c1 in src.merges:
        if t.top <= r0 and r1 <= t.bottom and t.left <= c0 and c1 <= t.right:
            new.merges.append((r0 - t.top, c0 - t.left, r1 - t.top, c1 - t.left))
    g.sheets.append(new)
    changes = [Change(name, a1(r, c), None, v) for (r, c), v in sorted(new.cells.items())]
    return Fault("foreign_table", g, changes, added_sheet=name,
                 note=f"{t.number}表 of {other.department} pasted as sheet {name}")


def _heading_unnumbered(g: Generated, rng: random.Random) -> Fault:
    """A numbered heading with a later sibling loses its number: “（二）支出决算结构” -> “支出决算结构”."""
    marks = [(i, heading_marker(p.text)) for i, p in enumerate(g.paragraphs)]
    candidates = []
    for k, (i, hm) in enumerate(marks):
        if hm is None or hm[0] == 1:
            continue
        for _, hj in marks[k + 1:]:
            if hj is not None and hj[0] <= hm[0]:
                if hj[0] == hm[0] and len(_MARKER.sub("", g.paragraphs[i].text)) <= 30 \
                        and not re.search(r"[。，；：:,;\d]", g.paragraphs[i].text):
                    candidates.append(i)
                break
    if not candidates:
        raise NoCandidate("heading_unnumbered")
    p = g.paragraphs[rng.choice(candidates)]
    bare = _MARKER.sub("", p.text)
    change = _write(g, g.text_sheet, p.cell, bare)
    old, p.text = p.text, bare
    return Fault("heading_unnumbered", g, [change], note=f"{old} -> {bare}")


def _placeholder(g: Generated, rng: random.Random) -> Fault:
    """Template text left in a sentence: the department's name as XX局, or a 填写 prompt."""
    with_name = [p for p in g.paragraphs if g.department in p.text]
    sentences = [p for p in g.paragraphs if p.text.endswith("。")]
    if not with_name and not sentences:
        raise NoCandidate("placeholder")
    if with_name and (not sentences or rng.random() < 0.5):
        p = rng.choice(with_name)
        new = p.text.replace(g.department, rng.choice(["XX局", "××单位", "某某部门"]), 1)
    else:
        p = rng.choice(sentences)
        new = p.text[:-1] + rng.choice(["，主要原因是【请填写增减原因】。", "（此处填写原因）。", "，请根据实际情况填写。"])
    change = _write(g, g.text_sheet, p.cell, new)
    old, p.text = p.text, new
    return Fault("placeholder", g, [change], note=f"{old[:30]}… -> {new[:30]}…")


_KIND_FUNCS = {
    "amount_changed": _amount_changed,
    "digit_dropped": _digit_dropped,
    "cells_swapped": _cells_swapped,
    "column_shifted": _column_shifted,
    "text_amount": lambda g, rng: _text_fault(g, "text_amount", "amount", rng, grounded=True),
    "text_share": lambda g, rng: _text_fault(g, "text_share", "share", rng),
    "text_rate": lambda g, rng: _text_fault(g, "text_rate", "rate", rng),
    "text_completion": lambda g, rng: _text_fault(g, "text_completion", "completion", rng),
    "wrong_year": _wrong_year,
    "other_department": _other_department,
    "foreign_table": _foreign_table,
    "heading_unnumbered": _heading_unnumbered,
    "placeholder": _placeholder,
}
