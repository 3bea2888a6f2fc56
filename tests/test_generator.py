"""Generator of consistent 决算公开 workbooks: determinism, identities, text claims, faults, committed files.

The identity checks below are written independently of the generator's own relation list: they locate
cells through the truth map and read the values from the plain grids.
"""

import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.grid import parse_a1  # noqa: E402
from sample_workbooks.faults import KINDS, inject  # noqa: E402
from sample_workbooks.generate import generate, main  # noqa: E402

ERAS = ("2018", "2020+")
SEEDS = range(12)


def num(v) -> Decimal:
    """A grid value as a Decimal; blank and dashes are zero."""
    if v is None or v in ("—", "-"):
        return Decimal(0)
    if isinstance(v, float | int):
        return Decimal(str(round(v, 2)))
    return Decimal(str(v).replace(",", ""))


class View:
    """Role -> value over the grids of one generated workbook."""

    def __init__(self, gen):
        self.gen = gen
        self.grid = {s.name: s for s in gen.grids().sheets}
        self.where = {(t.table, t.role): k for k, t in gen.cells.items()}
        self.no = {t.kind: n for n, t in gen.tables.items()}

    def at(self, key) -> Decimal:
        r, c = parse_a1(key[1])
        return num(self.grid[key[0]].value(r, c))

    def v(self, kind: str, role: str) -> Decimal:
        key = self.where.get((self.no[kind], role))
        return Decimal(0) if key is None else self.at(key)

    def roles(self, kind: str, prefix: str) -> list[str]:
        return [role for (n, role) in self.where if n == self.no[kind] and role.startswith(prefix)]


def holds(total: Decimal, parts: list[Decimal], exact: bool) -> bool:
    diff = abs(total - sum(parts, Decimal(0)))
    return diff == 0 if exact else diff <= Decimal("0.005") * (len(parts) + 1)


def check_identities(gen) -> list[str]:
    w = View(gen)
    exact = not gen.options["tails"]
    bad: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            bad.append(what)

    # 01 totals (T01-1…5)
    use = "用事业基金弥补收支差额" if gen.era == "2018" else "使用非财政拨款结余"
    s = lambda role: w.v("summary", role)  # noqa: E731
    need(s("income:总计") == s("expense:总计"), "T01-1")
    need(holds(s("income:总计"), [s("income:本年收入合计"), s(f"income:{use}"), s("income:年初结转和结余")], exact),
         "T01-2")
    need(holds(s("expense:总计"), [s("expense:本年支出合计"), s("expense:结余分配"), s("expense:年末结转和结余")],
               exact), "T01-3")
    lines = [r for r in w.roles("summary", "income:") if r.endswith("收入") and "合计" not in r]
    need(len(lines) == (6 if gen.era == "2018" else 8), "01 income lines")
    need(holds(s("income:本年收入合计"), [s(r) for r in lines], exact), "T01-4")
    classes = [r for r in w.roles("summary", "expense:") if r.split(":")[1].isdigit()]
    need(holds(s("expense:本年支出合计"), [s(r) for r in classes], exact), "T01-5")
    # 02: 合计 = Σ类 per column, row identity; X-1
    cols02 = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    codes02 = {r.split(":")[1] for r in w.roles("income", "row:")} - {"合计"}
    for col in cols02:
        need(holds(w.v("income", f"row:合计:{col}"), [w.v("income", f"row:{c}:{col}") for c in codes02
                                                       if len(c) == 3], exact), f"T02-2 {col}")
    for code in codes02 | {"合计"}:
        need(holds(w.v("income", f"row:{code}:本年收入合计"),
                   [w.v("income", f"row:{code}:{c}") for c in cols02[1:]], exact), f"T02-1 {code}")
    need(w.v("income", "row:合计:本年收入合计") == s("income:本年收入合计"), "X-1")
    # 04 per fund balance (T04-4), 一般公共 column = 05 合计
    funds = ["一般公共预算财政拨款", "政府性基金预算财政拨款"] + ([] if gen.era == "2018" else ["国有资本经营预算财政拨款"])
    f = lambda role: w.v("fiscal", role)  # noqa: E731
    for fund in funds:
        need(holds(f(f"income:{fund}") + f(f"income:年初:{fund}"),
                   [f(f"expense:本年支出合计:{fund}"), f(f"expense:年末财政拨款结转和结余:{fund}")], exact),
             f"T04-4 {fund}")
    need(f("expense:本年支出合计:一般公共预算财政拨款") == w.v("general", "row:合计:合计"), "X-4")
    # 05 ↔ 06, 06 totals (T06-2)
    b = lambda role: w.v("basic", role)  # noqa: E731
    need(holds(w.v("general", "row:合计:基本支出"), [b("econ:人员经费合计"), b("econ:公用经费合计")], exact), "X-5")
    need(holds(b("econ:人员经费合计"), [b("econ:301"), b("econ:303")], exact), "T06-2")
    # 三公 sums (T07-1, T07-2) and 06 items ≤ 三公 决算
    g = lambda item, k: w.v("sangong", f"sangong:{item}:{k}")  # noqa: E731
    for k in ("预算数", "决算数"):
        need(holds(g("合计", k), [g("因公出国（境）费", k), g("公务用车购置及运行费", k), g("公务接待费", k)], exact),
             f"T07-1 {k}")
        need(holds(g("公务用车购置及运行费", k), [g("公务用车购置费", k), g("公务用车运行费", k)], exact), f"T07-2 {k}")
    need(b("econ:30217") <= g("公务接待费", "决算数"), "X-10 接待")
    need(b("econ:31013") <= g("公务用车购置费", "决算数"), "X-10 购置")
    # 03 ≥ 05 per code and column; 01 类 rows = 03 类 totals
    for role in w.roles("general", "row:"):
        _, code, col = role.split(":")
        col03 = "本年支出合计" if col == "合计" else col
        need(w.v("expense", f"row:{code}:{col03}") >= w.v("general", role), f"X-8 {role}")
    for r in classes:
        need(s(r) == w.v("expense", f"row:{r.split(':')[1]}:本年支出合计"), f"X-2 {r}")
    return bad


