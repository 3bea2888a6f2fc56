"""Speed and memory of the checker as ratios against a baseline measured in the same run.

    python benchmarks/bench.py [--workbook PATH] [--repeat N] [--batch N] [--no-stress]

Every figure is a ratio (ours ÷ a plain openpyxl operation on the same file, or 1 job ÷ 2 jobs), so
it means the same on a slow or a busy machine. See benchmarks/README.md for what each figure is.
Exit code 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"
PY = sys.executable
# Cold processes run as on a user's machine, where Python keeps the bytecode it compiled: a
# PYTHONDONTWRITEBYTECODE set in this environment would make every run compile our modules from
# source while the baseline's openpyxl loads the bytecode pip wrote (the first, discarded run
# writes ours).
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Timing:
    samples: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)


@dataclass
class Figure:
    name: str
    ours: str
    baseline: str
    ratio: float
    target: str
    ok: bool
    note: str = ""


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return Timing(out)


def paired(ours_fn: Callable[[], object], base_fn: Callable[[], object], repeat: int,
           warmup: int = 1) -> tuple[Timing, Timing, float]:
    """Ours and the baseline run alternately, each after a gc.collect(): (ours, base, median of the
    per-round ratios). A burst of load from other processes then hits both sides of a round
    instead of a whole block of one side, and a full collection left over from one side's garbage
    is not charged to the other."""
    for _ in range(warmup):
        ours_fn()
        base_fn()
    a, b = [], []
    for _ in range(repeat):
        for fn, out in ((ours_fn, a), (base_fn, b)):
            gc.collect()
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return Timing(a), Timing(b), statistics.median(x / y for x, y in zip(a, b, strict=True))


def ms(t: Timing) -> str:
    return f"{t.median * 1000:,.1f} / {t.min * 1000:,.1f} ms"


def sec(t: Timing) -> str:
    return f"{t.median:,.2f} / {t.min:,.2f} s"


def run_cold(args: list[str], repeat: int) -> Timing:
    """Wall time of a fresh interpreter running `args` (stdout/stderr discarded)."""
    out = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        subprocess.run([PY, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env=COLD_ENV)
        out.append(time.perf_counter() - t)
    return Timing(out[1:])  # the first run warms the OS file cache and writes our bytecode


# ---------------------------------------------------------------------------------------------
# (a) check vs openpyxl load, (b) annotated copy vs openpyxl round trip


def fig_check(wb: Path, repeat: int) -> Figure:
    from openpyxl import load_workbook

    from addin.reader import read_workbook
    from checks.api import check_grids

    ours, base, r = paired(lambda: check_grids(read_workbook(wb), name=wb.name), lambda: load_workbook(wb), repeat)
    read = timed(lambda: read_workbook(wb), repeat)
    grids = read_workbook(wb)
    rules = timed(lambda: check_grids(grids, name=wb.name), repeat)
    return Figure("(a) check (read + all rules) / openpyxl load_workbook", ms(ours), ms(base), r, "<= 0.25",
                  r <= 0.25, f"median of paired ratios; ratio of mins {ours.min / base.min:.2f}; of which "
                  f"read_workbook {ms(read)}, check_grids {ms(rules)}")


def fig_check_parts(wb: Path, repeat: int) -> list[Figure]:
    """(a2) the table rules alone against the same baseline; (a3) what the text checks add to them."""
    from openpyxl import load_workbook

    from addin.reader import read_workbook
    from checks.api import check_grids
    from checks.rules import RULES

    tables = [r for r in RULES.values() if r.kind != "text"]
    table_check, base, r2 = paired(lambda: check_grids(read_workbook(wb), name=wb.name, rules=tables),
                                   lambda: load_workbook(wb), repeat)
    full, table_check2, ratio = paired(lambda: check_grids(read_workbook(wb), name=wb.name),
                                       lambda: check_grids(read_workbook(wb), name=wb.name, rules=tables), repeat)
    added = ratio - 1
    return [
        Figure("(a2) check, table rules only / openpyxl load_workbook", ms(table_check), ms(base), r2, "<= 0.3",
               r2 <= 0.3, "read + 表内/表间/完整性 rules, no text checks"),
        Figure("(a3) time the text checks add / check with table rules only", ms(full), ms(table_check2), added,
               "<= 0.5", added <= 0.5, "文内 + 表文 over the 情况说明 and 绩效 sheets"),
    ]


def fig_annotate(wb: Path, repeat: int, tmp: Path) -> Figure:
    from openpyxl import load_workbook

    from addin.annotate import write_annotated_copy
    from addin.reader import read_workbook
    from checks.api import check_grids

    grids = read_workbook(wb)
    report = check_grids(grids, name=wb.name)
    out, rt = tmp / "annotated.xlsx", tmp / "roundtrip.xlsx"

    def roundtrip() -> None:
        load_workbook(wb).save(rt)

    ours, base, r = paired(lambda: write_annotated_copy(wb, report, out, grids), roundtrip, repeat)
    return Figure("(b) annotated copy / openpyxl load + save", ms(ours), ms(base), r, "<= 1.3", r <= 1.3,
                  f"median of paired ratios; ratio of mins {ours.min / base.min:.2f}; {len(report.findings)} findings")


# ---------------------------------------------------------------------------------------------
# (c) cold CLI process


def fig_cold(wb: Path, repeat: int) -> Figure:
    ours = run_cold(["-m", "addin.cli", "check", str(wb), "--no-annotate", "-q"], repeat)
    base = run_cold(["-c", f"import openpyxl; openpyxl.load_workbook({str(wb)!r})"], repeat)
    r = ours.min / base.min
    return Figure("(c) cold `juesuan check --no-annotate` / cold openpyxl load", ms(ours), ms(base), r, "<= 1.0",
                  r <= 1.0, "ratio of mins (process start + imports + work)")


def fig_cold_text(wb: Path, repeat: int) -> Figure:
    """(a4) what the text checks add to the check a user runs: a cold `juesuan check --no-annotate`
    with every rule against the same with the text rules left out (--ignore), run alternately."""
    args = ["-m", "addin.cli", "check", str(wb), "--no-annotate", "-q"]
    table_only = [*args, "--ignore", "文内,表文,C-2"]  # C-2 (required topics) is the one text rule of 完整性
    full, tables = [], []
    for i in range(repeat + 1):
        for cmd, out in ((args, full), (table_only, tables)) if i % 2 else ((table_only, tables), (args, full)):
            t = time.perf_counter()
            subprocess.run([PY, *cmd], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                           env=COLD_ENV)
            out.append(time.perf_counter() - t)
    ours, base = Timing(full[1:]), Timing(tables[1:])  # the first round warms the file and bytecode caches
    added = ours.min / base.min - 1
    return Figure("(a4) time the text checks add / cold check, table rules only", ms(ours), ms(base), added,
                  "<= 0.5", added <= 0.5, "ratio of mins of alternating cold `juesuan check --no-annotate` "
                  "processes, the baseline with --ignore 文内,表文,C-2 (no text check runs)")


def slowest_imports(wb: Path, n: int = 6) -> list[tuple[str, float]]:
    """Top cumulative import times (ms) of a cold `check --no-annotate`, from -X importtime."""
    res = subprocess.run([PY, "-X", "importtime", "-m", "addin.cli", "check", str(wb), "--no-annotate", "-q"],
                         cwd=ROOT, capture_output=True, text=True, check=False, env=COLD_ENV)
    top: list[tuple[str, float]] = []
    for line in res.stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3:
            continue
        try:
            cumulative = int(parts[1])
        except ValueError:  # the header line
            continue
        name = parts[2][1:]  # one space after the bar; more spaces mean a nested import
        if not name.startswith(" "):
            top.append((name.strip(), cumulative / 1000))
    return sorted(top, key=lambda t: -t[1])[:n]


# ---------------------------------------------------------------------------------------------
# (d) batch speedup


def _spin(n: int) -> int:
    """Pure CPU work for the parallel-capacity probe."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def parallel_ceiling(tasks: int = 16, n: int = 400_000) -> float:
    """Speedup of pure CPU work from 1 to 2 processes right now: what other load leaves for (d)."""
    from concurrent.futures import ProcessPoolExecutor

    def wall(workers: int) -> float:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_spin, [1000] * workers))  # workers started before timing
            t = time.perf_counter()
            list(pool.map(_spin, [n] * tasks))
            return time.perf_counter() - t

    return min(wall(1) for _ in range(2)) / min(wall(2) for _ in range(2))


