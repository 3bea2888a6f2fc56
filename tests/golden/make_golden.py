"""The golden reports: every finding of a fixed corpus, to pin behaviour while the engine is optimised.

    python tests/golden/make_golden.py          # rewrite reports.json after an intended change

The corpus: the three sample workbooks (read from disk), and generated workbooks of both eras with
each fault kind injected (fixed seeds). `tests/test_golden_reports.py` recomputes and compares.
A change of findings must be intended: rewrite the file and review its diff.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from addin.reader import read_workbook  # noqa: E402
from addin.report_json import _default  # noqa: E402
from checks.api import check_grids  # noqa: E402
from sample_workbooks.faults import KINDS, NoCandidate, inject  # noqa: E402
from sample_workbooks.generate import generate  # noqa: E402

GOLDEN = Path(__file__).with_name("reports.json")
SAMPLES = ("yongzhou_2018.xlsx", "consistent_2018.xlsx", "consistent_2020.xlsx")
SEEDS = (101, 202, 303)


def _canonical(report) -> dict:
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False, default=_default))
    data.pop("workbook", None)
    return data


def corpus():
    """(name, grids) pairs, in a fixed order."""
    for name in SAMPLES:
        yield name, read_workbook(ROOT / "sample_workbooks" / name)
    for seed in SEEDS:
        for era in ("2018", "2020+"):
            gen = generate(seed, era, randomize=True)
            yield f"gen-{seed}-{era}", gen.grids()
            for kind in KINDS:
                try:
                    fault = inject(gen, kind, random.Random(seed))
                except NoCandidate:
                    continue
                yield f"gen-{seed}-{era}-{kind}", fault.gen.grids()


def reports() -> dict[str, dict]:
    return {name: _canonical(check_grids(grids, name=name)) for name, grids in corpus()}


def main() -> int:
    data = reports()
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(data)} reports, {sum(len(r['findings']) for r in data.values())} findings -> {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
