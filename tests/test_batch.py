"""`juesuan batch`: every workbook under a folder, a bad file never stops the batch, one overview."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.batch import (
    OVERVIEW_NAME,
    check_folder,
    find_workbooks,
    is_candidate,
    output_paths,
    pair_explanations,
)
from addin.cli import check_file, main
from addin.overview import DETAIL_COLUMNS, OVERVIEW_COLUMNS, RULES_COLUMNS
from addin.reader import InputError
from checks.rules import RULES
from tests.hostile import make_corpus as mc

ROOT = Path(__file__).resolve().parents[1]

# relative path -> status, in overview order
LAYOUT = {
    "a.xlsx": "有错误",
    "broken.xlsx": "无法检查",
    "notes.xlsx": "无法检查",
    "sub/b.xlsx": "有错误",
    "sub/deeper/clean.xlsx": "通过",
    "warn.xlsx": "有警告",
}
IGNORED = ["readme.txt", "~$a.xlsx", "old_checked.xlsx", ".hidden.xlsx", "sub/a_checked.json"]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The batch folder, built once; tests work on copies."""
    d = tmp_path_factory.mktemp("src") / "单位"
    (d / "sub" / "deeper").mkdir(parents=True)
    mc.sample_copy(d, "a.xlsx")
    mc.sample_copy(d / "sub", "b.xlsx")
    mc.consistent(d / "sub" / "deeper", "clean.xlsx")
    mc.consistent(d, "warn.xlsx", note_08=False)
    mc.truncated(d).rename(d / "broken.xlsx")
    (d / "notes.xlsx").write_text("会议记录，不是工作簿", encoding="utf-8")
    for name in IGNORED:
        (d / name).write_bytes(b"not a workbook")
    return d


@pytest.fixture
def folder(source, tmp_path) -> Path:
    d = tmp_path / source.name
    shutil.copytree(source, d)
    return d


@pytest.fixture(scope="module")
def expected(source) -> dict[str, tuple]:
    """What the single check gives per file: (部门, 年度, 错误, 警告, 提示, 说明) and the findings."""
    out = {}
    for rel in LAYOUT:
        try:
            _, rep = check_file(source / rel)
        except InputError as e:
            out[rel] = ((None, None, None, None, None, e.message), [])
            continue
        out[rel] = ((rep.department, rep.year, rep.errors, rep.warnings, rep.infos, "-"), rep.findings)
    return out


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


# ---------------------------------------------------------------------------------------------


def test_overview_rows_equal_what_check_gives_per_workbook(folder, expected, capsys):
    before = hashes(folder)
    rc, out, err = run(capsys, "batch", str(folder), "--jobs", "1", "--json")
    assert rc == 1
    assert {k: v for k, v in hashes(folder).items() if k in before} == before  # inputs untouched

    sheets = sheet_values(folder / OVERVIEW_NAME)
    assert list(sheets) == ["总览", "问题明细", "规则统计"]
    overview = sheets["总览"]
    assert list(overview[0]) == OVERVIEW_COLUMNS
    rows = []
    for rel, status in LAYOUT.items():
        (dept, year, e, w, i, note), _ = expected[rel]
        stem = rel.rsplit(".", 1)[0]
        link = f"{stem}_checked.xlsx" if status != "无法检查" else "-"
        rows.append((rel, dept, year, e, w, i, status, note, "-", link))
    assert overview[1:] == rows
    assert rows[0][1:3] == ("永州市政务服务中心", 2018) and rows[0][3] >= 1  # the sample has errors
    assert rows[1][7] == "文件已损坏或不完整（zip 结构错误），无法读取：broken.xlsx"

    ws = load_workbook(folder / OVERVIEW_NAME)["总览"]
    links = {ws.cell(r, 1).value: ws.cell(r, 10).hyperlink for r in range(2, ws.max_row + 1)}
    for rel, status in LAYOUT.items():
        if status == "无法检查":
            assert links[rel] is None
        else:
            target = (folder / links[rel].target).resolve()
            assert target == (folder / rel).with_name(Path(rel).stem + "_checked.xlsx").resolve()
            assert load_workbook(target).sheetnames[0] == "检查结果"
            report = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
            assert report["summary"]["errors"] == expected[rel][0][2]

    detail = sheets["问题明细"]
    assert list(detail[0]) == DETAIL_COLUMNS
    assert len(detail) - 1 == sum(len(findings) for _, findings in expected.values())
    assert sorted(r[0] for r in detail[1:]) == sorted(
        rel for rel, (_, findings) in expected.items() for _ in findings
    )
    x11 = [r for r in detail[1:] if r[1] == "X-11"]
    assert x11[0][:6] == ("a.xlsx", "X-11", "错误", "表间", "公开04表(2)", "A3")
    assert (x11[0][7], x11[0][8]) == ("永州市政务服务中心", "永州市行政审批服务局")

    rules = sheets["规则统计"]
    assert list(rules[0]) == RULES_COLUMNS
    by_rule = {r[0]: r for r in rules[1:]}
    assert by_rule["X-11"] == ("X-11", RULES["X-11"].title, 2, 0, 0, 2)  # a.xlsx and sub/b.xlsx
    counts: dict[str, list] = {}
    for rel, (_, findings) in expected.items():
        for f in findings:
            c = counts.setdefault(f.rule, [0, 0, 0, set()])
            c[["error", "warning", "info"].index(f.severity.value)] += 1
            c[3].add(rel)
    assert by_rule == {k: (k, RULES[k].title, e, w, i, len(b)) for k, (e, w, i, b) in counts.items()}

    e, w, i = expected["a.xlsx"][0][2:5]
    assert f"有错误：\n  a.xlsx：错误 {e} · 警告 {w} · 提示 {i}\n  sub/b.xlsx：错误 {e} · 警告 {w} · 提示 {i}" in out
    assert "broken.xlsx：文件已损坏" in out and "notes.xlsx：不是 Excel 工作簿" in out
    assert "通过 1 · 有警告 1 · 有错误 2 · 无法检查 2" in out
    assert "%|" not in err  # no progress bar when stderr is not a terminal


