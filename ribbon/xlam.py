"""The ``.xlam`` package: xlwings' add-in template as skeleton, our parts in, deterministic zip out.

The skeleton (content types with the add-in main part, styles, theme, one hidden sheet) comes from
``quickstart_addin_ribbon.xlam`` in the installed xlwings wheel. Replaced: the ribbon (customUI14
for Office 2010+ plus the 2006 part for 2007), the VBA project, the config sheet ``juesuan.conf``
(codeName ``Sheet1``, matching the VBA document module), the core properties and the template
author's local path.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from ribbon import PROJECT_NAME, BuildError

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
CONF_SHEET = f"{PROJECT_NAME}.conf"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest zip timestamp: entries carry no build time

ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
# Office 2010+ reads customUI14 through the "2007" type; Office 2007 reads the 2006 type.
REL_CUSTOMUI14 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOMUI14_PART = "customUI/customUI14.xml"
CUSTOMUI_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"

# Rows A:B of the config sheet, read by xlwings' VBA GetConfig (keys case-insensitive).
# The add-in's own sheet comes second only to a juesuan.conf sheet in the active workbook.
ConfValue = str | bool
DEFAULT_CONF: tuple[tuple[str, ConfValue], ...] = (
    ("Interpreter_Win", r"%LOCALAPPDATA%\juesuan\python\pythonw.exe"),
    ("PYTHONPATH", r"%LOCALAPPDATA%\juesuan\app"),
    ("UDF Modules", "addin.udfs"),
    # A stray .py next to a user's workbook must not shadow our modules.
    ("ADD_WORKBOOK_TO_PYTHONPATH", False),
    ("Use UDF Server", False),
    ("Show Console", False),
)

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def template_path() -> Path:
    """xlwings' ribbon add-in template inside the installed wheel."""
    import xlwings

    path = Path(xlwings.__file__).parent / TEMPLATE_NAME
    if not path.is_file():
        raise BuildError(f"找不到 xlwings 模板 {path}（xlwings {xlwings.__version__}）")
    return path


def root_rels() -> str:
    rels = [
        ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml"),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
        ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties", "docProps/app.xml"),
        ("rId4", REL_CUSTOMUI14, CUSTOMUI14_PART),
        ("rId5", REL_CUSTOMUI, CUSTOMUI_PART),
    ]
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{p}"/>' for i, t, p in rels)
    return f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">{body}</Relationships>'


def core_properties() -> str:
    # No dates: the same sources must give the same bytes.
    return (
        f"{_XML_DECL}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>决算检查</dc:title><dc:description>部门决算公开表格检查（xlwings 加载项）</dc:description>"
        "<dc:creator>juesuan</dc:creator>"
        "</cp:coreProperties>"
    )


def workbook_xml(template_xml: str) -> str:
    """Template workbook part with our sheet name and without the template author's path."""
    renamed, count = re.subn(r'<sheet name="[^"]*"', f'<sheet name="{CONF_SHEET}"', template_xml)
    if count != 1:
        raise BuildError("xlwings 模板的 workbook.xml 结构有变：应只有一个工作表")
    return re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", renamed, flags=re.DOTALL)


