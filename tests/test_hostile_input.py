"""Hostile and broken input through the real CLI: a clear Chinese message and an exit code, never a
traceback, never a change to the input, never an error caused by the way a number is written.

The corpus is built at test time by tests/hostile/make_corpus.py (nothing large is committed).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.cli import main
from tests.hostile import make_corpus as mc

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Builds each case once, on first use."""
    d = tmp_path_factory.mktemp("hostile")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = mc.BUILDERS[name](d)
        return built[name]

    return get


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """The sample's own findings, as the JSON report gives them."""
    d = tmp_path_factory.mktemp("orig")
    src = mc.sample_copy(d)
    rc = main(["check", str(src), "--no-annotate", "-q", "--json", str(d / "r.json")])
    assert rc == 1
    return json.loads((d / "r.json").read_text(encoding="utf-8"))


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert CJK.search(out + err), "a Chinese message is expected"
    return rc, out, err


def keys(report: dict) -> list[tuple]:
    return sorted(
        (f["rule"], f["severity"], tuple(f"{c['sheet']}!{c['cell']}" for c in f["cells"])) for f in report["findings"]
    )


def check_json(capsys, src: Path, tmp_path: Path) -> tuple[int, dict]:
    before = sha(src)
    out = tmp_path / "report.json"
    rc, _, _ = run(capsys, "check", str(src), "--no-annotate", "-q", "--json", str(out))
    assert sha(src) == before
    return rc, json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# files that cannot be checked: exit 2, a reason, no output written, input untouched

UNCHECKABLE = [
    ("not_a_workbook", "不是 Excel 工作簿"),
    ("empty_file", "文件是空的"),
    ("plain_zip", "压缩包中没有工作簿内容"),
    ("truncated", "文件已损坏或不完整"),
    ("fake_encrypted", "密码保护"),
    ("real_encrypted", "密码保护"),
    ("xls_encrypted", "密码保护"),
    ("ole_not_workbook", "无法读取工作簿"),
    ("xls_damaged", "无法读取工作簿"),
    ("empty_workbook", "没有找到部门决算公开表"),
    ("random_data", "没有找到部门决算公开表"),
    ("bomb", "疑似压缩炸弹"),
    ("lying_bomb", "无法读取工作簿"),
]


@pytest.mark.parametrize(("case", "says"), UNCHECKABLE, ids=[c for c, _ in UNCHECKABLE])
def test_uncheckable_file_gives_a_reason_and_exit_2(corpus, capsys, case, says):
    src = corpus(case)
    before = sha(src)
    rc, out, err = run(capsys, "check", str(src))
    assert rc == 2
    assert err.startswith("无法检查：") and says in err
    assert sha(src) == before
    assert not list(src.parent.glob(f"{src.stem}_checked.*"))


def test_directory_and_missing_file(corpus, capsys, tmp_path):
    folder = corpus("directory")
    rc, _, err = run(capsys, "check", str(folder))
    assert rc == 2 and "这是一个文件夹" in err and "juesuan batch" in err
    assert list(folder.iterdir()) == []
    rc, _, err = run(capsys, "check", str(tmp_path / "不存在.xlsx"))
    assert rc == 2 and "找不到文件" in err


def test_crafted_compound_files_are_well_formed(corpus):
    import olefile  # installed with oletools (test extra)

    for case, streams in [
        ("fake_encrypted", [["EncryptedPackage"], ["EncryptionInfo"]]),
        ("ole_not_workbook", [["WordDocument"]]),
        ("xls_sample", [["Workbook"]]),
    ]:
        ole = olefile.OleFileIO(str(corpus(case)))
        assert ole.listdir() == streams
        ole.close()


def test_real_encrypted_file_is_really_encrypted(corpus):
    import msoffcrypto

    with corpus("real_encrypted").open("rb") as fh:
        assert msoffcrypto.OfficeFile(fh).is_encrypted()


def test_bombs_are_small_files_that_declare_or_hold_over_400_mb(corpus):
    for case in ("bomb", "lying_bomb"):
        p = corpus(case)
        assert p.stat().st_size < 2 * 1024 * 1024
        with zipfile.ZipFile(p) as zf:
            declared = zf.getinfo(mc.BOMB_MEMBER).file_size
        assert declared == (mc.BOMB_SIZE + len(mc._XML_HEAD) + len(mc._XML_TAIL) if case == "bomb" else 5000)


