"""Where the text checks spend their time: each step of `checks.api._text_findings`, timed apart.

    python benchmarks/text_phases.py [--workbook PATH] [--repeat N]

Prints the median of each step (ms) after warm-up runs, their sum, the table check they are
measured against in figure (a3) of bench.py (read + model + table rules), and the budget that
figure sets (0.5 × the table check). A tool for finding what to make faster, not a figure.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workbook", type=Path, default=SAMPLE)
    ap.add_argument("--repeat", type=int, default=60)
    args = ap.parse_args(argv)

    from addin.reader import read_workbook
    from checks.api import _is_table_sheet, check_grids
    from checks.engine import build_model, run_rules
    from checks.rules import RULES
    from checks.text import internal
    from checks.text.arith import check_comparisons, check_completion, check_flat
    from checks.text.claims import extract_all
    from checks.text.consistency import check_class_names, check_repeated, check_years
    from checks.text.ground import ground_claims
    from checks.text.groups import ClaimGroups
    from checks.text.paragraphs import is_text_sheet, text_paragraphs
    from checks.text.perf_checks import check_base_vs_text, check_score_tables
    from checks.text.rules import Tally
    from checks.text.structure import structure_findings
    from checks.text.sums import ParagraphLists, check_lists, check_shares

    wb = args.workbook.resolve()
    grids = read_workbook(wb)
    model = build_model(grids)
    run_rules(model)
    times: dict[str, list[float]] = {}

    def step(name: str, fn: Callable[[], object]) -> object:
        t = time.perf_counter()
        out = fn()
        times.setdefault(name, []).append(time.perf_counter() - t)
        return out

    def one_run() -> tuple[int, int]:
        flags = step("text sheets", lambda: [is_text_sheet(s) for s in grids.sheets])
        texts = [s for s, f in zip(grids.sheets, flags, strict=True) if f]
        paras = step("paragraphs", lambda: text_paragraphs(grids, texts))
        perf = [
            s for s, f in zip(grids.sheets, flags, strict=True) if not f and not _is_table_sheet(s, model)
        ]
        year = model.year
        claims = step("claims", lambda: extract_all(paras))
        tables, base = step("绩效 tables", lambda: internal.perf_tables(perf))
        tally, lists = Tally(), ParagraphLists()
        groups = step("groups", lambda: ClaimGroups(claims))
        step("W-1/2/4/9", lambda: check_comparisons(claims, tally, groups))
        step("W-3", lambda: check_completion(claims, tally, groups))
        step("W-4 持平", lambda: check_flat(claims, tally, groups))
        step("W-5", lambda: check_lists(claims, paras, tally, lists, groups))
        step("W-6/11", lambda: check_shares(claims, tally, lists, groups))
        step("W-7", lambda: check_years(claims, year, tally, groups))
        step("W-8", lambda: check_repeated(claims, tally, groups))
        step("W-10", lambda: check_score_tables(tables, base, claims, year, tally, groups))
        step("W-12", lambda: check_base_vs_text(base, claims, year, tally, groups))
        step("W-13", lambda: check_class_names(claims, year, tally, groups))
        step("Y- grounding", lambda: ground_claims(model, paras, claims, groups))
        step("W-14/15, C-2", lambda: structure_findings(paras, year))
        return len(paras), len(claims)

    warm = max(5, args.repeat // 6)
    for _ in range(args.repeat + warm):
        gc.collect()
        n_paras, n_claims = one_run()

    tables_only = [r for r in RULES.values() if r.kind != "text"]
    table_check = []
    for _ in range(args.repeat + warm):
        gc.collect()
        t = time.perf_counter()
        check_grids(read_workbook(wb), name=wb.name, rules=tables_only)
        table_check.append(time.perf_counter() - t)

    def med(xs: list[float]) -> float:
        return statistics.median(xs[warm:]) * 1000

    total = 0.0
    print(f"{'step':16s} {'ms':>6s}")
    for name, xs in times.items():
        total += med(xs)
        print(f"{name:16s} {med(xs):6.2f}")
    tc = med(table_check)
    print(f"{'sum':16s} {total:6.2f}   ({n_paras} paragraphs, {n_claims} claims)")
    print(
        f"table check {tc:.2f} ms; budget of (a3) = 0.5 × table check = {tc / 2:.2f} ms; "
        f"sum ÷ table check = {total / tc:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
