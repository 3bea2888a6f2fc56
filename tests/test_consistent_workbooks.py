"""Consistent workbooks (both eras, any shape) give no 错误 or 警告; one table fault is found and named.

Property tests over the generator: random shapes (sheet names and order, stacked tables, 合计 first
or last, grouped/interleaved 三公 columns, 元 or 万元, text numbers, blanks or dashes for zero …).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.reader import read_workbook
from checks.api import check_grids
from sample_workbooks.faults import NoCandidate, inject
from sample_workbooks.generate import generate

ROOT = Path(__file__).resolve().parents[1]
TABLE_FAULTS = ["amount_changed", "digit_dropped", "cells_swapped", "column_shifted", "other_department", "foreign_table"]
TEXT_FAULTS = ["text_amount", "text_share", "text_rate", "text_completion", "wrong_year", "heading_unnumbered",
               "placeholder"]


def _faulted(seed: int, era: str, kind: str):
    """A random-shape workbook with one fault of `kind`, or None when it has no place for one."""
    try:
        return inject(generate(seed, era, randomize=True), kind, random.Random(seed))
    except NoCandidate:
        return None


def _loud(report):
    return [(f.rule, f.message) for f in report.findings if f.severity.value != "info"]


def test_committed_2020_workbook_is_clean_and_read_as_nine_tables():
    report = check_grids(read_workbook(ROOT / "sample_workbooks" / "consistent_2020.xlsx"))
    assert _loud(report) == []
    assert report.era == "2020+"
    assert sorted(report.tables) == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
    assert report.checks > 300 and report.passed == report.checks


def test_committed_2018_workbook_is_clean():
    report = check_grids(read_workbook(ROOT / "sample_workbooks" / "consistent_2018.xlsx"))
    assert _loud(report) == []
    assert report.era == "2018"
    assert report.checks > 300 and report.passed == report.checks


@pytest.mark.parametrize(
    ("seed", "era"),
    [
        (550894, "2020+"),  # an amount of 309.00 in 06's 人员经费 column was read as the code 309 (T06-2)
    ],
)
def test_consistent_workbooks_found_by_hypothesis_stay_clean(seed, era):
    gen = generate(seed, era, randomize=True)
    assert _loud(check_grids(gen.grids())) == [], gen.options


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), era=st.sampled_from(["2018", "2020+"]))
def test_random_consistent_workbooks_give_no_error_or_warning(seed, era):
    gen = generate(seed, era, randomize=True)
    assert _loud(check_grids(gen.grids())) == [], gen.options


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), era=st.sampled_from(["2018", "2020+"]), kind=st.sampled_from(TABLE_FAULTS))
def test_one_table_fault_is_an_error_naming_the_changed_cell(seed, era, kind):
    fault = _faulted(seed, era, kind)
    if fault is None:
        return
    report = check_grids(fault.gen.grids())
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert errors, fault.describe()
    named = {(c.sheet, c.cell) for f in errors for c in f.cells}
    if fault.added_sheet:
        assert any(c[0] == fault.added_sheet for c in named), fault.describe()
    else:
        assert named & {(c.sheet, c.cell) for c in fault.changes}, fault.describe()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), era=st.sampled_from(["2018", "2020+"]), kind=st.sampled_from(TEXT_FAULTS))
def test_one_text_fault_is_found_in_its_sentence(seed, era, kind):
    fault = _faulted(seed, era, kind)
    if fault is None:
        return
    report = check_grids(fault.gen.grids())
    loud = [f for f in report.findings if f.severity.value in ("error", "warning")]
    changed = {(c.sheet, c.cell) for c in fault.changes}
    assert any(changed & {(c.sheet, c.cell) for c in f.cells} for f in loud), fault.describe()
