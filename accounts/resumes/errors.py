"""Why a resume file could not be read, in words fit to show the person who uploaded it.

Every error carries ``user_message`` (shown in the upload form and the API) and a stable
``code`` (for the API and logs); ``str(error)`` is the technical detail for logs. The
errors cross a process boundary (the extraction runs in a child process), so each one
can be turned into a JSON payload and back without losing its fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "CorruptFile",
    "EmptyFile",
    "EncryptedFile",
    "ExtractionResourceLimit",
    "ExtractionTimeout",
    "FileTooLarge",
    "NoTextFound",
    "ResumeReadError",
    "TooManyPages",
    "UnsupportedFile",
    "error_from_payload",
]

_ACCEPTED = "a PDF, a Word document (.docx) or a plain-text or Markdown file"


class ResumeReadError(Exception):
    """Base class: the file could not be turned into text."""

    code: ClassVar[str] = "unreadable"
    default_message: ClassVar[str] = (
        "We could not read this file. Please upload " + _ACCEPTED + ", or paste your resume text."
    )

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        self.detail = detail
        self.user_message = user_message or self.default_message
        super().__init__(detail or self.user_message)

    def payload(self) -> dict[str, Any]:
        """JSON-serialisable form; :func:`error_from_payload` rebuilds the error."""
        return {"code": self.code, "detail": self.detail, "user_message": self.user_message}


class EmptyFile(ResumeReadError):
    code = "empty_file"
    default_message = "The file is empty. Please choose your resume file again."


class UnsupportedFile(ResumeReadError):
    code = "unsupported_file"
    default_message = "This type of file is not supported. Please upload " + _ACCEPTED + "."


class FileTooLarge(ResumeReadError):
    code = "file_too_large"

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"{size} bytes > limit {limit}",
            user_message=(
                f"The file is too large ({_megabytes(size)}). Files up to {_megabytes(limit)} "
                "are accepted."
            ),
        )

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "size": self.size, "limit": self.limit}


class TooManyPages(ResumeReadError):
    code = "too_many_pages"

    def __init__(self, pages: int, limit: int) -> None:
        self.pages = pages
        self.limit = limit
        super().__init__(
            f"{pages} pages > limit {limit}",
            user_message=(
                f"The file has {pages} pages; resumes of up to {limit} pages are accepted. "
                "Please upload a shorter version."
            ),
        )

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "pages": self.pages, "limit": self.limit}


class EncryptedFile(ResumeReadError):
    code = "encrypted_file"
    default_message = "This file is password-protected. Please upload a version without a password."


class CorruptFile(ResumeReadError):
    code = "corrupt_file"
    default_message = (
        "This file seems to be damaged or incomplete. Please save or export it again and "
        "upload the new file."
    )


class NoTextFound(ResumeReadError):
    code = "no_text_found"
    default_message = (
        "No text was found in this file; it may be a scan or a picture of a page. Please "
        "upload a PDF with selectable text (exported from your editor, not scanned), or "
        "paste your resume text instead."
    )


class ExtractionTimeout(ResumeReadError):
    code = "extraction_timeout"
    default_message = (
        "Reading this file took too long. Please upload a simpler version (for example "
        "exported again as PDF), or paste your resume text instead."
    )


class ExtractionResourceLimit(ResumeReadError):
    code = "extraction_resource_limit"
    default_message = (
        "This file needs more memory to read than we allow. Please upload a simpler "
        "version (for example exported again as PDF), or paste your resume text instead."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


_BY_CODE: dict[str, type[ResumeReadError]] = {
    cls.code: cls
    for cls in (
        ResumeReadError,
        EmptyFile,
        UnsupportedFile,
        EncryptedFile,
        CorruptFile,
        NoTextFound,
        ExtractionTimeout,
        ExtractionResourceLimit,
    )
}


def error_from_payload(payload: dict[str, Any]) -> ResumeReadError:
    """Rebuild an error sent by the extraction child; unknown shapes become the base class."""
    code = payload.get("code")
    try:
        if code == FileTooLarge.code:
            return FileTooLarge(int(payload["size"]), int(payload["limit"]))
        if code == TooManyPages.code:
            return TooManyPages(int(payload["pages"]), int(payload["limit"]))
    except (KeyError, TypeError, ValueError):
        return ResumeReadError(f"malformed error payload: {payload!r:.200}")
    cls = _BY_CODE.get(code if isinstance(code, str) else "", ResumeReadError)
    detail = payload.get("detail")
    message = payload.get("user_message")
    return cls(
        detail if isinstance(detail, str) else "",
        user_message=message if isinstance(message, str) and message else None,
    )
