"""Recall per fault kind and false alarms over N generated workbooks (both eras, random shapes).

    python benchmarks/recall.py [--n 40] [--seed 0]

A consistent workbook must give no 错误/警告 (a false alarm otherwise). A fault is detected when an
错误/警告 names a changed cell (or, for a pasted foreign table, a cell of the added sheet).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks.api import check_grids  # noqa: E402
from sample_workbooks.faults import KINDS, NoCandidate, inject  # noqa: E402
from sample_workbooks.generate import generate  # noqa: E402


def _loud(report):
    return [f for f in report.findings if f.severity.value in ("error", "warning")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=40, help="generated workbooks per era")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    alarms: Counter = Counter()
    books = 0
    for i in range(args.n):
        for era in ("2018", "2020+"):
            gen = generate(args.seed + i, era, randomize=True)
            books += 1
            alarms.update(f.rule for f in _loud(check_grids(gen.grids())))
    hit: Counter = Counter()
    tried: Counter = Counter()
    for i in range(args.n):
        gen = generate(args.seed + 10_000 + i, "2020+" if i % 2 else "2018", randomize=True)
        for kind in KINDS:
            try:
                fault = inject(gen, kind, random.Random(i))
            except NoCandidate:
                continue
            tried[kind] += 1
            loud = _loud(check_grids(fault.gen.grids()))
            named = {(c.sheet, c.cell) for f in loud for c in f.cells}
            changed = {(c.sheet, c.cell) for c in fault.changes}
            if named & changed or (fault.added_sheet and any(s == fault.added_sheet for s, _ in named)):
                hit[kind] += 1
    print(f"false alarms: {sum(alarms.values())} over {books} consistent workbooks {dict(alarms) or ''}")
    print(f"{'fault kind':<18} {'detected':>8} {'of':>4} {'recall':>7}")
    for kind in KINDS:
        if tried[kind]:
            print(f"{kind:<18} {hit[kind]:>8} {tried[kind]:>4} {hit[kind] / tried[kind]:>7.1%}")
    print(f"total {sum(hit.values())}/{sum(tried.values())}; {time.perf_counter() - t0:.1f} s")
    return 0 if not alarms else 1


if __name__ == "__main__":
    sys.exit(main())