def test_two_jobs_give_the_same_overview_as_one(folder, capsys):
    assert run(capsys, "batch", str(folder), "--jobs", "1", "--report", str(folder / "one.xlsx"))[0] == 1
    assert run(capsys, "batch", str(folder), "--jobs", "2", "--report", str(folder / "two.xlsx"))[0] == 1
    one, two = sheet_values(folder / "one.xlsx"), sheet_values(folder / "two.xlsx")
    assert one == two
    assert len(one["总览"]) == len(LAYOUT) + 1


def test_out_dir_keeps_the_folder_structure(folder, tmp_path, capsys):
    out_dir = tmp_path / "结果"
    before = hashes(folder)
    rc, _, _ = run(capsys, "batch", str(folder), "--out-dir", str(out_dir), "--json", "--jobs", "2")
    assert rc == 1
    after = hashes(folder)
    assert set(after) - set(before) == {OVERVIEW_NAME}  # nothing else written beside the inputs
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    assert written == sorted(
        f"{rel.rsplit('.', 1)[0]}_checked.{ext}"
        for rel, status in LAYOUT.items() if status != "无法检查" for ext in ("json", "xlsx")
    )
    ws = load_workbook(folder / OVERVIEW_NAME)["总览"]
    targets = [ws.cell(r, 10).hyperlink.target for r in range(2, ws.max_row + 1) if ws.cell(r, 10).hyperlink]
    assert targets[0] == "../结果/a_checked.xlsx"
    assert all((folder / t).resolve().is_file() for t in targets)


def test_no_annotate_writes_only_the_overview(folder, capsys):
    before = hashes(folder)
    rc, _, _ = run(capsys, "batch", str(folder), "--no-annotate", "--jobs", "2")
    assert rc == 1
    assert set(hashes(folder)) - set(before) == {OVERVIEW_NAME}
    rows = sheet_values(folder / OVERVIEW_NAME)["总览"][1:]
    assert [r[8] for r in rows] == ["-"] * len(LAYOUT)
    assert [r[6] for r in rows] == list(LAYOUT.values())


# ---------------------------------------------------------------------------------------------
# exit codes


def test_exit_0_when_every_workbook_is_checked_and_none_has_an_error(folder, capsys):
    for rel in ("a.xlsx", "sub/b.xlsx", "broken.xlsx", "notes.xlsx"):
        (folder / rel).unlink()
    rc, out, _ = run(capsys, "batch", str(folder), "--no-annotate")
    assert rc == 0  # one 通过, one 有警告
    assert [r[6] for r in sheet_values(folder / OVERVIEW_NAME)["总览"][1:]] == ["通过", "有警告"]


def test_exit_1_when_a_file_cannot_be_checked_even_without_errors(folder, capsys):
    for rel in ("a.xlsx", "sub/b.xlsx", "notes.xlsx"):
        (folder / rel).unlink()
    assert run(capsys, "batch", str(folder), "--no-annotate")[0] == 1


