"""Clean-up shared by every file type, applied to the raw text the extractors return.

It runs in the calling process, not in the extraction child: the raw text is already
bounded, and the mojibake repair comes from ``jobs.sources.text``, whose imports would
add ~100 ms to every child start.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from jobs.sources.text import fix_mojibake, strip_control_chars

__all__ = ["MAX_TEXT_CHARS", "normalize_text"]

# The profile parser is built for up to 200 kB of text; a resume is 3-30 kB. Longer text
# is cut at a line break so that no worker ever parses megabytes of extracted text.
MAX_TEXT_CHARS: Final = 200_000

# LiveCareer exports carry "Company Name \u00ef\u00bc\u200b City": a full-width colon
# (EF BC 9A) read as cp1252 whose last byte got lost, so fix_mojibake cannot restore it.
# The pair never occurs in real text.
_BROKEN_FULLWIDTH_RE: Final = re.compile("\u00ef[\u00bc\u00bd][\u0161\u02dc\u203a\u201a]?")
_INVISIBLE_RE: Final = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# "on-\u00ad\u2010campus" (La Verne): a hyphen written as hyphen + soft hyphen + Unicode
# hyphen. Once soft hyphens are gone, any run of hyphen characters is one hyphen.
_HYPHENS_RE: Final = re.compile("-?[\u2010\u2011]")
# Bullets from symbol and icon fonts (Word's Symbol bullet is the private-use U+F0B7).
_BULLETS_RE: Final = re.compile(
    "[\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u27a2\u2756\uf0a7\uf0b7\uf076\uf0d8\uf0fc]"
)
# "•\tImplement" (Word's tab after the bullet), "•Designed": one space after a bullet.
_BULLET_GAP_RE: Final = re.compile("•[\t ]*")
_SPACES_RE: Final = re.compile(r"[^\S\t\n]+")
_TAB_RE: Final = re.compile(r" ?\t[\t ]*")
_BLANK_LINES_RE: Final = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Repaired, NFKC-normalised text: one space between words, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fix_mojibake(text)
    text = _BROKEN_FULLWIDTH_RE.sub("", text)
    # NFKC after the mojibake repair (it would turn the "\u00bc" of a mojibake sequence
    # into "1/4"); it unfolds ligatures ("\ufb01" -> "fi", common in PDFs) and full-width
    # forms, and turns no-break spaces into spaces.
    text = unicodedata.normalize("NFKC", text)
    text = strip_control_chars(text)
    text = _INVISIBLE_RE.sub("", text)
    text = _HYPHENS_RE.sub("-", text)
    text = _BULLET_GAP_RE.sub("\u2022 ", _BULLETS_RE.sub("\u2022", text))
    lines = (_TAB_RE.sub("\t", _SPACES_RE.sub(" ", line)).strip(" \t") for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > MAX_TEXT_CHARS:
        cut = text.rfind("\n", 0, MAX_TEXT_CHARS)
        text = text[: cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS]
    return text
