"""The transparent re-ranking of engine 1: every part of a score, kept and shown.

Pure functions over plain data (no database), so the same code ranks for the web, the API,
the ``recommend`` command, the quality harness and its ablations.

A job's score is the weighted sum of parts, each in [0, 1] except feedback in [-1, 1]:

* ``similarity``: cosine similarity of the person's (feedback-adjusted) vector and the job's;
* ``skills``: the cosine of the job's and the person's skill sets, each skill weighted by
  its rarity (IDF over the corpus): sharing "Kubernetes" says more than sharing "Git", and a
  job that names one common skill does not look like a perfect fit for everyone who has it
  (which a plain share of the job's skills would say);
* ``title``: how much of the job title the person's titles and desired titles cover;
* ``seniority``: 1 on the person's level, less per step away;
* ``salary`` and ``location``: 1 when the job meets the preference, 0.5 when unknown;
* ``freshness``: halves every two weeks;
* ``feedback``: skills and companies of jobs the person liked (+) or disliked (-);
* ``rating``: the person's own rating of this very job (1 -> -1, 3 -> 0, 5 -> +1), weighted
  heavily: a job rated 1 must leave the top of the list, one rated 5 stay near it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from jobs.normalization import company_normalize, title_normalize

SENIORITY_LADDER = ("intern", "junior", "mid", "senior", "lead", "principal")
FRESHNESS_HALF_LIFE_DAYS = 14.0
# Words that say nothing about what a job is: they must not make two titles look alike.
_TITLE_STOP = frozenset(
    """a an and the of for to in at with on or senior junior sr jr mid lead principal staff
    intern internship head chief level i ii iii iv 1 2 3 contract freelance part time full
    remote hybrid onsite us eu uk global""".split()  # noqa: SIM905 - a readable word list
)
_TOKEN = re.compile(r"[a-z0-9+#.]+")


@dataclass(frozen=True)
class Weights:
    similarity: float = 0.30
    skills: float = 0.30
    title: float = 0.20
    seniority: float = 0.10
    salary: float = 0.025
    location: float = 0.025
    freshness: float = 0.05
    feedback: float = 0.15
    rating: float = 0.5

    def without(self, part: str) -> Weights:
        """The same weights with one part switched off (for ablations)."""
        return replace(self, **{part: 0.0})


PARTS = tuple(Weights.__dataclass_fields__)
DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class FeedbackSignals:
    """What a person's ratings and hides say, as ranking inputs."""

    liked_skills: Mapping[str, float] = field(default_factory=dict)
    disliked_skills: Mapping[str, float] = field(default_factory=dict)
    liked_companies: frozenset[int] = frozenset()
    disliked_companies: frozenset[int] = frozenset()
    job_ratings: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    """Everything the engines need about one person; built from a stored profile or from
    a resume file read on the fly (the ``recommend`` command)."""

    skills: frozenset[str]
    titles: tuple[str, ...] = ()
    desired_titles: tuple[str, ...] = ()
    seniority: str = ""
    years_experience: float | None = None
    remote_only: bool = False
    locations: tuple[str, ...] = ()
    salary_min: int | None = None
    excluded_companies: tuple[str, ...] = ()
    vector: tuple[float, ...] | None = None
    feedback: FeedbackSignals = FeedbackSignals()
    hidden_job_ids: frozenset[int] = frozenset()
    hidden_company_ids: frozenset[int] = frozenset()

    @property
    def excluded_company_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (company_normalize(c) for c in self.excluded_companies) if k)


@dataclass(frozen=True)
class Candidate:
    """A job as engine 1 sees it: the columns the ranking reads, and its distance."""

    job_id: int
    title: str
    company_id: int
    company_name: str
    skills: tuple[str, ...]
    seniority: str
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    location: str
    remote_policy: str
    posted_at: datetime
    first_seen_at: datetime
    similarity: float


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    parts: dict[str, float]
    matched_skills: list[str]
    missing_skills: list[str]
    seniority_fit: str

    def explanation(self, weights: Weights) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
            "weights": {k: getattr(weights, k) for k in PARTS},
            "matched_skills": self.matched_skills,
            "missing_skills": self.missing_skills,
            "seniority_fit": self.seniority_fit,
        }


def title_tokens(title: str) -> frozenset[str]:
    return frozenset(t for t in _TOKEN.findall(title_normalize(title)) if t not in _TITLE_STOP)


def title_fit(job_title: str, titles: Sequence[str], desired: Sequence[str]) -> float:
    """The best coverage of the job title's words by one of the person's titles; a desired
    title counts fully, a held one slightly less (people move on from old roles)."""
    job = title_tokens(job_title)
    if not job:
        return 0.0
    best = 0.0
    for weight, group in ((1.0, desired), (0.85, titles)):
        for title in group:
            mine = title_tokens(title)
            if mine:
                overlap = len(job & mine)
                # Coverage of the job's words, softened by the person's title length so a
                # ten-word title does not match everything.
                best = max(best, weight * overlap / math.sqrt(len(job) * len(mine)))
    return min(best, 1.0)