def conf_parts(rows: tuple[tuple[str, ConfValue], ...] | list) -> tuple[str, str]:
    """(sheet XML, shared strings XML) for the config sheet holding ``rows`` from A1 down."""
    strings: list[str] = []

    def string_cell(ref: str, text: str) -> str:
        if text not in strings:
            strings.append(text)
        return f'<c r="{ref}" s="1" t="s"><v>{strings.index(text)}</v></c>'

    row_xml = []
    string_cells = 0
    for number, (key, value) in enumerate(rows, 1):
        cells = string_cell(f"A{number}", key)
        string_cells += 1
        if isinstance(value, bool):
            cells += f'<c r="B{number}" s="1" t="b"><v>{int(value)}</v></c>'
        else:
            cells += string_cell(f"B{number}", str(value))
            string_cells += 1
        row_xml.append(f'<row r="{number}">{cells}</row>')
    sheet = (
        f'{_XML_DECL}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        '<sheetPr codeName="Sheet1"/>'
        f'<dimension ref="A1:B{max(len(rows), 1)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="30" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="50" style="1" customWidth="1"/></cols>'
        f'<sheetData>{"".join(row_xml)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    shared = f'{_XML_DECL}<sst xmlns="{_NS_MAIN}" count="{string_cells}" uniqueCount="{len(strings)}">{items}</sst>'
    return sheet, shared


def write_zip(parts: dict[str, bytes]) -> bytes:
    """Zip ``parts`` in the given order with fixed metadata, so equal parts give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as Office writes; the default depends on the build OS
            info.external_attr = 0
            archive.writestr(info, data)
    return buffer.getvalue()


def read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assemble(template: bytes, customui14: str, customui: str, vba_project: bytes,
             conf: tuple[tuple[str, ConfValue], ...] | list) -> bytes:
    """The add-in package from the template bytes and our parts."""
    source = read_parts(template)
    sheet, shared = conf_parts(conf)
    replaced = {
        "_rels/.rels": root_rels().encode(),
        "docProps/core.xml": core_properties().encode(),
        "xl/workbook.xml": workbook_xml(source["xl/workbook.xml"].decode("utf-8")).encode(),
        SHEET_PART: sheet.encode(),
        STRINGS_PART: shared.encode(),
        VBA_PART: vba_project,
        CUSTOMUI14_PART: customui14.encode(),
        CUSTOMUI_PART: customui.encode(),
    }
    missing = [name for name in ("[Content_Types].xml", "xl/workbook.xml", SHEET_PART, VBA_PART) if name not in source]
    if missing:
        raise BuildError(f"xlwings 模板缺少部件：{', '.join(missing)}")
    order = ["[Content_Types].xml", "_rels/.rels"]
    order += [name for name in source if name not in order]
    order += [name for name in replaced if name not in order]
    return write_zip({name: replaced.get(name, source.get(name)) for name in order})


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """``data`` with some parts replaced, entry order kept."""
    source = read_parts(data)
    return write_zip({name: parts.get(name, body) for name, body in source.items()})


def with_conf(data: bytes, rows: tuple[tuple[str, ConfValue], ...] | list) -> bytes:
    """The add-in ``data`` with its config sheet rewritten to ``rows``."""
    sheet, shared = conf_parts(rows)
    return replace_parts(data, {SHEET_PART: sheet.encode(), STRINGS_PART: shared.encode()})


def read_conf(data: bytes) -> list[tuple[str, ConfValue]]:
    """Rows (A, B) of the ``juesuan.conf`` sheet of an add-in package."""
    parts = read_parts(data)
    ns = {"m": _NS_MAIN, "r": _NS_REL, "p": _NS_PKG_REL}
    workbook = ET.fromstring(parts["xl/workbook.xml"])
    sheet = workbook.find(f"m:sheets/m:sheet[@name='{CONF_SHEET}']", ns)
    if sheet is None:
        raise BuildError(f"加载项中没有 {CONF_SHEET} 工作表")
    rel_id = sheet.get(f"{{{_NS_REL}}}id")
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target") for r in rels.findall("p:Relationship", ns) if r.get("Id") == rel_id)
    sheet_xml = ET.fromstring(parts[str(PurePosixPath("xl") / target)])
    strings = []
    if STRINGS_PART in parts:
        for item in ET.fromstring(parts[STRINGS_PART]).findall("m:si", ns):
            strings.append("".join(t.text or "" for t in item.iter(f"{{{_NS_MAIN}}}t")))
    rows = []
    for row in sheet_xml.findall("m:sheetData/m:row", ns):
        values: dict[str, ConfValue] = {}
        for cell in row.findall("m:c", ns):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            raw = cell.findtext("m:v", default="", namespaces=ns)
            kind = cell.get("t")
            if kind == "s":
                values[column] = strings[int(raw)]
            elif kind == "b":
                values[column] = raw == "1"
            elif kind == "inlineStr":
                values[column] = "".join(t.text or "" for t in cell.iter(f"{{{_NS_MAIN}}}t"))
            else:
                values[column] = raw
        rows.append((values.get("A", ""), values.get("B", "")))
    return rows
