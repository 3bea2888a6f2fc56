"""The report as JSON: `Report.to_json()` written as UTF-8, readable Chinese, exact amounts."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePath

from addin.files import write_atomically
from addin.marks import OutputError
from checks.findings import Report


def _default(obj: object) -> object:
    # Decimal as text keeps every digit (a float would not); the rest by their plain form
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, set | frozenset):
        return sorted(obj, key=str)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def dumps_report(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=_default) + "\n"


def write_json_report(report: Report, path: Path) -> None:
    """Write the report; refuses to write over the checked workbook, replaces `path` atomically."""
    path = Path(path)
    if report.workbook and path.resolve() == Path(report.workbook).resolve():
        raise OutputError(f"JSON 报告不能写到被检查的文件上：{path}")
    if not path.parent.is_dir():
        raise OutputError(f"输出目录不存在：{path.parent}")
    text = dumps_report(report)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def load_json_report(path: Path) -> dict:
    """Read a report written by `write_json_report` (a dict with the same keys)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OutputError(f"找不到 JSON 报告：{path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"无法读取 JSON 报告“{path}”：{exc}") from exc
    if not isinstance(data, dict) or "findings" not in data or "summary" not in data:
        raise OutputError(f"“{path}”不是决算检查的 JSON 报告")
    return data
