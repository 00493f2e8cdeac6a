"""The transparent re-ranking of engine 1: every part of a score, kept and shown.

Pure functions over plain data (no database), so the same code ranks for the web, the API,
the ``recommend`` command, the quality harness and its ablations.

A job's score is the weighted sum of parts, each in [0, 1] except feedback in [-1, 1]:

* ``similarity``: cosine similarity of the person's (feedback-adjusted) vector and the job's;
* ``skills``: the cosine of the job's and the person's skill sets, each skill weighted by
  its rarity (IDF over the corpus): sharing "Kubernetes" says more than sharing "Git", and a
  job that names one common skill does not look like a perfect fit for everyone who has it
  (which a plain share of the job's skills would say);
* ``title``: how much of the job title the person's titles and desired titles cover, or,
  when the words differ, whether both name the same kind of role (``ROLE_FAMILIES``: an
  advocate and a legal counsel, a recruiter and an HR manager); a word shared by titles of
  two different kinds of role ("Developer Advocate" and "Advocate") counts for less. A
  resume that yields no title at all is taken for the kind of role its text names most
  (``text_role_families``), as a held title of that kind would be;
* ``seniority``: 1 on the person's level, less per step away;
* ``salary`` and ``location``: 1 when the job meets the preference, 0.5 when unknown;
* ``freshness``: halves every two weeks;
* ``feedback``: skills and companies of jobs the person liked (+) or disliked (-);
* ``rating``: the person's own rating of this very job (1 -> -1, 3 -> 0, 5 -> +1), weighted
  heavily: a job rated 1 must leave the top of the list, one rated 5 stay near it.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import repeat
from typing import NamedTuple

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
# Kinds of role, each with the phrases (normalized title words) that name it, so titles
# that share no word can still be known for the same work, and a shared word between
# different kinds ("developer advocate" against a lawyer's "advocate") is not taken for a
# match. General knowledge of job titles, not of any one data set; a longer phrase wins
# over the shorter one inside it.
ROLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "developer relations": (
        "developer advocate",
        "developer relations",
        "developer evangelist",
        "devrel",
    ),
    "legal": (
        "advocate",
        "lawyer",
        "attorney",
        "counsel",
        "legal",
        "paralegal",
        "solicitor",
        "barrister",
        "law clerk",
        "legal advisor",
        "legal officer",
        "notary",
        "contracts manager",
    ),
    "people": (
        "hr",
        "human resources",
        "human resource",
        "people operations",
        "people partner",
        "people consultant",
        "recruiter",
        "recruiting",
        "recruitment",
        "talent acquisition",
        "staffing",
        "hrbp",
        "payroll",
    ),
    "program management": (
        "pmo",
        "program manager",
        "programme manager",
        "project manager",
        "project management",
        "project coordinator",
        "project lead",
        "program management",
        "delivery manager",
        "scrum master",
    ),
    "software": (
        "software engineer",
        "software developer",
        "developer",
        "programmer",
        "software development engineer",
        "sde",
        "web developer",
        "full stack",
        "backend",
        "front end",
        "frontend",
    ),
    "testing": (
        "qa",
        "tester",
        "test engineer",
        "test analyst",
        "quality assurance",
        "sdet",
        "test automation",
        "automation tester",
    ),
    # Three kinds of data work, not one: a database administrator does not do a business
    # intelligence analyst's job, nor either a data scientist's.
    "databases": (
        "database administrator",
        "dba",
        "database developer",
        "database engineer",
        "sql developer",
        "database architect",
    ),
    "data engineering and science": (
        "data scientist",
        "data engineer",
        "etl",
        "hadoop",
        "big data",
        "machine learning",
    ),
    "analytics": (
        "data analyst",
        "bi developer",
        "business intelligence",
        "quantitative analyst",
        "data insights",
    ),
    "infrastructure": (
        "devops",
        "site reliability",
        "sre",
        "systems administrator",
        "system administrator",
        "sysadmin",
        "infrastructure engineer",
        "cloud engineer",
        "build and release",
    ),
    "network": (
        "network engineer",
        "network administrator",
        "network security",
        "security engineer",
        "network operations",
    ),
    "design": (
        "designer",
        "ux",
        "ui",
        "user experience",
        "interaction design",
        "visual design",
        "graphic design",
        "web design",
    ),
    "sales": (
        "sales",
        "account manager",
        "account executive",
        "business development",
        "account representative",
    ),
    "business analysis": (
        "business analyst",
        "strategy analyst",
        "business strategy",
        "management consultant",
    ),
    "operations": (
        "operations manager",
        "operations lead",
        "supply chain",
        "logistics",
        "sourcing",
        "procurement",
        "plant manager",
        "production manager",
    ),
    "hardware": (
        "electrical engineer",
        "electronics engineer",
        "hardware engineer",
        "circuit design",
        "asic",
        "fpga",
        "pcb",
        "embedded hardware",
        "mechanical engineer",
        "mechanical design",
        "manufacturing engineer",
        "product design engineer",
        "design engineer",
    ),
    "civil engineering": (
        "civil engineer",
        "site engineer",
        "structural engineer",
        "construction manager",
        "quantity surveyor",
    ),
    "finance": (
        "accountant",
        "accounting",
        "financial analyst",
        "finance manager",
        "auditor",
        "controller",
        "tax",
        "treasury",
    ),
    "marketing": (
        "marketing",
        "communications",
        "brand manager",
        "content writer",
        "copywriter",
        "public relations",
        "social media",
    ),
}
# A match by kind of role alone is good evidence, but less than the same words.
FAMILY_FIT = 0.7
# A word shared by two titles of different kinds of role counts this much.
FALSE_FRIEND_FACTOR = 0.3
# A kind of role stands for an untitled resume when its text names it this often, and
# this many times more often than any other kind: one passing mention of "sales" in a
# recruiter's resume says nothing.
TEXT_FAMILY_MIN_MENTIONS = 2
TEXT_FAMILY_DOMINANCE = 1.5
# Held titles count slightly less than desired ones (people move on from old roles).
HELD_TITLE_WEIGHT = 0.85
_FAMILY_PHRASES = sorted(
    ((tuple(phrase.split()), family) for family, ps in ROLE_FAMILIES.items() for phrase in ps),
    key=lambda item: -len(item[0]),
)


def _positions_by_first_word(
    phrases: Sequence[tuple[tuple[str, ...], str]],
) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for n, (phrase, _) in enumerate(phrases):
        positions.setdefault(phrase[0], []).append(n)
    return positions


# Where each phrase stands in that order, by its first word.
_PHRASES_BY_FIRST_WORD = _positions_by_first_word(_FAMILY_PHRASES)


@dataclass(frozen=True)
class Weights:
    similarity: float = 0.30
    skills: float = 0.30
    title: float = 0.60
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
    # The kinds of role the resume's text names most (``text_role_families``): what the
    # title part compares when no title was found.
    text_families: frozenset[str] = frozenset()

    @property
    def excluded_company_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (company_normalize(c) for c in self.excluded_companies) if k)


class Candidate(NamedTuple):
    """A job as engine 1 sees it: the columns the ranking reads, and its distance. A named
    tuple: a list reads about 300 of them, and one is made in a third of a frozen
    dataclass's time."""

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
    similarity: float