def test_exit_2_when_nothing_can_be_checked(folder, tmp_path, capsys):
    empty = tmp_path / "空"
    empty.mkdir()
    (empty / "readme.txt").write_text("x")
    rc, _, err = run(capsys, "batch", str(empty))
    assert rc == 2 and "没有找到工作簿" in err
    assert not (empty / OVERVIEW_NAME).exists()

    for rel, status in LAYOUT.items():
        if status != "无法检查":
            (folder / rel).unlink()
    rc, out, _ = run(capsys, "batch", str(folder))
    assert rc == 2
    rows = sheet_values(folder / OVERVIEW_NAME)["总览"][1:]
    assert [(r[0], r[6]) for r in rows] == [("broken.xlsx", "无法检查"), ("notes.xlsx", "无法检查")]
    assert "无法检查 2" in out

    rc, _, err = run(capsys, "batch", str(tmp_path / "没有"))
    assert rc == 2 and "找不到文件夹" in err
    rc, _, err = run(capsys, "batch", str(folder / "broken.xlsx"))
    assert rc == 2 and "这不是文件夹" in err and "juesuan check" in err


def test_refuses_a_report_path_that_is_an_input_or_unusable(folder, capsys):
    before = hashes(folder)
    rc, _, err = run(capsys, "batch", str(folder), "--report", str(folder / "a.xlsx"))
    assert rc == 2 and "不能覆盖被检查的工作簿" in err
    rc, _, err = run(capsys, "batch", str(folder), "--report", str(folder / "总览.csv"))
    assert rc == 2 and ".xlsx" in err
    rc, _, err = run(capsys, "batch", str(folder), "--report", str(folder / "readme.txt" / "r.xlsx"))
    assert rc == 2 and "目录不存在" in err
    rc, _, err = run(capsys, "batch", str(folder), "--out-dir", str(folder / "readme.txt"))
    assert rc == 2 and "输出目录是一个文件" in err
    assert hashes(folder) == before


def test_an_output_that_cannot_be_written_is_reported_not_fatal(folder, capsys):
    (folder / "sub" / "deeper" / "clean_checked.xlsx").mkdir()  # the copy's path is taken by a folder
    for rel in ("a.xlsx", "sub/b.xlsx", "broken.xlsx", "notes.xlsx", "warn.xlsx"):
        (folder / rel).unlink()
    rc, out, _ = run(capsys, "batch", str(folder))
    assert rc == 1  # the content passed, but the copy the user asked for is missing
    (row,) = sheet_values(folder / OVERVIEW_NAME)["总览"][1:]
    assert row[6] == "通过" and row[8] == "-"
    assert row[7].startswith("无法写出标注副本：输出路径是一个文件夹")
    assert "输出未能写出：" in out


# ---------------------------------------------------------------------------------------------
# the overview is inert


def test_overview_holds_formula_like_text_as_text(tmp_path, capsys):
    d = tmp_path / "inj"
    d.mkdir()
    mc.injection(d).rename(d / "=1+2.xlsx")
    (d / "@SUM(1+1).xlsx").write_text("x")
    rc, _, _ = run(capsys, "batch", str(d), "--no-annotate", "--jobs", "1")
    assert rc == 1
    ov = d / OVERVIEW_NAME
    wb = load_workbook(ov)
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {"=1+2.xlsx", "@SUM(1+1).xlsx"}
    assert any(c.value.startswith("=HYPERLINK(") for c in risky)  # the 部门 column
    assert all(c.data_type == "s" for c in texts)
    with zipfile.ZipFile(ov) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)


# ---------------------------------------------------------------------------------------------
# pieces


def test_which_files_are_workbooks_to_check(folder):
    assert [p.relative_to(folder).as_posix() for p in find_workbooks(folder)] == list(LAYOUT)
    assert not is_candidate(Path("x/~$a.xlsx")) and not is_candidate(Path("x/a_checked.xlsm"))
    assert not is_candidate(Path(OVERVIEW_NAME)) and not is_candidate(Path("._a.xlsx"))
    assert is_candidate(Path("a.XLS")) and is_candidate(Path("a.xlsm"))
    assert find_workbooks(folder, skip=[folder / "a.xlsx"])[0].name == "broken.xlsx"


def test_inputs_that_would_share_an_output_get_distinct_names(tmp_path):
    paths = [tmp_path / "a.xls", tmp_path / "a.xlsx", tmp_path / "b.xlsm", tmp_path / "s" / "a.xlsx"]
    out = output_paths(paths, tmp_path, tmp_path / "o")
    assert [p.relative_to(tmp_path).as_posix() for p in out.values()] == [
        "o/a_xls_checked.xlsx", "o/a_checked.xlsx", "o/b_checked.xlsm", "o/s/a_checked.xlsx",
    ]
    beside = output_paths(paths[:1], tmp_path, None)
    assert beside[paths[0]] == tmp_path / "a_checked.xlsx"


def test_check_folder_api(folder):
    result = check_folder(folder, out_dir=None, jobs=1, annotate=False, json_reports=False, progress=False)
    assert [(i.rel, i.status) for i in result.items] == list(LAYOUT.items())
    assert result.exit_code == 1 and result.checked == 4 and result.jobs == 1
    assert result.items[1].error.startswith("文件已损坏")
    assert not any(i.annotated for i in result.items)


