"""The rule registry: RULES (id -> Rule) built from the catalogue, checked at import."""

from __future__ import annotations

from checks.rules.catalogue import RULES as _CATALOGUE
from checks.rules.registry import Rule, build_registry
from checks.rules.text_catalogue import TEXT_RULES

RULES: dict[str, Rule] = build_registry(_CATALOGUE + TEXT_RULES)


def rules_for(era: str | None) -> list[Rule]:
    return [r for r in RULES.values() if era is None or era in r.eras]


__all__ = ["RULES", "Rule", "rules_for"]
