"""Resume sections from their headings: "WORK EXPERIENCE", "Technical Skills", ...

A line is a heading when it is short and made only of words from a closed vocabulary
(section nouns such as "experience", "skills", "awards" plus modifiers such as
"professional", "technical", "work", "details"). Closed on purpose: resumes are full of
short Title Case lines ("Project Management", "Customer service", a company name) and
an open rule ("short line in capitals") turns them into sections. The canonical section
is decided by the first matching group in ``_CATEGORY_ORDER``, so "Skills Summary" is
skills, "Experience Summary" is experience and "Volunteer Experience" is other.
"Leadership Experience" counts as experience: on student resumes it lists club and
team positions with dates, which is the only work history they have.

Single words that are also common list items or job titles ("Leadership", "Training",
"Volunteer", "Languages") are headings only in capitals or with a trailing colon.
"Skills: Python, SQL" starts a section with its content on the same line, except for
"other" and "experience" words (see ``_inline_heading``).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["SECTION_NAMES", "split_sections"]

SECTION_NAMES: Final = (
    "summary",
    "experience",
    "education",
    "skills",
    "projects",
    "certifications",
    "other",
)

_CATEGORY_WORDS: Final[dict[str, frozenset[str]]] = {
    # Checked first: these make an "... experience" heading not about employment.
    "other_first": frozenset({"volunteer", "volunteering", "extracurricular"}),
    "experience": frozenset(
        {"experience", "experiences", "employment", "work", "company", "companies"}
    ),
    "education": frozenset({"education", "educational", "academic", "academics", "schooling"}),
    "skills": frozenset(
        {"skills", "skill", "competencies", "competences", "competency", "expertise"}
        | {"technologies", "strengths", "highlights", "proficiencies", "tools", "stack"}
        | {"abilities", "capabilities"}
    ),
    "projects": frozenset({"projects", "project", "portfolio"}),
    "certifications": frozenset(
        {"certifications", "certification", "certificates", "certificate", "licenses"}
        | {"licences", "license", "licence", "accreditations", "training", "trainings"}
    ),
    "summary": frozenset(
        {"summary", "profile", "objective", "objectives", "overview", "about", "statement"}
        | {"introduction", "bio"}
    ),
    # Late groups: "Summary of Qualifications" is a summary, "Additional Qualification &
    # Certifications" certifications, "Internship Project Details" projects, "Career
    # History" experience, "Career Overview" a summary.
    "skills_late": frozenset({"qualifications", "qualification"}),
    "experience_late": frozenset({"history", "positions", "internships", "internship"}),
    "other": frozenset(
        {"awards", "award", "honors", "honours", "achievements", "accomplishments"}
        | {"publications", "patents", "talks", "presentations", "conferences", "interests"}
        | {"hobbies", "activities", "languages", "references", "involvement", "memberships"}
        | {"affiliations", "links", "contact", "coursework", "courses", "research"}
        | {"information", "declaration", "volunteer", "volunteering", "leadership"}
        | {"extracurricular", "military", "service", "teaching", "associations", "societies"}
        | {"scholarships", "honor", "recognition", "community", "miscellaneous", "other"}
    ),
}
_CATEGORY_ORDER: Final = (
    "other_first",
    "experience",
    "education",
    "skills",
    "projects",
    "certifications",
    "summary",
    "skills_late",
    "experience_late",
    "other",
)
_GROUP_SECTION: Final = {
    "other_first": "other",
    "skills_late": "skills",
    "experience_late": "experience",
}
_MODIFIERS: Final = frozenset(
    {"professional", "relevant", "key", "core", "technical", "selected", "additional"}
    | {"related", "personal", "details", "detail", "and", "of", "in", "my", "the", "to"}
    | {"areas", "area", "history", "background", "on", "campus", "curricular", "extra"}
    | {"programming", "computer", "it", "software", "soft", "hard", "recent", "previous"}
    | {"notable", "major", "main", "industry", "invited", "professional", "it", "cv"}
    | {"resume", "career", "academic", "teaching", "work", "honors", "list", "summary"}
)
_VOCABULARY: Final = frozenset().union(*_CATEGORY_WORDS.values()) | _MODIFIERS
# Common as list items or job titles: a heading only as "LEADERSHIP" or "Leadership:".
_WEAK_SINGLE: Final = frozenset(
    {"leadership", "training", "trainings", "research", "volunteer", "volunteering"}
    | {"languages", "tools", "technologies", "strengths", "activities", "involvement"}
    | {"links", "contact", "courses", "references", "expertise", "qualifications"}
    | {"qualification", "teaching", "service", "community", "company", "work", "history"}
    | {"stack", "statement", "about", "bio", "other", "military", "portfolio", "information"}
)
_MAX_HEADING_CHARS: Final = 50
_MAX_HEADING_WORDS: Final = 6
_WORD_RE: Final = re.compile(r"[a-z]+")
# Decoration around a heading: "## ", "— Skills —", "SKILLS:", "[ Education ]".
_STRIP_CHARS: Final = " \t:-–—=*#_|•·[](){}<>»«"
_INLINE_RE: Final = re.compile(r"([^:\n]{3,50}?)\s?:\s*(\S[^\n]*)")


def _category(words: list[str]) -> str | None:
    for group in _CATEGORY_ORDER:
        if _CATEGORY_WORDS[group] & set(words):
            return _GROUP_SECTION.get(group, group)
    return None


def heading_category(line: str) -> str | None:
    """The canonical section a heading line starts, or None if it is not a heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_HEADING_CHARS or any(c.isdigit() for c in stripped):
        return None
    colon = stripped.endswith(":")
    core = stripped.strip(_STRIP_CHARS)
    if not core or not core[0].isalpha() or core.endswith("."):
        return None
    words = _WORD_RE.findall(core.lower().replace("'s", ""))
    if not words or len(words) > _MAX_HEADING_WORDS or not set(words) <= _VOCABULARY:
        return None
    # Every word in lower case: a fragment of a sentence, not a heading ("skills and tools").
    if core == core.lower():
        return None
    if len(words) == 1 and words[0] in _WEAK_SINGLE and not (colon or core.isupper()):
        return None
    return _category(words)


def _inline_heading(line: str) -> tuple[str, str] | None:
    """("skills", "Python, SQL") for "Technical Skills: Python, SQL"."""
    match = _INLINE_RE.fullmatch(line.strip())
    if match is None:
        return None
    category = heading_category(match.group(1) + ":")
    # Not "other" ("Languages: Python, C++" in a skills list) nor "experience" ("Experience:
    # 5 years" in a summary): the lines after it would move to the wrong section.
    if category is None or category in ("other", "experience"):
        return None
    return category, match.group(2)


def split_sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first heading, [(canonical name, body), ...] in document order)."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        category = heading_category(line)
        if category is not None:
            sections.append((category, []))
            continue
        inline = _inline_heading(line) if ":" in line[:52] else None
        if inline is not None:
            sections.append((inline[0], [inline[1]]))
            continue
        (sections[-1][1] if sections else preamble).append(line)
    return "\n".join(preamble).strip(), [(name, "\n".join(body).strip()) for name, body in sections]