@dataclass(slots=True)
class Scored:
    """A candidate's score and its parts (``values``, in the order of ``PARTS``).

    Made for every candidate of a list (about 300) where a list keeps fifty: as a slotted
    class that keeps the parts as a tuple, and builds their dict and the skill lists only
    when asked, a candidate is scored in about three quarters of the time it took as a
    frozen dataclass that built them all (docs/benchmarks.md).
    """

    candidate: Candidate
    score: float
    values: tuple[float, ...]
    seniority_fit: str
    # What the skill lists are read from: the person's skills and the skill rarities.
    context: _ListContext = field(repr=False, compare=False)

    @property
    def parts(self) -> dict[str, float]:
        return dict(zip(PARTS, self.values, strict=True))

    @property
    def matched_skills(self) -> list[str]:
        """The job's skills the person has, in the job's order."""
        mine = self.context.person_skills
        return [s for s in self.candidate.skills if s in mine]

    @property
    def missing_skills(self) -> list[str]:
        """The job's other skills, rarest first: those are the ones worth learning about."""
        context = self.context
        return _missing(
            self.candidate.skills, context.person_skills, context.idf, context.skill_default
        )

    def explanation(self, weights: Weights) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "parts": dict(zip(PARTS, map(round, self.values, repeat(4)), strict=True)),
            "weights": dict(_weights_shown(weights)),
            "matched_skills": self.matched_skills,
            "missing_skills": self.missing_skills,
            "seniority_fit": self.seniority_fit,
        }


