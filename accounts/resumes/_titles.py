"""Job titles from the experience section ("Senior Software Engineer", "Sous Chef").

Precision over recall: a title is a run of capitalised words at the *start* of a field
(the text between separators such as a tab, "|", ",", " - ", a date) that ends in a role
noun (engineer, accountant, chef, teacher, intern, ...), at most seven words, on a line
that is not a bullet or a sentence. That finds the title whether it comes before the
company ("Software Engineer, XYZ Solutions"), after it ("FACEBOOK | SOFTWARE ENGINEER",
"Company Name July 2011 to November 2012 Accountant") or before the anonymised company
of LiveCareer exports ("Biology Teacher Company Name City , State"), and never returns a
company name (no role noun at its end) or a sentence (lower-case words stop the run).

Order: most recent first, by the date range (or single date) on the title's line or the
two lines after it; an entry without dates sorts with the dated entry before it.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass
from typing import Final

from accounts.resumes._dates import find_dates, find_ranges

__all__ = ["extract_titles"]

_ROLE_NOUNS: Final = frozenset(
    {
        "engineer", "developer", "programmer", "architect", "scientist", "analyst",
        "manager", "director", "consultant", "designer", "administrator", "specialist",
        "technician", "technologist", "coordinator", "officer", "accountant", "auditor",
        "advisor", "adviser", "associate", "assistant", "intern", "trainee", "apprentice",
        "lead", "head", "chef", "cook", "baker", "teacher", "tutor", "instructor",
        "professor", "lecturer", "educator", "nurse", "physician", "doctor", "surgeon",
        "therapist", "pharmacist", "dentist", "clerk", "cashier", "agent", "representative",
        "supervisor", "executive", "president", "founder", "owner", "partner", "researcher",
        "writer", "editor", "journalist", "recruiter", "attorney", "lawyer", "advocate",
        "paralegal", "counsel", "receptionist", "secretary", "bookkeeper", "controller",
        "comptroller", "planner", "buyer", "driver", "operator", "mechanic", "electrician",
        "contractor", "coach", "trainer", "host", "hostess", "waiter", "waitress",
        "bartender", "barista", "cto", "ceo", "cfo", "coo", "cio", "cmo", "vp", "sre",
        "dba", "tester", "leader", "contributor", "strategist", "marketer", "producer",
        "photographer", "artist", "illustrator", "animator", "translator", "interpreter",
        "librarian", "counselor", "counsellor", "psychologist", "worker", "aide",
        "caregiver", "inspector", "estimator", "surveyor", "drafter", "draftsman",
        "machinist", "welder", "carpenter", "plumber", "foreman", "superintendent",
        "dispatcher", "merchandiser", "salesperson", "generalist", "steward", "attendant",
        "investigator", "economist", "statistician", "actuary", "underwriter", "banker",
        "broker", "trader", "teller", "webmaster", "housekeeper", "paramedic", "dietitian",
        "nutritionist", "pilot", "clinician", "practitioner", "principal",
    }
)  # fmt: skip
# "Server" is missing on purpose: "SQL Server", "Application Server" outnumber waiters.
# Role nouns that alone are more often a verb or a plain word ("Lead the migration",
# "Host families", "Principal component analysis"): only with a word before them.
_NOT_ALONE: Final = frozenset(
    {"lead", "head", "host", "associate", "assistant", "partner", "owner"}
    | {"agent", "executive", "officer", "principal", "trainer", "worker", "aide", "counsel"}
    | {"driver", "operator", "controller", "planner", "producer", "contributor", "leader"}
)
_CONNECTORS: Final = frozenset({"of", "and", "&", "for", "in", "to", "de", "-", "/"})
# Upper-case words kept as they are when an ALL-CAPS title is re-cased.
_ACRONYMS: Final = frozenset(
    {"IT", "QA", "UX", "UI", "AI", "ML", "HR", "VP", "PR", "CTO", "CEO", "CFO", "COO"}
    | {"CIO", "CMO", "SRE", "DBA", "SAP", "ERP", "BI", "ETL", "AWS", "GCP", "SEO", "II"}
    | {"III", "IV", "iOS", "DEVOPS", "TCA"}
)
_GRADES: Final = frozenset({"I", "II", "III", "IV"})
_MAX_TITLE_WORDS: Final = 7
_MAX_LINE_WORDS: Final = 16
_BULLETS: Final = "•*-·▪➢✓>◦–—"
_SEPARATOR_RE: Final = re.compile(r"\t|\s*[|•·;,(]\s*|\s+[-–—@+]\s+|\s+at\s+|\s*:\s+|\s{2,}")
# "Role: Java Developer", "Designation Held: Logistic Assistant": a label naming the
# title. Any other label ("Environment:", "Project Title:", "Client:") starts a line
# about something else, unless the label is itself a title ("Consultant: Arif & Co").
_LABEL_RE: Final = re.compile(r"([A-Za-z][A-Za-z ]{0,30}?)\s?:\s+")
_TITLE_LABEL_RE: Final = re.compile(
    r"(?:(?:current|present|job)\s+)?(?:role|position|designation|title)s?(?:\s+held)?",
    re.IGNORECASE,
)
_LEADING_LABEL_RE: Final = re.compile(
    r"(?:role|position|designation)(?:\s+(?:of|as))?\s+(?=[A-Z])", re.I
)
_CURRENT_RE: Final = re.compile(r"\b(?:present|current|now)\b", re.IGNORECASE)
_WORD_PART_RE: Final = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class _Entry:
    title: str
    line: int
    when: tuple[int, int] | None  # (end, first) month numbers


def _role_word(token: str) -> str | None:
    parts = _WORD_PART_RE.findall(token)
    return parts[-1].lower() if parts else None


def _titleish(token: str) -> bool:
    if any(char.isdigit() for char in token):
        return False  # "C-300 Controller", "Q3": models and codes, not titles
    first = token.lstrip("(\"'")[:1]
    return first.isupper() or token.lower() in _CONNECTORS


def _title_span(segment: str) -> str | None:
    tokens = segment.split()
    if not tokens or not tokens[0][:1].isupper():
        return None
    end = 0
    for index, token in enumerate(tokens[:_MAX_TITLE_WORDS]):
        if not _titleish(token):
            break
        if _role_word(token) in _ROLE_NOUNS and token.lower() not in _CONNECTORS:
            end = index + 1
        elif end and end == index and token.rstrip(",") in _GRADES:
            end = index + 1  # "Software Engineer II"
    if not end:
        return None
    words = tokens[:end]
    if len(words) == 1 and _role_word(words[0]) in _NOT_ALONE:
        return None
    title = " ".join(words).replace("/ ", "/").replace(" /", "/")
    return _recase(title.strip(" -/&,."))


def _recase(title: str) -> str:
    letters = [char for char in title if char.isalpha()]
    if not letters or not all(char.isupper() for char in letters):
        return title

    def word(token: str) -> str:
        if token in _ACRONYMS:
            return token
        return re.sub(r"[A-Za-z]+", lambda m: m.group().capitalize(), token)

    recased = " ".join(word(token) for token in title.split())
    for small in (" Of ", " And ", " For ", " In ", " To "):
        recased = recased.replace(small, small.lower())
    return recased


def title_from_line(line: str, blanks: list[tuple[int, int]]) -> str | None:
    """The first title-like field of ``line``; ``blanks`` are date spans to cut out."""
    for start, stop in sorted(blanks, reverse=True):
        line = line[:start] + "\t" + line[stop:]
    line = _CURRENT_RE.sub("\t", line).strip()
    label = _LABEL_RE.match(line)
    if label is not None:
        if not _TITLE_LABEL_RE.fullmatch(label.group(1)):
            return _title_span(label.group(1))
        line = line[label.end() :]
    line = _LEADING_LABEL_RE.sub("", line, count=1)
    for segment in _SEPARATOR_RE.split(line):
        title = _title_span(segment.strip())
        if title:
            return title
    return None


def _candidate(line: str, has_date: bool) -> bool:
    stripped = line.strip()
    # Bullets, and lower-case starts: continuation lines and "company - ..." fields.
    if not stripped or stripped[0] in _BULLETS or not stripped[0].isalnum():
        return False
    if stripped[0].islower():
        return False
    if stripped.startswith("o "):  # Word's hollow-circle bullet as a letter
        return False
    if len(stripped.split()) > _MAX_LINE_WORDS:
        return False
    return has_date or not stripped.endswith(".")


def extract_titles(section: str, *, today: datetime.date) -> list[str]:
    """Titles held, most recent first, without duplicates (case-insensitive)."""
    line_starts = [0]
    for match in re.finditer("\n", section):
        line_starts.append(match.end())
    lines = section.split("\n")
    ranges_by_line: dict[int, list[tuple[int, int]]] = {}
    blanks_by_line: dict[int, list[tuple[int, int]]] = {}
    for found in find_ranges(section, today=today):
        first_line = bisect.bisect_right(line_starts, found.start) - 1
        ranges_by_line.setdefault(first_line, []).append((found.end, found.first))
        for start, stop in found.spans:
            number = bisect.bisect_right(line_starts, start) - 1
            base = line_starts[number]
            blanks_by_line.setdefault(number, []).append((start - base, stop - base))
    entries: list[_Entry] = []
    for number, line in enumerate(lines):
        dated = number in ranges_by_line
        singles = [] if dated else find_dates(line, today=today)
        if not _candidate(line, dated or bool(singles)):
            continue
        title = title_from_line(line, blanks_by_line.get(number, []))
        if title is None:
            continue
        when: tuple[int, int] | None = None
        for offset in (0, 1, 2):
            if number + offset in ranges_by_line:
                when = max(ranges_by_line[number + offset])
                break
        if when is None and singles:
            when = (max(singles) + 1, max(singles))
        entries.append(_Entry(title, number, when))
    return _ordered(entries)


def _ordered(entries: list[_Entry]) -> list[str]:
    keyed: list[tuple[tuple[int, int], int, str]] = []
    inherited = (10**9, 10**9)  # before any dated entry: keep at the top
    for entry in entries:
        if entry.when is not None:
            inherited = entry.when
        keyed.append((inherited, entry.line, entry.title))
    keyed.sort(key=lambda item: (-item[0][0], -item[0][1], item[1]))
    seen: dict[str, str] = {}
    for _when, _line, title in keyed:
        seen.setdefault(title.casefold(), title)
    return list(seen.values())


# A headline is at most this many words: "Cloud Operations Architect (DevOps)".
_HEADLINE_MAX_WORDS: Final = 6
# "Role: Senior System Engineer", "Designation - Accountant", "A Civil Engineer".
_HEADLINE_LABEL_RE: Final = re.compile(
    r"^(?:(?:role|position|designation|title|current role)\s*[:\-]\s*|an?\s+(?=[A-Z]))",
    re.IGNORECASE,
)


def extract_headline_titles(text: str, *, limit: int = 3) -> list[str]:
    """Titles standing alone on a line anywhere in the text ("Sales Manager" under the
    name, or above a job's details), for resumes whose experience section yields none.

    Only a line that is a title and nothing else counts: a title inside a sentence or
    next to a company is left to :func:`extract_titles`, which knows the experience
    section's layout.
    """
    found: dict[str, str] = {}
    for line in text.split("\n"):
        stripped = _HEADLINE_LABEL_RE.sub("", line.strip(" \t-:•*"), count=1)
        words = stripped.split()
        if not words or len(words) > _HEADLINE_MAX_WORDS or not _candidate(stripped, False):
            continue
        title = _title_span(stripped)
        # The whole line must be the title (a trailing "(DevOps)" qualifier aside).
        if title is None or len(title.split()) < len(stripped.split("(")[0].split()):
            continue
        found.setdefault(title.casefold(), title)
        if len(found) == limit:
            break
    return list(found.values())
