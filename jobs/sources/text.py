"""Text and HTML normalisation shared by every job source.

Job boards hand us HTML written by thousands of different employers, sometimes
double-encoded, sometimes plain text with newlines, sometimes hostile. Everything a
source stores goes through these functions so that every source gets the same
guarantees: sanitised HTML that is safe to render with ``|safe``, readable plain text
for search and embeddings, and no mojibake.

They are on the hot path of every import (thousands of postings per second), so they
use precompiled regexes and one reusable ``nh3.Cleaner`` and avoid per-call setup.
No Django imports: sources are used by workers and tests without settings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Final

import nh3

__all__ = [
    "clean_plain_text",
    "fix_mojibake",
    "html_to_text",
    "normalize_tags",
    "plain_text_to_html",
    "prepare_description",
    "safe_http_url",
    "sanitize_html",
    "strip_control_chars",
]

# --------------------------------------------------------------------------- mojibake
#
# Mojibake here is UTF-8 bytes that were decoded as Windows-1252/Latin-1 somewhere
# upstream: an en dash (E2 80 93) became "â\x80\x93", "é" became "Ã©". The repair is to
# re-encode such a run with that codec and decode it as UTF-8.
#
# Why not ftfy? It is excellent but measured at ~1 ms per RemoteOK posting, which
# alone would cap the import at ~1,000 postings/s (we need > 3,000). On all four real
# RemoteOK snapshots this targeted repair gives the same output as
# ``ftfy.fix_encoding`` except for one title where a U+00A0 had already been turned
# into a plain space ("ExpérimentÃ " stays as is).

# "Sloppy" Windows-1252: the five bytes cp1252 leaves undefined map to the Latin-1
# C1 controls, and the C1 controls themselves (seen when the text was decoded as
# Latin-1 rather than cp1252, as in the 2017 RemoteOK feed) map back to their byte.
_CHAR_TO_BYTE: Final[dict[str, int]] = {}
for _byte in range(256):
    try:
        _char = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        _char = chr(_byte)
    _CHAR_TO_BYTE[_char] = _byte
for _byte in range(0x80, 0xA0):
    _CHAR_TO_BYTE.setdefault(chr(_byte), _byte)


def _char_class(low: int, high: int) -> str:
    chars = "".join(sorted(c for c, b in _CHAR_TO_BYTE.items() if low <= b <= high))
    return "[" + re.escape(chars) + "]"


_CONT: Final = _char_class(0x80, 0xBF)
# A lead byte (as decoded: every UTF-8 lead byte C2..F4 is the Latin-1 letter with
# the same code point) followed by continuation bytes. The callback checks that the
# match starts with exactly one complete, valid UTF-8 sequence, which is what keeps
# ordinary accented text ("café", "naïve") untouched. One simple character class per
# position lets the regex engine scan quickly; alternation by length was 6x slower.
_MOJIBAKE_SEQ: Final = re.compile(f"[\u00c2-\u00f4]{_CONT}{{1,3}}")
# Cheap pre-check: text without a possible lead byte cannot contain mojibake.
_MOJIBAKE_LEAD: Final = re.compile("[\u00c2-\u00f4]")
# cp1252 typography (curly quotes, dashes, ellipsis, bullet, dagger, per mille,
# angle quotes, trade mark, euro) that real text legitimately puts right after a
# capital accented letter (German closing quotes after "Ü"). A two-character
# sequence of that shape is only repaired when the lead is Â or Ã, by far the most
# common mojibake leads (they encode U+0080..U+00FF).
_TYPOGRAPHY: Final = frozenset(
    "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u2020\u2021\u2030"
    "\u2039\u203a\u2122\u20ac"
)


def _sequence_length(lead: str) -> int:
    code = ord(lead)
    if code <= 0xDF:
        return 2
    if code <= 0xEF:
        return 3
    return 4


def _repair_sequence(match: re.Match[str]) -> str:
    run = match.group()
    length = _sequence_length(run[0])
    if len(run) < length:
        return run  # incomplete sequence: an accented letter followed by symbols
    seq, rest = run[:length], run[length:]
    if length == 2 and seq[0] not in "ÂÃ" and seq[1] in _TYPOGRAPHY:
        return run
    try:
        return bytes([_CHAR_TO_BYTE[c] for c in seq]).decode("utf-8") + rest
    except (UnicodeDecodeError, KeyError):
        return run


def _repair_once(text: str) -> str:
    # Fast path, taken by every mojibake posting in the real RemoteOK snapshots: the
    # whole string is UTF-8 that was decoded as Latin-1, so one C-level round trip
    # repairs it (the per-sequence regex costs ~50 us on a 5 KB description). It
    # cannot misfire on genuine text: that would need *every* non-ASCII character to
    # sit in a valid UTF-8 byte pattern, which accented prose never does, and
    # genuine typography (curly quotes, dashes) is outside Latin-1, so the encode
    # fails first.
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    # Mixed text (some characters already correct): repair sequence by sequence.
    return _MOJIBAKE_SEQ.sub(_repair_sequence, text)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8-read-as-cp1252/Latin-1 mojibake, including double encoding."""
    if text.isascii() or not _MOJIBAKE_LEAD.search(text):
        return text
    # Up to three rounds: text that went through the wrong decode twice (a right
    # quote becomes nine characters starting "Ã¢â") comes back one layer per round;
    # stop as soon as a round changes nothing.
    for _ in range(3):
        repaired = _repair_once(text)
        if repaired == text:
            break
        text = repaired
    return text


