"""Read a workbook file into plain grids (python-calamine), refusing bad input with a clear message.

Formula cells without a cached value read as '' in calamine, which would look empty; a light scan
of the sheet XML marks them as `Uncached` so the engine reports 未能读取 instead of using 0.
"""

from __future__ import annotations

import html
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checks.grid import SheetGrid, Uncached, WorkbookGrid, parse_a1

SUPPORTED = {".xlsx", ".xlsm", ".xls", ".xlsb"}
MAX_UNZIPPED = 400 * 1024 * 1024  # refuse archives that expand beyond this (decompression bombs)
MAX_RATIO = 200  # and members compressed more than this, above 10 MB
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class InputError(Exception):
    """A file that cannot be checked; `message` is Chinese and shown to the user as is."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


_TEXT_DOCUMENTS = (".pdf", ".docx", ".doc", ".txt", ".wps")


def sniff(path: Path) -> str:
    """'zip' | 'ole' | 'encrypted' — or raise InputError for what is not a workbook."""
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    if path.is_dir():
        raise InputError(f"这是一个文件夹，不是工作簿：{path}（批量检查请用 juesuan batch）")
    if path.suffix.lower() in _TEXT_DOCUMENTS:
        raise InputError(
            f"这是说明文档，不是工作簿：{path.name}（核对说明文档请用 juesuan check 工作簿 --text {path.name}）"
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head[:8] == _OLE_MAGIC:
                fh.seek(0)
                data = fh.read(4 * 1024 * 1024)
                return "encrypted" if _ENCRYPTED_MARK in data else "ole"
    except OSError as e:
        raise InputError(f"无法读取文件：{path}（{e.strerror or e}）") from e
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if not head:
        raise InputError(f"文件是空的（0 字节）：{path}")
    raise InputError(f"不是 Excel 工作簿（.xlsx/.xlsm/.xls）：{path.name}")


def _trim(row: list[object], lead: int) -> list[object]:
    """'' -> None in place, no trailing empty cells (a sparse sheet's rows stay short), and `lead`
    empty cells in front (calamine's rows start at the sheet's first used column)."""
    n = 0
    for i, v in enumerate(row):
        if v == "":
            row[i] = None
        else:
            n = i + 1
    del row[n:]
    if lead and row:
        row[:0] = [None] * lead
    return row


def _guard_zip(path: Path) -> zipfile.ZipFile:
    """The archive, opened once and checked (the caller closes it), or InputError."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise InputError(f"文件已损坏或不完整（zip 结构错误），无法读取：{path.name}") from e
    try:
        _check_zip(zf, path)
    except BaseException:
        zf.close()
        raise
    return zf


def _check_zip(zf: zipfile.ZipFile, path: Path) -> None:
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise InputError(
            f"文件解压后过大（{total / 1024 / 1024:,.0f} MB），疑似压缩炸弹，已拒绝：{path.name}"
        )
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise InputError(f"文件中 {i.filename} 压缩比异常（疑似压缩炸弹），已拒绝：{path.name}")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise InputError(f"压缩包中没有工作簿内容，不是 Excel 文件：{path.name}")


def read_workbook(path: str | Path) -> WorkbookGrid:
    path = Path(path)
    kind = sniff(path)
    if kind == "encrypted":
        raise InputError(f"工作簿有密码保护（已加密），请先在 Excel 中取消密码后再检查：{path.name}")
    zf = _guard_zip(path) if kind == "zip" else None  # kept open for the formula scan
    try:
        return _read(path, zf)
    finally:
        if zf is not None:
            zf.close()


def _read(path: Path, zf: zipfile.ZipFile | None) -> WorkbookGrid:
    import python_calamine as pc

    try:
        with _rust_panics_silenced():
            sheets = _read_sheets(pc, path)
    except (InputError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # calamine raises several types for broken content; a Rust panic arrives
        # as pyo3's PanicException, a BaseException: a damaged .xls crashed the CLI with a traceback
        msg = str(e).lower()
        if "password" in msg or "encrypt" in msg:
            raise InputError(f"工作簿有密码保护，请先取消密码后再检查：{path.name}") from e
        raise InputError(f"无法读取工作簿（文件可能已损坏）：{path.name}（{type(e).__name__}）") from e
    wb = WorkbookGrid(sheets=sheets, path=str(path))
    if zf is not None:
        _mark_uncached_formulas(zf, wb)
    return wb


def _read_sheets(pc, path: Path) -> list[SheetGrid]:
    book = pc.CalamineWorkbook.from_path(str(path))
    metas = {m.name: m for m in book.sheets_metadata}
    sheets = []
    for name in book.sheet_names:
        sh = book.get_sheet_by_name(name)
        # row by row, trimmed as they come: never the whole sheet twice (calamine's copy and ours)
        lead = sh.start[1] if sh.start else 0
        grid = [_trim(row, lead) for row in sh.iter_rows()]
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
        meta = metas.get(name)
        # SheetVisibleEnum.Hidden / .VeryHidden (the enum's own name contains "Visible": compare the member)
        hidden = meta is not None and str(meta.visible).rsplit(".", 1)[-1] != "Visible"
        sheets.append(SheetGrid(name=name, rows=grid, merged=merged, hidden=hidden))
    return sheets


@contextmanager
def _rust_panics_silenced():
    """A Rust panic inside calamine prints its own report on fd 2 before it reaches Python as an
    exception; the user gets our Chinese message instead of that noise."""
    fd = 2  # Rust writes to the process's fd 2, whatever sys.stderr is
    try:
        sys.stderr.flush()
        saved = os.dup(fd)
    except (AttributeError, OSError, ValueError):  # no fd 2 (e.g. a windowed process): nothing to hide
        saved = None
    if saved is None:
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>(.*?)</v>|<is>", re.S)


_REL_ID_TARGET = re.compile(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"')
_REL_TARGET_ID = re.compile(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')
_SHEET = re.compile(rb"<sheet\b([^>]*)/?>")
_SHEET_NAME = re.compile(rb'name="([^"]*)"')
_SHEET_RID = re.compile(rb'r:id="([^"]*)"')
_SHEET_ID = re.compile(rb'\bid="([^"]*)"')


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member path, from workbook.xml and its relationships."""
    wbx = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1).decode(): m.group(2).decode() for m in _REL_ID_TARGET.finditer(rels)}
    targets.update({m.group(2).decode(): m.group(1).decode() for m in _REL_TARGET_ID.finditer(rels)})
    out = {}
    for m in _SHEET.finditer(wbx):
        attrs = m.group(1)
        name = _SHEET_NAME.search(attrs)
        rid = _SHEET_RID.search(attrs) or _SHEET_ID.search(attrs)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1).decode(), "")
        target = target.lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        out[html.unescape(name.group(1).decode())] = target
    return out


def _mark_uncached_formulas(zf: zipfile.ZipFile, wb: WorkbookGrid) -> None:
    try:
        paths = _sheet_paths(zf)
        members = {i.filename: i for i in zf.infolist()}
        with open(zf.filename, "rb") as fp:
            for sheet in wb.sheets:
                info = members.get(paths.get(sheet.name, ""))
                if info is None:
                    continue
                found = _member_formulas(zf, fp, info)  # all or nothing: a bad CRC shows at the end
                for ref, formula in found:
                    _mark(sheet, ref, formula)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, zlib.error):
        return  # the values are still usable; only the uncached marking is skipped


_CHUNK = 64 * 1024
_WHOLE = 256 * 1024  # a sheet up to this size is inflated in one call; a larger one streamed in chunks
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature; file name and extra field lengths
_FORMULA_START = re.compile(rb"<f\b")  # what _FORMULA needs: a regex finds it faster than bytes.find('<f')


def _member_formulas(zf: zipfile.ZipFile, fp, info: zipfile.ZipInfo) -> list[tuple[bytes, bytes]]:
    if (
        info.file_size <= _WHOLE
        and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        and not info.flag_bits & 1  # not encrypted
    ):
        xml = _inflate(fp, info)
        return list(_scan_cells(xml, len(xml))) if _FORMULA_START.search(xml) else []
    with zf.open(info) as fh:
        return list(_uncached_formulas(fh))


def _inflate(fp, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, inflated in one call and checked against its size and CRC (zipfile's own
    reader spends more time in Python per member than the inflating takes)."""
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL_HEADER.size)
    if len(head) != _LOCAL_HEADER.size:
        raise zipfile.BadZipFile("truncated local header")
    magic, name_len, extra_len = _LOCAL_HEADER.unpack(head)
    if magic != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    fp.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    data = fp.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        # never more than the declared size (+1 to see a lie): a bomb is not inflated
        data = zlib.decompressobj(-15).decompress(data, info.file_size + 1)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad data in {info.filename}")
    return data


def _uncached_formulas(fh) -> Iterator[tuple[bytes, bytes]]:
    """(A1 ref, formula) of every formula cell without a cached value, read in chunks cut after
    a `</row>` (no cell spans one), so a large sheet is never held in memory whole."""
    tail = b""
    while True:
        chunk = fh.read(_CHUNK)
        buf = tail + chunk
        cut = len(buf) if not chunk else buf.rfind(b"</row>")
        if cut < 0:  # a row longer than a chunk: read on
            tail = buf
            continue
        if _FORMULA_START.search(buf, 0, cut):
            yield from _scan_cells(buf, cut)
        if not chunk:
            return
        tail = buf[cut:]


def _scan_cells(xml: bytes, end: int) -> Iterator[tuple[bytes, bytes]]:
    for m in _CELL.finditer(xml, 0, end):
        inner = m.group(2) or b""
        fm = _FORMULA.search(inner)
        if not fm:
            continue
        v = _VALUE.search(inner)
        if v and (v.group(0) == b"<is>" or v.group(1)):
            continue
        ref = _REF.search(m.group(1))
        if ref:
            yield ref.group(1), fm.group(1) or b""


def _mark(sheet: SheetGrid, ref: bytes, formula: bytes) -> None:
    r, c = parse_a1(ref.decode())
    while len(sheet.rows) <= r:
        sheet.rows.append([])
    row = sheet.rows[r]
    while len(row) <= c:
        row.append(None)
    if row[c] is None:
        row[c] = Uncached("=" + html.unescape(formula.decode("utf-8", "replace")))
