"""Seniority of a posting: the title's explicit level, else cues from the text.

Decisions (the ``Seniority`` ladder is intern < junior < mid < senior < lead < principal):

* **Staff -> lead.** In engineering ladders Staff is the first level above Senior and
  sits beside Tech Lead; "principal" is kept for the level above that (Principal,
  Distinguished, Senior Staff). Only "Staff" followed by an IC job word counts:
  "Staff Accountant" and "Staff Nurse" are ordinary, non-senior titles.
* **Head of / Director / VP / C-level -> principal.** They rank above team leads;
  mapping them to "lead" would show VP roles to people looking for a team-lead job.
  "Associate/Assistant Director" -> lead (one step below a director).
* **Several levels in one title.** Lead or principal wins over the others ("Senior
  Software Engineer Team Lead" -> lead, "Senior Principal Engineer" -> principal); a
  range of IC levels resolves to its *lowest* ("Mid Senior .NET Developer" -> mid,
  "Senior, Mid and Junior level" -> junior), because the posting is open to that level.
* Roman numerals count only right after a job noun and only when no level word is
  present: "SDE I" -> junior, "Engineer II" -> mid, "Engineer III" -> senior, but
  "Senior Analyst I" stays senior and "I need a Meteor Developer" has no level.
* "Associate" (Associate Product Manager) -> junior, "Entry level"/"Graduate" ->
  junior, "Intermediate"/"Mid-level" -> mid, "Trainee"/"Apprentice"/"Working
  student" -> intern. "Experienced" and "Expert" are not levels (too vague).
* **No level in the title:** "a senior engineer"-style phrases in the text, then the
  years of experience asked for (0-1 junior, 2-3 mid, 4-7 senior, 8+ lead; never
  principal or intern from years alone), then ``mid``, the most common level.
"""

from __future__ import annotations

import re
from typing import Final

from jobrec.ai.interfaces import Seniority

__all__ = [
    "LEVEL_ORDER",
    "infer_seniority",
    "seniority_from_text",
    "seniority_from_title",
    "seniority_from_years",
]

LEVEL_ORDER: Final[tuple[Seniority, ...]] = (
    "intern",
    "junior",
    "mid",
    "senior",
    "lead",
    "principal",
)
_RANK: Final[dict[str, int]] = {level: rank for rank, level in enumerate(LEVEL_ORDER)}

_WORD_RE: Final = re.compile(r"[^\W\d_]+")

# Single words that name a level on their own.
_LEVEL_WORDS: Final[dict[str, Seniority]] = {
    "intern": "intern",
    "interns": "intern",
    "internship": "intern",
    "trainee": "intern",
    "apprentice": "intern",
    "apprenticeship": "intern",
    "werkstudent": "intern",
    "praktikant": "intern",
    "junior": "junior",
    "jr": "junior",
    "graduate": "junior",
    "grad": "junior",
    "mid": "mid",
    "midlevel": "mid",
    "intermediate": "mid",
    "senior": "senior",
    "sr": "senior",
    "snr": "senior",
    "lead": "lead",
    "leader": "lead",
    "principal": "principal",
    "distinguished": "principal",
    "director": "principal",
    "vp": "principal",
    "svp": "principal",
    "evp": "principal",
    "president": "principal",
    "chief": "principal",
    "cto": "principal",
    "cio": "principal",
    "ceo": "principal",
    "cfo": "principal",
    "coo": "principal",
    "cmo": "principal",
    "cpo": "principal",
    "ciso": "principal",
}
# "Lead Generation Specialist" is about sales leads, not a level.
_NOT_AFTER_LEAD: Final = frozenset({"generation", "gen", "magnet", "magnets", "qualification"})
# "Staff" is a level only before an individual-contributor job word.
_STAFF_IC: Final = frozenset(
    {
        "engineer", "engineers", "software", "developer", "data", "machine", "ml", "ai",
        "scientist", "research", "researcher", "designer", "product", "frontend",
        "backend", "fullstack", "full", "site", "security", "infrastructure", "platform",
        "mobile", "ios", "android", "cloud", "devops", "sre", "systems", "applied",
        "technical", "ux", "web", "analytics", "solutions", "quality", "test", "qa",
    }
)  # fmt: skip
_ASSOCIATE_NOT_JUNIOR: Final = frozenset(
    {"director", "directors", "partner", "professor", "dean", "vp", "principal", "general"}
)
_ROMAN: Final[dict[str, Seniority]] = {"I": "junior", "II": "mid", "III": "senior"}
_ROLE_NOUNS: Final = frozenset(
    {
        "engineer", "developer", "analyst", "sde", "swe", "designer", "scientist",
        "specialist", "associate", "consultant", "administrator", "technician",
        "representative", "accountant", "architect", "manager", "programmer", "writer",
        "coordinator", "officer", "nurse", "researcher", "tester", "agent", "advisor",
    }
)  # fmt: skip


def _pick(levels: list[Seniority]) -> Seniority | None:
    """Lead/principal wins over IC levels; several IC levels resolve to the lowest."""
    if not levels:
        return None
    managerial = [level for level in levels if _RANK[level] >= _RANK["lead"]]
    if managerial:
        return max(managerial, key=_RANK.__getitem__)
    return min(levels, key=_RANK.__getitem__)