def fig_batch(wb: Path, n: int, runs: int, tmp: Path, annotate: bool) -> Figure:
    from addin.batch import check_folder

    folder = tmp / ("batch_annotate" if annotate else "batch_plain")
    folder.mkdir()
    for i in range(n):
        shutil.copyfile(wb, folder / f"copy_{i:03d}{wb.suffix}")

    def once(jobs: int) -> float:
        t = time.perf_counter()
        res = check_folder(folder, out_dir=None, jobs=jobs, annotate=annotate, json_reports=False, progress=False)
        elapsed = time.perf_counter() - t
        assert res.jobs == jobs and len(res.items) == n and res.checked == n, "batch did not check every copy"
        return elapsed

    ceiling_before = parallel_ceiling()
    one, two = [], []
    for _ in range(runs):  # interleaved, so drift on a shared machine hits both alike
        one.append(once(1))
        two.append(once(2))
    ceiling = min(ceiling_before, parallel_ceiling())
    t1, t2 = Timing(one), Timing(two)
    r = t1.min / t2.min
    label = "with annotated copies" if annotate else "--no-annotate"
    busy = ": the machine was busy, other load caps any speedup" if r < 1.6 and ceiling < 1.8 else ""
    return Figure(f"(d) batch of {n}, {label}: 1 job / 2 jobs", sec(t2) + " (2 jobs)", sec(t1) + " (1 job)", r,
                  ">= 1.6", r >= 1.6, f"speedup, ratio of mins; {os.cpu_count()} CPUs; a pure-CPU probe gave "
                  f"{ceiling:.2f} just before/after{busy}")


