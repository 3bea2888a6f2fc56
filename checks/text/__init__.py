"""Text layer: claims in the 情况说明/绩效 text and the 文内 checks over them."""

from checks.text.claims import Claim, ClaimKind, extract_claims
from checks.text.internal import TextCheckResult, check_text_internal, check_workbook_text
from checks.text.paragraphs import Paragraph, paragraphs_from_text, read_text_file, text_paragraphs
from checks.text.texttables import tables_from_text

__all__ = [
    "Claim",
    "ClaimKind",
    "Paragraph",
    "TextCheckResult",
    "check_text_internal",
    "check_workbook_text",
    "extract_claims",
    "paragraphs_from_text",
    "read_text_file",
    "tables_from_text",
    "text_paragraphs",
]
