"""Write ``vbaProject.bin`` from VBA module sources (ms-ovba) and read it back (oletools).

The project holds source only, no compiled p-code, like the add-ins xlwings ships: Excel
compiles it when the add-in is first opened. ms-ovba writes its dir stream with codepage 1252,
so every module must be ASCII. ms-ovba and ms-cfb write scratch files into the working
directory, some in append mode, so each build runs in a fresh temporary directory.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ribbon import BuildError

# Fixed so that the same sources give the same bytes.
PROJECT_ID = "{5C1B8D2E-7A43-4E0F-9B6D-3F2A1C8E4D70}"
VBA_PROJECT_NAME = "JueSuan"
_CRYPTO_SEED = 20180101

# VB_Base of document modules: the Excel Workbook and Worksheet coclasses.
WORKBOOK_BASE = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "{00020820-0000-0000-C000-000000000046}"

_NAME_LINE = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"\r?$', re.MULTILINE)


@dataclass(frozen=True)
class VbaModule:
    """One module as stored: full source text (CRLF, ``Attribute`` lines included)."""

    name: str
    source: str
    document: bool = False


def crlf(text: str) -> str:
    """Normalise line endings to the CRLF VBA stores."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def standard_module(source: str) -> VbaModule:
    """A standard module; its name comes from the ``Attribute VB_Name`` line."""
    match = _NAME_LINE.search(source)
    if not match:
        raise BuildError("VBA 模块缺少 Attribute VB_Name 行")
    return VbaModule(match.group(1), crlf(source))


def document_module(name: str, base: str) -> VbaModule:
    """An empty document module (ThisWorkbook, a sheet), with the attributes Excel writes."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "0{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return VbaModule(name, "\r\n".join(lines) + "\r\n", document=True)


def _check(modules: list[VbaModule]) -> None:
    seen: set[str] = set()
    for module in modules:
        if module.name.lower() in seen:
            raise BuildError(f"VBA 模块名重复：{module.name}")
        seen.add(module.name.lower())
        for number, line in enumerate(module.source.splitlines(), 1):
            if not line.isascii():
                raise BuildError(f"VBA 模块 {module.name} 第 {number} 行含非 ASCII 字符（VBA 代码页 1252）：{line.strip()}")


def _references() -> list:
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Fields.libid_reference import LibidReference

    stdole = LibidReference(
        uuid.UUID("00020430-0000-0000-C000-000000000046"), "2.0", "0",
        "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation",
    )
    # Office library 2.0 (as in xlwings' template): IRibbonControl. Typelib loading accepts any
    # registered 2.x, so Office 2010 (2.5) to 365 (2.8) all resolve it.
    office = LibidReference(
        uuid.UUID("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52"), "2.0", "0",
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL",
        "Microsoft Office 16.0 Object Library",
    )
    return [Reference(ReferenceRegistered(stdole), "stdole"), Reference(ReferenceRegistered(office), "Office")]


def _write_project(modules: list[VbaModule], workdir: Path) -> bytes:
    """Run ms-ovba with ``workdir`` as the working directory; return the OLE file bytes."""
    from ms_cfb.Models.Directories.root_directory import RootDirectory
    from ms_cfb.Models.Directories.storage_directory import StorageDirectory
    from ms_cfb.Models.Directories.stream_directory import StreamDirectory
    from ms_dtyp.filetime import Filetime
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.idSizeField import IdSizeField
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.dirStream import DirStream
    from ms_ovba.Views.project import Project
    from ms_ovba.Views.project_ole_file import ProjectOleFile
    from ms_ovba.Views.project_view import ProjectView

    from ribbon.ovba_patch import fixed_compression, seeded_crypto

    # ms-ovba hard-codes the project name "VBAProject" in the dir stream (PROJECTNAME record,
    # id 4) and in the PROJECT stream; both must agree.
    class NamedDirStream(DirStream):
        def _load_information(self):
            records = super()._load_information()
            named = IdSizeField(4, len(VBA_PROJECT_NAME), VBA_PROJECT_NAME)
            return [named if getattr(r, "_id", None) == 4 else r for r in records]

    class NamedProject(Project):
        def __str__(self):
            return super().__str__().replace('Name="VBAProject"', f'Name="{VBA_PROJECT_NAME}"', 1)

    project = VbaProject()
    project.project_id = PROJECT_ID
    project.default_date = Filetime(1601, 1, 1)  # no timestamps in the storages
    project.add_attribute("VersionCompatible32", "393222000")
    module_dir = workdir / "modules"  # apart from ms-ovba's own dir.bin, project.bin, ...
    module_dir.mkdir()
    for module in modules:
        entry = DocModule(module.name) if module.document else StdModule(module.name)
        base = module_dir / module.name
        entry.add_file(str(base))
        # The ".new" file is what ms-ovba compresses; writing it ourselves keeps the text exact.
        Path(str(base) + ".new").write_bytes(module.source.encode("ascii"))
        project.add_module(entry)
    for reference in _references():
        project.add_reference(reference)

    root = RootDirectory()
    root.set_modified(project.default_date)
    storage = StorageDirectory("VBA")
    storage.set_created(project.default_date)
    storage.set_modified(project.default_date)
    with fixed_compression(), seeded_crypto(_CRYPTO_SEED):
        for entry in project.get_modules():
            entry.write_file()
            storage.add_directory(StreamDirectory(entry.name, entry.bin_path))
        NamedDirStream(project).write_file()
        storage.add_directory(StreamDirectory("dir", str(workdir / "dir.bin")))
        ProjectView(project).write_file()
        storage.add_directory(StreamDirectory("_VBA_PROJECT", str(workdir / "vba_project.bin")))
        root.add_directory(storage)
        NamedProject(project).write_file()
        root.add_directory(StreamDirectory("PROJECT", str(workdir / "project.bin")))
        ProjectOleFile._write_ole_file(root)
    return (workdir / "vbaProject.bin").read_bytes()


def build_vba_project(modules: Iterable[VbaModule]) -> bytes:
    """``vbaProject.bin`` bytes holding ``modules``; verified by reading them back."""
    modules = [VbaModule(m.name, crlf(m.source), m.document) for m in modules]
    _check(modules)
    try:
        import ms_cfb  # noqa: F401
        import ms_ovba  # noqa: F401
        import oletools  # noqa: F401
    except ImportError as exc:
        raise BuildError(f"缺少构建依赖 {exc.name}：请安装 ms-ovba==0.0.1、ms-ovba-compression==1.0.1、oletools") from exc
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="juesuan-vba-") as tmp:
        try:
            os.chdir(tmp)
            data = _write_project(modules, Path(tmp))
        finally:
            os.chdir(cwd)
    read_back = read_vba_modules(data)
    for module in modules:
        if read_back.get(module.name) != module.source:
            raise BuildError(f"VBA 模块 {module.name} 写入后读回不一致（压缩或容器错误）")
    if sorted(read_back) != sorted(m.name for m in modules):
        raise BuildError(f"VBA 工程模块不符：{sorted(read_back)}")
    return data


def read_vba_modules(vba_project: bytes) -> dict[str, str]:
    """Module name → source text, parsed strictly by oletools (an independent implementation)."""
    import olefile
    from oletools.olevba import VBA_Project

    ole = olefile.OleFileIO(io.BytesIO(vba_project))
    try:
        project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
        project.parse_project_stream()
        for _ in project.parse_modules():  # a generator: parsing happens while iterating
            pass
        return {module.name: module.code for module in project.modules}
    finally:
        ole.close()
