"""Findings and reports: what rules yield and front ends render. Rules never write."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        """Higher is worse; the worst severity wins per cell."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Family(StrEnum):
    INTRA = "表内"
    CROSS = "表间"
    COMPLETE = "完整性"
    TEXT = "表文"
    TEXT_INTERNAL = "文内"


class Outcome(StrEnum):
    """Why a finding exists; lets reports separate data errors from 'could not check'."""

    VIOLATION = "violation"  # the identity/claim does not hold
    ROUNDING = "rounding"  # non-zero difference inside the rounding band (尾差)
    UNLOCATED = "unlocated"  # 未能定位: a value or table needed by the rule was not found
    UNREADABLE = "unreadable"  # 未能读取: e.g. formula without cached value, text in a number cell
    INTERNAL = "internal"  # the rule itself raised; reported, the other rules still ran


@dataclass(frozen=True)
class CellRef:
    sheet: str
    cell: str  # A1 address, e.g. "C9"

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell}


@dataclass
class Finding:
    rule: str  # stable rule id, e.g. "T01-2"
    severity: Severity
    family: Family
    message: str  # Chinese, names tables/rows, expected, actual, difference, band
    cells: list[CellRef] = field(default_factory=list)  # likeliest wrong cell first
    expected: str | None = None  # as a person reads it, e.g. "1,170.07" or "0.05%"
    actual: str | None = None
    text: str | None = None  # quoted clause for a text finding
    outcome: Outcome = Outcome.VIOLATION
    hint: str | None = None
    args: dict[str, Decimal | str | int | None] = field(default_factory=dict)
    # cells the finding was computed from but does not suspect (e.g. the 合计 a share is taken of):
    # front ends mark them as 提示 only
    context: list[CellRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable per finding: rule + first cell, so a fixed item disappears on re-check."""
        first = self.cells[0] if self.cells else None
        where = f"{first.sheet}!{first.cell}" if first else "-"
        return f"{self.rule}@{where}"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity.value,
            "family": self.family.value,
            "outcome": self.outcome.value,
            "message": self.message,
            "cells": [c.to_json() for c in self.cells],
            "context": [c.to_json() for c in self.context],
            "expected": self.expected,
            "actual": self.actual,
            "text": self.text,
            "hint": self.hint,
        }


@dataclass
class Report:
    workbook: str
    department: str | None = None
    year: int | None = None
    unit: str | None = None
    era: str | None = None  # "2018" (8 tables) or "2020+" (9 tables)
    tables: dict[str, str] = field(default_factory=dict)  # "01" -> sheet name (first occurrence)
    findings: list[Finding] = field(default_factory=list)
    checks: int = 0  # identity evaluations made
    passed: int = 0
    text_checked: int = 0  # text claims grounded and compared
    text_passed: int = 0
    rule_counts: dict[str, list[int]] = field(default_factory=dict)  # rule id -> [checked, passed]
    acknowledged: int = 0  # findings explained in the workbook's 核实说明 sheet (now 提示)
    skipped_rules: list[str] = field(default_factory=list)  # not run: left out by --select/--ignore

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def infos(self) -> int:
        return self.count(Severity.INFO)

    def to_json(self) -> dict:
        return {
            "workbook": self.workbook,
            "department": self.department,
            "year": self.year,
            "unit": self.unit,
            "era": self.era,
            "tables": dict(self.tables),
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "infos": self.infos,
                "checks": self.checks,
                "passed": self.passed,
                "text_checked": self.text_checked,
                "text_passed": self.text_passed,
                "acknowledged": self.acknowledged,
            },
            "findings": [f.to_json() for f in self.findings],
        } | ({"skipped_rules": list(self.skipped_rules)} if self.skipped_rules else {})