_PEAK = """
import sys
from pathlib import Path
from addin.cli import main
rc = main(sys.argv[1:])
status = Path("/proc/self/status")
if status.exists():  # this process's own high-water mark (ru_maxrss would count the parent's image)
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    peak = int(line.split()[1])
else:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak)
sys.exit(rc)
"""


def _peak_rss_kb(args: list[str]) -> tuple[int, int, str]:
    """Run the CLI as its own process: exit code, peak resident memory (KB), stderr."""
    res = subprocess.run([sys.executable, "-c", _PEAK, *args], cwd=ROOT, capture_output=True, text=True)
    return res.returncode, int(res.stdout.strip().splitlines()[-1]), res.stderr


def test_bombs_and_rust_panics_are_refused_in_bounded_memory_and_quietly(corpus):
    """Own processes: peak memory stays far below what decompressing 420 MB would take, and a Rust
    panic inside the reader never reaches the terminal (only our message does)."""
    for case, says in [("bomb", "疑似压缩炸弹"), ("lying_bomb", "无法读取工作簿"), ("xls_damaged", "无法读取工作簿")]:
        rc, rss_kb, err = _peak_rss_kb(["check", str(corpus(case)), "--no-annotate"])
        assert rc == 2
        assert rss_kb < 200 * 1024, f"{case}: {rss_kb} KB"
        assert says in err
        assert "Traceback" not in err and "panicked" not in err and "backtrace" not in err


# ---------------------------------------------------------------------------------------------
# content that can be checked


def test_numbers_written_as_text_give_the_same_findings(corpus, capsys, tmp_path, original):
    rc, rep = check_json(capsys, corpus("text_numbers"), tmp_path)
    assert rc == 1
    assert keys(rep) == keys(original)


def test_text_that_is_not_a_number_is_unreadable_not_an_error(corpus, capsys, tmp_path, original):
    rc, rep = check_json(capsys, corpus("text_non_numbers"), tmp_path)
    assert rc == 1  # the sample's own error stays, nothing else
    unreadable = sorted(
        f"{f['cells'][0]['sheet']}!{f['cells'][0]['cell']}"
        for f in rep["findings"] if f["rule"] == "R-1"
    )
    assert unreadable == sorted(f"{s}!{c}" for s, c in mc.NON_NUMBER_TEXT)
    assert all(f["severity"] == "info" and f["outcome"] == "unreadable" for f in rep["findings"] if f["rule"] == "R-1")
    errors = [k for k in keys(rep) if k[1] == "error"]
    assert errors == [k for k in keys(original) if k[1] == "error"]
    others = [k for k in keys(rep) if k[0] != "R-1"]
    assert others == keys(original)


def test_formula_without_cached_value_is_unreadable_not_an_error(corpus, capsys, tmp_path, original):
    rc, rep = check_json(capsys, corpus("uncached_formula"), tmp_path)
    assert rc == 1
    sheet, cell = mc.UNCACHED_CELL
    r1 = [f for f in rep["findings"] if f["rule"] == "R-1"]
    assert [(f["cells"], f["severity"], f["outcome"], f["actual"]) for f in r1] == [
        ([{"sheet": sheet, "cell": cell}], "info", "unreadable", mc.UNCACHED_FORMULA)
    ]
    assert [k for k in keys(rep) if k[0] != "R-1"] == keys(original)


def test_five_thousand_row_table_that_adds_up_has_no_error(corpus, capsys, tmp_path):
    rc, rep = check_json(capsys, corpus("big_table"), tmp_path)
    assert rc == 0
    assert [f for f in rep["findings"] if f["severity"] != "info"] == []
    assert rep["summary"]["checks"] > 5000  # the rows were read and summed, not skipped


def test_heavy_merges_give_the_same_findings(corpus, capsys, tmp_path, original):
    src = corpus("heavy_merges")
    merges = sum(len(ws.merged_cells.ranges) for ws in load_workbook(src).worksheets)
    base = sum(len(ws.merged_cells.ranges) for ws in load_workbook(mc.SAMPLE).worksheets)
    assert merges > base + 150
    rc, rep = check_json(capsys, src, tmp_path)
    assert rc == 1
    assert keys(rep) == keys(original)


def test_xls_input_is_checked_and_copied_to_xlsx(corpus, capsys, tmp_path, original):
    src = corpus("xls_sample")
    before = sha(src)
    out = tmp_path / "copy.xlsx"
    rc, stdout, _ = run(capsys, "check", str(src), "-o", str(out), "--json", str(tmp_path / "x.json"))
    assert rc == 1
    assert keys(json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))) == keys(original)
    assert sha(src) == before
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "检查结果" and "公开01表" in wb.sheetnames


