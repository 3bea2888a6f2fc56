"""Every finding of a fixed corpus equals the golden file: optimisations must not change behaviour."""

from __future__ import annotations

import json

import pytest

from tests.golden.make_golden import GOLDEN, reports


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def current() -> dict:
    return reports()


def test_same_workbooks(golden, current):
    assert sorted(current) == sorted(golden)


def test_golden_corpus_is_not_trivial(golden):
    # the sample alone has 30 findings; every fault kind is in the corpus
    assert len(golden["yongzhou_2018.xlsx"]["findings"]) == 30
    assert sum(len(r["findings"]) for r in golden.values()) > 100


@pytest.mark.parametrize("name", json.loads(GOLDEN.read_text(encoding="utf-8")).keys())
def test_report_unchanged(name, golden, current):
    assert current[name] == golden[name]