def grid_cells(gen) -> dict:
    return {(s.name, r, c): v for s in gen.grids().sheets for r, row in enumerate(s.rows)
            for c, v in enumerate(row) if v is not None}


# ---- determinism and truth ----------------------------------------------------------------------------

@pytest.mark.parametrize("era", ERAS)
def test_same_seed_same_workbook(era):
    a, b = generate(5, era, randomize=True), generate(5, era, randomize=True)
    assert [(s.name, s.rows, s.merged) for s in a.grids().sheets] == [(s.name, s.rows, s.merged)
                                                                      for s in b.grids().sheets]
    assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs]
    assert grid_cells(a) != grid_cells(generate(6, era, randomize=True))


@pytest.mark.parametrize("era", ERAS)
def test_truth_map_matches_written_cells(era):
    gen = generate(3, era, randomize=True)
    w = View(gen)
    assert len(gen.cells) > 150
    for key, truth in gen.cells.items():
        assert w.at(key) == truth.value, key


@pytest.mark.parametrize("randomize", [False, True])
@pytest.mark.parametrize("era", ERAS)
def test_identities_hold_for_many_seeds(era, randomize):
    for seed in SEEDS:
        gen = generate(seed, era, randomize=randomize)
        assert check_identities(gen) == [], (seed, gen.options)
        assert gen.violations(hard_only=False) == []


def test_tails_give_only_rounding_differences():
    gen = generate(3, "2020+", tails=True)
    assert check_identities(gen) == []
    w = View(gen)
    diffs = [abs(sum((w.at(k) for k in r.lhs), Decimal(0)) - sum((w.at(k) for k in r.rhs), Decimal(0)))
             for r in gen.relations if r.op == "="]
    assert max(diffs) == Decimal("0.01")  # some 尾差 …
    assert all(d <= r.band for d, r in zip(diffs, [r for r in gen.relations if r.op == "="], strict=True))


def test_identity_checker_sees_a_broken_total():
    gen = generate(1, "2020+")
    key = gen.find(gen.table_of("summary").number, "income:本年收入合计")
    r, c = parse_a1(key[1])
    gen.sheet(key[0]).cells[(r, c)] = float(gen.cells[key].value + 5)
    assert "T01-4" in check_identities(gen) and "X-1" in check_identities(gen)


# ---- shapes ---------------------------------------------------------------------------------------------

