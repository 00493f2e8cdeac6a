"""Plain-text and Markdown resumes: decoding the bytes and stripping Markdown markup.

Encodings, in the order they are tried:

* a byte-order mark decides: UTF-8 (with BOM, as Windows Notepad writes it), UTF-32 and
  UTF-16 (Notepad's "Unicode");
* UTF-8 without BOM (what every modern editor writes);
* UTF-16 without BOM, recognised by NUL bytes in every other position (ASCII text in
  UTF-16 is half NULs, which no real UTF-8 or cp1252 text has);
* cp1252, the "ANSI" encoding of Western Windows. Any byte sequence that is not valid
  UTF-8 is almost certainly a legacy Windows file; latin-1 would accept everything,
  including binary data, while cp1252 leaves five bytes undefined, which catches some.

Whatever decodes is still rejected as binary when it contains control characters that
no text file has (NUL, ESC, ...): an unknown binary format is not a text resume.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from accounts.resumes.errors import UnsupportedFile

__all__ = ["decode_text", "strip_markdown"]

_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab, LF, CR and form feed; one of them in a text file is
# already suspicious, more than a few per mille means binary.
_BINARY_CHARS_RE: Final = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_SAMPLE: Final = 64_000
_MAX_BINARY_RATIO: Final = 0.002


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls > 0.4 * half and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes) -> str:
    """The text of a plain-text file, or :class:`UnsupportedFile` when it is binary."""
    text = _decode(data)
    if text is None:
        raise UnsupportedFile("not valid text in any supported encoding")
    sample = text[:_SAMPLE]
    controls = len(_BINARY_CHARS_RE.findall(sample))
    if "\x00" in sample or controls > _MAX_BINARY_RATIO * len(sample):
        raise UnsupportedFile(f"binary data ({controls} control characters in the sample)")
    return text


# --------------------------------------------------------------------------- Markdown
#
# Light-handed on purpose: enough that headings are bare lines (so sections are found)
# and that emphasis and link markup do not glue onto skills ("**Python**",
# "[Django](https://...)"). Every pattern works within one line, has bounded repetition,
# and its repeated part cannot contain the character that starts the next attempt
# ("[", "*", "~", "("), so a run of markup characters is not rescanned from every
# position: linear in the input (200 kB of "[" takes ~30 ms, not 1.2 s). Plain text
# without Markdown passes through unchanged except for bullets "* " / "+ ", which
# become "•".

_MD_RULES: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Code fences and horizontal rules / setext underlines: the line goes.
    (re.compile(r"^[ \t]{0,3}(?:`{3,}|~{3,})[^\n]{0,100}\n?", re.M), ""),
    (
        re.compile(r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+)$\n?", re.M),
        "",
    ),
    # Table delimiter rows ("|---|:--:|") go; table rows lose their outer pipes.
    (
        re.compile(
            r"^[ \t]{0,3}\|?(?:[ \t]*:?-{3,}:?[ \t]*\|){1,50}[ \t]*(?::?-{3,}:?)?[ \t]*$\n?", re.M
        ),
        "",
    ),
    (re.compile(r"^[ \t]{0,3}\|([^\n]{0,2000})\|[ \t]*$", re.M), r"\1"),
    # ATX headings "## Experience ##" -> "Experience".
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+([^\n]{0,300}?)[ \t]*#*[ \t]*$", re.M), r"\1"),
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),
    (re.compile(r"^([ \t]{0,12})[*+][ \t]+", re.M), r"\1• "),
    (re.compile(r"!\[([^\[\]\n]{0,300})\]\([^()\s]{0,1000}\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]{1,300})\]\([^()\s]{0,1000}\)"), r"\1"),
    (re.compile(r"<((?:https?://|mailto:)[^<>\s]{1,1000})>"), r"\1"),
    (re.compile(r"\*\*(?=[^\s*])([^*\n]{0,300}?[^\s*])\*\*"), r"\1"),
    (re.compile(r"__(?=[^\s_])([^_\n]{0,300}?[^\s_])__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{0,300}?[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{0,300}?[^\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=[^\s~])([^~\n]{0,300}?[^\s~])~~"), r"\1"),
    (re.compile(r"`([^`\n]{1,300})`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),
)


def strip_markdown(text: str) -> str:
    """Text with Markdown headings, emphasis, links, code and tables unwrapped."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text