# ---------------------------------------------------------------------------------------------
# formula injection


def _formula_free(path: Path, sheet_title: str) -> bytes:
    """The raw XML of one sheet of an xlsx (by title)."""
    wb = load_workbook(path)
    index = wb.sheetnames.index(sheet_title) + 1
    with zipfile.ZipFile(path) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        wbx = zf.read("xl/workbook.xml").decode()
        rid = re.findall(r'<sheet [^>]*r:id="([^"]+)"', wbx)[index - 1]
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
        member = (target.group(1) or target.group(2)).lstrip("/")
        return zf.read(member if member.startswith("xl/") else "xl/" + member)


def test_formula_like_text_stays_inert_text(corpus, capsys, tmp_path):
    src = corpus("injection")
    before = sha(src)
    out = tmp_path / "inj_checked.xlsx"
    rc, _, _ = run(capsys, "check", str(src), "-o", str(out), "--json", str(tmp_path / "inj.json"))
    assert rc == 1
    assert sha(src) == before
    rep = json.loads((tmp_path / "inj.json").read_text(encoding="utf-8"))
    dept = rep["department"]
    assert dept.startswith("=HYPERLINK(")  # the engine drops the quotes; still formula-like
    wb = load_workbook(out)
    summary = wb.worksheets[0]
    assert summary.title == "检查结果"
    cells = [c for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == dept for c in cells)  # the 部门 fact
    assert all(c.data_type == "s" for c in cells)
    assert b"<f>" not in _formula_free(out, "检查结果") and b"<f " not in _formula_free(out, "检查结果")
    text_sheet = wb["情况说明"]
    texts = {c.value: c.data_type for row in text_sheet.iter_rows() for c in row if c.value in mc.INJECTIONS}
    assert texts == {s: "s" for s in mc.INJECTIONS}
    assert b"<f>" not in _formula_free(out, "情况说明")


# ---------------------------------------------------------------------------------------------
# outputs


def test_unwritable_output_location(corpus, capsys, tmp_path):
    src = mc.sample_copy(tmp_path)
    before = sha(src)
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for target in (blocker / "out.xlsx", Path("/proc/juesuan_out.xlsx")):
        rc, _, err = run(capsys, "check", str(src), "-o", str(target), "-q")
        assert rc == 2 and "无法写出标注副本" in err
        assert not target.exists()
    rc, _, err = run(capsys, "check", str(src), "--no-annotate", "-q", "--json", str(blocker / "r.json"))
    assert rc == 2 and "无法写出 JSON 报告" in err
    assert sha(src) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []  # no temp files left


def test_existing_output_is_replaced_but_never_the_input(corpus, capsys, tmp_path):
    src = mc.sample_copy(tmp_path)
    before = sha(src)
    out = tmp_path / "out.xlsx"
    out.write_text("旧文件")
    rc, _, _ = run(capsys, "check", str(src), "-o", str(out), "-q")
    assert rc == 1
    assert load_workbook(out).sheetnames[0] == "检查结果"
    rc, _, err = run(capsys, "check", str(src), "-o", str(src), "-q")
    assert rc == 2 and "不能是被检查的文件本身" in err
    rc, _, err = run(capsys, "check", str(src), "--no-annotate", "--json", str(src), "-q")
    assert rc == 2 and "不能写到被检查的文件上" in err
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    rc, _, err = run(capsys, "check", str(src), "-o", str(link), "-q")
    assert rc == 2 and "不能是被检查的文件本身" in err
    assert sha(src) == before


# ---------------------------------------------------------------------------------------------
# the whole corpus as one batch


def test_batch_over_the_corpus_never_stops(corpus, capsys, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    names = [c for c, _ in UNCHECKABLE] + ["text_numbers", "uncached_formula", "xls_sample"]
    for name in names:
        src = corpus(name)
        (folder / src.name).write_bytes(src.read_bytes())
    before = {p.name: sha(p) for p in folder.iterdir()}
    rc = main(["batch", str(folder), "--no-annotate", "--jobs", "2"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert {p.name: sha(p) for p in folder.iterdir() if p.name in before} == before
    rows = list(load_workbook(folder / "决算检查总览.xlsx")["总览"].iter_rows(min_row=2, values_only=True))
    status = {r[0]: r[6] for r in rows}
    assert len(rows) == len(names)
    assert [s for n, s in status.items() if s != "无法检查"] == ["有错误"] * 3
    assert all(r[7] != "-" and CJK.search(r[7]) for r in rows if r[6] == "无法检查")
