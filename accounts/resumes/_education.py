"""Degrees from the education section: degree, field, institution and year, best effort.

Nothing is inferred that the text does not say: a degree is found by its name
("Bachelor of Science", "Master's", "B.Tech", "PhD", "MEng"); field, institution and year
are taken from the same line or, for templates that put them on lines of their own
(Deedy: institution / degree / date), from the nearest lines of the same entry. A part
that is not found stays None.

Bare two-letter abbreviations (BS, BA, MS, MA, BE) count only at the start of a line or
field: elsewhere they are as often US states ("Cambridge, MA") or ordinary words.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Education", "extract_education"]

_MAX_ENTRIES: Final = 8
_MAX_FIELD_WORDS: Final = 8
_MAX_LINE: Final = 300

_LONG_DEGREE_RE: Final = re.compile(
    r"(?<![\w-])(?:(?:bachelor|master|associate)(?:['’]?s)?|doctor(?=[ \t]+of\b)|doctorate)"
    r"(?:[ \t]+of[ \t]+(?:(?:applied|fine|business|computer|public|social|technical)[ \t]+)?"
    r"[a-z]+)?(?:[ \t]+degree)?(?![\w-])",
    re.IGNORECASE,
)
_ABBREVIATIONS: Final = frozenset(
    {"PHD", "DPHIL", "MBA", "MSC", "MENG", "MTECH", "MCA", "BSC", "BENG", "BTECH", "BCOM"}
    | {"BCA", "BBA", "LLB", "LLM", "JD", "AAS", "BFA", "MFA", "MPH", "MSW", "BSN", "MSN"}
    | {"BS", "BA", "MS", "MA", "BE", "ME", "AA", "AS", "MD", "DIPLOMA"}
)
_BARE_TWO_LETTER: Final = frozenset({"BS", "BA", "MS", "MA", "BE", "ME", "AA", "AS", "MD"})
_ABBREVIATION_RE: Final = re.compile(r"(?<![\w.-])([A-Za-z][A-Za-z.]{1,8})(?![\w-])")
_INSTITUTION_RE: Final = re.compile(
    r"(?:(?!Attended\b)[A-Z][\w'’&.-]* ){0,3}(?i:University|College|Institute|School|Academy"
    r"|Polytechnic|Universidad|Universität|Université|Conservatory)"
    r"(?: (?:of|for) [A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3})?"
    # Institutions usually known by a short name that has no keyword in it.
    r"|\b(?:MIT|CMU|UCLA|NYU|EPFL|ETH[ \t]Zurich|UC[ \t][A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?"
    r"|IIT[ \t][A-Z][a-z]+|NIT[ \t][A-Z][a-z]+)\b"
)
_TOWARD_RE: Final = re.compile(r"\btowards?\b", re.IGNORECASE)
_YEAR_RE: Final = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# The anonymised location of every LiveCareer export; it would glue onto the field.
_PLACEHOLDER_RE: Final = re.compile(r"\bCity\s*,\s*State\b(?:\s*,\s*USA\b)?")
_FIELD_LEAD_RE: Final = re.compile(r"^[\s,:;–—-]*(?:in\b|of\b)?[\s,:;–—-]*", re.IGNORECASE)
_FIELD_STOP_RE: Final = re.compile(
    r"\t|\s*[,|;(•]\s*|\s+[-–—]\s+|\s+(?:from|at)\s+|(?<!\d)(?:19|20)\d{2}(?!\d)|\s+GPA\b"
)


@dataclass(frozen=True, slots=True)
class Education:
    degree: str
    field: str | None
    institution: str | None
    year: int | None


# How degrees written in capitals ("MENG IN COMPUTER SCIENCE") are usually spelled.
_DEGREE_SPELLING: Final = {
    "MENG": "MEng", "BENG": "BEng", "PHD": "PhD", "MSC": "MSc", "BSC": "BSc",
    "MTECH": "MTech", "BTECH": "BTech", "BCOM": "BCom", "DPHIL": "DPhil",
}  # fmt: skip


def _recase(text: str) -> str:
    """Title case for text in capitals ("CORNELL UNIVERSITY"); short words stay (MIT, BS)."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) <= 3 or not all(char.isupper() for char in letters):
        return text
    if text in _DEGREE_SPELLING:
        return _DEGREE_SPELLING[text]
    return (
        " ".join(
            word if len(word) <= 3 and word not in ("IN", "OF", "AND", "FOR") else word.capitalize()
            for word in text.split()
        )
        .replace(" In ", " in ")
        .replace(" Of ", " of ")
        .replace(" And ", " and ")
    )