# --------------------------------------------------------------------------- plain text

# C0 control characters except tab, LF and CR. NUL in particular cannot be stored in
# PostgreSQL text columns, and the rest are invisible garbage. Deleting them from the
# UTF-8 bytes with bytes.translate is ~3x faster than a regex over the str (a
# description is ~5 KB and this runs on every posting).
_C0_DELETE: Final = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# C1 controls (U+0080..U+009F) left over after mojibake repair, as UTF-8 bytes.
_C1_UTF8: Final = re.compile(rb"\xc2[\x80-\x9f]")
# Zero-width characters: invisible, and they break matching and de-duplication in
# short fields ("Python\u200b" != "Python"). Left alone in descriptions.
_ZERO_WIDTH: Final = re.compile("[\u200b-\u200d\u2060\ufeff]")


def strip_control_chars(text: str) -> str:
    """Remove C0/C1 control characters (keeping tab/newline) and lone surrogates.

    Lone surrogates come from JSON escapes like "\\ud83d" without their pair; they
    cannot be encoded as UTF-8, so nh3 and the database driver would both raise on
    them and one bad posting would fail the whole import.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "ignore")
    data = data.translate(None, _C0_DELETE)
    if b"\xc2" in data:
        data = _C1_UTF8.sub(b"", data)
    return data.decode("utf-8")


def clean_plain_text(value: object) -> str:
    """Normalise a single-line text field (title, company, location, tag).

    Non-strings become ``""`` (feeds put ``false``/``null`` in text fields). Entities
    are unescaped because feeds HTML-escape some titles ("CI&amp;T") but not others;
    templates escape on output, so storing the unescaped text is the safe form.
    """
    if not isinstance(value, str) or not value:
        return ""
    text = fix_mojibake(value)
    if "&" in text:
        text = html.unescape(text)
    if not text.isprintable():
        # Rare path: something other than plain printable characters is present.
        text = _ZERO_WIDTH.sub("", strip_control_chars(text))
    # str.split() with no argument splits on any Unicode whitespace (tabs, newlines,
    # NBSP), so this trims and collapses in one C-level pass.
    return " ".join(text.split())


def normalize_tags(raw: Iterable[object]) -> tuple[str, ...]:
    """Lower-case, trimmed, de-duplicated tags in their original order."""
    seen: dict[str, None] = {}  # dict keeps insertion order: a de-dup that keeps order
    for item in raw:
        if isinstance(item, int | float) and not isinstance(item, bool):
            item = str(item)
        tag = clean_plain_text(item).lower()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


_ALLOWED_URL_SCHEMES: Final = ("http://", "https://")


def safe_http_url(value: object) -> str:
    """``value`` if it is an absolute http(s) URL, else ``""``.

    URL fields end up in ``href``/``src`` attributes; this keeps ``javascript:`` and
    ``data:`` out of them no matter what the feed contains.
    """
    if not isinstance(value, str):
        return ""
    url = strip_control_chars(value).strip()
    if url.lower().startswith(_ALLOWED_URL_SCHEMES) and len(url) > 8 and " " not in url:
        return url
    return ""


# --------------------------------------------------------------------------- HTML

# What a job description may keep: structure and emphasis. No images (tracking pixels,
# layout-breaking banners), no forms, no media, no style/class attributes.
_ALLOWED_TAGS: Final = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre",
        "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
# Removed together with their content: their text is code or an embedded document,
# never part of the posting a person reads.
_DROP_WITH_CONTENT: Final = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "noscript", "noembed",
        "object", "embed", "applet", "template", "textarea", "select", "svg", "math",
        "title", "head",
    }
)  # fmt: skip

_CLEANER: Final = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    # Relative links would point into *our* site, which is never what the employer
    # meant; dropping them also drops protocol-relative "//host" links.
    url_relative="deny",
    # Third-party content: don't leak the opener, don't pass our ranking to it, and
    # tell search engines it is user-generated.
    link_rel="noopener nofollow ugc",
    strip_comments=True,
)


def sanitize_html(fragment: str) -> str:
    """Sanitise an HTML fragment to the allow-list above (safe to render as-is)."""
    return _CLEANER.clean(fragment) if fragment else ""


_BLOCK_TAG: Final = re.compile(
    r"<(?:p|br|div|li|ul|ol|h[1-6]|table|tr|blockquote|pre|hr|dl|dt|dd)\b", re.IGNORECASE
)
_LINE_BREAKS: Final = re.compile(r"\r\n?")
_PARAGRAPH_SPLIT: Final = re.compile(r"\n[ \t]*\n+")


def plain_text_to_html(text: str) -> str:
    """Give newline-formatted text HTML structure before it is sanitised.

    Several feeds (RemoteOK 2017/2021) send markdown-ish plain text whose only
    structure is newlines; rendered as HTML those would collapse into one blob.
    Text that already has block markup is returned unchanged. Inline markup and
    entities are left alone on purpose: the sanitiser deals with them next.
    """
    if "\n" not in text and "\r" not in text:
        return text
    if _BLOCK_TAG.search(text):
        return text
    text = _LINE_BREAKS.sub("\n", text).strip()
    paragraphs = (p.strip() for p in _PARAGRAPH_SPLIT.split(text))
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p)


# html_to_text works on *sanitised* HTML only: nh3 re-serialises it with html5ever,
# so tags are well formed, attribute values are double-quoted, a literal "<" in text
# is always "&lt;" and the only entities are &amp; &lt; &gt; &quot; &nbsp;. That is
# what makes regexes sound here (no HTML parser needed, which matters for speed).
# Attribute values may still contain ">", hence the quote-aware _ANY_TAG.
_PARAGRAPH_TAGS: Final = (
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote",
    "pre", "dl", "hr",
)  # fmt: skip
_TAG_SPLIT: Final = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)')
# What each tag becomes in text. Block-level tags carry no attributes after
# sanitising (only a/abbr/td may), so exact strings are enough; any other tag
# (inline tags, <a href=...>) becomes "". One split plus dict look-ups is about 3x
# cheaper than a regex with a Python callback per tag.
_TAG_TEXT: Final[dict[str, str]] = {
    "<br>": "\n",
    "<li>": "\n- ",  # the next item's "\n" or the list's "\n\n" ends an item
    "</td>": " ",
    "</th>": " ",
    **{f"<{slash}{name}>": "\n\n" for name in _PARAGRAPH_TAGS for slash in ("", "/")},
    **{f"<{slash}{name}>": "\n" for name in ("tr", "dt", "dd") for slash in ("", "/")},
}
# A list item whose content starts with a block ("<li><p>x</p>") leaves a lone "-".
_BULLET_GAP: Final = re.compile(r"\n-\n+")
_BLANK_LINES: Final = re.compile(r"\n\n\n+")


def html_to_text(sanitized_html: str) -> str:
    """Plain text from sanitised HTML: paragraphs as blank lines, items as "- ".

    Used for full-text search, embeddings and snippets, so it keeps paragraph breaks
    (they carry meaning for chunking) and unescapes entities ("&amp;" -> "&").
    It runs on every posting of every import, hence plain ``str`` operations and
    callback-free regexes (measured: a per-tag callback or per-line loop each cost
    more than sanitising itself).
    """
    if not sanitized_html:
        return ""
    text = sanitized_html
    # Source whitespace (including newlines) is insignificant in HTML; flatten it
    # first so only the breaks implied by tags survive.
    for char in "\r\n\t\f":
        if char in text:
            text = text.replace(char, " ")
    parts = _TAG_SPLIT.split(text)
    tag_text = _TAG_TEXT.get
    parts[1::2] = [tag_text(tag, "") for tag in parts[1::2]]
    text = "".join(parts)
    if "&" in text:
        text = html.unescape(text)
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n-\n" in text:
        text = _BULLET_GAP.sub("\n- ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def prepare_description(raw: object) -> tuple[str, str]:
    """``(description_html, description_text)`` from a feed's raw description."""
    if not isinstance(raw, str) or not raw.strip():
        return "", ""
    # Mojibake first: C1 characters are part of what identifies it, and would be
    # deleted by strip_control_chars.
    fixed = strip_control_chars(fix_mojibake(raw))
    safe = sanitize_html(plain_text_to_html(fixed))
    return safe, html_to_text(safe)
