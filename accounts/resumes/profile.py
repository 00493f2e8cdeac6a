"""Resume text -> structured profile: sections, skills, titles, experience, seniority,
education. Pure Python and deterministic; every pattern is bounded, so the work is
linear in the text: 200 kB take ~0.2 s, most of it in the skills matcher.

Decisions:

* **Skills** come from the skills taxonomy only (``skills_canonical``), so they share one
  vocabulary with job postings. The skills section comes first, in its own order (what
  the person lists), then every other skill by first mention anywhere in the text.
* **Years of experience** are the union of the date ranges in the experience section(s);
  overlapping jobs count once and dates in education, projects or volunteering never
  count. None when the experience section has no range.
* **Seniority** uses the ladder of job postings (``jobrec.ai.local.seniority``) so that
  resumes and jobs compare directly: the level stated in the most recent title ("Senior
  Data Engineer" -> senior, "Co-Founder & CTO" -> principal, "... Intern" -> intern);
  without one, the years of experience with the postings' thresholds (0-1 junior, 2-3
  mid, 4-7 senior, 8+ lead); None when neither exists.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from accounts.resumes._dates import find_ranges, total_years
from accounts.resumes._education import Education, extract_education
from accounts.resumes._sections import SECTION_NAMES, split_sections
from accounts.resumes._titles import extract_headline_titles, extract_titles
from jobrec.ai.interfaces import Seniority
from jobrec.ai.local.seniority import seniority_from_title, seniority_from_years
from jobrec.ai.skills import skills_canonical
from jobrec.ai.taxonomy import default_matcher

__all__ = ["Education", "ResumeProfile", "extract_profile"]


@dataclass(frozen=True, slots=True)
class ResumeProfile:
    """What a resume says about its author. ``sections`` maps a name of ``SECTION_NAMES``
    to the text of every section of that kind, in document order."""

    sections: dict[str, str]
    skills: tuple[str, ...]
    titles: tuple[str, ...]
    years_experience: float | None
    seniority: Seniority | None
    education: tuple[Education, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable data (lists and dicts only)."""
        return {
            "sections": dict(self.sections),
            "skills": list(self.skills),
            "titles": list(self.titles),
            "years_experience": self.years_experience,
            "seniority": self.seniority,
            "education": [dataclasses.asdict(entry) for entry in self.education],
        }


def _sections(found: list[tuple[str, str]]) -> dict[str, str]:
    merged: dict[str, list[str]] = {}
    for name, body in found:
        if body:
            merged.setdefault(name, []).append(body)
    return {name: "\n\n".join(merged[name]) for name in SECTION_NAMES if name in merged}


_NOT_JOBS = frozenset({"other", "projects", "certifications"})
# Between the skills sections and the rest of the text; "|" ends any phrase, so no skill
# is made of the last word of one part and the first of the other.
_PART_BREAK = "\n\n|\n\n"


def _skills(preamble: str, found: list[tuple[str, str]]) -> tuple[str, ...]:
    """Skills sections first, then the rest of the text in document order.

    One matcher pass over the text rearranged that way, not two (skills sections, whole
    text): the matcher is the slowest step on long texts.
    """
    listed = [body for name, body in found if name == "skills"]
    rest = [preamble, *(body for name, body in found if name != "skills")]
    text = _PART_BREAK.join(part for part in (*listed, *rest) if part)
    return tuple(skills_canonical(match.name for match in default_matcher().extract(text)))


def _seniority(titles: tuple[str, ...], years: float | None) -> Seniority | None:
    if titles:
        level = seniority_from_title(titles[0])
        if level is not None:
            return level
    return seniority_from_years(int(years)) if years is not None else None


def extract_profile(text: str, *, today: datetime.date) -> ResumeProfile:
    """The profile of a resume's text (as returned by ``extract_text``); ``today`` is
    what "Present" means."""
    preamble, found = split_sections(text)
    sections = _sections(found)
    experience = sections.get("experience", "")
    years = total_years(find_ranges(experience, today=today))
    # Without titles in an experience section (no such heading, or a layout the section
    # parser does not know), a title standing alone on a line is the next best evidence:
    # the headline under the name, or a job's title above its details. Not in sections
    # about roles that are not jobs (volunteering and activities, projects, certificates).
    headline_text = "\n".join([preamble, *(body for name, body in found if name not in _NOT_JOBS)])
    titles = tuple(extract_titles(experience, today=today)) or tuple(
        extract_headline_titles(headline_text)
    )
    return ResumeProfile(
        sections=sections,
        skills=_skills(preamble, found),
        titles=titles,
        years_experience=years,
        seniority=_seniority(titles, years),
        education=tuple(extract_education(sections.get("education", ""), today=today)),
    )