@functools.lru_cache(maxsize=16)
def _weights_shown(weights: Weights) -> dict[str, float]:
    """The weights as an explanation shows them (copied into each: fifty a list)."""
    return {name: getattr(weights, name) for name in PARTS}


@functools.lru_cache(maxsize=8192)
def title_tokens(title: str) -> frozenset[str]:
    """A title's words, normalized, without stop words. Cached like :func:`role_families`:
    the person's titles are read once per candidate."""
    return frozenset(t for t in _TOKEN.findall(title_normalize(title)) if t not in _TITLE_STOP)


def _family_mentions(text: str) -> dict[str, int]:
    """How often ``text`` names each kind of role (``ROLE_FAMILIES``); longer phrases
    first, and the words of a phrase found are not read again ("developer advocate" is
    not "advocate")."""
    words: list[str | None] = list(_TOKEN.findall(title_normalize(text)))
    # Where each word stands: a phrase is tried only where its first word is (a resume
    # has thousands of words and there are hundreds of phrases).
    starts: dict[str, list[int]] = {}
    for n, word in enumerate(words):
        starts.setdefault(word or "", []).append(n)
    # And only the phrases whose first word is there at all, still longest first: a job
    # title has three words, and trying all the phrases was most of reading one.
    tried = sorted({n for word in starts for n in _PHRASES_BY_FIRST_WORD.get(word, ())})
    found: dict[str, int] = {}
    for phrase, family in (_FAMILY_PHRASES[n] for n in tried):
        size = len(phrase)
        for start in starts.get(phrase[0], ()):
            if tuple(words[start : start + size]) == phrase:
                found[family] = found.get(family, 0) + 1
                words[start : start + size] = [None] * size
    return found


@functools.lru_cache(maxsize=8192)
def role_families(title: str) -> frozenset[str]:
    """The kinds of role (``ROLE_FAMILIES``) a title names. Cached: every list reads the
    same few hundred job titles and the person's few titles once per candidate."""
    return frozenset(_family_mentions(title))


def text_role_families(text: str) -> frozenset[str]:
    """The kind of role a resume's text names clearly most often (none when no kind
    stands out): what the title part uses for a resume that yields no title."""
    counts = sorted(_family_mentions(text).items(), key=lambda item: (-item[1], item[0]))
    if not counts or counts[0][1] < TEXT_FAMILY_MIN_MENTIONS:
        return frozenset()
    runner_up = counts[1][1] if len(counts) > 1 else 0
    return (
        frozenset({counts[0][0]})
        if counts[0][1] >= TEXT_FAMILY_DOMINANCE * runner_up
        else frozenset()
    )


def title_fit(
    job_title: str,
    titles: Sequence[str],
    desired: Sequence[str],
    text_families: frozenset[str] = frozenset(),
) -> float:
    """The best coverage of the job title's words by one of the person's titles, or
    ``FAMILY_FIT`` when both name the same kind of role; a desired title counts fully, a
    held one slightly less. Without any title, ``text_families`` (the kind of role the
    resume names most) counts as a held title of that kind."""
    untitled = not titles and not desired
    return _title_part(job_title, _person_titles(titles, desired), untitled, text_families)


