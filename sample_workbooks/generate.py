"""Generate consistent 部门决算公开 workbooks (tables + 情况说明) with a truth map of every amount cell.

    python -m sample_workbooks.generate --seed 7 --era 2020+ -o sample_workbooks/consistent_2020.xlsx
    python -m sample_workbooks.generate --seed 11 --era 2018 -o sample_workbooks/consistent_2018.xlsx

The two committed workbooks were made with exactly these commands (default shape options):
`consistent_2020.xlsx` = seed 7, era 2020+; `consistent_2018.xlsx` = seed 11, era 2018.

`generate(seed, era, **options)` is deterministic. Amounts are drawn as integers in a base unit and summed
exactly, so every identity of domain §2.1–2.2 holds on the printed values (with `tails=True`, only within
the rounding band). Truth roles (`Generated.cells[(sheet, a1)].role`), per table kind:

- 01 summary: `income:<line>` (一般公共预算财政拨款收入 … 其他收入 without ordinal; 2018: 财政拨款收入),
  `income:本年收入合计`, `income:使用非财政拨款结余` (2018 `income:用事业基金弥补收支差额`),
  `income:年初结转和结余`, `income:总计`; `expense:<类 code>`, `expense:本年支出合计`, `expense:结余分配`,
  `expense:年末结转和结余`, `expense:总计`.
- 02/03/05/基金/国资: `row:<code|合计>:<column>`; columns 02: 本年收入合计 财政拨款收入 上级补助收入 事业收入
  经营收入 附属单位上缴收入 其他收入; 03: 本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出;
  05: 合计 基本支出 项目支出; 基金: 年初结转和结余 本年收入 本年支出合计 基本支出 项目支出 年末结转和结余;
  国资: 本年支出合计 基本支出 项目支出.
- 04 fiscal: `income:<fund>` (一般公共预算财政拨款 / 政府性基金预算财政拨款 / 国有资本经营预算财政拨款),
  `income:本年收入合计`, `income:年初财政拨款结转和结余`, `income:年初:<fund>`, `income:总计`;
  `expense:<类 code|本年支出合计|年末财政拨款结转和结余|总计>:<合计|fund>`.
- 06 basic: `econ:<经济分类 code>`, `econ:人员经费合计`, `econ:公用经费合计`.
- 三公: `sangong:<合计|因公出国（境）费|公务用车购置及运行费|公务用车购置费|公务用车运行费|公务接待费>:<预算数|决算数>`.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from checks.grid import SheetGrid, WorkbookGrid, a1, parse_a1

from . import gen_tables as gt
from .gen_text import Paragraph, TextWriter
from .model import Model, build

CellKey = tuple[str, str]  # (sheet name, A1 address)

# Shape options: realistic defaults per era; `randomize=True` draws every option not given from CHOICES.
DEFAULTS: dict[str, dict[str, object]] = {
    "2018": dict(unit="万元", tails=False, fund="empty", soe="empty", sangong_layout="grouped", total_first=True,
                 sheet_names="marker", shuffle_sheets=False, per_sheet=1, offset=False, amount_style="number",
                 zero_style="zero", thousands=True, year_in_title=False, code_style="joined", all_classes=True,
                 econ_all=True, text=True, text_sheet="情况说明", text_thousands=False, chinese_numerals=False),
    "2020+": dict(unit="万元", tails=False, fund="empty", soe="empty", sangong_layout="interleaved",
                  total_first=True, sheet_names="title", shuffle_sheets=False, per_sheet=1, offset=False,
                  amount_style="number", zero_style="zero", thousands=True, year_in_title=True,
                  code_style="joined", all_classes=True, econ_all=True, text=True, text_sheet="情况说明",
                  text_thousands=False, chinese_numerals=False),
}
CHOICES: dict[str, list[object]] = {
    "unit": ["万元", "万元", "元"], "tails": [False, True], "fund": ["empty", "data"], "soe": ["empty", "data"],
    "sangong_layout": ["grouped", "interleaved"], "total_first": [True, False],
    "sheet_names": ["marker", "title", "generic", "numbered"], "shuffle_sheets": [False, True],
    "per_sheet": [1, 1, 2, 3, 9], "offset": [False, True], "amount_style": ["number", "number", "text"],
    "zero_style": ["zero", "blank", "dash"], "thousands": [True, False], "year_in_title": [False, True],
    "code_style": ["joined", "joined", "spaced"], "all_classes": [True, False], "econ_all": [True, False],
    "text": [True], "text_sheet": ["情况说明", "部门决算情况说明", "Sheet9"], "text_thousands": [False, True],
    "chinese_numerals": [False, True],
}
# Content options (not shapes): None means drawn from the seed.
CONTENT = dict(year=None, department=None, n_classes=None, max_kuan=2, max_xiang=3, institution=None)


@dataclass(frozen=True)
class CellTruth:
    table: str  # printed table number in this era: '01'..'09'
    role: str
    value: Decimal  # as printed (table unit, 2 decimals)


@dataclass
class TableInfo:
    number: str
    kind: str  # summary|income|expense|fiscal|general|basic|fund|soe|sangong
    title: str
    sheet: str
    top: int  # 0-based, inclusive
    left: int
    bottom: int
    right: int
    title_cell: str
    dept_cell: str
    columns: list[list[str]] = field(default_factory=list)  # A1 of the data cells of each amount column


@dataclass(frozen=True)
class Relation:
    """Σ lhs = Σ rhs (op "=") or Σ lhs ≤ Σ rhs (op "<="), over cells; `id` is the domain identity id."""

    id: str
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]
    op: str = "="

    @property
    def band(self) -> Decimal:
        """Rounding band for 2-decimal values: 0.005 per term (domain §2.3)."""
        return Decimal("0.005") * (len(self.lhs) + len(self.rhs))


@dataclass
class SheetData:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    amounts: set[tuple[int, int]] = field(default_factory=set)  # numeric amount cells (number format)


@dataclass
class Generated:
    seed: int
    era: str
    year: int
    department: str
    unit: str
    options: dict[str, object]
    sheets: list[SheetData]
    cells: dict[CellKey, CellTruth]
    tables: dict[str, TableInfo]
    relations: list[Relation]
    text_sheet: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    model: Model | None = None

    # ---- access -----------------------------------------------------------------------------------
    def sheet(self, name: str) -> SheetData:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def raw(self, key: CellKey) -> object:
        """The value written in a cell (None when empty)."""
        return self.sheet(key[0]).cells.get(parse_a1(key[1]))

    def value(self, key: CellKey) -> Decimal | None:
        return parse_amount(self.raw(key))

    def find(self, table: str, role: str) -> CellKey:
        """Cell of a role in a table (number as printed, e.g. '01')."""
        for k, t in self.cells.items():
            if t.table == table and t.role == role:
                return k
        raise KeyError((table, role))

    def table_of(self, kind: str) -> TableInfo:
        return next(t for t in self.tables.values() if t.kind == kind)

    def violations(self, hard_only: bool = True) -> list[tuple[Relation, Decimal]]:
        """Relations broken beyond their rounding band on the cells as written: (relation, lhs − rhs)."""
        out = []
        for r in self.relations:
            if hard_only and r.op != "=":
                continue
            diff = (sum((self.value(k) or Decimal(0) for k in r.lhs), Decimal(0))
                    - sum((self.value(k) or Decimal(0) for k in r.rhs), Decimal(0)))
            if (abs(diff) if r.op == "=" else diff) > r.band:
                out.append((r, diff))
        return out

    def copy(self) -> Generated:
        return copy.deepcopy(self)

    # ---- output -----------------------------------------------------------------------------------
    def grids(self) -> WorkbookGrid:
        sheets = []
        for s in self.sheets:
            n_rows = max((r for r, _ in s.cells), default=-1) + 1
            n_cols = max((c for _, c in s.cells), default=-1) + 1
            rows: list[list[object]] = [[None] * n_cols for _ in range(n_rows)]
            for (r, c), v in s.cells.items():
                rows[r][c] = v
            sheets.append(SheetGrid(s.name, rows, list(s.merges)))
        return WorkbookGrid(sheets)

    def workbook(self):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        wb = Workbook()
        wb.remove(wb.active)
        for s in self.sheets:
            ws = wb.create_sheet(s.name)
            for (r, c), v in sorted(s.cells.items()):
                cell = ws.cell(r + 1, c + 1, v)
                if (r, c) in s.amounts:
                    cell.number_format = "#,##0.00"
            for r0, c0, r1, c1 in s.merges:
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
            if s.name == self.text_sheet:
                ws.column_dimensions["A"].width = 120
                for row in ws.iter_rows(min_col=1, max_col=1):
                    row[0].alignment = Alignment(wrap_text=True, vertical="top")
                continue
            for c in range(max((c for _, c in s.cells), default=0) + 1):
                ws.column_dimensions[get_column_letter(c + 1)].width = 16
        for t in self.tables.values():
            cell = wb[t.sheet][t.title_cell]
            cell.font = Font(bold=True, size=14)
            cell.alignment = Alignment(horizontal="center")
        wb.properties.creator = "sample_workbooks.generate"
        return wb

    def save(self, path: str | Path) -> None:
        self.workbook().save(str(path))


_NUM = re.compile(r"^-?[\d,]*\.?\d+$")


def parse_amount(v: object) -> Decimal | None:
    """A written amount -> Decimal (2 decimals); blank and dashes are 0; other text is None."""
    if v is None:
        return Decimal(0)
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return Decimal(repr(float(v))).quantize(Decimal("0.01"))
    s = str(v).strip()
    if s in ("", "—", "-", "－", "——"):
        return Decimal(0)
    if not _NUM.match(s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def resolve_options(seed: int, era: str, options: dict[str, object]) -> dict[str, object]:
    unknown = set(options) - set(DEFAULTS[era]) - set(CONTENT) - {"randomize"}
    if unknown:
        raise TypeError(f"unknown generate() options: {sorted(unknown)}")
    randomize = bool(options.get("randomize", False))
    rng = random.Random(f"{seed}:{era}:shape")
    out: dict[str, object] = {}
    for k, default in DEFAULTS[era].items():
        drawn = rng.choice(CHOICES[k])  # always drawn, so a given option does not shift the others
        out[k] = options[k] if k in options else (drawn if randomize else default)
    if era == "2018":
        out["soe"] = "empty"
    for k, default in CONTENT.items():
        out[k] = options.get(k, default)
    out["randomize"] = randomize
    return out


def generate(seed: int, era: str = "2020+", **options: object) -> Generated:
    """A consistent workbook for `era` ("2018" 8 tables | "2020+" 9 tables). Options: see DEFAULTS/CONTENT."""
    if era not in DEFAULTS:
        raise ValueError(f"era must be one of {sorted(DEFAULTS)}")
    opt = resolve_options(seed, era, options)
    rng = random.Random(f"{seed}:{era}:model")
    year = opt["year"] if opt["year"] is not None else (2018 if era == "2018" else rng.choice(range(2020, 2025)))
    m = build(rng, era, int(year), opt["department"], str(opt["unit"]), bool(opt["tails"]), opt["n_classes"],
              int(opt["max_kuan"]), int(opt["max_xiang"]), str(opt["fund"]), str(opt["soe"]), opt["institution"])
    fmt = gt.Fmt(str(opt["amount_style"]), str(opt["zero_style"]), bool(opt["thousands"]), str(opt["code_style"]))
    lay = gt.Layout(fmt, bool(opt["total_first"]), bool(opt["year_in_title"]), bool(opt["all_classes"]),
                    bool(opt["econ_all"]), str(opt["sangong_layout"]))
    writer = gt.TableWriter(m, lay)
    blocks = writer.all()
    gen = Generated(seed, era, m.year, m.department, m.scale.unit, opt, [], {}, {}, [], model=m)
    _place(gen, blocks, opt, random.Random(f"{seed}:{era}:place"))

    roles: dict[tuple[str, str], CellKey] = {(t.table, t.role): k for k, t in gen.cells.items()}
    rels = [r for b in blocks for r in b.relations] + gt.cross_relations(era, writer.numbers, m, lay)
    for r in rels:
        lhs = tuple(roles[x] for x in r.lhs if x in roles)
        rhs = tuple(roles[x] for x in r.rhs if x in roles)
        if lhs or rhs:
            gen.relations.append(Relation(r.id, lhs, rhs, r.op))

    if opt["text"]:
        numbers = writer.numbers

        def look(kind: str, role: str):
            key = roles.get((numbers.get(kind, ""), role))
            return None if key is None else (key, gen.cells[key].value)

        trng = random.Random(f"{seed}:{era}:text")
        paras = TextWriter(m, trng, look, bool(opt["text_thousands"]), bool(opt["chinese_numerals"])).write()
        _place_text(gen, paras, str(opt["text_sheet"]), bool(opt["shuffle_sheets"]), trng)
    return gen


def _sheet_name(style: str, block: gt.Block, i: int) -> str:
    return {"marker": f"公开{block.number}表", "title": block.title[:31], "generic": f"Sheet{i + 1}",
            "numbered": f"表{int(block.number)}"}[style]


def _place(gen: Generated, blocks: list[gt.Block], opt: dict[str, object], rng: random.Random) -> None:
    order = list(blocks)
    if opt["shuffle_sheets"]:
        rng.shuffle(order)
    per = max(1, int(opt["per_sheet"]))
    groups = [order[i:i + per] for i in range(0, len(order), per)]
    for i, group in enumerate(groups):
        sheet = SheetData(_sheet_name(str(opt["sheet_names"]), group[0], i))
        gen.sheets.append(sheet)
        row = rng.randint(0, 3) if opt["offset"] else 0
        col = rng.randint(0, 2) if opt["offset"] else 0
        for b in group:
            _put_block(gen, sheet, b, row, col)
            row += b.n_rows + rng.randint(2, 4)


def _put_block(gen: Generated, sheet: SheetData, b: gt.Block, row: int, col: int) -> None:
    for (r, c), v in b.cells.items():
        sheet.cells[(row + r, col + c)] = v
    for r0, c0, r1, c1 in b.merges:
        sheet.merges.append((row + r0, col + c0, row + r1, col + c1))
    for (r, c), (role, value) in b.truth.items():
        gen.cells[(sheet.name, a1(row + r, col + c))] = CellTruth(b.number, role, value)
        if isinstance(b.cells.get((r, c)), float):
            sheet.amounts.add((row + r, col + c))
    gen.tables[b.number] = TableInfo(
        b.number, b.kind, b.title, sheet.name, row, col, row + b.n_rows - 1, col + b.n_cols - 1,
        a1(row + b.title_rc[0], col + b.title_rc[1]), a1(row + b.dept_rc[0], col + b.dept_rc[1]),
        [[a1(row + r, col + c) for r, c in column] for column in b.columns])


def _place_text(gen: Generated, paras, name: str, shuffle: bool, rng: random.Random) -> None:
    taken = {s.name for s in gen.sheets}
    base, k = name, 2
    while name in taken:
        name = f"{base}{k}"
        k += 1
    sheet = SheetData(name)
    for i, p in enumerate(paras):
        sheet.cells[(i, 0)] = p.text
        gen.paragraphs.append(Paragraph(a1(i, 0), p.text, list(p.claims)))
    pos = rng.randint(0, len(gen.sheets)) if shuffle else len(gen.sheets)
    gen.sheets.insert(pos, sheet)
    gen.text_sheet = name


def _parse_set(items: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in items:
        k, _, v = item.partition("=")
        low = v.lower()
        out[k] = True if low == "true" else False if low == "false" else int(v) if v.isdigit() else v
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sample_workbooks.generate",
                                 description="生成一致的部门决算公开样例工作簿（可选注入一个错误）")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--era", choices=sorted(DEFAULTS), default="2020+")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--randomize", action="store_true", help="draw every shape option not set from the seed")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a generate() option")
    ap.add_argument("--fault", help="inject one fault of this kind (see faults.KINDS)")
    ap.add_argument("--fault-seed", type=int, default=0)
    args = ap.parse_args(argv)
    opts = _parse_set(args.set)
    if args.randomize:
        opts["randomize"] = True
    gen = generate(args.seed, args.era, **opts)
    if args.fault:
        from .faults import inject

        fault = inject(gen, args.fault, random.Random(args.fault_seed))
        gen = fault.gen
        print(fault.describe())
    gen.save(args.output)
    print(f"{args.output}: {gen.department} {gen.year}年度 ({gen.era}), {len(gen.sheets)} sheets, "
          f"{len(gen.cells)} amount cells, {len(gen.relations)} identities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