def test_workers_are_spawn_safe(folder, expected):
    """The pool under the spawn start method (Windows' and macOS's default) gives the same rows."""
    code = (
        "import json, multiprocessing as mp, sys\n"
        "from pathlib import Path\n"
        "from addin.batch import check_folder\n"
        "if __name__ == '__main__':\n"
        "    mp.set_start_method('spawn')\n"
        "    r = check_folder(Path(sys.argv[1]), out_dir=None, jobs=2, annotate=False, json_reports=False)\n"
        "    print(json.dumps([[i.rel, i.status, i.report.errors if i.report else None] for i in r.items]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [(r[0], r[1]) for r in rows] == list(LAYOUT.items())
    assert [r[2] for r in rows] == [expected[rel][0][2] for rel in LAYOUT]


# --- 说明文档 beside the workbooks ---------------------------------------------------------------


def test_which_explanation_files_pair_with_which_workbook(tmp_path):
    (tmp_path / "two").mkdir()
    (tmp_path / "one").mkdir()
    files = ["two/部门A.xlsx", "two/部门A.pdf", "two/部门A.docx", "two/部门B.xlsx", "two/部门B情况说明.txt",
             "two/情况说明.docx", "two/~$部门A.docx", "one/2018决算.xlsx", "one/2018年度情况说明.pdf", "one/readme.txt"]
    for f in files:
        (tmp_path / f).write_bytes(b"x")
    books = [tmp_path / f for f in files if f.endswith(".xlsx")]
    pairs = {k.relative_to(tmp_path).as_posix(): v.name for k, v in pair_explanations(books).items()}
    # same name wins, .docx before .pdf; a loose 情况说明 only pairs where one workbook is alone
    assert pairs == {"two/部门A.xlsx": "部门A.docx", "two/部门B.xlsx": "部门B情况说明.txt",
                     "one/2018决算.xlsx": "2018年度情况说明.pdf"}


@pytest.fixture(scope="module")
def split_folder(tmp_path_factory) -> Path:
    """a.xlsx: the sample without its 情况说明 sheet, with a.pdf beside it; b.xlsx with an unreadable b.pdf."""
    d = tmp_path_factory.mktemp("split") / "单位"
    d.mkdir()
    wb = load_workbook(ROOT / "sample_workbooks" / "yongzhou_2018.xlsx")
    del wb["情况说明"]
    wb.save(d / "a.xlsx")
    shutil.copyfile(d / "a.xlsx", d / "b.xlsx")
    shutil.copyfile(ROOT / "tests" / "fixtures" / "yongzhou_qingkuang.pdf", d / "a.pdf")
    shutil.copyfile(ROOT / "tests" / "fixtures" / "blank.pdf", d / "b.pdf")
    return d


def test_batch_checks_the_explanation_beside_each_workbook(split_folder, tmp_path, capsys):
    folder = tmp_path / "单位"
    shutil.copytree(split_folder, folder)
    rc, _, _ = run(capsys, "batch", str(folder), "--jobs", "1", "--no-annotate")
    assert rc == 1
    overview = sheet_values(folder / OVERVIEW_NAME)
    rows = {r[0]: r for r in overview["总览"][1:]}
    _, with_pdf = check_file(folder / "a.xlsx", folder / "a.pdf")
    _, without = check_file(folder / "b.xlsx")
    assert rows["a.xlsx"][3:6] == (with_pdf.errors, with_pdf.warnings, with_pdf.infos)
    assert rows["a.xlsx"][7:9] == ("-", "a.pdf")
    assert with_pdf.errors > without.errors  # the PDF's wrong shares are found
    assert rows["b.xlsx"][3:6] == (without.errors, without.warnings, without.infos)
    assert rows["b.xlsx"][7] == ("说明文档未能读取，已只按工作簿检查（PDF 中没有可提取的文字（可能是扫描件），"
                                 "请提供 Word 或文本版说明：b.pdf）")
    assert rows["b.xlsx"][8] == "-"
    detail = [r for r in overview["问题明细"][1:] if r[0] == "a.xlsx" and r[1] == "Y-2"]
    assert {r[4] for r in detail} == {str(folder / "a.pdf")}


def test_no_text_files_checks_the_workbooks_alone(split_folder, tmp_path, capsys):
    folder = tmp_path / "单位"
    shutil.copytree(split_folder, folder)
    run(capsys, "batch", str(folder), "--jobs", "1", "--no-annotate", "--no-text-files")
    rows = {r[0]: r for r in sheet_values(folder / OVERVIEW_NAME)["总览"][1:]}
    assert rows["a.xlsx"][8] == rows["b.xlsx"][8] == "-"
    assert rows["b.xlsx"][7] == "-"
