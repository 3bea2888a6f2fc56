"""The engine's one entry point for every front end: grids (+ optional text) in, Report out."""

from __future__ import annotations

from checks.acknowledge import apply_acknowledgements, read_acknowledgements
from checks.engine import build_model, run_rules
from checks.findings import Report, Severity
from checks.grid import WorkbookGrid
from checks.rules import RULES, Rule

_SEV = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_grids(
    grids: WorkbookGrid,
    *,
    name: str | None = None,
    text: str | None = None,
    text_source: str | None = None,
    rules: list[Rule] | None = None,
) -> Report:
    """Run the table rules, then the text checks (文内 W-, 表文 Y-) on the workbook's text sheets
    — or on `text` (a .docx/.txt read by the front end) when given."""
    model = build_model(grids)
    ctx = run_rules(model, rules)
    findings = list(ctx.findings)
    text_checked = text_passed = 0
    counts: dict[str, list[int]] = {}
    wanted = {r.id for r in (rules if rules is not None else RULES.values())}
    if any(RULES[i].kind == "text" for i in wanted):
        tf, text_checked, text_passed, counts = _text_findings(grids, model, text, text_source, "Y-2" in wanted)
        findings += [f for f in tf if f.rule in wanted or f.rule not in RULES]
        if rules is not None:  # the text checks run together: keep the counts of the rules chosen
            counts = {k: v for k, v in counts.items() if k in wanted}
            text_checked = sum(v[0] for v in counts.values())
            text_passed = sum(v[1] for v in counts.values())
    for f in findings:  # the remedy comes from the catalogue when the check did not give one
        if f.hint is None and f.rule in RULES:
            f.hint = RULES[f.rule].hint or None
    acks = read_acknowledgements(grids)
    acknowledged = apply_acknowledgements(findings, acks) if acks else 0
    order = {s.name: i for i, s in enumerate(grids.sheets)}
    findings.sort(key=lambda f: (_SEV[f.severity], order.get(f.cells[0].sheet, 999) if f.cells else -1))
    return Report(
        workbook=name or (grids.path or ""),
        department=model.department,
        year=model.year,
        unit=model.unit,
        era=model.era,
        tables={t.key: t.sheet for t in sorted(model.tables, key=lambda t: t.key) if not t.foreign},
        findings=findings,
        checks=ctx.checks,
        passed=ctx.passed,
        text_checked=text_checked,
        text_passed=text_passed,
        rule_counts=counts,
        acknowledged=acknowledged,
        skipped_rules=[] if rules is None else [i for i in RULES if i not in wanted],
    )


def _is_table_sheet(sheet, model) -> bool:
    """Sheets holding only located 决算 tables are no 绩效 score tables: skip parsing them as such."""
    return any(t.sheet == sheet.name for t in model.tables)


def _text_findings(grids, model, text: str | None, source: str | None, dedupe: bool = True):
    """(findings, checked, passed, per-rule counts) of the 文内 and 表文 checks."""
    from checks.text.ground import ground_claims
    from checks.text.internal import check_text_internal
    from checks.text.paragraphs import is_text_sheet, paragraphs_from_text, text_paragraphs
    from checks.text.structure import structure_findings
    from checks.text.texttables import tables_from_text

    if text is not None:
        paragraphs = paragraphs_from_text(text, source or "说明文档")
        perf_grids = tables_from_text(text)
    else:
        flags = [is_text_sheet(s) for s in grids.sheets]  # once per sheet
        paragraphs = text_paragraphs(grids, [s for s, f in zip(grids.sheets, flags, strict=True) if f])
        perf_grids = [s for s, f in zip(grids.sheets, flags, strict=True) if not f and not _is_table_sheet(s, model)]
    if not paragraphs:
        return [], 0, 0, {}
    internal = check_text_internal(paragraphs, model.year, perf_grids)
    grounded = ground_claims(model, paragraphs, internal.claims, internal.groups)
    # one mistake, one finding: where a share is also wrong against the tables, the table-grounded
    # Y-2 (which names the table cells and tells a completion rate from a share) replaces W-11
    grounded_shares = {(f.cells[0], f.actual) for f in grounded.findings if f.rule == "Y-2" and f.cells and dedupe}
    kept = [f for f in internal.findings if not (f.rule == "W-11" and f.cells and (f.cells[0], f.actual) in grounded_shares)]
    structure, structure_counts = structure_findings(paragraphs, model.year)
    counts = {k: list(v) for k, v in internal.per_rule.items()} | grounded.per_rule | structure_counts
    return (
        kept + grounded.findings + structure,
        internal.checked + grounded.checked + sum(c[0] for c in structure_counts.values()),
        internal.passed + grounded.passed + sum(c[1] for c in structure_counts.values()),
        counts,
    )
