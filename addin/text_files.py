"""The 说明文档 given beside a workbook (--text / 选择说明文档): .txt, .docx or .pdf, as one text."""

from __future__ import annotations

from pathlib import Path

from addin.reader import InputError

SUFFIXES = (".txt", ".docx", ".pdf")


def read_explanation(path: str | Path) -> str:
    """The file's text in the form checks.text reads. Raises InputError with a Chinese message."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到说明文档：{p}")
    suffix = p.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再检查：{p.name}")
    if suffix == ".pdf":
        from addin.pdf_text import PdfTextError, read_pdf_text

        try:
            return read_pdf_text(p)
        except PdfTextError as e:
            raise InputError(str(e)) from e
    from checks.text.paragraphs import read_text_file

    try:
        return read_text_file(p)
    except Exception as e:  # a damaged .docx raises the zip/docx library's own errors
        if suffix == ".docx":
            raise InputError(f"说明文档不是有效的 Word 文档（.docx）或已损坏：{p.name}") from e
        raise InputError(f"无法读取说明文档：{p}（{type(e).__name__}）") from e