# ---------------------------------------------------------------------------------------------
# (e) memory, (f) imports


_MEM_SCRIPT = r"""
import json, re, sys, tracemalloc
from pathlib import Path
from addin.reader import read_workbook
from checks.api import check_grids
warm, real, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
check_grids(read_workbook(warm), name=warm.name)  # imports and first-use costs first: only the check is measured

def status(key):
    return int(re.search(key + r":\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) * 1024

if mode == "rss":
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak RSS (VmHWM) to the current RSS
    before = status("VmRSS")
    check_grids(read_workbook(real), name="x")
    print(json.dumps(status("VmHWM") - before))
else:
    tracemalloc.start()
    check_grids(read_workbook(real), name="x")
    print(json.dumps(tracemalloc.get_traced_memory()[1]))
"""


def _warm_up_workbook(wb: Path) -> Path:
    """Another full sample (tables and 情况说明), checked before the measured one: the process then
    holds what any first check leaves for the rest of its life (regex and allocator arenas, lazily
    made tables), and the figure is what one more check costs. Never the measured file itself."""
    for name in ("consistent_2020.xlsx", "consistent_2018.xlsx"):
        p = ROOT / "sample_workbooks" / name
        if p.resolve() != wb.resolve():
            return p
    raise AssertionError("unreachable: two different samples")


def _tiny_workbook(tmp: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "公开01表"
    ws.append(["收入支出决算总表"])
    ws.append(["部门：示例", None, "金额单位：万元"])
    ws.append(["项目", "行次", "金额"])
    ws.append(["本年收入合计", 1, 1.0])
    p = tmp / "tiny.xlsx"
    if not p.exists():
        wb.save(p)
    return p


def xml_size(wb: Path) -> int:
    with zipfile.ZipFile(wb) as zf:
        return sum(i.file_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))


