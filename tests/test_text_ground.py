"""表文 grounding: the short cuts of checks/text/ground.py answer as the plain definitions they
stand for (the golden corpus has no Y-4 finding, so its cell scan is pinned here)."""

from pathlib import Path

import pytest

from addin.reader import read_workbook
from checks.engine import build_model, run_rules
from checks.layouts import norm_label
from checks.text.claims import extract_all
from checks.text.ground import _data_cells, _item_from, _norm, ground_claims
from checks.text.paragraphs import paragraphs_from_text

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"


@pytest.fixture(scope="module")
def models():
    out = []
    for name in ("yongzhou_2018.xlsx", "consistent_2018.xlsx", "consistent_2020.xlsx"):
        model = build_model(read_workbook(SAMPLES / name))
        run_rules(model)
        out.append(model)
    return out


@pytest.mark.parametrize(
    "text",
    ["财政拨款收入", "其中：基本支出", "一、收入合计", "（二）项目支出", "1.会议费", "“三公”经费", "本年 支出",
     "其中财政拨款", "2018年收入", "", "　全角空格", "(三)培训费", "十、其他"],
)  # fmt: skip
def test_norm_is_norm_label(text):
    assert _norm(text) == norm_label(text)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("公务接待费支出决算", "公务接待费"),
        ("公务用车购置费及运行维护费支出决算", "公务用车小计"),
        ("公务用车运行维护费", "公务用车运行费"),
        ("“三公”经费支出决算中，公务接待费7万元，占", "公务接待费"),
        ("支出决算", None),
        ("运行维护", "公务用车运行费"),
    ],
)
def test_item_from(text, item):
    assert _item_from(text) == item


def _nonzero_cells(t):
    """Y-4's cells by definition: every nonzero amount cell in table order (07: 决算 columns)."""
    cells = [x for x in t.amount_cells() if x.value]
    if t.key == "07":
        main = t.rows("main")
        if not main:
            return []
        cols = {cc.col for k, cc in main[0].cells.items() if k.startswith("决算")}
        cells = [x for x in cells if x.col in cols]
    return cells


def test_data_cells_are_the_first_nonzero_cells(models):
    for model in models:
        for t in model.tables:
            want = _nonzero_cells(t)[:5]
            got = _data_cells(t, 5)
            assert [(x.ref, x.value) for x in got] == [(x.ref, x.value) for x in want], t.name


def test_empty_statement_against_a_table_with_data(models):
    model = models[0]  # the sample's 三公 table has data
    paragraphs = paragraphs_from_text(
        "2018年度部门决算情况说明\n一、收入支出决算总体情况说明\n本年度无“三公”经费支出。", "说明"
    )
    res = ground_claims(model, paragraphs, extract_all(paragraphs))
    (f,) = [f for f in res.findings if f.rule == "Y-4"]
    want = _nonzero_cells(model.get("07"))
    assert f.cells[1:] == [x.ref for x in want[:5]]
    assert res.per_rule["Y-4"] == [1, 0]