def test_default_2020_shape():
    gen = generate(7, "2020+")
    names = [s.name for s in gen.sheets]
    assert names[:3] == ["收入支出决算总表", "收入决算表", "支出决算表"] and names[-1] == "情况说明"
    assert [t.kind for t in gen.tables.values()] == ["summary", "income", "expense", "fiscal", "general", "basic",
                                                      "fund", "soe", "sangong"]
    grid = {s.name: s for s in gen.grids().sheets}
    sg = grid["财政拨款“三公”经费支出决算表"]
    assert sg.rows[5][:4] == ["预算数", "决算数", "预算数", "决算数"]  # interleaved
    fund = grid["政府性基金预算财政拨款收入支出决算表"]
    assert any("本表无数据" in str(row[0]) for row in fund.rows)
    assert grid["收入支出决算总表"].rows[6][0] == "一、一般公共预算财政拨款收入"


def test_default_2018_shape_mirrors_the_export_layout():
    gen = generate(11, "2018")
    grid = {s.name: s for s in gen.grids().sheets}
    assert list(grid)[:8] == [f"公开0{i}表" for i in range(1, 9)]
    t01 = grid["公开01表"].rows
    assert t01[0][0] == "收入支出决算总表" and t01[1][5] == "公开01表"
    assert t01[2][5] == "金额单位：万元" and t01[2][0].startswith("部门：")
    assert t01[4] == ["项目", "行次", "金额", "项目", "行次", "金额"]
    assert (t01[6][0], t01[6][4]) == ("一、财政拨款收入", 28)
    assert [r[0] for r in t01[28:33]] == ["本年收入合计", "用事业基金弥补收支差额", "年初结转和结余", None, "总计"]
    assert t01[32][4] == 54
    sg = grid["公开07表"].rows
    assert sg[3][0] == "预算数" and sg[3][6] == "决算数" and sg[6] == list(range(1, 13))


def test_shape_options():
    gen = generate(2, "2020+", unit="元", total_first=False, per_sheet=3, sangong_layout="grouped",
                   sheet_names="generic", fund="data", soe="data", amount_style="text", zero_style="dash")
    assert [s.name for s in gen.sheets] == ["Sheet1", "Sheet2", "Sheet3", "情况说明"]
    assert check_identities(gen) == []
    w = View(gen)
    income = gen.tables[w.no["income"]]
    grid = {s.name: s for s in gen.grids().sheets}[income.sheet]
    assert grid.rows[income.top + 2][income.right] == "单位：元"
    last = max(parse_a1(k[1])[0] for k, t in gen.cells.items() if t.table == income.number)
    assert grid.rows[last][income.left] == "合计"
    assert w.v("fund", "row:合计:本年支出合计") > 0 and w.v("soe", "row:合计:本年支出合计") > 0
    assert all(isinstance(gen.raw(k), str) for k, t in gen.cells.items() if t.value)  # "1,234.56"
    assert any(gen.raw(k) == "—" for k, t in gen.cells.items() if not t.value)
    with pytest.raises(TypeError):
        generate(1, "2020+", colour="red")


# ---- 情况说明 --------------------------------------------------------------------------------------------

