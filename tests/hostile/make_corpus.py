"""Hostile and broken input for the checker, built at test time from the sample workbook.

Nothing large is committed: every file is made here, into a folder the caller gives.
`python tests/hostile/make_corpus.py OUTDIR` builds the whole corpus for manual runs.

Each builder takes the output folder and returns the path it wrote. Variants of the sample are
edited with openpyxl (so they carry no cached formula values; the sample has no formulas).
"""

from __future__ import annotations

import random
import struct
import sys
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "yongzhou_2018.xlsx"
FOREIGN_SHEET = "公开04表(2)"  # another department's 公开04表 pasted into the sample

INJECTIONS = ('=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3")

# sample cells and text that reads as the same amount (the check must not change)
PARSEABLE_TEXT = {
    ("公开01表", "C7"): "2,899.74",  # thousands separator
    ("公开01表", "C12"): "１８２．５８",  # full-width digits and point
    ("公开01表", "F7"): "2415.04 ",  # trailing space
    ("公开01表", "F17"): " 803.85\u3000",  # ideographic space
    ("公开01表", "C8"): "—",  # dash for an empty/zero amount
    ("公开01表", "C9"): "-",
    ("公开02表", "C10"): "1,561.75",
    ("公开02表", "D12"): "396.84  ",
    ("公开02表", "I12"): "１８２.５８",
}
# sample cells and text that is not a number: 未能读取 (R-1, 提示), never an error
NON_NUMBER_TEXT = {
    ("公开01表", "C12"): "见说明",
    ("公开01表", "F17"): "12..5",
    ("公开02表", "D13"): "待核实",
}
UNCACHED_CELL = ("公开01表", "C29")  # 本年收入合计 3,082.32
UNCACHED_FORMULA = "=SUM(C7:C12)"

BOMB_MEMBER = "xl/worksheets/sheet1.xml"
BOMB_SIZE = 420 * 1024 * 1024  # over the reader's 400 MB limit
_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_XML_TAIL = b"</sheetData></worksheet>"


# ---------------------------------------------------------------------------------------------
# plain files


def not_a_workbook(d: Path) -> Path:
    p = d / "not_a_workbook.xlsx"
    p.write_text("这不是工作簿，只是改了扩展名的文本。\n", encoding="utf-8")
    return p


def empty_file(d: Path) -> Path:
    p = d / "empty_file.xlsx"
    p.write_bytes(b"")
    return p


def plain_zip(d: Path) -> Path:
    """A valid zip that holds no workbook (e.g. a renamed archive)."""
    p = d / "plain_zip.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "不是工作簿")
    return p


def truncated(d: Path) -> Path:
    """The sample cut in half (an interrupted download or copy)."""
    data = SAMPLE.read_bytes()
    p = d / "truncated.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def directory(d: Path) -> Path:
    p = d / "folder.xlsx"
    p.mkdir(exist_ok=True)
    return p


# ---------------------------------------------------------------------------------------------
# OLE / compound files


def cfb(streams: dict[str, bytes], *, honest: bool = True) -> bytes:
    """A minimal valid compound file (CFB v3, 512-byte sectors) holding `streams` in the root.

    Streams shorter than 4096 bytes are zero-padded to that size, so everything lives in regular
    sectors (no mini stream). Up to three streams (one directory sector), up to ~7 MB.
    `honest=False` declares a short stream's real size: readers then look for it in a mini stream
    that does not exist (a damaged file)."""
    ssz, end, free, fatsect = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    per_fat = ssz // 4
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the CFB sibling order
    if len(names) > 3:
        raise ValueError("at most three streams")
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    datas = [b + b"\0" * (-len(b) % ssz) for b in datas]
    data_sectors = sum(len(b) // ssz for b in datas)
    n_fat = 1
    while n_fat * per_fat < n_fat + 1 + data_sectors:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("streams too large for the header's DIFAT")
    fat = [fatsect] * n_fat + [end]  # sectors 0..n_fat-1: the FAT, then the directory
    dir_sector = n_fat
    starts = []
    for b in datas:
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + len(b) // ssz))
        fat.append(end)
    fat += [free] * (n_fat * per_fat - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        nostream = 0xFFFFFFFF
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", nostream, right, child)  # left sibling, right sibling, child
            + b"\0" * 36  # CLSID, state bits, creation and modification times
            + struct.pack("<IQ", start, size)
        )

    nostream = 0xFFFFFFFF
    entries = [entry("Root Entry", 5, nostream, 1 if names else nostream, end, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else nostream  # a chain to the right: a valid tree
        size = len(streams[name]) if not honest else max(len(streams[name]), 4096)
        entries.append(entry(name, 2, right, nostream, starts[i], size))
    while len(entries) < 4:
        entries.append(entry("", 0, nostream, nostream, 0, 0))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, n_fat, dir_sector, 0)  # dir sectors (v3: 0), FAT sectors, first dir, txn
        + struct.pack("<IIIII", 4096, end, 0, end, 0)  # mini cutoff, mini FAT, DIFAT
        + struct.pack("<109I", *range(n_fat), *([free] * (109 - n_fat)))
    )
    assert len(header) == ssz
    return header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries) + b"".join(datas)


# BIFF8 (.xls) -------------------------------------------------------------------------------

_MAX_RECORD = 8224


def _rec(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _sst(strings: list[str]) -> bytes:
    """SST record and its CONTINUE records (strings split as BIFF8 requires)."""
    records: list[bytearray] = [bytearray(struct.pack("<II", len(strings), len(strings)))]
    for s in strings:
        raw = s.encode("utf-16-le")
        if len(records[-1]) + 3 + 2 > _MAX_RECORD:  # the header and one char stay together
            records.append(bytearray())
        records[-1] += struct.pack("<HB", len(raw) // 2, 1)
        while raw:
            room = (_MAX_RECORD - len(records[-1])) // 2 * 2
            if room == 0:
                records.append(bytearray(b"\x01"))  # a continued string repeats its flags
                continue
            records[-1] += raw[:room]
            raw = raw[room:]
    return b"".join(_rec(0x00FC if i == 0 else 0x003C, bytes(r)) for i, r in enumerate(records))


def biff8(sheets: list[tuple[str, list[list[object]], list[tuple[int, int, int, int]]]]) -> bytes:
    """A BIFF8 workbook stream: per sheet its name, rows of values (str/float/int/None) and merged
    ranges (r0, c0, r1, c1). Enough for readers of values; no styles."""
    strings: dict[str, int] = {}
    bodies = []
    for _name, rows, merged in sheets:
        body = bytearray()
        n_cols = max((len(r) for r in rows), default=0)
        body += _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
        body += _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, n_cols, 0))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    idx = strings.setdefault(v, len(strings))
                    body += _rec(0x00FD, struct.pack("<HHHI", r, c, 15, idx))
                elif isinstance(v, bool | int | float):
                    body += _rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))
        for i in range(0, len(merged), 1000):
            part = merged[i:i + 1000]
            body += _rec(0x00E5, struct.pack("<H", len(part))
                         + b"".join(struct.pack("<HHHH", r0, r1, c0, c1) for r0, c0, r1, c1 in part))
        body += _rec(0x000A, b"")
        bodies.append(bytes(body))

    def globals_(offsets: list[int]) -> bytes:
        g = bytearray(_rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)))
        g += _rec(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
        for (name, _rows, _merged), off in zip(sheets, offsets, strict=True):
            g += _rec(0x0085, struct.pack("<IBBBB", off, 0, 0, len(name), 1) + name.encode("utf-16-le"))
        g += _sst(list(strings))
        g += _rec(0x000A, b"")
        return bytes(g)

    size = len(globals_([0] * len(sheets)))
    offsets = []
    for b in bodies:
        offsets.append(size)
        size += len(b)
    return globals_(offsets) + b"".join(bodies)


def xls_encrypted(d: Path) -> Path:
    """A password-protected .xls: the workbook stream starts with a FILEPASS record (RC4)."""
    stream = biff8([("Sheet1", [["收入支出决算总表"], ["合计", 1.0]], [])])
    filepass = _rec(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    bof = 4 + 16
    p = d / "password.xls"
    p.write_bytes(cfb({"Workbook": stream[:bof] + filepass + stream[bof:]}))
    return p


def xls_damaged(d: Path) -> Path:
    """A .xls whose directory points into a mini stream that is not there."""
    p = d / "damaged.xls"
    p.write_bytes(cfb({"Workbook": biff8([("Sheet1", [["合计", 1.0]], [])])}, honest=False))
    return p


def xls_sample(d: Path) -> Path:
    """The sample's values and merged ranges as a BIFF8 .xls (what older 决算 software exports)."""
    from addin.reader import read_workbook

    grids = read_workbook(SAMPLE)
    sheets = [(s.name, s.rows, s.merged) for s in grids.sheets]
    p = d / "sample.xls"
    p.write_bytes(cfb({"Workbook": biff8(sheets)}))
    return p


def fake_encrypted(d: Path) -> Path:
    """What Excel writes for a password-protected workbook: a compound file with EncryptionInfo."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version=\"1.0\"?><encryption/>"  # agile 4.4 header
    p = d / "password_crafted.xlsx"
    p.write_bytes(cfb({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 4096) + bytes(4096)}))
    return p


def real_encrypted(d: Path) -> Path:
    """The sample encrypted with a password by msoffcrypto-tool (installed with oletools)."""
    import msoffcrypto.format.ooxml as ooxml

    p = d / "password_real.xlsx"
    with SAMPLE.open("rb") as src, p.open("wb") as out:
        ooxml.OOXMLFile(src).encrypt("决算2018", out)
    return p


def ole_not_workbook(d: Path) -> Path:
    """A compound file that is not a workbook (e.g. a Word 97 document renamed .xls)."""
    p = d / "word_document.xls"
    p.write_bytes(cfb({"WordDocument": b"\xec\xa5" + bytes(510)}))
    return p


# ---------------------------------------------------------------------------------------------
# workbooks with no 决算 content


def empty_workbook(d: Path) -> Path:
    from openpyxl import Workbook

    p = d / "empty_workbook.xlsx"
    Workbook().save(p)
    return p


def random_data(d: Path) -> Path:
    from openpyxl import Workbook

    rng = random.Random(20180901)
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["编号", "名称", "数量", "金额"])
    for i in range(200):
        ws.append([i + 1, f"物品{rng.randint(1, 999)}", rng.randint(0, 50), round(rng.uniform(0, 1e4), 2)])
    ws2 = wb.create_sheet("备注")
    ws2["A1"] = "与决算无关的表格"
    p = d / "random_data.xlsx"
    wb.save(p)
    return p


# ---------------------------------------------------------------------------------------------
# variants of the sample


def _load_sample():
    from openpyxl import load_workbook

    return load_workbook(SAMPLE)


def sample_copy(d: Path, name: str = "sample.xlsx") -> Path:
    p = d / name
    p.write_bytes(SAMPLE.read_bytes())
    return p


def _tables_only(wb, *, note_08: bool) -> None:
    """Keep the sample's own 公开 tables: no foreign sheet (X-11), no text sheets (the sample's
    情况说明 and 绩效 reports hold real text mistakes); `note_08` adds the 本表无数据 note (T08-2)."""
    for name in list(wb.sheetnames):
        if not name.startswith("公开") or name == FOREIGN_SHEET:
            del wb[name]
    if note_08:
        ws = wb["公开08表"]
        ws.cell(ws.max_row + 1, 1).value = "注：本表无数据。"


def consistent(d: Path, name: str = "consistent.xlsx", *, note_08: bool = True) -> Path:
    """The sample's tables alone: no error left; with `note_08` no warning either (status 通过)."""
    wb = _load_sample()
    _tables_only(wb, note_08=note_08)
    p = d / name
    wb.save(p)
    return p


def _with_text(d: Path, name: str, cells: dict[tuple[str, str], str]) -> Path:
    wb = _load_sample()
    for (sheet, addr), text in cells.items():
        cell = wb[sheet][addr]
        cell.value = text
        cell.data_type = "s"
    p = d / name
    wb.save(p)
    return p


def text_numbers(d: Path) -> Path:
    return _with_text(d, "text_numbers.xlsx", PARSEABLE_TEXT)


def text_non_numbers(d: Path) -> Path:
    return _with_text(d, "text_non_numbers.xlsx", NON_NUMBER_TEXT)


def uncached_formula(d: Path) -> Path:
    wb = _load_sample()
    sheet, addr = UNCACHED_CELL
    wb[sheet][addr] = UNCACHED_FORMULA  # openpyxl writes the formula with no cached value
    p = d / "uncached_formula.xlsx"
    wb.save(p)
    return p


def big_table(d: Path, n_items: int = 5000) -> Path:
    """The consistent sample (tables only) with its 02 table's 类 201 split into `n_items` 项 rows (51 款) that add
    up to the same totals, so the whole book still balances: 0 errors expected."""
    wb = _load_sample()
    _tables_only(wb, note_08=True)
    ws = wb["公开02表"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    first, last_201 = 10, 13  # rows of 类 201 (201, 20103, 2010301, 2010306), 1-based
    tail = values[last_201:]  # 208 … 2299901 and the note
    cls = values[first - 1]
    cols = len(cls)
    totals = [Decimal(str(v)) if isinstance(v, int | float) else None for v in cls]
    per_kuan = 99
    n_kuan = -(-n_items // per_kuan)
    rng = random.Random(5000)

    def split(total: Decimal, parts: int) -> list[Decimal]:
        cents = int(total * 100)
        cuts = sorted(rng.randint(0, cents) for _ in range(parts - 1))
        return [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]

    # source columns D..I (index 3..8) split per 项; C (index 2) is their sum per row
    item_cols = {c: split(totals[c], n_items) for c in range(3, cols) if totals[c] is not None}
    items = []
    for i in range(n_items):
        k, j = divmod(i, per_kuan)
        row = [f"201{k + 1:02d}{j + 1:02d}", f"  项目{k + 1}-{j + 1}"] + [Decimal(0)] * (cols - 2)
        for c, parts in item_cols.items():
            row[c] = parts[i]
        row[2] = sum(row[3:], Decimal(0))
        items.append(row)
    out_rows = [cls]
    for k in range(n_kuan):
        members = items[k * per_kuan:(k + 1) * per_kuan]
        kuan = [f"201{k + 1:02d}", f"一般公共服务款{k + 1}"] + [
            sum((m[c] for m in members), Decimal(0)) for c in range(2, cols)
        ]
        out_rows.append(kuan)
        out_rows.extend(members)
    for rng_ in list(ws.merged_cells.ranges):
        if rng_.min_row >= first:
            ws.unmerge_cells(str(rng_))
    ws.delete_rows(first, ws.max_row)
    for r, row in enumerate(out_rows + tail, start=first):
        for c, v in enumerate(row, start=1):
            if isinstance(v, Decimal):
                v = float(v)
            ws.cell(r, c).value = v
    p = d / "big_table.xlsx"
    wb.save(p)
    return p


def heavy_merges(d: Path) -> Path:
    """The sample with many more merged ranges: every header row's label merged over the empty cells
    to its right, and every line of the text sheets merged across eight columns."""
    wb = _load_sample()
    for ws in wb.worksheets:
        taken = set()
        for rng_ in ws.merged_cells.ranges:
            for r in range(rng_.min_row, rng_.max_row + 1):
                for c in range(rng_.min_col, rng_.max_col + 1):
                    taken.add((r, c))
        if ws.max_column == 1:  # a text sheet
            for r in range(1, ws.max_row + 1):
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
            continue
        header_end = next(
            (r for r in range(1, ws.max_row + 1)
             if str(ws.cell(r, 1).value or "").strip() in ("栏次", "合计", "项目")), 8)
        for r in range(1, header_end):
            c = 1
            while c <= ws.max_column:
                if (r, c) in taken or ws.cell(r, c).value is None:
                    c += 1
                    continue
                end = c
                while (end + 1 <= ws.max_column and (r, end + 1) not in taken
                       and ws.cell(r, end + 1).value is None):
                    end += 1
                if end > c:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=end)
                    taken.update((r, x) for x in range(c, end + 1))
                c = end + 1
    p = d / "heavy_merges.xlsx"
    wb.save(p)
    return p


def injection(d: Path) -> Path:
    """Formula-like text in every 部门 cell and in the 情况说明 sheet (stored as text)."""
    wb = _load_sample()
    inj_dept = INJECTIONS[0]
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_row=min(ws.max_row, 6)):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("部门：") and ws.title != FOREIGN_SHEET:
                    cell.value = "部门：" + inj_dept
    text = wb["情况说明"]
    start = text.max_row + 2
    for i, s in enumerate(INJECTIONS):
        cell = text.cell(start + i, 1)
        cell.value = s
        cell.data_type = "s"  # text, not a formula, in the source too
    p = d / "injection.xlsx"
    wb.save(p)
    return p


# ---------------------------------------------------------------------------------------------
# decompression bombs


def _bomb(d: Path, name: str, declared: int | None) -> Path:
    """The sample with one sheet replaced by ~420 MB of XML whitespace (a ~0.5 MB file).
    `declared`: lie about the member's size in the central directory."""
    p = d / name
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in src.infolist():
            if info.filename != BOMB_MEMBER:
                zf.writestr(info, src.read(info.filename))
                continue
            with zf.open(BOMB_MEMBER, "w", force_zip64=True) as fh:
                fh.write(_XML_HEAD)
                chunk = b" " * (1 << 22)
                for _ in range(BOMB_SIZE // len(chunk)):
                    fh.write(chunk)
                fh.write(_XML_TAIL)
            if declared is not None:
                zf.filelist[-1].file_size = declared
    return p


def bomb(d: Path) -> Path:
    return _bomb(d, "bomb.xlsx", None)


def lying_bomb(d: Path) -> Path:
    """The same bomb declaring a 5 KB sheet: size checks pass, the data says otherwise."""
    return _bomb(d, "lying_bomb.xlsx", 5000)


# ---------------------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "not_a_workbook": not_a_workbook,
    "empty_file": empty_file,
    "plain_zip": plain_zip,
    "truncated": truncated,
    "directory": directory,
    "fake_encrypted": fake_encrypted,
    "real_encrypted": real_encrypted,
    "ole_not_workbook": ole_not_workbook,
    "empty_workbook": empty_workbook,
    "random_data": random_data,
    "consistent": consistent,
    "text_numbers": text_numbers,
    "text_non_numbers": text_non_numbers,
    "uncached_formula": uncached_formula,
    "big_table": big_table,
    "heavy_merges": heavy_merges,
    "injection": injection,
    "xls_sample": xls_sample,
    "xls_encrypted": xls_encrypted,
    "xls_damaged": xls_damaged,
    "bomb": bomb,
    "lying_bomb": lying_bomb,
}


def build_corpus(d: Path) -> dict[str, Path]:
    d.mkdir(parents=True, exist_ok=True)
    return {name: build(d) for name, build in BUILDERS.items()}


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) != 2:
        sys.exit("用法：python tests/hostile/make_corpus.py 输出文件夹")
    for name, path in build_corpus(Path(sys.argv[1])).items():
        print(f"{name:18} {path}")
