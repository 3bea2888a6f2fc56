"""`juesuan batch`: check every workbook under a folder, in parallel processes, and write an overview.

A bad file never stops the batch: its row says why it could not be checked (状态 无法检查).
The inputs are only read. Per workbook the annotated copy (`<name>_checked.xlsx`) and, on request,
the JSON report (`<name>_checked.json`) go beside the input, or under `--out-dir` with the same
relative folders. Worker processes get only picklable tasks and a top-level function, so the pool
works with every start method (fork, spawn, forkserver); `jobs=1` runs in this process.

A 情况说明 kept beside a workbook as .docx/.pdf/.txt is checked with it (see `pair_explanations`);
the overview names the file used.

Exit codes: 0 every workbook checked and none has an error · 1 some workbook has an error, could
not be checked or its outputs could not be written · 2 nothing could be checked (no workbook in the
folder, every file failed) or the overview could not be written.
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checks.findings import Report

EXIT_OK, EXIT_ERRORS, EXIT_UNCHECKABLE = 0, 1, 2

OVERVIEW_NAME = "决算检查总览.xlsx"
OVERVIEW_TITLE = "决算检查总览"  # document title of every overview we write: how a re-run skips it
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")
TEXT_SUFFIXES = (".docx", ".pdf", ".txt")  # in order of preference when one 说明 exists in several forms
_CHECKED_TAG = "_checked"
_SKIP_DIRS = {"__MACOSX"}

STATUS_PASS = "通过"
STATUS_ERRORS = "有错误"
STATUS_WARNINGS = "有警告"
STATUS_FAILED = "无法检查"


@dataclass(frozen=True)
class Task:
    """One workbook to check; plain paths only, so it pickles for any process start method."""

    path: Path
    rel: str  # path relative to the batch folder, '/'-separated
    annotated: Path | None  # where the annotated copy goes (None: --no-annotate)
    json_path: Path | None  # where the JSON report goes (None: no JSON)
    text_file: Path | None = None  # the 说明文档 paired with the workbook
    rules: tuple[str, ...] | None = None  # ids of the rules to run (None: all), by --select/--ignore


@dataclass
class WorkbookResult:
    path: Path
    rel: str
    report: Report | None = None
    text_file: Path | None = None  # the 说明文档 actually checked with the workbook
    error: str | None = None  # why the workbook could not be checked
    annotated: Path | None = None  # the annotated copy actually written
    json_path: Path | None = None  # the JSON report actually written
    output_errors: list[str] = field(default_factory=list)  # outputs that could not be written
    text_error: str | None = None  # the paired 说明文档 could not be read: checked without it

    @property
    def checked(self) -> bool:
        return self.report is not None

    @property
    def status(self) -> str:
        if self.report is None:
            return STATUS_FAILED
        if self.report.errors:
            return STATUS_ERRORS
        if self.report.warnings:
            return STATUS_WARNINGS
        return STATUS_PASS

    @property
    def note(self) -> str:
        """说明 column: why it failed, or which outputs could not be written; '-' when nothing to say."""
        parts = ([self.error] if self.error else []) + ([self.text_error] if self.text_error else [])
        parts += self.output_errors
        return "；".join(parts) if parts else "-"


@dataclass
class BatchResult:
    folder: Path
    items: list[WorkbookResult]  # sorted by relative path
    jobs: int
    seconds: float
    out_dir: Path | None = None
    unreadable_dirs: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def checked(self) -> int:
        return sum(1 for i in self.items if i.checked)

    @property
    def exit_code(self) -> int:
        if not self.checked:
            return EXIT_UNCHECKABLE
        trouble = any(i.status in (STATUS_ERRORS, STATUS_FAILED) or i.output_errors for i in self.items)
        return EXIT_ERRORS if trouble else EXIT_OK


# ---------------------------------------------------------------------------------------------
# finding the workbooks


def is_candidate(path: Path) -> bool:
    """A workbook to check: not an Excel lock file, a hidden file, our own output or overview."""
    name = path.name
    if name.startswith(("~$", ".")) or name == OVERVIEW_NAME:
        return False
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return False
    return not path.stem.endswith(_CHECKED_TAG)


def is_overview(path: Path) -> bool:
    """An overview written by an earlier batch under another name (its document title says so)."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            return f">{OVERVIEW_TITLE}</dc:title>".encode() in zf.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def find_workbooks(folder: Path, skip: Iterable[Path] = (), errors: list[str] | None = None) -> list[Path]:
    """Every candidate workbook under `folder` (recursive, links to folders not followed), sorted."""
    skipped = {Path(p).resolve() for p in skip}
    found: list[Path] = []

    def onerror(exc: OSError) -> None:
        if errors is not None:
            errors.append(f"{exc.filename}（{exc.strerror or exc}）")

    for root, dirs, files in os.walk(folder, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            p = Path(root) / name
            if is_candidate(p) and p.resolve() not in skipped and p.is_file() and not is_overview(p):
                found.append(p)
    return sorted(found, key=lambda p: _rel(p, folder))


def _is_text_candidate(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES and not path.name.startswith(("~$", "."))


def pair_explanations(workbooks: Iterable[Path]) -> dict[Path, Path]:
    """The 说明文档 beside each workbook, where one can be told apart.

    In the workbook's folder: a .docx/.pdf/.txt with the same name (部门A.xlsx ↔ 部门A.docx), or
    one whose name is the workbook's followed by words with 说明 (部门A情况说明.pdf); a folder with a
    single workbook also takes a single file named …说明… (情况说明.docx). .docx before .pdf before .txt.
    """
    by_dir: dict[Path, list[Path]] = {}
    for wb in workbooks:
        by_dir.setdefault(wb.parent, []).append(wb)
    rank = {s: i for i, s in enumerate(TEXT_SUFFIXES)}
    out: dict[Path, Path] = {}
    for folder, books in by_dir.items():
        try:
            texts = sorted((p for p in folder.iterdir() if p.is_file() and _is_text_candidate(p)),
                           key=lambda p: (rank[p.suffix.lower()], p.name))
        except OSError:
            continue
        for wb in books:
            same = [t for t in texts if t.stem == wb.stem]
            named = [t for t in texts if t.stem.startswith(wb.stem) and "说明" in t.stem[len(wb.stem):]]
            if same or named:
                out[wb] = (same or named)[0]
        if len(books) == 1 and books[0] not in out:
            loose = [t for t in texts if "说明" in t.stem]
            if len({t.stem for t in loose}) == 1:
                out[books[0]] = loose[0]
    return out


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def output_paths(paths: list[Path], folder: Path, out_dir: Path | None) -> dict[Path, Path]:
    """Annotated-copy path per input: `<stem>_checked.xlsx` beside it or under `out_dir` at the same
    relative place. Inputs that would share one output (a.xls and a.xlsx) get `<stem>_<ext>_checked`."""
    from addin.annotate import default_output_path

    out: dict[Path, Path] = {}
    for p in paths:
        target = default_output_path(p)
        if out_dir is not None:
            target = out_dir / p.parent.relative_to(folder) / target.name
        out[p] = target
    seen: dict[Path, list[Path]] = {}
    for p, target in out.items():
        seen.setdefault(target, []).append(p)
    for target, group in seen.items():
        if len(group) > 1:
            for p in group:
                if p.suffix.lower() != target.suffix:
                    ext = p.suffix.lower().lstrip(".")
                    out[p] = target.with_name(f"{p.stem}_{ext}{_CHECKED_TAG}{target.suffix}")
    return out


# ---------------------------------------------------------------------------------------------
# one workbook (runs in a worker process)


def warm_up(annotate: bool) -> None:
    """Import what a task needs once per process, before the first task."""
    import python_calamine  # noqa: F401

    import addin.reader  # noqa: F401
    import checks.api  # noqa: F401

    if annotate:
        import addin.annotate  # noqa: F401


def run_task(task: Task) -> WorkbookResult:
    """Check one workbook and write its outputs; never raises for a bad file."""
    from addin.cli import check_file
    from addin.reader import InputError

    res = WorkbookResult(path=task.path, rel=task.rel)
    text = None
    if task.text_file is not None:
        from addin.text_files import read_explanation

        try:
            text = read_explanation(task.text_file)
            res.text_file = task.text_file
        except InputError as e:  # the workbook is still checked, with the text it holds itself
            res.text_error = f"说明文档未能读取，已只按工作簿检查（{e.message}）"
    rules = None
    if task.rules is not None:
        from checks.rules import RULES

        rules = [RULES[i] for i in task.rules]
    try:
        grids, report = check_file(task.path, res.text_file, text=text, rules=rules)
    except InputError as e:
        res.error = e.message
        return res
    except MemoryError:
        res.error = "内存不足，无法检查此文件"
        return res
    except Exception as e:  # an engine bug must cost one row, not the batch
        res.error = f"检查时出现内部错误（{type(e).__name__}：{e}），请反馈此文件"
        return res
    res.report = report
    if task.json_path is not None:
        from addin.report_json import write_json_report

        try:
            write_json_report(report, task.json_path)
            res.json_path = task.json_path
        except Exception as e:  # OutputError, or anything unexpected while writing
            res.output_errors.append(f"无法写出 JSON 报告：{e}")
    if task.annotated is not None:
        from addin.annotate import write_annotated_copy

        try:
            res.annotated = write_annotated_copy(task.path, report, task.annotated, grids)
        except Exception as e:  # OutputError, or anything unexpected while writing
            res.output_errors.append(f"无法写出标注副本：{e}")
    return res


# ---------------------------------------------------------------------------------------------
# the batch


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def _progress_bar(total: int, enabled: bool):
    if not enabled or total < 2 or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="个", desc="检查", file=sys.stderr, leave=False, dynamic_ncols=True)


def check_folder(
    folder: Path,
    *,
    out_dir: Path | None,
    jobs: int,
    annotate: bool,
    json_reports: bool,
    progress: bool = True,
    skip: Iterable[Path] = (),
    text_files: bool = True,
    rules: Iterable[str] | None = None,
) -> BatchResult:
    """Check every workbook under `folder`; `skip` lists files to leave out (e.g. the overview).

    Output folders are created as needed. Raises OSError only when `out_dir` cannot be created."""
    folder = Path(folder)
    started = time.perf_counter()
    dir_errors: list[str] = []
    paths = find_workbooks(folder, skip, dir_errors)
    texts = pair_explanations(paths) if text_files else {}
    targets = output_paths(paths, folder, Path(out_dir) if out_dir is not None else None)
    if out_dir is not None and (annotate or json_reports):
        for parent in sorted({t.parent for t in targets.values()}):
            parent.mkdir(parents=True, exist_ok=True)
    tasks = [
        Task(
            path=p,
            rel=_rel(p, folder),
            annotated=targets[p] if annotate else None,
            json_path=targets[p].with_suffix(".json") if json_reports else None,
            text_file=texts.get(p),
            rules=tuple(rules) if rules is not None else None,
        )
        for p in paths
    ]
    jobs = max(1, min(jobs if jobs > 0 else default_jobs(), len(tasks) or 1))
    results = _run(tasks, jobs, annotate, progress)
    return BatchResult(
        folder=folder,
        items=sorted(results, key=lambda r: r.rel),
        jobs=jobs,
        seconds=time.perf_counter() - started,
        out_dir=Path(out_dir) if out_dir is not None else None,
        unreadable_dirs=dir_errors,
    )


def _run(tasks: list[Task], jobs: int, annotate: bool, progress: bool) -> list[WorkbookResult]:
    bar = None
    results: list[WorkbookResult] = []
    warm_up(annotate)  # in this process: jobs=1 needs it, forked workers inherit it
    try:
        if jobs == 1:
            bar = _progress_bar(len(tasks), progress)
            for task in tasks:
                results.append(run_task(task))
                if bar is not None:
                    bar.update()
            return results
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        # largest files first: the pool finishes close together
        ordered = sorted(tasks, key=lambda t: -_size(t.path))
        with ProcessPoolExecutor(max_workers=jobs, initializer=warm_up, initargs=(annotate,)) as pool:
            futures = {pool.submit(run_task, t): t for t in ordered}
            bar = _progress_bar(len(tasks), progress)  # after the workers exist (no fork with threads)
            try:
                for fut in as_completed(futures):
                    task = futures[fut]
                    try:
                        results.append(fut.result())
                    except BrokenProcessPool:
                        results.append(
                            WorkbookResult(task.path, task.rel, error="检查进程意外退出（可能内存不足），未能检查此文件")
                        )
                    except Exception as e:  # e.g. a result that could not be sent back
                        results.append(
                            WorkbookResult(task.path, task.rel, error=f"检查时出现内部错误（{type(e).__name__}：{e}）")
                        )
                    if bar is not None:
                        bar.update()
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return results
    finally:
        if bar is not None:
            bar.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------
# command line


def format_batch_summary(result: BatchResult, overview: Path | None, *, max_lines: int = 20) -> str:
    """Short Chinese summary: counts, the workbooks with errors, those that could not be checked."""
    items = result.items
    errors = sum(i.report.errors for i in items if i.report)
    warnings = sum(i.report.warnings for i in items if i.report)
    infos = sum(i.report.infos for i in items if i.report)
    lines = [
        f"批量检查：{result.folder}（共 {len(items)} 个工作簿，{result.jobs} 个进程，用时 {result.seconds:.1f} 秒）",
        " · ".join(f"{s} {result.count(s)}" for s in (STATUS_PASS, STATUS_WARNINGS, STATUS_ERRORS, STATUS_FAILED))
        + f"；合计 错误 {errors} · 警告 {warnings} · 提示 {infos}",
    ]
    skipped = next((i.report.skipped_rules for i in items if i.report), None)
    if skipped:
        from addin.marks import selection_text

        lines.append(f"本次{selection_text(skipped)}")

    def listing(title: str, rows: list[str]) -> None:
        if not rows:
            return
        lines.append(title)
        lines.extend("  " + r for r in rows[:max_lines])
        if len(rows) > max_lines:
            lines.append(f"  … 另有 {len(rows) - max_lines} 个，见总览")

    listing(
        f"{STATUS_ERRORS}：",
        [f"{i.rel}：错误 {i.report.errors} · 警告 {i.report.warnings} · 提示 {i.report.infos}"
         for i in items if i.status == STATUS_ERRORS],
    )
    listing(f"{STATUS_FAILED}：", [f"{i.rel}：{i.error}" for i in items if i.status == STATUS_FAILED])
    listing("输出未能写出：", [f"{i.rel}：{'；'.join(i.output_errors)}" for i in items if i.output_errors])
    listing("无法读取的文件夹：", result.unreadable_dirs)
    if overview is not None:
        lines.append(f"总览：{overview}")
    return "\n".join(lines)


def _report_path(args, folder: Path) -> Path | str:
    """The overview path, or a Chinese message saying why it cannot be used."""
    path = Path(args.report) if args.report else folder / OVERVIEW_NAME
    if path.suffix.lower() != ".xlsx":
        return f"总览文件须为 .xlsx：{path}"
    if path.is_dir():
        return f"总览路径是一个文件夹：{path}"
    if not path.parent.is_dir():
        return f"总览文件的目录不存在：{path.parent}"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"总览文件的目录不可写：{path.parent}"
    return path


def run_batch(args) -> int:
    """`juesuan batch FOLDER [--report R] [--out-dir D] [--jobs N] [--no-annotate] [--json]`."""
    folder = Path(args.folder)
    if not folder.exists():
        print(f"无法检查：找不到文件夹：{folder}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    if not folder.is_dir():
        print(f"无法检查：这不是文件夹：{folder}（检查单个工作簿请用 juesuan check）", file=sys.stderr)
        return EXIT_UNCHECKABLE
    if args.jobs < 0:
        print(f"--jobs 须为正整数（0 表示按 CPU 核数）：{args.jobs}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    report = _report_path(args, folder)
    if isinstance(report, str):
        print(f"无法检查：{report}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    if report.exists() and report.resolve() in {p.resolve() for p in find_workbooks(folder)}:
        print(f"无法检查：总览文件不能覆盖被检查的工作簿：{report}。请另选 --report 路径。", file=sys.stderr)
        return EXIT_UNCHECKABLE
    from addin.cli import chosen_rules
    from checks.rules.selection import SelectionError

    try:
        rules = chosen_rules(args)
    except SelectionError as e:
        print(f"无法检查：{e}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    out_dir = Path(args.out_dir) if args.out_dir else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        print(f"无法检查：输出目录是一个文件：{out_dir}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    try:
        result = check_folder(
            folder,
            out_dir=out_dir,
            jobs=args.jobs,
            annotate=not args.no_annotate,
            json_reports=args.json,
            progress=True,
            skip=[report],
            text_files=not args.no_text_files,
            rules=[r.id for r in rules] if rules is not None else None,
        )
    except OSError as e:
        print(f"无法创建输出目录：{e.filename or out_dir}（{e.strerror or e}）", file=sys.stderr)
        return EXIT_UNCHECKABLE
    if not result.items:
        print(f"无法检查：文件夹中没有找到工作簿（.xlsx/.xlsm/.xls）：{folder}", file=sys.stderr)
        return EXIT_UNCHECKABLE

    from addin.marks import OutputError
    from addin.overview import write_overview

    written: Path | None
    try:
        written = write_overview(result, report)
    except OutputError as e:
        print(f"无法写出总览：{e}", file=sys.stderr)
        written = None
    print(format_batch_summary(result, written))
    return result.exit_code if written is not None else EXIT_UNCHECKABLE
