"""The local (offline, default) extractor: taxonomy skills plus rule-based facts.

No network, no model files, deterministic, and fast enough to run inline in an
import (measured ~800 postings/s on one core over the shared RemoteOK postings; reading
the sections costs ~0.4 ms of that per posting).
"""

from __future__ import annotations

import re
from typing import Final

from jobrec.ai.interfaces import Extraction, JobFacts, Usage
from jobrec.ai.local.facts import extract_text_facts
from jobrec.ai.local.sections import WORKPLACE_TOOLS, company_usage_sentences, requirement_text
from jobrec.ai.local.seniority import infer_seniority
from jobrec.ai.local.summary import summarize
from jobrec.ai.taxonomy import SkillMatcher, default_matcher
from jobs.sources.text import clean_plain_text, prepare_description

__all__ = ["MAX_TEXT_CHARS", "MAX_TITLE_CHARS", "LocalExtractor"]

# Bounded work on any input. Real descriptions are < 11 kB (mean 2.6 kB over the
# shared snapshots) and state skills, level and pay near the top; what lies beyond
# 20,000 characters is pasted boilerplate or abuse. Capping keeps a 1 MB description
# at the cost of a 20 kB one (~2 ms) and bounds every regex below.
MAX_TEXT_CHARS: Final = 20_000
MAX_TITLE_CHARS: Final = 300
# JobFacts accepts at most 80 skills; keep the first-mentioned ones.
MAX_SKILLS: Final = 80
# Text that still carries markup (callers should pass plain text, but a raw feed
# description must not leak tags into skills or the summary).
_HTML_TAG: Final = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>")


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit - 200, limit)  # do not split a word (or a skill) in two
    return text[: cut if cut > 0 else limit]


def _plain(text: str) -> str:
    # Cap before converting too: the sanitiser is linear but not free on megabytes.
    text = _cap(text, MAX_TEXT_CHARS * 2)
    if _HTML_TAG.search(text):
        text = prepare_description(text)[1]
    if "\\n" in text:
        # Some 2024 RemoteOK descriptions carry JSON-escaped newlines as the two
        # characters backslash + "n"; they are line breaks for headings and bullets.
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    return _cap(text, MAX_TEXT_CHARS)


class LocalExtractor:
    """Implements :class:`jobrec.ai.interfaces.Extractor` without any model.

    * skills: the taxonomy matcher over the title and the parts of the text that ask
      something of the candidate (:mod:`jobrec.ai.local.sections`: no "About us",
      benefits or application sections, no sentences about the company, no colleagues'
      job titles; chat and task tools only when asked for; a business discipline before
      "team" is a department), in order of first mention (title skills first), at most 80;
    * seniority, years, employment type, remote policy, salary: see
      :mod:`jobrec.ai.local.seniority` and :mod:`jobrec.ai.local.facts`;
    * summary: :func:`jobrec.ai.local.summary.summarize`.

    Salaries found in the text are yearly full-time equivalents; a feed's structured
    salary fields (RemoteOK ``salary_min``/``salary_max``) are more reliable and
    should win over these where present (the caller has them, this class does not).
    """

    provider: str = "local"
    # v2: skills only from the parts of a posting that ask something of the candidate.
    # v3: also not from what the company built, its funding, hiring boilerplate, fields of
    # study, departments ("the Project Management team") or the manager the hire reports to.
    model: str = "local-v3"

    def __init__(self, matcher: SkillMatcher | None = None) -> None:
        self._matcher = matcher or default_matcher()

    def extract_job(self, *, title: str, text: str) -> Extraction:
        title = clean_plain_text(title[: MAX_TITLE_CHARS * 2])[:MAX_TITLE_CHARS]
        body = _plain(text) if text else ""
        skills = self._skills(title, body)
        found = extract_text_facts(title, body)
        salary = found.salary
        facts = JobFacts(
            skills=skills[:MAX_SKILLS],
            seniority=infer_seniority(title, body, found.years_experience),
            years_experience=found.years_experience,
            employment_type=found.employment_type,
            remote_policy=found.remote_policy,
            salary_min=salary.minimum if salary else None,
            salary_max=salary.maximum if salary else None,
            salary_currency=salary.currency if salary else None,
            summary=summarize(title, body),
        )
        return Extraction(facts=facts, provider=self.provider, model=self.model, usage=Usage())

    def _skills(self, title: str, body: str) -> list[str]:
        asked, company_usage = company_usage_sentences(requirement_text(body))
        # ".\n" between title and text: a phrase never runs from the title's last
        # word into the text's first one ("... React" + "Native ..."), and the text's
        # first word counts as a sentence start for the taxonomy's case rules.
        skills = [
            match.name
            for match in self._matcher.extract(f"{title}.\n{asked}", skip_team_names=True)
        ]
        if company_usage:
            # "We use Jira, Trello, Slack and Github": the chat and task tools are the
            # company's, anything else named there is still part of the job's stack.
            seen = set(skills)
            skills += [
                match.name
                for match in self._matcher.extract(company_usage, skip_team_names=True)
                if match.name not in seen and match.name not in WORKPLACE_TOOLS
            ]
        return skills
