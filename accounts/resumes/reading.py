"""Uploaded resume file -> text: type sniffing and in-process extraction.

The type is decided by the content, never by the file name or the browser's content
type (both are whatever the client says). Untrusted files should be read with
:func:`accounts.resumes.isolation.extract_text_isolated`, which runs the parsers below in
a child process with memory and CPU limits; :func:`extract_text` is the same extraction
in the calling process, for trusted input, tests and benchmarks.

Decisions:

* **Scripts are text.** A file starting with ``#!`` is a shell/Python script, i.e. text;
  it is never executed, only read, so refusing it would protect nothing. Compiled
  programs (ELF, PE/MZ, Mach-O, WebAssembly) are refused.
* Legacy Word (``.doc``), RTF and OpenDocument files are refused with a message that
  says how to convert them, rather than half-read.
* A password-protected Word file is an OLE container holding an ``EncryptedPackage``
  stream; it gets the "password-protected" message, not "old Word format".
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Final

from accounts.resumes._extract import Kind, raw_text
from accounts.resumes._normalize import normalize_text
from accounts.resumes._plaintext import decode_text
from accounts.resumes.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    NoTextFound,
    UnsupportedFile,
)

__all__ = ["ExtractedText", "Kind", "extract_text", "sniff_kind"]

# Below this many letters the "text" is a page number or a stray label, not a resume.
MIN_LETTERS: Final = 30

_CONVERT = "Please save it as PDF or as a Word document (.docx) and upload that file"
_IMAGE_MESSAGE: Final = (
    "This file is an image. Resumes are read as text: please upload a PDF with "
    "selectable text or a Word document (.docx), or paste your resume text."
)
_PROGRAM_MESSAGE: Final = (
    "This file is a program, not a document. Please upload your resume as a PDF, a Word "
    "document (.docx) or a text file."
)
_ARCHIVE_MESSAGE: Final = (
    "This file is a compressed archive, not a document. Please upload the resume itself "
    "as a PDF, a Word document (.docx) or a text file."
)

# (magic bytes, offset, what it is, user message); unambiguous signatures only.
_SIGNATURES: Final[tuple[tuple[bytes, int, str, str], ...]] = (
    (b"\x7fELF", 0, "ELF executable", _PROGRAM_MESSAGE),
    (b"MZ", 0, "DOS/Windows executable", _PROGRAM_MESSAGE),
    (b"\xfe\xed\xfa\xce", 0, "Mach-O executable", _PROGRAM_MESSAGE),
    (b"\xfe\xed\xfa\xcf", 0, "Mach-O executable", _PROGRAM_MESSAGE),
    (b"\xce\xfa\xed\xfe", 0, "Mach-O executable", _PROGRAM_MESSAGE),
    (b"\xcf\xfa\xed\xfe", 0, "Mach-O executable", _PROGRAM_MESSAGE),
    (b"\xca\xfe\xba\xbe", 0, "Mach-O universal binary or Java class", _PROGRAM_MESSAGE),
    (b"\x00asm", 0, "WebAssembly module", _PROGRAM_MESSAGE),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image", _IMAGE_MESSAGE),
    (b"\xff\xd8\xff", 0, "JPEG image", _IMAGE_MESSAGE),
    (b"GIF87a", 0, "GIF image", _IMAGE_MESSAGE),
    (b"GIF89a", 0, "GIF image", _IMAGE_MESSAGE),
    (b"II*\x00", 0, "TIFF image", _IMAGE_MESSAGE),
    (b"MM\x00*", 0, "TIFF image", _IMAGE_MESSAGE),
    (b"WEBP", 8, "WebP image", _IMAGE_MESSAGE),
    (b"ftypheic", 4, "HEIC image", _IMAGE_MESSAGE),
    (b"ftypheix", 4, "HEIC image", _IMAGE_MESSAGE),
    (b"ftypmif1", 4, "HEIF image", _IMAGE_MESSAGE),
    (b"ftypavif", 4, "AVIF image", _IMAGE_MESSAGE),
    (b"\x1f\x8b", 0, "gzip archive", _ARCHIVE_MESSAGE),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive", _ARCHIVE_MESSAGE),
    (b"Rar!\x1a\x07", 0, "RAR archive", _ARCHIVE_MESSAGE),
    (b"\xfd7zXZ\x00", 0, "xz archive", _ARCHIVE_MESSAGE),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive", _ARCHIVE_MESSAGE),
    (b"{\\rtf", 0, "RTF document", "This is an RTF document. " + _CONVERT + "."),
)
_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_DOCX_MAIN: Final = b"wordprocessingml.document.main+xml"
_SVG_RE: Final = re.compile(r"\A\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<svg\b", re.S)


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """The text of a resume file. ``pages`` is None where the format has no pages."""

    text: str
    kind: Kind
    pages: int | None


def _sniff_zip(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                # The main document part is declared here; it is usually, but not always
                # (Office Online writes document2.xml), word/document.xml.
                with archive.open("[Content_Types].xml") as handle:
                    if _DOCX_MAIN in handle.read(200_000):
                        return "docx"
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
                raise UnsupportedFile(
                    "OpenDocument file",
                    user_message="This is an OpenDocument (LibreOffice) file. " + _CONVERT + ".",
                )
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"bad ZIP: {exc}") from exc
    raise UnsupportedFile("ZIP archive without a Word document", user_message=_ARCHIVE_MESSAGE)


def sniff_kind(data: bytes) -> Kind:
    """``"pdf"``, ``"docx"`` or ``"text"`` (plain text or Markdown), from the bytes alone.

    Raises :class:`EmptyFile`, :class:`UnsupportedFile`, :class:`CorruptFile` (a ZIP
    that cannot be opened) or :class:`EncryptedFile` (a password-protected Word file).
    """
    if not data.strip():
        raise EmptyFile("0 bytes" if not data else "only whitespace")
    # Readers accept a PDF header anywhere in the first kilobyte (some generators and
    # mail gateways prepend junk), so do we.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] in _ZIP_MAGICS:
        return _sniff_zip(data)
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFile("encrypted Office document")
        raise UnsupportedFile(
            "OLE2 compound file (legacy .doc/.xls)",
            user_message="This is an old-format Word document (.doc). " + _CONVERT + ".",
        )
    for magic, offset, what, message in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            raise UnsupportedFile(what, user_message=message)
    text = decode_text(data)
    if _SVG_RE.match(text[:4000]):
        raise UnsupportedFile("SVG image", user_message=_IMAGE_MESSAGE)
    return "text"


def finish(raw: str, *, kind: Kind, pages: int | None) -> ExtractedText:
    """Clean up raw extracted text; :class:`NoTextFound` when (almost) nothing is left."""
    text = normalize_text(raw)
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        if kind == "pdf":
            raise NoTextFound(f"{len(text)} characters of text on {pages} pages")
        raise NoTextFound(
            f"{len(text)} characters of text",
            user_message=(
                "No resume text was found in this file. Please upload the file with your "
                "resume, or paste your resume text instead."
            ),
        )
    return ExtractedText(text=text, kind=kind, pages=pages)


def extract_text(data: bytes, *, kind: Kind, max_pages: int) -> ExtractedText:
    """Extract and clean the text of a file of the given kind, in this process.

    No memory or time limit applies here except pypdf's own decompression limits; use
    ``extract_text_isolated`` for uploads.
    """
    raw, pages = raw_text(data, kind=kind, max_pages=max_pages)
    return finish(raw, kind=kind, pages=pages)
