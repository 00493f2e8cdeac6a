"""PDF -> raw text with pypdf (runs inside the extraction child; see ``isolation``).

pypdf is imported lazily: importing it costs ~120 ms, which the parent process never
needs to pay when it only sniffs a file type.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any, Final

from accounts.resumes._columns import reading_order
from accounts.resumes.errors import (
    CorruptFile,
    EncryptedFile,
    ExtractionResourceLimit,
    NoTextFound,
    ResumeReadError,
    TooManyPages,
)

__all__ = ["PDF_LIMITS", "extract_pdf"]

# pypdf's own decompression and parsing budgets (pypdf >= 6 ``Configuration``). Its
# defaults (75 MB per stream) are meant for arbitrary documents; a resume page's content
# stream is a few kB and its embedded fonts well under 2 MB, so 16 MB per stream leaves
# a wide margin while stopping a Flate bomb long before the memory limit of the child.
PDF_LIMITS: Final[dict[str, Any]] = {
    "maximum_declared_stream_length": 16_000_000,
    "array_based_stream_maximum_output_length": 16_000_000,
    "zlib_maximum_output_length": 16_000_000,
    "lzw_maximum_output_length": 16_000_000,
    "run_length_maximum_output_length": 16_000_000,
    "brotli_maximum_output_length": 16_000_000,
    "jbig2_maximum_output_length": 16_000_000,
    "image_maximum_buffer_size": 16_000_000,
    "stream_decoding_work_maximum_length": 64_000_000,
    # Never start a helper program for images; text extraction does not need them.
    "jbig2dec_binary": None,
}

# Layout mode writes glyphs the PDF itself contains, including the tab and carriage
# return that Word puts between the words of some exports (the La Verne sample has
# "Leo\t\r\xa0Leopard"). Each occupies one grid cell, so they are replaced by a
# placeholder of the same width for the column analysis (columns stay aligned) and
# dropped afterwards, so they neither split words nor widen the gaps between them. The
# no-break space is a real space ("\u2022\xa0Designed") and becomes one.
_INVISIBLE_RE: Final = re.compile("[\t\r\x0b\x0c]")
_PLACEHOLDER: Final = "\x00"
# In the grid, words are one or two spaces apart (two in justified lines); three or more
# mean a separate block of text on the same line, such as a right-aligned date. That
# separation is kept as one tab so the profile parser (and the skills matcher, which
# never joins a phrase across a tab) still sees two fields.
_FIELD_GAP_RE: Final = re.compile(" {3,}")
_WORD_GAP_RE: Final = re.compile(" {2}")
# Page furniture: a bare page number ("2", "1/2", "Page 2 of 3") on a line of its own.
_PAGE_NUMBER_RE: Final = re.compile(r"(?:page\s*)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?", re.IGNORECASE)


def _clean_line(line: str) -> str:
    line = line.replace(_PLACEHOLDER, "").strip()
    return _WORD_GAP_RE.sub(" ", _FIELD_GAP_RE.sub("\t", line))


def _page_text(page: Any) -> str:
    from pypdf.errors import LimitReachedError

    try:
        grid = page.extract_text(extraction_mode="layout")
    except LimitReachedError:
        raise
    except Exception:
        # Layout mode needs font metrics that some broken files lack; the default mode
        # still gets their words out, only without the column analysis.
        grid = page.extract_text()
    lines = _INVISIBLE_RE.sub(_PLACEHOLDER, grid).replace("\xa0", " ").split("\n")
    out = [_clean_line(line) for line in reading_order(lines, invisible=_PLACEHOLDER)]
    return "\n".join(line for line in out if not _PAGE_NUMBER_RE.fullmatch(line))


def extract_pdf(data: bytes, *, max_pages: int) -> tuple[str, int]:
    """Text of every page (pages separated by a blank line) and the page count.

    Raises a :class:`ResumeReadError` subclass; any other failure inside pypdf is a
    broken file (:class:`CorruptFile`).
    """
    import pypdf
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    # pypdf logs every oddity it repairs; for a hostile file that is megabytes of noise.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with pypdf.apply_configuration(**PDF_LIMITS):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                # Files with only an owner password (copy/print restrictions) open with
                # the empty user password, as in every PDF viewer, and are read; only a
                # password needed to *open* the file stops us.
                raise EncryptedFile("PDF needs a user password")
            pages = len(reader.pages)
            if pages > max_pages:
                raise TooManyPages(pages, max_pages)
            texts = [_page_text(page) for page in reader.pages]
        except ResumeReadError:
            raise
        except FileNotDecryptedError as exc:
            raise EncryptedFile(str(exc)) from exc
        except LimitReachedError as exc:
            raise ExtractionResourceLimit(f"pypdf limit: {exc}") from exc
        except (MemoryError, RecursionError) as exc:
            raise ExtractionResourceLimit(type(exc).__name__) from exc
        except Exception as exc:
            raise CorruptFile(f"{type(exc).__name__}: {exc}"[:500]) from exc
    if not pages:
        raise NoTextFound("PDF has no pages")
    return "\n\n".join(texts), pages