def fig_memory(wb: Path, tmp: Path, repeat: int, label: str = "(e)") -> Figure:
    """Peak RSS growth of one check in a fresh process (after imports), over the unzipped XML size.
    RSS counts calamine's own (Rust) buffers; tracemalloc, shown beside it, only Python objects."""
    name = f"{label} peak memory of a check / unzipped XML"
    if not zipfile.is_zipfile(wb):
        return Figure(name, "-", "-", float("nan"), "<= 3", True, "skipped: not an xlsx")
    def measure(warm: Path, mode: str) -> int:
        res = subprocess.run([PY, "-c", _MEM_SCRIPT, str(warm), str(wb), mode], cwd=ROOT, capture_output=True,
                             text=True, check=False, env=COLD_ENV)
        if res.returncode != 0:
            return -1
        return int(res.stdout.strip().splitlines()[-1])

    def peak_of(warm: Path) -> tuple[float, float, float]:
        """(peak, RSS growth, tracemalloc peak) in bytes after a warm-up check of `warm`."""
        rss = [measure(warm, "rss") for _ in range(runs)]
        traced = measure(warm, "trace")
        # the larger of the two: RSS also counts calamine's buffers, but below a few MB the allocator
        # reuses memory freed earlier and RSS barely moves; tracemalloc sees every Python object
        growth = statistics.median(rss) if min(rss) >= 0 else -1  # -1: no /proc (not Linux)
        return max(growth, traced), growth, traced

    runs = max(3, repeat // 2)
    size = xml_size(wb)
    peak, growth, traced = peak_of(_warm_up_workbook(wb))
    first, _, _ = peak_of(_tiny_workbook(tmp))  # the first full check of a process, for the note
    r = peak / size
    rss_text = f"RSS growth {growth / 2**20:,.2f} MB (median of {runs} processes)" if growth >= 0 else "no RSS"
    return Figure(name, f"{peak / 2**20:,.2f} MB", f"{size / 2**20:,.2f} MB", r, "<= 3", r <= 3,
                  f"max of {rss_text} and tracemalloc peak {traced / 2**20:,.2f} MB; {wb.name}; "
                  f"the first full check of a process (after a one-table warm-up): {first / 2**20:,.2f} MB "
                  f"= {first / size:.2f}")


_IMPORT_SCRIPT = r"""
import contextlib, io, json, sys
from addin.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    rc = main(["check", sys.argv[1], "--no-annotate", "-q"])
mods = ["xlwings", "pandas", "openpyxl", "numpy", "cn2an", "docx", "tqdm"]
print(json.dumps({"rc": rc, "loaded": [m for m in mods if m in sys.modules]}))
"""


def fig_imports(wb: Path) -> Figure:
    res = subprocess.run([PY, "-c", _IMPORT_SCRIPT, str(wb)], cwd=ROOT, capture_output=True, text=True, check=True)
    info = json.loads(res.stdout.strip().splitlines()[-1])
    heavy = [m for m in info["loaded"] if m in ("xlwings", "pandas")]
    return Figure("(f) plain check imports xlwings or pandas", ", ".join(heavy) or "neither", "-",
                  float(len(heavy)), "neither", not heavy, f"also loaded: {', '.join(info['loaded']) or 'none'}")


# ---------------------------------------------------------------------------------------------


def print_table(figs: list[Figure]) -> None:
    head = ("figure", "ours (median / min)", "baseline (median / min)", "ratio", "target", "result")
    rows = [(f.name, f.ours, f.baseline, f"{f.ratio:.2f}", f.target, "PASS" if f.ok else "FAIL") for f in figs]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for f, r in zip(figs, rows, strict=True):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if f.note:
            print(" " * 4 + f.note)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the checker against openpyxl on the same workbook.")
    ap.add_argument("--workbook", type=Path, default=SAMPLE, help="workbook to measure (default: the sample)")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per figure (default 7)")
    ap.add_argument("--batch", type=int, default=100, help="copies in the batch figure (default 100; 0 skips it)")
    ap.add_argument("--no-stress", dest="stress", action="store_false",
                    help="skip the memory figure on a generated 5,000-row table")
    args = ap.parse_args(argv)
    wb = args.workbook.resolve()
    if not wb.is_file():
        print(f"no such workbook: {wb}", file=sys.stderr)
        return 2
    print(f"workbook: {wb} ({wb.stat().st_size / 1024:,.0f} KB, unzipped XML "
          f"{xml_size(wb) / 1024:,.0f} KB); python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"repeat {args.repeat}")
    figs: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as t:
        tmp = Path(t)
        figs.append(fig_check(wb, args.repeat))
        figs.extend(fig_check_parts(wb, args.repeat))
        figs.append(fig_annotate(wb, args.repeat, tmp))
        figs.append(fig_cold(wb, args.repeat))
        figs.append(fig_cold_text(wb, args.repeat))
        if args.batch > 0:
            runs = max(2, min(3, args.repeat // 2))
            figs.append(fig_batch(wb, args.batch, runs, tmp, annotate=False))
            figs.append(fig_batch(wb, args.batch, runs, tmp, annotate=True))
        figs.append(fig_memory(wb, tmp, args.repeat))
        if args.stress:
            from tests.hostile.make_corpus import big_table

            figs.append(fig_memory(big_table(tmp), tmp, args.repeat, "(e2) 5,000-row 02 table:"))
        figs.append(fig_imports(wb))
    print()
    print_table(figs)
    print("\nslowest top-level imports of a cold check --no-annotate (cumulative ms): "
          + ", ".join(f"{name} {t:.0f}" for name, t in slowest_imports(wb)))
    failed = [f for f in figs if not f.ok]
    print(f"\n{len(figs) - len(failed)} of {len(figs)} targets met" + (
        "; failed: " + "; ".join(f.name for f in failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
