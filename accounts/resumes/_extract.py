"""Dispatch to the extractor for a file kind; the part of reading that runs in the child.

Kept apart from ``reading`` so that the child imports neither the text clean-up (and
its ``jobs`` dependencies) nor the parsers it does not need.
"""

from __future__ import annotations

from typing import Literal

from accounts.resumes._plaintext import decode_text, strip_markdown

__all__ = ["Kind", "raw_text"]

Kind = Literal["pdf", "docx", "text"]


def raw_text(data: bytes, *, kind: Kind, max_pages: int) -> tuple[str, int | None]:
    """The extractor's raw output and page count, before ``reading.finish`` cleans it up."""
    if kind == "pdf":
        from accounts.resumes._pdf import extract_pdf

        return extract_pdf(data, max_pages=max_pages)
    if kind == "docx":
        from accounts.resumes._docx import extract_docx

        return extract_docx(data, max_pages=max_pages), None
    return strip_markdown(decode_text(data)), None
