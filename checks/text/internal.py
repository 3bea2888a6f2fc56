"""文内 checks: the text checked against itself (and its own 绩效 tables), no 决算 table needed.

Entry points: `check_text_internal(paragraphs, report_year, perf_grids=())` for paragraphs from
any source, and `check_workbook_text(wb, report_year)` for a workbook. Every check runs; one
that raises becomes an INTERNAL finding and the others still run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checks.findings import Family, Finding, Outcome, Severity
from checks.grid import SheetGrid, WorkbookGrid
from checks.text.arith import check_comparisons, check_completion, check_flat
from checks.text.claims import Claim, extract_all
from checks.text.consistency import check_class_names, check_repeated, check_years, infer_report_year
from checks.text.groups import ClaimGroups
from checks.text.paragraphs import Paragraph, is_text_sheet, text_paragraphs
from checks.text.perf_checks import check_base_vs_text, check_score_tables
from checks.text.perf_tables import BaseData, ScoreTable, normed_rows, parse_base_data, parse_score_table
from checks.text.rules import Tally
from checks.text.sums import ParagraphLists, check_lists, check_shares


@dataclass
class TextCheckResult:
    findings: list[Finding]
    checked: int
    passed: int
    claims: list[Claim]  # every extracted claim, for the grounding step
    groups: ClaimGroups | None = None  # the claims grouped, for the grounding step
    report_year: int | None = None
    per_rule: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (checked, passed)


def perf_tables(grids: Sequence[SheetGrid]) -> tuple[list[ScoreTable], BaseData | None]:
    """The 绩效评价表 score tables and the first 基础数据表 among the grids."""
    tables: list[ScoreTable] = []
    base: BaseData | None = None
    for g in grids:
        normed = normed_rows(g)  # both parsers read the same normalised cells
        t = parse_score_table(g, normed)
        if t is not None:
            tables.append(t)
            continue
        if base is None:
            base = parse_base_data(g, normed)
    return tables, base


def check_text_internal(
    paragraphs: list[Paragraph],
    report_year: int | None,
    perf_grids: Sequence[SheetGrid] = (),
) -> TextCheckResult:
    """Run W-1…W-13 over the paragraphs (and the 绩效 table grids, if given)."""
    year = report_year or infer_report_year(paragraphs)
    claims = extract_all(paragraphs)
    tables, base = perf_tables(perf_grids)
    tally = Tally()
    lists = ParagraphLists()  # W-5 and W-6/11 read the same lists
    groups = ClaimGroups(claims)  # and every check the same groups (and the grounding step)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("W-1/2/4/9", lambda: check_comparisons(claims, tally, groups)),
        ("W-3", lambda: check_completion(claims, tally, groups)),
        ("W-4", lambda: check_flat(claims, tally, groups)),
        ("W-5", lambda: check_lists(claims, paragraphs, tally, lists, groups)),
        ("W-6/11", lambda: check_shares(claims, tally, lists, groups)),
        ("W-7", lambda: check_years(claims, year, tally, groups)),
        ("W-8", lambda: check_repeated(claims, tally, groups)),
        ("W-10", lambda: check_score_tables(tables, base, claims, year, tally, groups)),
        ("W-12", lambda: check_base_vs_text(base, claims, year, tally, groups)),
        ("W-13", lambda: check_class_names(claims, year, tally, groups)),
    ]
    for name, run in steps:
        try:
            run()
        except Exception as exc:  # a broken check is reported, the rest still run
            tally.note(
                Finding(
                    rule=name.split("/")[0],
                    severity=Severity.INFO,
                    family=Family.TEXT_INTERNAL,
                    message=f"[{name}] 检查程序出错，未完成：{exc!r}",
                    outcome=Outcome.INTERNAL,
                    hint="".join(traceback.format_exception(exc)[-4:]),
                )
            )
    return TextCheckResult(
        findings=tally.findings,
        checked=tally.checked,
        passed=tally.passed,
        claims=claims,
        groups=groups,
        report_year=year,
        per_rule={k: (v[0], v[1]) for k, v in tally.per_rule.items()},
    )


def check_workbook_text(wb: WorkbookGrid, report_year: int | None) -> TextCheckResult:
    """文内 checks over a workbook: its text sheets and every other sheet as a possible 绩效 table."""
    paragraphs = text_paragraphs(wb)
    grids = [s for s in wb.sheets if not is_text_sheet(s)]
    return check_text_internal(paragraphs, report_year, grids)
