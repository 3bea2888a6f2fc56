"""`juesuan` command line: check a workbook headlessly, list rules, build/install the add-in.

Exit codes: 0 no error found · 1 at least one 错误 · 2 the file could not be checked (or bad usage).
Imports stay lazy so a plain check does not pay for pandas or xlwings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_ERRORS, EXIT_UNCHECKABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="juesuan",
        description="决算检查：检查部门决算公开工作簿（表内、表间、表文核对）。",
    )
    sub = p.add_subparsers(dest="cmd", metavar="命令")

    c = sub.add_parser("check", help="检查一个工作簿，写出标注副本", description="检查一个工作簿。")
    c.add_argument("workbook", help="工作簿（.xlsx/.xlsm/.xls）")
    c.add_argument("-o", "--output", help="标注副本路径（默认：<文件名>_checked.xlsx，与原文件同目录）")
    c.add_argument("--json", metavar="REPORT.json", help="同时写出 JSON 报告")
    c.add_argument("--no-annotate", action="store_true", help="只检查，不写标注副本")
    c.add_argument("--text", metavar="FILE", help="情况说明不在工作簿内时，另给 .docx/.txt/.pdf 文件")
    c.add_argument("--max-lines", type=int, default=20, help="终端最多显示的问题条数（默认 20）")
    c.add_argument("-q", "--quiet", action="store_true", help="只显示计数")
    _selection_options(c)

    r = sub.add_parser("rules", help="列出规则", description="列出规则目录。")
    r.add_argument("rule", nargs="?", help="规则编号，如 T01-2：显示完整说明")
    r.add_argument("--json", action="store_true", help="以 JSON 输出")

    b = sub.add_parser("batch", help="批量检查一个文件夹", description="批量检查文件夹下的所有工作簿。")
    b.add_argument("folder")
    b.add_argument("--report", help="总览工作簿路径（默认：<文件夹>/决算检查总览.xlsx）")
    b.add_argument("--out-dir", help="标注副本与 JSON 报告的输出目录")
    b.add_argument("--jobs", type=int, default=0, help="并行进程数（默认：CPU 核数）")
    b.add_argument("--no-annotate", action="store_true", help="不写标注副本")
    b.add_argument("--json", action="store_true", help="为每个工作簿写 JSON 报告")
    b.add_argument("--no-text-files", action="store_true",
                   help="不核对工作簿旁的说明文档（默认：同名或名含“说明”的 .docx/.pdf/.txt 一并核对）")

    _selection_options(b)

    ba = sub.add_parser("build-addin", help="生成 Excel 加载项 juesuan.xlam")
    ba.add_argument("-o", "--output", default="dist/juesuan.xlam")
    ba.add_argument("--udf-module", default="addin.udfs", help="UDF 模块（默认 addin.udfs）")
    sub.add_parser("install-addin", help="在 Windows Excel 中安装加载项")
    return p


def _selection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--select", action="append", metavar="规则",
                   help="只运行这些规则：编号（W-8）、表（T01）、字母（T/X/W/Y/C/R）或类别（表内/表间/完整性/文内/表文），逗号分隔")
    p.add_argument("--ignore", action="append", metavar="规则", help="不运行这些规则（写法同 --select；与 --select 同时给出时以 --ignore 为准）")


def chosen_rules(args) -> list | None:
    """The rules `--select`/`--ignore` leave (None: all). Raises SelectionError for unknown codes."""
    from checks.rules import RULES
    from checks.rules.selection import select_rules

    return select_rules(RULES.values(), args.select or (), args.ignore or ())


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # a GBK console must not crash on a symbol
        except (AttributeError, ValueError):
            pass
    args = _parser().parse_args(argv)
    try:
        if args.cmd == "check":
            return cmd_check(args)
        if args.cmd == "rules":
            return cmd_rules(args)
        if args.cmd == "batch":
            from addin.batch import run_batch

            return run_batch(args)
        if args.cmd == "build-addin":
            from ribbon import BuildError
            from ribbon.build import build_addin

            try:
                out = build_addin(Path(args.output), udf_module=args.udf_module)
            except BuildError as e:
                print(f"生成加载项失败：{e}", file=sys.stderr)
                return EXIT_ERRORS
            print(f"已生成加载项：{out}")
            return EXIT_OK
        if args.cmd == "install-addin":
            from addin.install import install_addin

            return install_addin()
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_UNCHECKABLE
    _parser().print_help()
    return EXIT_UNCHECKABLE


def check_file(path: Path, text_file: Path | None = None, *, text: str | None = None, rules: list | None = None):
    """Read and check one workbook: (grids, report). Raises InputError for files that cannot be read.

    `text_file` is the 说明文档 beside the workbook; `text` its content when already read; `rules`
    the rules to run (None: all)."""
    from addin.reader import InputError, read_workbook
    from checks.api import check_grids

    grids = read_workbook(path)
    if text_file is not None and text is None:
        from addin.text_files import read_explanation

        text = read_explanation(text_file)
    report = check_grids(
        grids, name=path.name, text=text, text_source=str(text_file) if text_file else None, rules=rules
    )
    if not report.tables:
        # No 公开 table located (an empty or unrelated workbook): 0 findings would read as 通过.
        raise InputError(f"工作簿中没有找到部门决算公开表（如“收入支出决算总表”），无法检查：{path.name}")
    return grids, report


def _suggest_text_file(src: Path) -> None:
    """A 说明文档 beside the workbook (as batch would pair it) was not checked: say how to check it."""
    from addin.batch import pair_explanations

    paired = pair_explanations([src]).get(src)
    if paired is not None:
        print(f"提示：同一文件夹下的说明文档“{paired.name}”本次未核对，如需核对："
              f"juesuan check {src.name} --text {paired.name}")


def cmd_check(args) -> int:
    from addin.reader import InputError

    src = Path(args.workbook)
    if args.json and _same_file(Path(args.json), src):
        # report_json's own guard compares with report.workbook, which is only the file name
        print(f"无法写出 JSON 报告：不能写到被检查的文件上：{args.json}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    from checks.rules.selection import SelectionError

    try:
        rules = chosen_rules(args)
    except SelectionError as e:
        print(f"无法检查：{e}", file=sys.stderr)
        return EXIT_UNCHECKABLE
    try:
        grids, report = check_file(src, Path(args.text) if args.text else None, rules=rules)
    except InputError as e:
        print(f"无法检查：{e.message}", file=sys.stderr)
        return e.exit_code
    from addin.terminal import format_summary

    if args.quiet:
        print(f"{src.name}：错误 {report.errors} · 警告 {report.warnings} · 提示 {report.infos}")
    else:
        print(format_summary(report, max_findings=args.max_lines))
    if not args.text:
        _suggest_text_file(src)
    if args.json:
        from addin.marks import OutputError
        from addin.report_json import write_json_report

        try:
            write_json_report(report, Path(args.json))
        except (OSError, OutputError) as e:  # OutputError (e.g. no such folder) gave a traceback
            print(f"无法写出 JSON 报告：{args.json}（{getattr(e, 'strerror', None) or e}）", file=sys.stderr)
            return EXIT_UNCHECKABLE
        print(f"JSON 报告：{args.json}")
    if not args.no_annotate:
        from addin.annotate import OutputError, default_output_path, write_annotated_copy

        out = Path(args.output) if args.output else default_output_path(src)
        try:
            written = write_annotated_copy(src, report, out, grids)
        except OutputError as e:
            print(f"无法写出标注副本：{e}", file=sys.stderr)
            return EXIT_UNCHECKABLE
        print(f"标注副本：{written}")
    return EXIT_ERRORS if report.errors else EXIT_OK


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def cmd_rules(args) -> int:
    import json

    from checks.rules import RULES

    if args.rule:
        rule = RULES.get(args.rule) or next((r for r in RULES.values() if args.rule in r.aliases), None)
        if rule is None:
            print(f"没有规则 {args.rule}。用 juesuan rules 查看全部规则。", file=sys.stderr)
            return EXIT_UNCHECKABLE
        if args.json:
            print(json.dumps(rule.to_json(), ensure_ascii=False, indent=2))
            return EXIT_OK
        sev = {"error": "错误", "warning": "警告", "info": "提示"}[rule.severity.value]
        print(f"{rule.id}  {rule.title}\n类别：{rule.family.value}    违反时：{sev}    涉及表：{'、'.join(rule.tables) or '全部'}")
        print(f"公式：{rule.formula}\n依据：{rule.why}\n反例：{rule.bad}\n正例：{rule.good}\n建议：{rule.hint}")
        return EXIT_OK
    if args.json:
        print(json.dumps([r.to_json() for r in RULES.values()], ensure_ascii=False, indent=2))
        return EXIT_OK
    from addin.terminal import rules_table

    print(rules_table(list(RULES.values())))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