def seniority_from_title(title: str) -> Seniority | None:
    """The level the title states explicitly, or None. See the module docstring."""
    words = _WORD_RE.findall(title[:300])
    lower = [word.lower() for word in words]
    levels: list[Seniority] = []
    count = len(lower)
    for i, word in enumerate(lower):
        nxt = lower[i + 1] if i + 1 < count else ""
        prev = lower[i - 1] if i else ""
        level = _LEVEL_WORDS.get(word)
        if level is not None:
            if word == "lead" and nxt in _NOT_AFTER_LEAD:
                continue
            if word in ("director", "directors") and {"associate", "assistant"} & set(
                lower[max(0, i - 2) : i]
            ):  # "Associate (Medical) Director"
                level = "lead"
            if word in ("graduate", "grad") and nxt in ("school", "student", "students"):
                continue
            if word == "chief" and nxt == "of":  # "Chief of Staff": a senior aide, not C-level
                level = "lead"
            levels.append(level)
        elif word == "head" and nxt == "of":
            levels.append("principal")
        elif word == "staff" and nxt in _STAFF_IC:
            levels.append("principal" if prev == "senior" else "lead")
        elif (word == "entry" and nxt == "level") or (
            word == "associate" and nxt not in _ASSOCIATE_NOT_JUNIOR
        ):
            levels.append("junior")
        elif word == "vice" and nxt == "president":
            levels.append("principal")
    if "senior" in levels and any(w == "staff" for w in lower):
        # "Senior Staff Engineer": the "senior" qualifies "staff", it is not a range.
        levels = [level for level in levels if level != "senior"]
    if levels:
        return _pick(levels)
    for i in range(1, len(words)):
        roman = _ROMAN.get(words[i])
        if roman is not None and lower[i - 1] in _ROLE_NOUNS:
            return roman
    return None


# "We are looking for a Senior React Engineer", "as an intern", "a junior role".
# Found by a literal-first scan for the level words (fast), then judged by the words
# around each hit: an article right before (with at most two adjectives) and a job
# word soon after. "mentor junior developers" has no article and does not count.
_TEXT_LEVEL_ANCHOR: Final = re.compile(
    r"senior|sr\.?(?=\s)|junior|jr\.?(?=\s)|lead\b|principal|staff\b|mid[- ]level|mid\b|"
    r"intermediate|entry[- ]level|intern\b|graduate\b"
)
_TEXT_ARTICLE_BEFORE: Final = re.compile(
    r"\b(?:an?|as an?)\s+"
    r"(?:(?:experienced|talented|motivated|passionate|skilled|highly|driven|remote|"
    r"full[- ]time|strong|great|new|hands[- ]on|self[- ]motivated|dedicated|"
    r"ambitious|seasoned|truly)\s+){0,2}$"
)
_TEXT_ROLE_AFTER: Final = re.compile(
    r"^(?:[\s,]+[\w.+#/&-]+){0,4}?[\s,]+(?:engineers?|developers?|designers?|"
    r"managers?|scientists?|analysts?|architects?|specialists?|consultants?|"
    r"programmers?|administrators?|writers?|marketers?|accountants?|representatives?|"
    r"recruiters?|researchers?|producers?|editors?|copywriters?|strategists?|sre|"
    r"members?|hires?|positions?|roles?|candidates?|professionals?|individuals?|"
    r"contributors?|level|people|person|someone)\b|^\s*[,.]|^\s+(?:to|who|with|for)\b"
)
_TEXT_LEVELS: Final[dict[str, Seniority]] = {
    "senior": "senior",
    "sr": "senior",
    "junior": "junior",
    "jr": "junior",
    "lead": "lead",
    "principal": "principal",
    "staff": "lead",
    "mid-level": "mid",
    "mid level": "mid",
    "mid": "mid",
    "intermediate": "mid",
    "entry-level": "junior",
    "entry level": "junior",
    "intern": "intern",
    "graduate": "junior",
}
# Only the start of a posting describes the role itself; later "a senior engineer"
# mentions are usually about who you will work with.
_TEXT_SCAN_CHARS: Final = 4000


def seniority_from_text(text: str) -> Seniority | None:
    """The first "a <level> <job word>" phrase in the opening of the text, or None."""
    lower = text[:_TEXT_SCAN_CHARS].lower()
    for match in _TEXT_LEVEL_ANCHOR.finditer(lower):
        start, end = match.start(), match.end()
        if start and lower[start - 1].isalnum():
            continue
        if not _TEXT_ARTICLE_BEFORE.search(lower, max(0, start - 60), start):
            continue
        after = lower[end : end + 60]
        word = match.group().rstrip(".")
        if word != "intern" and not _TEXT_ROLE_AFTER.match(after):
            continue  # "an intern" names the role by itself
        if word == "lead" and after.startswith(" role"):
            continue  # "play a lead role in creating ...": the main part, not a level
        return _TEXT_LEVELS.get(word)
    return None


def seniority_from_years(years: int | None) -> Seniority | None:
    """Thresholds: 0-1 junior, 2-3 mid, 4-7 senior, 8+ lead.

    Calibrated on the shared postings whose title states a level: "4+ years" appears
    as often in Senior-titled postings as in all untitled ones together, while
    "3 years" is mostly mid (untitled) postings.
    """
    if years is None:
        return None
    if years <= 1:
        return "junior"
    if years <= 3:
        return "mid"
    if years <= 7:
        return "senior"
    return "lead"


def infer_seniority(title: str, text: str, years: int | None) -> Seniority:
    """Title level, else a level phrase in the text, else years, else ``mid``."""
    return (
        seniority_from_title(title)
        or seniority_from_text(text)
        or seniority_from_years(years)
        or "mid"
    )
