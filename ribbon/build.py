"""Build ``juesuan.xlam``: ``python -m ribbon.build -o dist/juesuan.xlam``.

Steps: xlwings' VBA module with our PROJECT_NAME, the ribbon module, generated UDF wrappers and the
two document modules → ``vbaProject.bin`` (ms-ovba, read back with oletools) → the template
package with our ribbon and config sheet. Runs on any OS; no Excel needed. The VBA embeds the
xlwings version it came from, so users must install the same xlwings version.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

from ribbon import BUTTON_IDS, PROJECT_NAME, BuildError
from ribbon.udf_vba import generate_udf_vba, wrapped_functions
from ribbon.vba_project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    VbaModule,
    build_vba_project,
    crlf,
    document_module,
    standard_module,
)
from ribbon.xlam import DEFAULT_CONF, assemble, template_path

XLWINGS_BAS = "xlwings_custom_addin.bas"
_PROJECT_NAME_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'
_CUSTOMUI_NS = {
    "customUI14.xml": "http://schemas.microsoft.com/office/2009/07/customui",
    "customUI.xml": "http://schemas.microsoft.com/office/2006/01/customui",
}
_RIBBON_SUB = re.compile(r"^Public Sub (\w+)\(control As IRibbonControl\)\s*$", re.MULTILINE)


def package_text(name: str) -> str:
    """A source file shipped in the ``ribbon`` package."""
    return resources.files("ribbon").joinpath(name).read_text(encoding="utf-8")


def xlwings_vba_source() -> str:
    """xlwings' custom add-in module (BSD notice kept) with PROJECT_NAME set to ours."""
    import xlwings

    path = Path(xlwings.__file__).parent / XLWINGS_BAS
    if not path.is_file():
        raise BuildError(f"找不到 xlwings 的 VBA 模块 {path}（xlwings {xlwings.__version__}）")
    source = path.read_text(encoding="ascii")
    if source.count(_PROJECT_NAME_LINE) != 1:
        raise BuildError(f"xlwings {xlwings.__version__} 的 {XLWINGS_BAS} 中找不到 PROJECT_NAME 定义")
    return crlf(source.replace(_PROJECT_NAME_LINE, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'))


def vba_modules(udf_module: str = "addin.udfs") -> list[VbaModule]:
    """All modules of the add-in's VBA project, in project order."""
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module("Sheet1", WORKSHEET_BASE),
        standard_module(xlwings_vba_source()),
        standard_module(package_text("RibbonJuesuan.bas")),
        standard_module(generate_udf_vba(udf_module)),
    ]


def check_ribbon(xml_text: str, namespace: str, modules: list[VbaModule]) -> None:
    """Button ids are the fixed ones and every onAction names a ribbon Sub of the project."""
    try:
        root = ET.fromstring(xml_text.encode("utf-8"))
    except ET.ParseError as exc:
        raise BuildError(f"功能区 XML 格式错误：{exc}") from exc
    if root.tag != f"{{{namespace}}}customUI":
        raise BuildError(f"功能区 XML 的命名空间应为 {namespace}")
    callbacks = {
        f"{module.name}.{sub}" for module in modules for sub in _RIBBON_SUB.findall(module.source)
    }
    for element in root.iter():
        control_id, action = element.get("id"), element.get("onAction")
        if element.tag.endswith("}button") and control_id not in BUTTON_IDS:
            raise BuildError(f"功能区按钮 id {control_id} 不在约定列表 {BUTTON_IDS} 中")
        if action is not None and action not in callbacks:
            raise BuildError(f"功能区 onAction={action} 在 VBA 中没有对应的 Public Sub (control As IRibbonControl)")


def build_addin(out_path: Path, udf_module: str = "addin.udfs") -> Path:
    """Write the add-in to ``out_path`` and return it. Same inputs → same bytes.

    Raises ``BuildError`` with a message for the user when something is missing or inconsistent.
    """
    return _build(Path(out_path), udf_module)[0]


def _build(out_path: Path, udf_module: str) -> tuple[Path, list[VbaModule]]:
    modules = vba_modules(udf_module)
    ribbons = {name: package_text(name) for name in _CUSTOMUI_NS}
    for name, text in ribbons.items():
        check_ribbon(text, _CUSTOMUI_NS[name], modules)
    vba_project = build_vba_project(modules)
    conf = [(key, udf_module if key == "UDF Modules" else value) for key, value in DEFAULT_CONF]
    data = assemble(template_path().read_bytes(), ribbons["customUI14.xml"], ribbons["customUI.xml"], vba_project, conf)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    partial.write_bytes(data)
    partial.replace(out_path)
    return out_path, modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ribbon.build", description="生成 Excel 加载项 juesuan.xlam")
    parser.add_argument("-o", "--output", type=Path, default=Path("dist/juesuan.xlam"), help="输出文件（默认 dist/juesuan.xlam）")
    parser.add_argument("--udf-module", default="addin.udfs", help="UDF 所在的 Python 模块（默认 addin.udfs）")
    args = parser.parse_args(argv)
    try:
        path, modules = _build(args.output, args.udf_module)
    except BuildError as exc:
        print(f"生成加载项失败：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"生成加载项失败：无法写入 {args.output}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    import xlwings

    udfs = wrapped_functions(next(m.source for m in modules if m.name == "xlwings_udfs"))
    print(f"已生成 {path}（{path.stat().st_size} 字节；xlwings {xlwings.__version__}；"
          f"UDF 模块 {args.udf_module}：{len(udfs)} 个函数）")
    print(f"注意：用户电脑上须安装 xlwings=={xlwings.__version__}，与加载项中的 VBA 版本一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
