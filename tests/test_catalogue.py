"""The catalogue keeps its promises: well-formed ids, documented rules, current docs, declared metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.findings import Family, Severity
from checks.rules import RULES
from checks.rules.catalogue import RULES as CATALOGUE
from checks.rules.custom import CUSTOM
from checks.rules.docs import render
from checks.rules.registry import CatalogueError, Rule, build_registry

ROOT = Path(__file__).resolve().parents[1]


def test_docs_page_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render()


def test_every_rule_is_documented():
    for r in RULES.values():
        assert r.title and r.formula and r.why and r.bad and r.good and r.hint, r.id


def test_custom_checks_and_catalogue_agree():
    named = {r.spec["check"] for r in RULES.values() if r.kind == "custom"}
    assert named == set(CUSTOM)


def test_registry_refuses_duplicates_and_malformed_ids():
    r = CATALOGUE[0]
    with pytest.raises(CatalogueError, match="duplicate"):
        build_registry([r, r])
    bad = Rule("Q1", r.family, r.severity, "t", "f", "w", "linear")
    with pytest.raises(CatalogueError, match="malformed"):
        build_registry([bad])
    empty = Rule("T01-99", Family.INTRA, Severity.ERROR, "t", "", "w", "linear")
    with pytest.raises(CatalogueError, match="empty formula"):
        build_registry([empty])


def test_cli_rules_lists_every_rule(capsys):
    from addin.cli import main

    assert main(["rules", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == list(RULES)
    assert main(["rules", "X-5"]) == 0
    out = capsys.readouterr().out
    assert "05表合计行基本支出 = 06表人员经费合计 + 公用经费合计" in out
    assert main(["rules", "NOPE"]) == 2