# A title of the person's as the title part compares it: (weight, words, kinds of role).
_PersonTitle = tuple[float, frozenset[str], frozenset[str]]


def _person_titles(titles: Sequence[str], desired: Sequence[str]) -> tuple[_PersonTitle, ...]:
    found = []
    for weight, group in ((1.0, desired), (HELD_TITLE_WEIGHT, titles)):
        for title in group:
            words = title_tokens(title)
            if words:
                found.append((weight, words, role_families(title)))
    return tuple(found)


def _title_part(
    job_title: str,
    mine: tuple[_PersonTitle, ...],
    untitled: bool,
    text_families: frozenset[str],
) -> float:
    job = title_tokens(job_title)
    if not job:
        return 0.0
    job_families = role_families(job_title)
    if untitled:
        return HELD_TITLE_WEIGHT * FAMILY_FIT if job_families & text_families else 0.0
    best = 0.0
    for weight, words, families in mine:
        # Coverage of the job's words, softened by the person's title length so a
        # ten-word title does not match everything.
        shared = len(job & words) / math.sqrt(len(job) * len(words))
        same_kind = bool(job_families & families)
        if job_families and families and not same_kind:
            shared *= FALSE_FRIEND_FACTOR
        best = max(best, weight * max(shared, FAMILY_FIT if same_kind else 0.0))
    return min(best, 1.0)


@functools.lru_cache(maxsize=64)
def seniority_fit(job: str, person: str) -> tuple[float, str]:
    if not job or not person:
        return 0.5, "unknown"
    steps = SENIORITY_LADDER.index(job) - SENIORITY_LADDER.index(person)
    if steps == 0:
        return 1.0, "match"
    label = "above your level" if steps > 0 else "below your level"
    return max(0.0, 1.0 - 0.4 * abs(steps)), f"{abs(steps)} step{'s' * (abs(steps) > 1)} {label}"


def skills_fit(
    job_skills: Sequence[str],
    person_skills: frozenset[str],
    idf: Mapping[str, float],
    *,
    default: float | None = None,
    person_norm: float | None = None,
) -> tuple[float, list[str], list[str]]:
    """The IDF-weighted cosine of the job's and the person's skills, the skills shared and
    the job's others (rarest first). ``default`` (the highest rarity, for skills ``idf``
    lacks) and ``person_norm`` depend on the person only: :func:`rank` passes them in."""
    if default is None:
        default = max(idf.values(), default=1.0)
    if person_norm is None:
        person_norm = _skills_norm(person_skills, idf, default)
    matched = [s for s in job_skills if s in person_skills]
    missing = _missing(job_skills, person_skills, idf, default)
    return _skill_part(job_skills, person_skills, idf, default, person_norm), matched, missing


def _skill_part(
    job_skills: Sequence[str],
    person_skills: frozenset[str],
    idf: Mapping[str, float],
    default: float,
    person_norm: float,
) -> float:
    if not job_skills or not person_norm:
        return 0.0
    shared = person_skills.intersection(job_skills)
    if not shared:
        return 0.0
    # Over sets: a skill named twice by a job counts once, as it does for the person. The
    # norms are taken by math.hypot in C: a job names thirteen skills on average, and
    # the sums in Python were the largest part of ranking a list.
    job_norm = math.hypot(*map(idf.get, set(job_skills), repeat(default)))
    overlap = math.hypot(*map(idf.get, shared, repeat(default))) ** 2
    return min(1.0, overlap / (job_norm * person_norm))


def _missing(
    job_skills: Sequence[str],
    person_skills: frozenset[str],
    idf: Mapping[str, float],
    default: float,
) -> list[str]:
    # A reverse sort keeps equals in the job's order, as an ascending sort on -weight did.
    rarity = idf.get
    return sorted(
        (s for s in dict.fromkeys(job_skills) if s not in person_skills),
        key=lambda s: rarity(s, default),
        reverse=True,
    )