def q(x: Decimal, d: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("era", ERAS)
def test_text_claims_recompute_from_tables(era):
    for seed in range(8):
        gen = generate(seed, era, randomize=seed % 2 == 1)
        w = View(gen)
        kinds = set()
        for p in gen.paragraphs:
            assert w.grid[gen.text_sheet].value(*parse_a1(p.cell)) == p.text
            for c in p.claims:
                kinds.add(c.kind)
                assert p.text[c.start:c.end] == c.printed
                if c.printed.replace(",", "").replace(".", "").isdigit():
                    assert Decimal(c.printed.replace(",", "")) == c.value
                if c.kind in ("share", "completion"):
                    assert c.value == q(c.num * 100 / c.den, c.decimals), c
                if c.kind == "rate":
                    assert c.value == q(abs(c.num - c.den) * 100 / c.den, c.decimals), c
                if c.kind == "change":
                    assert c.value == abs(c.num - c.den)
                if c.kind == "share" and c.cells:  # operands are the table cells
                    assert [w.at(k) for k in c.cells] == [c.num, c.den]
                if c.kind == "amount" and c.cells:
                    table = w.at(c.cells[0])
                    assert c.value == (table if gen.unit == "万元" else q(table / 10000, 2))
                if c.kind == "year":
                    assert c.value in (gen.year, gen.year - 1)
        assert {"amount", "share", "completion", "year", "count"} <= kinds


def test_text_sections_and_vehicle_counts():
    gen = generate(7, "2020+")
    text = "\n".join(p.text for p in gen.paragraphs)
    for head in ("一、收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明", "（三）国有资产占用情况",
                 "本部门" + str(gen.year) + "年度无政府性基金预算财政拨款收入和支出"):
        assert head in text
    counts = {c.label: c.value for p in gen.paragraphs for c in p.claims if c.kind == "count"}
    vehicles = [v for k, v in counts.items() if k.startswith("车辆:")]
    assert sum(vehicles) == counts["车辆总数"] >= counts["公务用车保有量"]


# ---- faults --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("era", ERAS)
def test_fault_changes_exactly_what_it_reports(era, kind):
    for seed in range(3):
        gen = generate(seed, era, randomize=seed > 0)
        before = grid_cells(gen)
        fault = inject(gen, kind, random.Random(seed))
        assert grid_cells(gen) == before  # the original is untouched
        after = grid_cells(fault.gen)
        diff = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        reported = {(c.sheet, *parse_a1(c.cell)) for c in fault.changes if c.old != c.new}
        assert diff == reported and diff, (kind, fault.describe())
        for c in fault.changes:
            r, col = parse_a1(c.cell)
            assert before.get((c.sheet, r, col)) == c.old and after.get((c.sheet, r, col)) == c.new
        if kind == "foreign_table":
            assert {k[0] for k in diff} == {fault.added_sheet}
        else:
            assert fault.added_sheet is None


@pytest.mark.parametrize("kind", ["amount_changed", "digit_dropped", "cells_swapped", "column_shifted"])
def test_table_faults_break_an_identity(kind):
    for seed, era in [(0, "2018"), (1, "2020+"), (2, "2020+"), (4, "2018")]:
        gen = generate(seed, era, randomize=True)
        fault = inject(gen, kind, random.Random(seed))
        assert fault.gen.violations(), fault.describe()
        if kind in ("amount_changed", "digit_dropped"):
            old, new = num(fault.old), num(fault.new)
            assert abs(old - new) >= 1


@pytest.mark.parametrize("kind", ["text_amount", "text_share", "text_rate", "text_completion"])
def test_text_faults_are_wrong_beyond_printed_precision(kind):
    for seed in range(4):
        gen = generate(seed, "2020+" if seed % 2 else "2018", randomize=True)
        fault = inject(gen, kind, random.Random(seed))
        c = fault.claim
        assert c.kind == kind.removeprefix("text_")
        if c.kind == "amount":
            truth = fault.gen.cells[c.cells[0]].value
            truth = truth if gen.unit == "万元" else q(truth / 10000, 2)
        elif c.kind == "rate":
            truth = abs(c.num - c.den) * 100 / c.den
        else:
            truth = c.num * 100 / c.den
        assert abs(c.value - truth) > Decimal("0.5") * Decimal(1).scaleb(-c.decimals) + Decimal("0.5")
        para = next(p for p in fault.gen.paragraphs if p.cell == fault.cell)
        assert para.text[c.start:c.end] == c.printed == fault.new[c.start:c.end]


def test_entity_faults():
    gen = generate(4, "2020+")
    dept = inject(gen, "other_department", random.Random(1))
    assert dept.old == f"部门：{gen.department}" and dept.new.startswith("部门：") and dept.new != dept.old
    year = inject(gen, "wrong_year", random.Random(2))
    assert str(gen.year) in str(year.old) and year.new != year.old
    foreign = inject(gen, "foreign_table", random.Random(3))
    pasted = [c.new for c in foreign.changes if str(c.new).startswith("部门：")]
    assert pasted and pasted[0] != f"部门：{gen.department}"
    with pytest.raises(ValueError):
        inject(gen, "no_such_fault", random.Random(0))


# ---- committed files and CLI ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "seed", "era"), [("consistent_2020.xlsx", 7, "2020+"),
                                                   ("consistent_2018.xlsx", 11, "2018")])
def test_committed_workbooks_are_current(name, seed, era):
    from openpyxl import load_workbook

    wb = load_workbook(ROOT / "sample_workbooks" / name, read_only=True)
    got = {(ws.title, r, c): v for ws in wb for r, row in enumerate(ws.iter_rows(values_only=True))
           for c, v in enumerate(row) if v is not None}
    assert got == grid_cells(generate(seed, era))


def test_cli_writes_a_faulted_workbook(tmp_path, capsys):
    out = tmp_path / "f.xlsx"
    assert main(["--seed", "3", "--era", "2018", "-o", str(out), "--set", "unit=元", "--fault", "amount_changed"]) == 0
    assert out.exists() and "[amount_changed]" in capsys.readouterr().out
