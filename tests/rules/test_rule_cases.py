"""Every rule has passing and failing cases (tests/rules/cases.yml); `pytest -k T01-2` selects one."""

from __future__ import annotations

import pytest

from checks.api import check_grids
from checks.engine import build_model, run_rules
from checks.rules import RULES
from tests.rules.conftest import case_workbook, cases

RANK = {"error": 3, "warning": 2, "info": 1}


@pytest.mark.parametrize("case", cases(), ids=[c["name"] for c in cases()])
def test_rule_case(case):
    rule = RULES[case["rule"]]
    wb = case_workbook(case)
    if rule.kind == "text":  # text rules run through the front-end entry point
        report = check_grids(wb, rules=[rule])
        got = [f for f in report.findings if f.rule == rule.id]
        evaluated = report.rule_counts.get(rule.id, [0, 0])[0]
    else:
        ctx = run_rules(build_model(wb), None if case.get("run") == "all" else [rule])
        got = [f for f in ctx.findings if f.rule == rule.id]
        evaluated = ctx.checks
    for f in got:  # emitted metadata is what the catalogue declares
        assert f.family == rule.family
        assert f.severity.rank <= rule.severity.rank  # soft variants (e.g. a zero base) may be milder
    expect = case.get("expect", [])
    if not expect:
        assert evaluated > 0, "the rule was never evaluated: a pass case that cannot fail"
        assert [f.message for f in got if RANK[f.severity.value] > 1] == []
        assert [f.message for f in got if f.outcome.value == "violation"] == []
        return
    assert len(got) == len(expect), [f.message for f in got]
    remaining = list(got)
    for e in expect:
        match = next(
            (
                f
                for f in remaining
                if f.severity.value == e["severity"]
                and f.outcome.value == e.get("outcome", f.outcome.value)
                and set(e.get("cells", [])) <= {f"{c.sheet}!{c.cell}" for c in f.cells + f.context}
            ),
            None,
        )
        assert match is not None, (e, [(f.severity.value, f.message, f.cells) for f in remaining])
        if "first" in e:
            assert f"{match.cells[0].sheet}!{match.cells[0].cell}" == e["first"]
        remaining.remove(match)


def test_every_rule_has_a_pass_and_a_fail_case():
    by_rule: dict[str, set[str]] = {}
    for c in cases():
        by_rule.setdefault(c["rule"], set()).add("fail" if c.get("expect") else "pass")
    missing = {rid: {"pass", "fail"} - by_rule.get(rid, set()) for rid in RULES}
    assert {k: v for k, v in missing.items() if v} == {}