def seniority_fit(job: str, person: str) -> tuple[float, str]:
    if not job or not person:
        return 0.5, "unknown"
    steps = SENIORITY_LADDER.index(job) - SENIORITY_LADDER.index(person)
    if steps == 0:
        return 1.0, "match"
    label = "above your level" if steps > 0 else "below your level"
    return max(0.0, 1.0 - 0.4 * abs(steps)), f"{abs(steps)} step{'s' * (abs(steps) > 1)} {label}"


def skills_fit(
    job_skills: Sequence[str], person_skills: frozenset[str], idf: Mapping[str, float]
) -> tuple[float, list[str], list[str]]:
    if not job_skills:
        return 0.0, [], []
    default = max(idf.values(), default=1.0)
    weight = {s: idf.get(s, default) for s in job_skills}
    matched = [s for s in job_skills if s in person_skills]
    # Missing skills, rarest first: those are the ones worth learning about.
    missing = sorted((s for s in job_skills if s not in person_skills), key=lambda s: -weight[s])
    job_norm = math.sqrt(sum(w * w for w in weight.values()))
    person_norm = math.sqrt(sum(idf.get(s, default) ** 2 for s in person_skills))
    if not matched or not person_norm:
        return 0.0, matched, missing
    shared = sum(weight[s] ** 2 for s in matched)
    return min(1.0, shared / (job_norm * person_norm)), matched, missing


def feedback_fit(candidate: Candidate, signals: FeedbackSignals) -> float:
    if candidate.company_id in signals.disliked_companies:
        return -1.0
    score = 0.5 if candidate.company_id in signals.liked_companies else 0.0
    skills = candidate.skills
    if skills:
        score += sum(signals.liked_skills.get(s, 0.0) for s in skills) / len(skills)
        score -= sum(signals.disliked_skills.get(s, 0.0) for s in skills) / len(skills)
    return max(-1.0, min(1.0, score))


def rating_part(candidate: Candidate, signals: FeedbackSignals) -> float:
    value = signals.job_ratings.get(candidate.job_id)
    return 0.0 if value is None else (value - 3) / 2


def location_fit(candidate: Candidate, person: Person) -> float:
    if person.remote_only and candidate.remote_policy != "remote":
        return 0.0
    if not person.locations:
        return 1.0
    where = candidate.location.casefold()
    if any(loc.casefold() in where for loc in person.locations):
        return 1.0
    if not where or any(w in where for w in ("worldwide", "anywhere", "global")):
        return 0.8
    return 0.3


def salary_fit(candidate: Candidate, person: Person) -> float:
    if person.salary_min is None:
        return 1.0
    top = candidate.salary_max or candidate.salary_min
    if top is None:
        return 0.5
    return 1.0 if top >= person.salary_min else 0.0


def freshness(candidate: Candidate, now: datetime) -> float:
    age_days = max(0.0, (now - candidate.posted_at).total_seconds() / 86400)
    return float(0.5 ** (age_days / FRESHNESS_HALF_LIFE_DAYS))


def score_candidate(
    candidate: Candidate,
    person: Person,
    *,
    idf: Mapping[str, float],
    weights: Weights,
    now: datetime,
) -> Scored:
    skill_part, matched, missing = skills_fit(candidate.skills, person.skills, idf)
    level_part, level_label = seniority_fit(candidate.seniority, person.seniority)
    parts = {
        "similarity": max(0.0, min(1.0, candidate.similarity)),
        "skills": skill_part,
        "title": title_fit(candidate.title, person.titles, person.desired_titles),
        "seniority": level_part,
        "salary": salary_fit(candidate, person),
        "location": location_fit(candidate, person),
        "freshness": freshness(candidate, now),
        "feedback": feedback_fit(candidate, person.feedback),
        "rating": rating_part(candidate, person.feedback),
    }
    score = sum(getattr(weights, name) * value for name, value in parts.items())
    return Scored(
        candidate=candidate,
        score=score,
        parts=parts,
        matched_skills=matched,
        missing_skills=missing,
        seniority_fit=level_label,
    )


def rank(
    candidates: Sequence[Candidate],
    person: Person,
    *,
    idf: Mapping[str, float],
    weights: Weights = DEFAULT_WEIGHTS,
    now: datetime,
) -> list[Scored]:
    scored = [score_candidate(c, person, idf=idf, weights=weights, now=now) for c in candidates]
    # Ties (common when vectors are absent) go to the newer posting, then the lower id, so
    # the order is stable from one request to the next.
    scored.sort(key=lambda s: (-s.score, -s.candidate.posted_at.timestamp(), s.candidate.job_id))
    return scored
