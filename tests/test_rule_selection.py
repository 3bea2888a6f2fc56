"""`--select` / `--ignore`: which rules a run uses, and that a partial check says so everywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.batch import check_folder
from addin.cli import main
from addin.overview import RULES_SHEET, write_overview
from addin.reader import read_workbook
from checks.api import check_grids
from checks.rules import RULES
from checks.rules.selection import SelectionError, matches, parse_codes, select_rules

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"


def ids(rules) -> list[str]:
    return [r.id for r in rules]


def test_codes_are_split_on_any_comma_and_upper_cased():
    assert parse_codes(["w-8，W-15", " t01 ", "表文"]) == ["W-8", "W-15", "T01", "表文"]
    assert parse_codes(None) == []


def test_a_code_names_a_rule_a_table_a_letter_or_a_family():
    assert matches("W-1", RULES["W-1"])
    assert not matches("W-1", RULES["W-10"])  # a prefix ends at a '-'
    assert matches("T01", RULES["T01-2"]) and not matches("T01", RULES["T02-1"])
    assert matches("T", RULES["T05-1"]) and not matches("T", RULES["X-1"])
    assert matches("表文", RULES["Y-2"]) and not matches("表文", RULES["W-5"])


def test_nothing_chosen_means_every_rule():
    assert select_rules(RULES.values()) is None
    assert select_rules(RULES.values(), [], [""]) is None


def test_select_keeps_catalogue_order_and_ignore_wins():
    assert ids(select_rules(RULES.values(), ["W-8", "W-1"])) == ["W-1", "W-8"]
    chosen = ids(select_rules(RULES.values(), ["W"], ["W-8"]))
    assert chosen == [i for i in RULES if i.startswith("W-") and i != "W-8"]
    assert len(select_rules(RULES.values(), (), ["W-8"])) == len(RULES) - 1


def test_unknown_codes_and_empty_selections_are_refused_in_chinese():
    with pytest.raises(SelectionError, match="未知的规则编号或类别：Z-9、W-99"):
        select_rules(RULES.values(), ["Z-9", "W-1"], ["W-99"])
    with pytest.raises(SelectionError, match="没有剩下任何规则"):
        select_rules(RULES.values(), ["W-8"], ["W"])


@pytest.fixture(scope="module")
def grids():
    return read_workbook(SAMPLE)


def test_ignored_rules_give_no_findings_and_no_counts(grids):
    full = check_grids(grids)
    assert {f.rule for f in full.findings} >= {"W-8", "Y-2"}  # the sample breaks both
    part = check_grids(grids, rules=select_rules(RULES.values(), (), ["W-8", "Y-2"]))
    assert {f.rule for f in part.findings} == {f.rule for f in full.findings} - {"W-8", "Y-2"}
    assert part.skipped_rules == ["W-8", "Y-2"]
    assert "W-8" not in part.rule_counts and "Y-2" not in part.rule_counts
    kept = {k: v for k, v in full.rule_counts.items() if k not in ("W-8", "Y-2")}
    assert part.text_checked == sum(v[0] for v in kept.values())
    assert part.text_passed == sum(v[1] for v in kept.values())
    assert part.checks == full.checks  # the table rules all ran
    assert full.skipped_rules == [] and "skipped_rules" not in full.to_json()
    assert part.to_json()["skipped_rules"] == ["W-8", "Y-2"]


def test_table_rules_only_run_no_text_check(grids):
    part = check_grids(grids, rules=select_rules(RULES.values(), ["表内", "表间"]))
    assert part.text_checked == 0 and part.rule_counts == {}
    assert all(RULES[f.rule].kind != "text" for f in part.findings if f.rule in RULES)


def test_cli_check_reports_the_selection(tmp_path, capsys):
    wb = tmp_path / "a.xlsx"
    shutil.copy(SAMPLE, wb)
    out = tmp_path / "a_checked.xlsx"
    code = main(["check", str(wb), "-o", str(out), "--json", str(tmp_path / "a.json"), "--select", "W-1,W-3"])
    text = capsys.readouterr().out
    assert code == 0  # the sample's errors are in rules that did not run
    assert "本次只运行了 W-1、W-3（按 --select/--ignore 选择）" in text
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert set(data["skipped_rules"]) == set(RULES) - {"W-1", "W-3"}
    assert {f["rule"] for f in data["findings"]} <= {"W-1", "W-3"}
    ws = load_workbook(out)["检查结果"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "规则选择")
    assert row[1] == "只运行了 W-1、W-3（按 --select/--ignore 选择）"


def test_cli_refuses_an_unknown_code_with_exit_2(tmp_path, capsys):
    wb = tmp_path / "a.xlsx"
    shutil.copy(SAMPLE, wb)
    assert main(["check", str(wb), "--no-annotate", "--ignore", "W-99"]) == 2
    assert "无法检查：未知的规则编号或类别：W-99" in capsys.readouterr().err
    assert not (tmp_path / "a_checked.xlsx").exists()


def test_batch_applies_the_selection_to_every_workbook(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(SAMPLE, folder / name)
    result = check_folder(
        folder, out_dir=None, jobs=1, annotate=False, json_reports=False, progress=False, rules=["W-8"]
    )
    assert [sorted({f.rule for f in i.report.findings}) for i in result.items] == [["W-8"], ["W-8"]]
    overview = write_overview(result, tmp_path / "总览.xlsx")
    rows = list(load_workbook(overview)[RULES_SHEET].iter_rows(values_only=True))
    assert rows[-1][:2] == ("（规则选择）", "只运行了 W-8（按 --select/--ignore 选择）")
    assert main(["batch", str(folder), "--no-annotate", "--ignore", "表文,文内,C-2", "--jobs", "1"]) == 1
    assert "本次未运行" in capsys.readouterr().out