def _skills_norm(skills: frozenset[str], idf: Mapping[str, float], default: float) -> float:
    return math.hypot(*map(idf.get, skills, repeat(default)))


@dataclass(frozen=True)
class _ListContext:
    """What scoring needs that depends on the person and the corpus only, computed once
    per list rather than once per candidate (the highest rarity walks the whole table)."""

    person_skills: frozenset[str]
    idf: Mapping[str, float]
    skill_default: float
    person_skill_norm: float
    titles: tuple[_PersonTitle, ...]
    untitled: bool
    weights: tuple[float, ...]  # in the order of PARTS
    # The location part by (location, remote policy), filled as the list is scored: a
    # list's few hundred jobs name a dozen places.
    locations: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, person: Person, idf: Mapping[str, float], weights: Weights) -> _ListContext:
        skill_default = max(idf.values(), default=1.0)
        return cls(
            person_skills=person.skills,
            idf=idf,
            skill_default=skill_default,
            person_skill_norm=_skills_norm(person.skills, idf, skill_default),
            titles=_person_titles(person.titles, person.desired_titles),
            untitled=not person.titles and not person.desired_titles,
            weights=tuple(getattr(weights, name) for name in PARTS),
        )


def feedback_fit(candidate: Candidate, signals: FeedbackSignals) -> float:
    if candidate.company_id in signals.disliked_companies:
        return -1.0
    score = 0.5 if candidate.company_id in signals.liked_companies else 0.0
    skills = candidate.skills
    # Most people have rated nothing: the skill sums are skipped, not computed as zeros
    # (hundreds of candidates a list).
    if skills and (signals.liked_skills or signals.disliked_skills):
        liked, disliked = signals.liked_skills, signals.disliked_skills
        score += sum(liked.get(s, 0.0) - disliked.get(s, 0.0) for s in skills) / len(skills)
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
    context: _ListContext | None = None,
) -> Scored:
    """One job's score and its parts. ``context`` is what :func:`rank` computes once per
    list; without it, it is computed here."""
    if context is None:
        context = _ListContext.of(person, idf, weights)
    # Cached: a list's candidates have a handful of levels between them.
    level_part, level_label = seniority_fit(candidate.seniority, person.seniority)
    place = (candidate.location, candidate.remote_policy)
    location_part = context.locations.get(place)
    if location_part is None:
        location_part = context.locations[place] = location_fit(candidate, person)
    values = (
        max(0.0, min(1.0, candidate.similarity)),
        _skill_part(
            candidate.skills, person.skills, idf, context.skill_default, context.person_skill_norm
        ),
        _title_part(candidate.title, context.titles, context.untitled, person.text_families),
        level_part,
        salary_fit(candidate, person),
        location_part,
        freshness(candidate, now),
        feedback_fit(candidate, person.feedback),
        rating_part(candidate, person.feedback),
    )
    return Scored(
        candidate, sum(map(operator.mul, context.weights, values)), values, level_label, context
    )


def rank(
    candidates: Iterable[Candidate],
    person: Person,
    *,
    idf: Mapping[str, float],
    weights: Weights = DEFAULT_WEIGHTS,
    now: datetime,
) -> list[Scored]:
    """``candidates`` best first. ``idf`` weighs skills by their rarity over the corpus
    (``recommendations.selectors.skill_idf``). Each candidate is scored as it comes:
    engine 1 passes them as the database sends them."""
    context = _ListContext.of(person, idf, weights)
    scored = [
        score_candidate(c, person, idf=idf, weights=weights, now=now, context=context)
        for c in candidates
    ]
    # Ties (common when vectors are absent) go to the newer posting, then the lower id, so
    # the order is stable from one request to the next.
    scored.sort(key=lambda s: (-s.score, -s.candidate.posted_at.timestamp(), s.candidate.job_id))
    return scored
