"""The rule registry: every rule's metadata in one place, checked when the catalogue is loaded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.findings import Family, Severity

_ID = re.compile(r"^(T0[1-9]|X|C|W|Y|R)-\d{1,2}$")
KINDS = {"linear", "row_sum", "hierarchy", "le", "custom", "text"}


@dataclass(frozen=True)
class Rule:
    id: str  # stable, never reused; renumbered rules keep `aliases`
    family: Family
    severity: Severity  # when violated; inside the rounding band a difference is info
    title: str  # names the fault
    formula: str  # one line, Chinese
    why: str  # why it must hold / where it comes from
    kind: str  # evaluator: linear | row_sum | hierarchy | le | custom
    spec: dict = field(default_factory=dict)
    tables: tuple[str, ...] = ()
    hint: str = ""  # the remedy, apart from the message
    bad: str = ""  # 反例
    good: str = ""  # 正例
    eras: tuple[str, ...] = ("2018", "2020+")
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "family": self.family.value,
            "severity": self.severity.value,
            "title": self.title,
            "formula": self.formula,
            "why": self.why,
            "hint": self.hint,
            "bad": self.bad,
            "good": self.good,
            "tables": list(self.tables),
            "eras": list(self.eras),
            "kind": self.kind,
            "aliases": list(self.aliases),
        }


class CatalogueError(ValueError):
    pass


def build_registry(rules: list[Rule]) -> dict[str, Rule]:
    """id -> Rule, refusing duplicate or malformed ids and empty documentation fields."""
    out: dict[str, Rule] = {}
    for r in rules:
        if not _ID.match(r.id):
            raise CatalogueError(f"malformed rule id {r.id!r}")
        if r.id in out or any(r.id in x.aliases for x in out.values()):
            raise CatalogueError(f"duplicate rule id {r.id!r}")
        for name in ("title", "formula", "why"):
            if not getattr(r, name).strip():
                raise CatalogueError(f"rule {r.id} has an empty {name}")
        if r.kind not in KINDS:
            raise CatalogueError(f"rule {r.id} has unknown kind {r.kind!r}")
        out[r.id] = r
    return out
