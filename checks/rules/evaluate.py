"""Generic evaluators for rules declared as data: linear identities, row sums, hierarchies, ≤.

Every evaluation is collected (never stop at the first failure). A term that cannot be located
gives one 未能定位 info per rule and missing item; a cell that cannot be read is reported once
(R-1) and the identities using it are skipped, never computed with 0.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from checks.findings import CellRef, Finding, Outcome, Severity
from checks.layouts import ROW_SUMS, norm_label
from checks.model import ONE, Cell, Row, Table, WorkbookModel
from checks.rules.registry import Rule
from checks.tolerance import RoundingBand, Verdict
from checks.values import amount_status, amount_value, float_to_decimal, fmt_amount


class Absent(Exception):
    """A table the rule needs is not in the workbook: the rule does not apply (C-1 reports it)."""


class Unlocated(Exception):
    def __init__(self, table: Table, what: str):
        super().__init__(what)
        self.table = table
        self.what = what


class Term:
    """One side-term of an identity: a row's amount under a column key, read from the grid row.

    Status and value are read when the Term is made (once per cell and check: see `term_of`), plain
    attributes for the evaluators' loops; the description and the Cell only when a message or the
    text checks need them."""

    __slots__ = ("row", "col", "raw", "status", "value", "_desc", "_table", "_block")

    def __init__(
        self,
        row: Row | None,
        col: str | None = None,
        desc: str | None = None,
        table: Table | None = None,
        block: str = "",
    ):
        self.row = row  # None: a row absent from a table that lists only the 科目 it uses (= 0)
        self.col = col
        self._desc = desc
        self._table = table  # with the block, for a lazy description
        self._block = block
        if row is None:
            self.raw = None
            self.status = "absent"  # ok | empty | text | uncached; absent: a row the table does not list
            self.value = _ZERO
            return
        c = row.layout.cols[col]  # KeyError without such a column
        values = row.values
        raw = self.raw = values[c] if c < len(values) else None
        scale = row.layout.scale
        if raw.__class__ is float and raw - raw == 0:  # the common cell, parsed without detours
            self.status = "ok"
            if not raw:  # 0.0 or -0.0, most cells of most tables: a zero Decimal, scaled or not
                self.value = _ZERO
                return
            s = repr(raw)  # float_to_decimal's common case: at most 9 decimals, no exponent
            dot = s.find(".")
            v = Decimal(s) if dot > 0 and len(s) - dot <= 10 and "e" not in s else float_to_decimal(raw)
            if scale is ONE:  # ≤ 17 digits: v * 1 would be v
                self.value = v or _ZERO
                return
        else:
            self.status = amount_status(raw)
            v = amount_value(raw)
            if v is None:
                self.value = _ZERO
                return
        self.value = v * scale or _ZERO

    @property
    def cell(self) -> Cell | None:
        return None if self.row is None else self.row.cell(self.col)

    @property
    def desc(self) -> str:
        if self._desc is None:
            self._desc = _row_desc(self._table, self._block, self.row.key, self.col) if self._table else ""
        return self._desc

    @property
    def half(self) -> Decimal:
        return self.row.layout.half if self.status == "ok" else _ZERO


_ZERO = Decimal(0)


_SHARED_TERMS = 1024  # the Terms kept for sharing: a standard workbook's identities need ~500


def term_of(model: WorkbookModel, row: Row, col: str, table: Table, block: str) -> Term:
    """The Term of `row` under `col`, shared by the rules of one run (a row belongs to one table
    block, so the description is the same for all of them). Only the first `_SHARED_TERMS` are
    kept: a table of thousands of rows has its amounts parsed per use, its memory stays bounded."""
    memo = model.terms
    key = (row, col)  # a Row hashes by identity
    found = memo.get(key)
    if found is None:
        found = Term(row, col, None, table, block)  # positional: no kwargs dict per call
        if len(memo) < _SHARED_TERMS:
            memo[key] = found
    return found


@dataclass
class Context:
    model: WorkbookModel
    findings: list[Finding] = field(default_factory=list)
    checks: int = 0
    passed: int = 0
    unreadable: dict[CellRef, Cell] = field(default_factory=dict)
    _unlocated: set[tuple[str, str]] = field(default_factory=set)

    def unlocated(self, rule: Rule, u: Unlocated) -> None:
        key = (rule.id, f"{u.table.name}:{u.what}")
        if key in self._unlocated:
            return
        self._unlocated.add(key)
        self.findings.append(
            Finding(
                rule=rule.id,
                severity=Severity.INFO,
                family=rule.family,
                message=f"未能定位：{u.table.name}（工作表“{u.table.sheet}”）中的{u.what}，{rule.id} 的这一项未检查",
                cells=[u.table.title_ref],
                outcome=Outcome.UNLOCATED,
            )
        )


# ----------------------------------------------------------------------------------- refs


def _row_desc(t: Table, block: str, row_key: str, col: str) -> str:
    row = t.row(block, row_key)
    label = norm_label(row.label) if row else row_key
    if row is not None and row.code and label and label != row.code:
        label = f"{row.code} {label}"
    elif row is not None and row.code:
        label = row.code
    if row_key == "合计":
        label = "合计行"
    cols = t.columns.get(block, [])
    col_part = f"“{col}”" if len(cols) > 1 else ""
    if t.key == "07":  # one data row: name the column only, e.g. “决算数 公务接待费”
        label, col_part = "", f"“{col.replace(':', '数 ')}”"
    side = f"{block}" if block in ("收入", "支出") and row_key in ("总计",) else ""
    return f"{t.name}{side}{label}{col_part}"


_SELECTORS = ("@above:", "@prefix:", "@level:")
_NO_ROWS: dict[str, Row] = {}  # a table without the block (never written to)


def _split(ref: str) -> tuple[bool, str, str, str, str]:
    """`?T|B|row|col` -> (optional, T, B, row, col)."""
    optional = ref[:1] == "?"
    if optional:
        ref = ref.lstrip("?")
    tkey, block, row_sel, col = ref.split("|")
    return optional, tkey, block, row_sel, col


_TEMPLATES: dict[str, tuple] = {}  # a catalogue ref -> its split parts (static data)
_NAME = re.compile(r"\{(\w+)\}")


def _template(ref: str) -> tuple[bool, tuple]:
    """Catalogue ref `ref` split once: (optional, parts), each part (0, literal) | (1, a whole
    "{name}") | (2, a template)."""
    tpl = _TEMPLATES.get(ref)
    if tpl is None:
        optional, *parts = _split(ref)
        tpl = _TEMPLATES[ref] = (
            optional,
            tuple((1, m[1]) if (m := _NAME.fullmatch(p)) else (2 if "{" in p else 0, p) for p in parts),
        )
    return tpl


def _resolve_bound(model: WorkbookModel, ref: str, binding: dict, missing_zero: bool = False) -> list[Term]:
    """`_resolve` of catalogue ref `ref` with its placeholders filled from `binding`."""
    optional, parts = _TEMPLATES.get(ref) or _template(ref)
    tkey, block, row_sel, col = [
        p if k == 0 else binding[p] if k == 1 else p.format_map(binding) for k, p in parts
    ]
    return _resolve(model, optional, tkey, block, row_sel, col, missing_zero)


def resolve(model: WorkbookModel, ref: str, *, missing_zero: bool = False) -> list[Term]:
    return _resolve(model, *_split(ref), missing_zero)


def _resolve(
    model: WorkbookModel,
    optional: bool,
    tkey: str,
    block: str,
    row_sel: str,
    col: str,
    missing_zero: bool = False,
) -> list[Term]:
    own = model.own  # model.get, without the call while the rules run
    t = own.get(tkey) if own is not None else model.get(tkey)
    if t is None:
        if optional:
            return []
        raise Absent(tkey)
    rows = t.blocks.get(block, _NO_ROWS)
    if row_sel[:1] != "@" or not row_sel.startswith(_SELECTORS):  # one row, the common case
        row = rows.get(row_sel)
        if row is None:
            if missing_zero and rows:
                return [Term(None, None, f"{t.name}{row_sel}（未列示，按 0）")]
            if optional:
                return []
            raise Unlocated(t, f"“{row_sel}”行")
        if col in row.layout.cols:
            return [term_of(model, row, col, t, block)]
        keys = [row_sel]
    elif row_sel.startswith("@above:"):
        stop = row_sel.split(":", 1)[1]
        if stop not in rows:
            if optional:
                return []
            raise Unlocated(t, f"“{stop}”行")
        keys = []
        for k in rows:
            if k == stop:
                break
            if not k.startswith(("其中:", "年初:", "年末:")):
                keys.append(k)
    elif row_sel.startswith("@prefix:"):
        p = row_sel.split(":", 1)[1]
        keys = [k for k in rows if k.startswith(p)]
    else:
        n = int(row_sel.split(":", 1)[1])
        keys = [k for k, r in rows.items() if r.level == n]
    terms = []
    for k in keys:
        row = rows[k]
        if not row.has(col):
            if optional:
                continue
            if col not in t.columns.get(block, []):
                raise Unlocated(t, f"“{col}”列")
            raise Unlocated(t, f"“{k}”行的“{col}”")
        terms.append(term_of(model, row, col, t, block))
    return terms


def expand_per(model: WorkbookModel, per: dict, skip: dict | None = None) -> list[dict]:
    """Bindings for the `per` placeholders, in declaration order (later generators may use earlier names)."""
    bindings: list[dict] = [{}]
    for name, gen in per.items():
        out = []
        names = name.split("=")
        for b in bindings:
            for v in _values(model, gen, b):
                nb = b.copy()
                if len(names) > 1:
                    nb.update(zip(names, v.split("="), strict=False))
                else:
                    nb[name] = v
                if skip and any(nb.get(k) in vs for k, vs in skip.items()):
                    continue
                out.append(nb)
        bindings = out
    return bindings


def _values(model: WorkbookModel, gen: object, binding: dict) -> list[str]:
    if isinstance(gen, list | tuple):
        return [str(x) for x in gen]
    gen = str(gen)
    kind, _, arg = (gen.format_map(binding) if "{" in gen else gen).partition(":")
    out: list[str] = []
    for part in arg.split(";"):
        tkey, _, block = part.partition("|")
        t = model.get(tkey)
        if t is None:
            continue
        rows = t.blocks.get(block, {})
        if kind == "cols":
            vals = t.columns.get(block, [])
        elif kind == "rows":
            vals = list(rows)
        elif kind == "codes":
            vals = [k for k, r in rows.items() if r.code]
        elif kind == "class_codes":
            vals = [k for k, r in rows.items() if r.level == 1]
        else:
            raise ValueError(f"unknown generator {kind}")
        out.extend(v for v in vals if v not in out)
    return out


# ----------------------------------------------------------------------------- evaluation


def _fmt_band(b: Decimal) -> str:
    s = f"{b.normalize():f}"
    return s


def _side(terms: list[Term]) -> str:
    if len(terms) == 1:
        return terms[0].desc
    if len(terms) <= 4:
        return " + ".join(t.desc for t in terms)
    return f"{terms[0].desc} 等 {len(terms)} 项之和"


def _unreadable(ctx: Context, terms: list[Term]) -> bool:
    """Note the terms that cannot be read (R-1 reports them once); True when there are any."""
    bad = [t for t in terms if t.status in ("uncached", "text")]
    for t in bad:
        c = t.cell
        ctx.unreadable.setdefault(c.ref, c)
    return bool(bad)


def judge_linear(ctx: Context, rule: Rule, lhs: list[Term], rhs: list[Term], note: str = "") -> None:
    terms = lhs + rhs
    statuses = {t.status for t in terms}  # one pass over the statuses instead of one per question
    if "uncached" in statuses or "text" in statuses:
        _unreadable(ctx, terms)
        return
    if "ok" not in statuses:
        return  # nothing printed on either side (an empty table's rows)
    ctx.checks += 1
    left = right = _ZERO  # summed in order from Decimal(0), as sum() did
    for t in lhs:
        left += t.value
    for t in rhs:
        right += t.value
    if left == right:  # the common case: no difference, message or intervals to work out
        ctx.passed += 1
        return
    diff = left - right
    band = RoundingBand.of([t.half for t in terms])
    verdict = band.judge(diff)
    cells = [t.row.ref(t.col) for t in terms if t.row is not None]
    args = {"left": left, "right": right, "diff": diff, "band": band.width}
    half_l, half_r = sum((t.half for t in lhs), _ZERO), sum((t.half for t in rhs), _ZERO)
    intervals = (
        f"左 [{fmt_amount(left - half_l, 3)}, {fmt_amount(left + half_l, 3)}]，"
        f"右 [{fmt_amount(right - half_r, 3)}, {fmt_amount(right + half_r, 3)}]"
    )
    prefix = f"{note}：" if note else ""
    if verdict is Verdict.ROUNDING:  # a tail within the band: passed, shown as 提示
        ctx.passed += 1
        severity, outcome = Severity.INFO, Outcome.ROUNDING
        message = (
            f"{prefix}{_side(lhs)} {fmt_amount(left)} 与 {_side(rhs)} {fmt_amount(right)} "
            f"相差 {fmt_amount(diff)}，在容差 ±{_fmt_band(band.width)} 内（{intervals}），尾差，可能为取整误差"
        )
    else:
        severity, outcome = rule.severity, Outcome.VIOLATION
        message = (
            f"{prefix}{_side(lhs)} {fmt_amount(left)} ≠ {_side(rhs)} {fmt_amount(right)}"
            f"（差 {fmt_amount(diff)}，容差 ±{_fmt_band(band.width)}；{intervals}）"
        )
    ctx.findings.append(
        Finding(
            rule=rule.id,
            severity=severity,
            family=rule.family,
            outcome=outcome,
            message=message,
            cells=cells,
            expected=fmt_amount(right),
            actual=fmt_amount(left),
            args=args,
            hint=rule.hint,
        )
    )


def eval_linear(ctx: Context, rule: Rule) -> None:
    spec = rule.spec
    groups = spec.get("groups") or [spec]
    outer = expand_per(ctx.model, spec.get("per", {}), spec.get("skip")) if "groups" in spec else [{}]
    for ob in outer:
        if any(ctx.model.get(x.format_map(ob)) is None for x in spec.get("require", [])):
            continue
        for g in groups:
            per = g.get("per")
            for b in expand_per(ctx.model, per, g.get("skip")) if per else [{}]:
                _eval_linear_one(ctx, rule, g, {**ob, **b} if ob else b, spec)


def _lacks_columns(model: WorkbookModel, need: dict, binding: dict) -> bool:
    """True when a template simply has no such column (e.g. central 09 without 年初/年末)."""
    for where, cols in need.items():
        tkey, _, block = where.format_map(binding).partition("|")
        t = model.get(tkey)
        if t is not None and any(c not in t.columns.get(block, []) for c in cols):
            return True
    return False


def _eval_linear_one(ctx: Context, rule: Rule, g: dict, binding: dict, spec: dict) -> None:
    mz = g.get("missing_zero", spec.get("missing_zero", False))
    need = spec.get("require_cols")
    if need and _lacks_columns(ctx.model, need, binding):
        return
    try:
        if "when" in g:
            try:
                if not _resolve_bound(ctx.model, g["when"], binding):
                    return
            except Unlocated:
                return
        lhs = [t for r in g["lhs"] for t in _resolve_bound(ctx.model, r, binding, mz)]
        rhs = [t for r in g["rhs"] for t in _resolve_bound(ctx.model, r, binding, mz)]
    except Absent:
        return
    except Unlocated as u:
        ctx.unlocated(rule, u)
        return
    if not lhs or not rhs:
        return
    if mz and all(t.row is None for t in lhs + rhs):
        return
    judge_linear(ctx, rule, lhs, rhs)


def eval_row_sum(ctx: Context, rule: Rule) -> None:
    per = rule.spec.get("per")
    for b in expand_per(ctx.model, per) if per else [{}]:
        tkey = rule.spec["table"].format_map(b)
        t = ctx.model.get(tkey)
        if t is None:
            continue
        total, items = ROW_SUMS[tkey]
        cols = t.columns.get("main", [])
        if total not in cols:
            if t.rows("main"):
                ctx.unlocated(rule, Unlocated(t, f"“{total}”列"))
            continue
        present = [c for c in items if c in cols]
        if not present:
            continue
        for row in t.rows("main"):
            lhs = [term_of(ctx.model, row, total, t, "main")]
            rhs = [term_of(ctx.model, row, c, t, "main") for c in present]
            judge_linear(ctx, rule, lhs, rhs)


def eval_hierarchy(ctx: Context, rule: Rule) -> None:
    per = rule.spec.get("per")
    levels = rule.spec.get("levels", (3, 5, 7))
    for b in expand_per(ctx.model, per) if per else [{}]:
        t = ctx.model.get(rule.spec["table"].format_map(b))
        if t is None:
            continue
        rows = t.rows("main")
        coded = [r for r in rows if r.code]
        kids_of: dict[str, list] = {}  # parent code -> child rows, built once per table
        for lv, nxt in itertools.pairwise(levels):
            parents = {r.code for r in coded if len(r.code) == lv}
            for r in coded:
                if len(r.code) == nxt and r.code[:lv] in parents:
                    kids_of.setdefault(r.code[:lv], []).append(r)
        tops = [r for r in coded if len(r.code) == levels[0]]
        total_row = t.row("main", "合计") if rule.spec.get("total", True) else None
        for col in t.columns.get("main", []):
            # the column's Term of each coded row, made once for the rule (a row is kid and parent)
            # whether or not `term_of` keeps it for the other rules
            term = {r.key: term_of(ctx.model, r, col, t, "main") for r in coded if col in r.layout.cols}
            if total_row is not None and tops:
                lhs = [term_of(ctx.model, total_row, col, t, "main")]
                # a top without the column raises in term_of, as it did before the dict
                rhs = [term.get(r.key) or term_of(ctx.model, r, col, t, "main") for r in tops]
                judge_linear(ctx, rule, lhs, rhs)
            for parent in coded:
                kids = kids_of.get(parent.code)
                if not kids or col not in parent.layout.cols:  # Row.has, inline
                    continue
                lhs = [term[parent.key]]
                rhs = [term[k.key] for k in kids if col in k.layout.cols]
                judge_linear(ctx, rule, lhs, rhs)
            # freed before the next column's are made: else two columns of a long table are held at once
            del term


def eval_le(ctx: Context, rule: Rule) -> None:
    spec = rule.spec
    groups = spec.get("groups") or [spec]
    for g in groups:
        per = g.get("per") or spec.get("per")
        mz = g.get("missing_zero", spec.get("missing_zero", False))
        for b in expand_per(ctx.model, per) if per else [{}]:
            try:
                small = _resolve_bound(ctx.model, g["small"], b, mz)
                big = _resolve_bound(ctx.model, g["big"], b, mz)
            except Absent:
                continue
            except Unlocated as u:
                ctx.unlocated(rule, u)
                continue
            if not small or not big or all(t.row is None for t in small + big):
                continue
            terms = small + big
            if _unreadable(ctx, terms):
                continue
            ctx.checks += 1
            s = g_ = width = _ZERO  # summed in order from Decimal(0), as sum() did
            for t in small:
                s += t.value
            for t in big:
                g_ += t.value
            for t in terms:  # RoundingBand.of(halves).width (a term not printed adds 0)
                if t.status == "ok":
                    width += t.row.layout.half
            if s <= g_ + width:
                ctx.passed += 1
                continue
            band = RoundingBand(width)
            ctx.findings.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    family=rule.family,
                    message=(
                        f"{_side(small)} {fmt_amount(s)} 大于 {_side(big)} {fmt_amount(g_)}"
                        f"（超出 {fmt_amount(s - g_)}，容差 ±{_fmt_band(band.width)}）"
                    ),
                    cells=[t.row.ref(t.col) for t in terms if t.row is not None],
                    expected=f"≤ {fmt_amount(g_)}",
                    actual=fmt_amount(s),
                    hint=rule.hint,
                    args={"small": s, "big": g_, "band": band.width},
                )
            )


EVALUATORS = {"linear": eval_linear, "row_sum": eval_row_sum, "hierarchy": eval_hierarchy, "le": eval_le}
