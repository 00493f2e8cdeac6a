"""Normalised keys for companies and titles (pure functions, used for de-duplication)."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z+#]+")
# Legal forms that do not distinguish companies: "Acme Inc." and "ACME" are one company.
_COMPANY_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "plc",
        "corp",
        "corporation",
        "co",
        "oy",
        "ab",
        "as",
        "aps",
        "pty",
        "srl",
        "spa",
        "kg",
        "ug",
        "sarl",
    ]
)
# Words that say where or how, not what the job is: "Remote Senior Go Engineer (EU)" and
# "Senior Go Engineer" are the same posting for repost detection.
_TITLE_NOISE = frozenset(
    ["remote", "fully", "100", "worldwide", "anywhere", "wfh", "position", "job", "opening"]
)


def _fold(text: str) -> str:
    if text.isascii():
        # Nothing to decompose: the common case, and per-character work costs more than
        # anything else this module does on every imported posting.
        return text.casefold()
    # NFKD + dropping combining marks: "Zürich" and "Zurich" fold together.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def company_normalize(name: str) -> str:
    words = _NON_ALNUM.sub(" ", _fold(name)).split()
    while words and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


_WORD = re.compile(r"[a-z0-9+#]{2,64}")


def search_words(text: str) -> set[str]:
    """The words of ``text`` as the search vocabulary stores them (folded, 2-64 chars)."""
    return set(_WORD.findall(_fold(text)))


def title_normalize(title: str) -> str:
    words = [w for w in _NON_ALNUM.sub(" ", _fold(title)).split() if w not in _TITLE_NOISE]
    return " ".join(words)
