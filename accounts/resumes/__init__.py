"""Resume files -> text -> structured profile. Pure Python, no Django imports.

* :func:`extract_text_isolated` (``isolation``): what the upload path should call; reads a
  PDF, DOCX, text or Markdown file in a resource-limited child process.
* :func:`sniff_kind` / :func:`extract_text` (``reading``): type sniffing and in-process
  extraction.
* :func:`extract_profile` (``profile``): sections, skills, titles, years of experience,
  seniority and education from the extracted text.
* ``errors``: :class:`ResumeReadError` and its subclasses, each with a ``user_message``.

``profile`` is imported lazily: it loads the skills taxonomy (and through ``jobrec`` the
Celery app), which the extraction child must not pay for at every start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.resumes.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    ExtractionResourceLimit,
    ExtractionTimeout,
    FileTooLarge,
    NoTextFound,
    ResumeReadError,
    TooManyPages,
    UnsupportedFile,
)

if TYPE_CHECKING:
    from accounts.resumes.isolation import extract_text_isolated
    from accounts.resumes.profile import Education, ResumeProfile, extract_profile
    from accounts.resumes.reading import ExtractedText, Kind, extract_text, sniff_kind

__all__ = [
    "CorruptFile",
    "Education",
    "EmptyFile",
    "EncryptedFile",
    "ExtractedText",
    "ExtractionResourceLimit",
    "ExtractionTimeout",
    "FileTooLarge",
    "Kind",
    "NoTextFound",
    "ResumeProfile",
    "ResumeReadError",
    "TooManyPages",
    "UnsupportedFile",
    "extract_profile",
    "extract_text",
    "extract_text_isolated",
    "sniff_kind",
]

_LAZY = {
    "extract_text_isolated": "accounts.resumes.isolation",
    "Education": "accounts.resumes.profile",
    "ResumeProfile": "accounts.resumes.profile",
    "extract_profile": "accounts.resumes.profile",
    "ExtractedText": "accounts.resumes.reading",
    "Kind": "accounts.resumes.reading",
    "extract_text": "accounts.resumes.reading",
    "sniff_kind": "accounts.resumes.reading",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
