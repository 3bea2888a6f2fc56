"""The built juesuan.xlam, checked part by part without Excel (ribbon/, addin/install.py)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import io
import re
import sys
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import olefile
import pytest
import xlwings
import xmlschema
from ms_ovba_compression.ms_ovba import MsOvba

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated in pyparsing 3.3
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream

from addin import install
from ribbon import BUTTON_IDS, BuildError
from ribbon.build import build_addin, check_ribbon, main, package_text, vba_modules, xlwings_vba_source
from ribbon.ovba_patch import ORIGINAL_COPYTOKEN_HELP, compress
from ribbon.udf_vba import generate_udf_vba, wrapped_functions
from ribbon.vba_project import VbaModule, build_vba_project, standard_module
from ribbon.xlam import ADDIN_CONTENT_TYPE, VBA_CONTENT_TYPE, read_conf, with_conf

TESTS = Path(__file__).parent
SCHEMAS = TESTS / "schemas"
FIXTURE_MODULE = "udfs_fixture"
MODULE_NAMES = {"ThisWorkbook", "Sheet1", "xlwings", "RibbonJuesuan", "xlwings_udfs"}
CT_NS = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
REL_NS = {"r": "http://schemas.openxmlformats.org/package/2006/relationships"}
RIBBON_SUB = re.compile(r"^Public Sub (\w+)\(control As IRibbonControl\)\s*$", re.MULTILINE)


@pytest.fixture(scope="session", autouse=True)
def fixture_udfs_on_path():
    sys.path.insert(0, str(TESTS / "fixtures"))
    yield
    sys.path.remove(str(TESTS / "fixtures"))


@pytest.fixture(scope="session")
def udf_module() -> str:
    """The real UDF module once it exists, else the test fixture module."""
    return "addin.udfs" if importlib.util.find_spec("addin.udfs") else FIXTURE_MODULE


@pytest.fixture(scope="session")
def built(tmp_path_factory, udf_module) -> bytes:
    path = build_addin(tmp_path_factory.mktemp("build") / "juesuan.xlam", udf_module)
    return path.read_bytes()


@pytest.fixture(scope="session")
def parts(built) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="session")
def vba_read_back(built) -> dict[str, str]:
    """Module name → code, as oletools' VBA_Parser extracts it from the .xlam."""
    parser = VBA_Parser("juesuan.xlam", data=built)
    try:
        return {Path(vba_name).stem: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()


def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


# --- ribbon XML ---------------------------------------------------------------------------------

def test_ribbon_parts_are_valid_against_the_customui_schemas(parts):
    xmlschema.XMLSchema(SCHEMAS / "customui14.xsd").validate(io.BytesIO(parts["customUI/customUI14.xml"]))
    xmlschema.XMLSchema(SCHEMAS / "customUI.xsd").validate(io.BytesIO(parts["customUI/customUI.xml"]))


def test_schema_check_rejects_a_bad_ribbon(parts):
    bad = parts["customUI/customUI14.xml"].replace(b'size="large"', b'size="huge"')
    assert not xmlschema.XMLSchema(SCHEMAS / "customui14.xsd").is_valid(io.BytesIO(bad))


def test_both_ribbon_parts_declare_the_same_controls(parts):
    def controls(data: bytes) -> list[tuple[str, dict]]:
        return [(el.tag.split("}")[1], dict(el.attrib)) for el in ET.fromstring(data).iter()]

    assert controls(parts["customUI/customUI14.xml"]) == controls(parts["customUI/customUI.xml"])


def test_ribbon_labels_are_chinese(parts):
    root = ET.fromstring(parts["customUI/customUI14.xml"])
    labels = {el.get("id"): el.get("label") for el in root.iter() if el.get("label")}
    assert labels == {
        "tabJuesuan": "决算检查", "grpCheck": "检查", "grpHelp": "帮助",
        "btnCheck": "检查", "btnClear": "清除标记", "btnNext": "下一处",
        "btnRules": "规则说明", "btnPickText": "选择说明文档", "btnAbout": "关于/自检",
    }
    sizes = {el.get("id"): el.get("size") for el in root.iter() if el.tag.endswith("}button")}
    assert [i for i, size in sizes.items() if size == "large"] == ["btnCheck"]


def test_every_onaction_is_a_public_ribbon_sub_in_the_vba(parts, vba_read_back):
    subs = {f"{name}.{sub}" for name, code in vba_read_back.items() for sub in RIBBON_SUB.findall(code)}
    assert subs == {"RibbonJuesuan.OnRibbon"}
    for part in ("customUI/customUI14.xml", "customUI/customUI.xml"):
        actions = {el.get("onAction") for el in ET.fromstring(parts[part]).iter() if el.get("onAction")}
        assert actions == {"RibbonJuesuan.OnRibbon"}


def test_ribbon_sub_passes_the_button_id_to_python(vba_read_back):
    assert "RunPython \"import addin.excel; addin.excel.on_ribbon('\" & control.Id & \"')\"" in vba_read_back["RibbonJuesuan"]


def test_button_ids_are_exactly_the_fixed_list(parts):
    root = ET.fromstring(parts["customUI/customUI14.xml"])
    ids = [el.get("id") for el in root.iter() if el.tag.endswith("}button")]
    assert ids == ["btnCheck", "btnClear", "btnNext", "btnRules", "btnPickText", "btnAbout"]
    assert tuple(ids) == BUTTON_IDS


@pytest.mark.parametrize(("old", "new", "message"), [
    ('onAction="RibbonJuesuan.OnRibbon"', 'onAction="RibbonJuesuan.OnRibon"', "onAction=RibbonJuesuan.OnRibon"),
    ('id="btnNext"', 'id="btnGoto"', "按钮 id btnGoto 不在约定列表"),
    ("2009/07/customui", "2006/01/customui", "命名空间应为"),
])
def test_build_refuses_an_inconsistent_ribbon(old, new, message):
    modules = [standard_module(package_text("RibbonJuesuan.bas"))]
    ribbon = package_text("customUI14.xml")
    check_ribbon(ribbon, "http://schemas.microsoft.com/office/2009/07/customui", modules)
    with pytest.raises(BuildError, match=message):
        check_ribbon(ribbon.replace(old, new, 1), "http://schemas.microsoft.com/office/2009/07/customui", modules)


def test_every_button_id_has_a_python_handler():
    if importlib.util.find_spec("addin.excel") is None:
        pytest.skip("addin.excel not written yet")
    handlers = importlib.import_module("addin.excel").HANDLERS
    assert set(BUTTON_IDS) <= set(handlers)


# --- VBA project --------------------------------------------------------------------------------

def test_vba_modules_read_back_identical_to_the_sources(vba_read_back, udf_module):
    sources = {module.name: module.source for module in vba_modules(udf_module)}
    assert set(vba_read_back) == MODULE_NAMES == set(sources)
    for name, code in vba_read_back.items():
        assert lf(code) == lf(sources[name]), name


def test_vba_is_ascii_and_carries_our_project_name(vba_read_back):
    assert all(code.isascii() for code in vba_read_back.values())
    xlwings_module = vba_read_back["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "juesuan"' in xlwings_module
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in xlwings_module
    assert "'xlwings is distributed under a BSD 3-clause license." in xlwings_module
    assert '"myaddin"' not in xlwings_module


def test_vba_project_parses_strictly_with_the_documents_matching_the_sheets(parts):
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    assert (project.projectname, project.codepage) == ("JueSuan", 1252)
    stream = ole.openstream("PROJECT").read().decode("ascii")
    assert "Document=ThisWorkbook/&H00000000\r\nDocument=Sheet1/&H00000000\r\n" in stream
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000300")  # no p-code
    assert b'<workbookPr codeName="ThisWorkbook"' in parts["xl/workbook.xml"]
    assert b'<sheetPr codeName="Sheet1"/>' in parts["xl/worksheets/sheet1.xml"]


def test_non_ascii_vba_is_refused_with_the_line():
    module = standard_module('Attribute VB_Name = "Bad"\nSub X()\n    MsgBox "检查"\nEnd Sub\n')
    with pytest.raises(BuildError, match="Bad 第 3 行含非 ASCII"):
        build_vba_project([module])


def test_duplicate_module_names_are_refused():
    module = standard_module('Attribute VB_Name = "Twice"\n')
    with pytest.raises(BuildError, match="模块名重复：twice"):
        build_vba_project([module, VbaModule("twice", module.source)])


# --- compression patch --------------------------------------------------------------------------

def test_patched_compression_round_trips_the_xlwings_module(parts):
    source = xlwings_vba_source().encode("ascii")
    assert len(source) == 45838
    assert bytes(decompress_stream(bytearray(compress(source)))) == source
    # The stream stored in the add-in is the same compression output (empty p-code cache).
    stored = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"])).openstream("VBA/xlwings").read()
    assert bytes(decompress_stream(bytearray(stored))) == source


def test_unpatched_compression_corrupts_and_fast_search_matches_the_library():
    sample = xlwings_vba_source().encode("ascii")[:8192]
    assert bytes(decompress_stream(bytearray(compress(sample, fixed=False)))) != sample
    assert compress(sample, fast=False) == compress(sample)


def test_library_is_left_unpatched_after_a_build(built):
    assert MsOvba.__dict__["copytoken_help"] is ORIGINAL_COPYTOKEN_HELP
    assert MsOvba.copytoken_help(2048)["maxLength"] == 0xFFFF << 14


# --- UDF wrappers -------------------------------------------------------------------------------

def test_fixture_udfs_get_wrappers_and_helpers_do_not():
    vba = generate_udf_vba(FIXTURE_MODULE)
    assert wrapped_functions(vba) == ["FIX_ADD", "FIX_NOW", "FIX_SCALE"]
    assert vba.startswith('Attribute VB_Name = "xlwings_udfs"\r\n')
    assert "Function FIX_SCALE(grid, Optional factor)\r\n    Application.Volatile\r\n" in vba
    assert 'FIX_ADD = XLPy.CallUDF("udfs_fixture", "FIX_ADD", Array(a, b), ActiveWorkbook, Application.Caller)' in vba


def test_generating_wrappers_leaves_xlwings_as_it_was():
    stubbed = ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
    before = (xlwings.func, xlwings.arg, xlwings.ret, [sys.modules.get(name) for name in stubbed])
    generate_udf_vba(FIXTURE_MODULE)
    assert (xlwings.func, xlwings.arg, xlwings.ret, [sys.modules.get(name) for name in stubbed]) == before
    fixture = importlib.import_module(FIXTURE_MODULE)
    assert fixture.FIX_ADD(2, 3) == 5


def decorated_udfs(module_name: str) -> list[str]:
    """Functions decorated with xw.func / xlwings.func / func, found in the module's source."""
    tree = ast.parse(Path(importlib.util.find_spec(module_name).origin).read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(target, "attr", getattr(target, "id", None)) == "func":
                    names.append(node.name)
    return sorted(names)


def test_every_udf_of_the_built_module_has_a_wrapper(vba_read_back, built, udf_module):
    expected = decorated_udfs(udf_module)
    assert expected, f"no @xw.func in {udf_module}"
    assert sorted(wrapped_functions(vba_read_back["xlwings_udfs"])) == expected
    assert ("UDF Modules", udf_module) in read_conf(built)


def test_missing_udf_module_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(BuildError, match="无法导入 UDF 模块 no_such_udfs_xyz"):
        build_addin(tmp_path / "x.xlam", "no_such_udfs_xyz")
    assert main(["-o", str(tmp_path / "x.xlam"), "--udf-module", "no_such_udfs_xyz"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("生成加载项失败：无法导入 UDF 模块 no_such_udfs_xyz") and "Traceback" not in err
    assert not (tmp_path / "x.xlam").exists()


# --- package ------------------------------------------------------------------------------------

def test_content_types_mark_an_addin_with_a_vba_project(parts):
    types = ET.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", CT_NS)}
    assert overrides["/xl/workbook.xml"] == ADDIN_CONTENT_TYPE
    assert overrides["/xl/vbaProject.bin"] == VBA_CONTENT_TYPE
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.findall("ct:Default", CT_NS)}
    assert defaults["xml"] == "application/xml"  # covers the customUI parts


def test_root_rels_hold_both_customui_relationships(parts):
    rels = ET.fromstring(parts["_rels/.rels"]).findall("r:Relationship", REL_NS)
    by_target = {r.get("Target"): r.get("Type") for r in rels}
    assert by_target["customUI/customUI14.xml"] == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    assert by_target["customUI/customUI.xml"] == "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    assert all(target in parts for target in by_target)
    workbook_rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"]).findall("r:Relationship", REL_NS)
    assert ("http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin") in {
        (r.get("Type"), r.get("Target")) for r in workbook_rels
    }


def test_conf_sheet_reads_back(built, parts, udf_module):
    expected = [
        ("Interpreter_Win", "%LOCALAPPDATA%\\juesuan\\python\\pythonw.exe"),
        ("PYTHONPATH", "%LOCALAPPDATA%\\juesuan\\app"),
        ("UDF Modules", udf_module),
        ("ADD_WORKBOOK_TO_PYTHONPATH", False),
        ("Use UDF Server", False),
        ("Show Console", False),
    ]
    assert read_conf(built) == expected
    python_calamine = pytest.importorskip("python_calamine")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(built))
    assert book.sheet_names == ["juesuan.conf"]
    assert [tuple(row) for row in book.get_sheet_by_name("juesuan.conf").to_python()] == expected
    assert b"absPath" not in parts["xl/workbook.xml"] and b"felix" not in parts["xl/workbook.xml"].lower()


def test_two_builds_are_byte_identical(built, udf_module, tmp_path):
    again = build_addin(tmp_path / "again.xlam", udf_module).read_bytes()
    assert again == built
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]


def test_cli_writes_the_same_file(tmp_path, capsys):
    out = tmp_path / "dist" / "juesuan.xlam"
    assert main(["-o", str(out), "--udf-module", FIXTURE_MODULE]) == 0
    assert out.read_bytes() == build_addin(tmp_path / "api.xlam", FIXTURE_MODULE).read_bytes()
    assert f"UDF 模块 {FIXTURE_MODULE}：3 个函数" in capsys.readouterr().out


# --- install ------------------------------------------------------------------------------------

def test_install_off_windows_explains_and_returns_2(capsys):
    if sys.platform == "win32":
        pytest.skip("the Windows path writes to the user's profile")
    assert install.install_addin() == 2
    err = capsys.readouterr().err
    assert "需要 Windows 版 Microsoft Excel" in err and "juesuan check" in err


def test_install_rewrites_the_copy_without_path_rows(built, parts):
    rows = install.installed_conf_rows(read_conf(built))
    assert [key for key, _ in rows] == ["UDF Modules", "ADD_WORKBOOK_TO_PYTHONPATH", "Use UDF Server", "Show Console"]
    copy = with_conf(built, rows)
    assert read_conf(copy) == rows
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert archive.read("xl/vbaProject.bin") == parts["xl/vbaProject.bin"]
        assert archive.namelist() == list(parts)


def test_install_helpers():
    env = {"LOCALAPPDATA": "C:\\Users\\张三\\AppData\\Local", "APPDATA": "C:\\Users\\张三\\AppData\\Roaming",
           "USERPROFILE": "C:\\Users\\张三"}
    assert install.env_relative("C:\\Users\\张三\\AppData\\Local\\juesuan\\python\\pythonw.exe", env) == \
        "%LOCALAPPDATA%\\juesuan\\python\\pythonw.exe"
    assert install.env_relative("c:\\users\\张三\\py\\python.exe", env) == "%USERPROFILE%\\py\\python.exe"
    assert install.env_relative("D:\\Python311\\pythonw.exe", env) == "D:\\Python311\\pythonw.exe"
    text = install.user_conf_text('"LICENSE_KEY","abc"\r\n"INTERPRETER_WIN","old"\r\n\r\n',
                                  {"Interpreter_Win": "new", "PYTHONPATH": "p"})
    assert text == '"LICENSE_KEY","abc"\r\n"INTERPRETER_WIN","new"\r\n"PYTHONPATH","p"\r\n'
    assert install.next_open_value({}) == "OPEN"
    assert install.next_open_value({"OPEN": '/R "ANALYS32.XLL"', "OPEN1": '"x.xlam"', "Font": "宋体"}) == "OPEN2"
    assert install.next_open_value({"OPEN": '"C:\\AddIns\\JueSuan.xlam"'}) is None
