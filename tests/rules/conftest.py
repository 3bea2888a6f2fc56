"""Shared loading of the rule cases: bases are read once, each case edits a deep copy."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml

from addin.reader import read_workbook
from checks.grid import Uncached, WorkbookGrid, parse_a1

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = Path(__file__).with_name("cases.yml")


@cache
def _cases_doc() -> dict:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def cases() -> list[dict]:
    return _cases_doc()["cases"]


@cache
def _base(name: str) -> WorkbookGrid:
    if name == "yongzhou":
        return read_workbook(ROOT / "sample_workbooks" / "yongzhou_2018.xlsx")
    spec = _cases_doc()["bases"][name]
    return apply_edits(_base(spec["from"]), spec.get("edits", []))


def apply_edits(wb: WorkbookGrid, edits: list[dict], drop: list[str] = ()) -> WorkbookGrid:
    wb = copy.deepcopy(wb)
    wb.sheets = [s for s in wb.sheets if s.name not in drop]
    for e in edits:
        sheet = wb.sheet(e["sheet"])
        r, c = parse_a1(e["cell"])
        while len(sheet.rows) <= r:
            sheet.rows.append([])
        row = sheet.rows[r]
        while len(row) <= c:
            row.append(None)
        if "formula" in e:
            row[c] = Uncached(e["formula"])
        elif "replace" in e:  # edit a paragraph: [old, new] must occur in the cell's text
            old, new = e["replace"]
            assert old in str(row[c]), (e, row[c])
            row[c] = str(row[c]).replace(old, new)
        else:
            row[c] = e["value"]
    return wb


def case_workbook(case: dict) -> WorkbookGrid:
    wb = apply_edits(_base(case.get("base", "yongzhou")), case.get("edits", []), case.get("drop_sheets", []))
    for c in case.get("copy_sheets", []):  # {sheet, as, at}: a copy of a sheet, e.g. an old table kept aside
        copy_ = copy.deepcopy(wb.sheet(c["sheet"]))
        copy_.name = c["as"]
        wb.sheets.insert(c.get("at", len(wb.sheets)), copy_)
    for name in case.get("hide_sheets", []):
        wb.sheet(name).hidden = True
    return wb
