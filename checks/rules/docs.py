"""Render the rule catalogue as Markdown (docs/rules.md is generated from RULES; a test keeps it current).

    python -m checks.rules.docs > docs/rules.md
"""

from __future__ import annotations

from checks.rules import RULES

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def render() -> str:
    out = [
        "# Rule catalogue",
        "",
        "Generated from `checks/rules/catalogue.py` by `python -m checks.rules.docs > docs/rules.md`;",
        "`tests/test_catalogue.py` fails when this page is stale. Inside the rounding band a difference is",
        "always 提示 (尾差); a value that cannot be located or read is 提示 (未能定位/未能读取).",
        "",
        "| id | family | severity | title | formula |",
        "|---|---|---|---|---|",
    ]
    for r in RULES.values():
        out.append(f"| [{r.id}](#{r.id.lower()}) | {r.family.value} | {_SEV[r.severity.value]} | {r.title} | {r.formula} |")
    for r in RULES.values():
        out += [
            "",
            f"## {r.id}",
            "",
            f"**{r.title}** — {r.family.value}, {_SEV[r.severity.value]}; tables: {', '.join(r.tables) or 'all'}; "
            f"eras: {', '.join(r.eras)}",
            "",
            f"- Formula: {r.formula}",
            f"- Why: {r.why}",
            f"- Anti-pattern (反例): {r.bad}",
            f"- Best practice (正例): {r.good}",
            f"- Hint: {r.hint}",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
