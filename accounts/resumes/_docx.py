"""DOCX -> raw text with python-docx (runs inside the extraction child).

python-docx opens the package and parses the XML safely (lxml without entity
resolution); the walk over the body is our own because ``Document.paragraphs`` skips
what resumes are made of: layout tables, and text boxes used as sidebars.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, Final

from accounts.resumes.errors import (
    CorruptFile,
    ExtractionResourceLimit,
    TooManyPages,
    UnsupportedFile,
)

__all__ = ["extract_docx"]

# python-docx reads every part of the package into memory. The sizes a ZIP declares are
# enforced by zipfile when it inflates (it stops at the declared size and then fails the
# CRC check), so summing them up front bounds what a ZIP bomb can make us allocate.
_MAX_UNCOMPRESSED: Final = 64_000_000
_MAX_ENTRIES: Final = 5_000

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_TAB, _BR, _CR, _DEL = f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}del"
_TXBX: Final = f"{_W}txbxContent"
_PAGES_RE: Final = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,6})\s*</(?:\w+:)?Pages>")


def _check_archive(data: bytes, max_pages: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ENTRIES:
                raise ExtractionResourceLimit(f"{len(infos)} ZIP entries")
            total = sum(info.file_size for info in infos)
            if total > _MAX_UNCOMPRESSED:
                raise ExtractionResourceLimit(f"{total} bytes uncompressed")
            # Word records the page count of the last save in docProps/app.xml; it is
            # the only page count a DOCX has without rendering it.
            if "docProps/app.xml" in archive.namelist():
                match = _PAGES_RE.search(archive.read("docProps/app.xml")[:100_000])
                if match and int(match.group(1)) > max_pages:
                    raise TooManyPages(int(match.group(1)), max_pages)
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"bad ZIP: {exc}") from exc


class _Walker:
    """Collects lines in document order; text boxes follow the paragraph anchoring them."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def block(self, parent: Any) -> None:
        for child in parent:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag != _MC_FALLBACK:
                self.block(child)  # w:sdt content controls, w:customXml, ...

    def paragraph(self, p: Any) -> None:
        parts: list[str] = []
        boxes: list[Any] = []
        self._inline(p, parts, boxes)
        self.lines.append("".join(parts))
        for box in boxes:
            self.block(box)

    def _inline(self, element: Any, parts: list[str], boxes: list[Any]) -> None:
        for child in element:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _TXBX:
                boxes.append(child)
            elif tag not in (_DEL, _MC_FALLBACK):
                # Runs, hyperlinks, insertions, drawings, alternate content (only its
                # Choice: the Fallback is a copy of the same text box for old readers).
                self._inline(child, parts, boxes)

    def table(self, tbl: Any) -> None:
        for row in tbl.iter(_TR):
            if row.getparent() is not tbl:
                continue  # nested tables are visited through their cell
            cells = [cell for cell in row if cell.tag == _TC]
            walkers = []
            for cell in cells:
                walker = _Walker()
                walker.block(cell)
                walkers.append([line for line in walker.lines if line.strip()])
            if all(len(lines) <= 1 for lines in walkers):
                # A row of one-liners ("Software Engineer | Jan 2020 - Present") is one
                # line of fields, like a right-aligned date in a PDF.
                self.lines.append("\t".join(lines[0] for lines in walkers if lines))
            else:
                for lines in walkers:
                    self.lines.extend(lines)


def extract_docx(data: bytes, *, max_pages: int) -> str:
    """Header, body, tables and text boxes of a DOCX as lines of text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_archive(data, max_pages)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:  # a .dotx template, .docm macro file, ...
        raise UnsupportedFile(str(exc)[:300]) from exc
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        raise CorruptFile(f"{type(exc).__name__}: {exc}"[:300]) from exc
    except MemoryError as exc:
        raise ExtractionResourceLimit("MemoryError") from exc
    except Exception as exc:  # lxml.etree.XMLSyntaxError and other broken-part errors
        raise CorruptFile(f"{type(exc).__name__}: {exc}"[:300]) from exc
    walker = _Walker()
    # The name and contact details often live in the page header.
    seen: set[int] = set()
    for section in document.sections:
        header = section.header
        if not header.is_linked_to_previous and id(header.part) not in seen:
            seen.add(id(header.part))
            walker.block(header._element)
    walker.block(document.element.body)
    return "\n".join(walker.lines)