def _degree(line: str) -> tuple[int, int] | None:
    if _TOWARD_RE.search(line):
        return None  # "78 semester hours toward Bachelors degree": not held
    match = _LONG_DEGREE_RE.search(line)
    if match is not None:
        return match.start(), match.end()
    for token in _ABBREVIATION_RE.finditer(line):
        word = token.group(1)
        key = word.replace(".", "").upper()
        if key not in _ABBREVIATIONS:
            continue
        if word.islower() or (word.istitle() and len(word) == 2):
            continue  # "be", "Ma", "As": ordinary words
        before = line[: token.start()].rstrip(" ")
        if key in _BARE_TWO_LETTER and "." not in word and before and before[-1] not in "\t|":
            continue
        return token.start(), token.end()
    return None


def _institution(line: str) -> tuple[int, int] | None:
    match = _INSTITUTION_RE.search(line)
    return (match.start(), match.end()) if match else None


def _field(after: str) -> str | None:
    """The field of study in the text after the degree ("in Computer Science, MIT")."""
    rest = _FIELD_LEAD_RE.sub("", after, count=1)
    institution = _institution(rest)
    if institution is not None:
        # "PhD  Princeton University, Computer Science": the field follows the school;
        # "Biological Sciences Atlantic Cape Community College": it precedes it.
        if institution[0] == 0:
            rest = _FIELD_LEAD_RE.sub("", rest[institution[1] :], count=1)
        else:
            rest = rest[: institution[0]]
    part = _FIELD_STOP_RE.split(rest, maxsplit=1)[0].strip(" .:")
    if part and part[0].isupper() and len(part.split()) <= _MAX_FIELD_WORDS:
        return _recase(part)
    return None


def _nearest(index: int, low: int, high: int, order: tuple[int, ...]) -> list[int]:
    return [index + step for step in order if low <= index + step <= high]


def extract_education(section: str, *, today: datetime.date) -> list[Education]:
    # An education entry is never longer than this; the cap keeps the institution search
    # cheap on a pathological line (a 200 kB line of capitalised words took 0.5 s).
    lines = [_PLACEHOLDER_RE.sub("", line[:_MAX_LINE]).strip() for line in section.split("\n")]
    degrees = [(number, span) for number, line in enumerate(lines) if (span := _degree(line))]
    entries: list[Education] = []
    for position, (number, (start, end)) in enumerate(degrees[:_MAX_ENTRIES]):
        low = degrees[position - 1][0] + 1 if position else 0
        high = degrees[position + 1][0] - 1 if position + 1 < len(degrees) else len(lines) - 1
        low, high = max(low, number - 2), min(high, number + 2)
        line = lines[number]
        institution = None
        for candidate in _nearest(number, low, high, (0, -1, 1, -2, 2)):
            span = _institution(lines[candidate])
            if span is not None:
                institution = _recase(lines[candidate][span[0] : span[1]].strip())
                break
        year = None
        for candidate in _nearest(number, low, high, (0, 1, -1, 2, -2)):
            years = [int(y) for y in _YEAR_RE.findall(lines[candidate])]
            years = [y for y in years if 1950 <= y <= today.year + 6]
            if years:
                year = max(years)
                break
        entries.append(
            Education(
                degree=_recase(line[start:end].strip()),
                field=_field(line[end:]),
                institution=institution,
                year=year,
            )
        )
    return entries
