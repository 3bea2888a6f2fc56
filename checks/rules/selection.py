"""Which rules a run uses, from `--select` / `--ignore` codes (as ruff selects its rules).

A code names a rule (`W-8`, `T01-2`, or an old id kept as an alias), a table's rules (`T01`),
a letter's rules (`T`, `X`, `W`, `Y`, `C`, `R`) or a family (`表内`, `表间`, `完整性`, `文内`,
`表文`). `W-1` is W-1 alone, never W-10: a prefix must end where the id has a '-'.
Ignoring wins over selecting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from checks.rules.registry import Rule

_SPLIT = re.compile(r"[,，、;；\s]+")


class SelectionError(ValueError):
    """A code that names no rule, or a selection that leaves none (message in Chinese)."""


def parse_codes(values: Iterable[str] | None) -> list[str]:
    """'W-8,W-15' and repeated options -> ['W-8', 'W-15'] (Chinese commas too, letters upper-cased)."""
    out: list[str] = []
    for v in values or ():
        out += [c.upper() for c in _SPLIT.split(v.strip()) if c]
    return out


def matches(code: str, rule: Rule) -> bool:
    """Whether `code` names `rule` (see the module doc)."""
    if code == rule.id or code in rule.aliases or code == rule.family.value:
        return True
    if not rule.id.startswith(code):
        return False
    return len(code) == 1 or rule.id[len(code)] == "-"


def select_rules(
    rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Rule] | None:
    """The rules to run, in catalogue order; None when neither list names anything (all rules)."""
    catalogue = list(rules)
    chosen, dropped = parse_codes(select), parse_codes(ignore)
    if not chosen and not dropped:
        return None
    unknown = [c for c in chosen + dropped if not any(matches(c, r) for r in catalogue)]
    if unknown:
        raise SelectionError(
            f"未知的规则编号或类别：{'、'.join(dict.fromkeys(unknown))}（用 juesuan rules 查看规则目录）"
        )
    out = [
        r
        for r in catalogue
        if (not chosen or any(matches(c, r) for c in chosen)) and not any(matches(c, r) for c in dropped)
    ]
    if not out:
        raise SelectionError("按 --select / --ignore 的选择，没有剩下任何规则可以检查")
    return out
