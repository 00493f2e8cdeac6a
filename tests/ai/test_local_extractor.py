"""Tests for the local extractor (jobrec/ai/local): skills, seniority, years, employment
type, remote policy, salary and summary, on hand-written examples and on every
posting of the shared RemoteOK snapshots.

Pure Python, no Django:
    python -m pytest -p no:django -p no:cacheprovider --noconftest \
        tests/ai/test_local_extractor.py -q
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from jobrec.ai.interfaces import SUMMARY_MAX_WORDS, Extraction, Extractor, JobFacts, Usage
from jobrec.ai.local import LocalExtractor
from jobrec.ai.local.extractor import MAX_TEXT_CHARS
from jobrec.ai.local.facts import (
    extract_employment_type,
    extract_remote_policy,
    extract_salary,
    extract_years_experience,
)
from jobrec.ai.local.seniority import (
    infer_seniority,
    seniority_from_text,
    seniority_from_title,
    seniority_from_years,
)
from jobrec.ai.local.summary import summarize
from jobs.sources.base import JobDraft
from jobs.sources.remoteok.parser import parse_remoteok

REMOTEOK_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
SHARED_FILES = sorted(REMOTEOK_DIR.glob("*.json"))

# Measured with this extractor on the four shared files (see the report).
MIN_TITLE_AGREEMENT = 0.95

needs_shared_data = pytest.mark.skipif(
    len(SHARED_FILES) < 4, reason="shared RemoteOK snapshots not available"
)


@cache
def shared_drafts() -> tuple[JobDraft, ...]:
    drafts: list[JobDraft] = []
    for path in SHARED_FILES:
        drafts.extend(parse_remoteok(path.read_bytes()).drafts)
    return tuple(drafts)


@cache
def extractor() -> LocalExtractor:
    return LocalExtractor()


@cache
def shared_extractions() -> tuple[Extraction, ...]:
    ex = extractor()
    return tuple(ex.extract_job(title=d.position, text=d.description_text) for d in shared_drafts())


def draft(title_prefix: str) -> JobDraft:
    matches = [d for d in shared_drafts() if d.position.startswith(title_prefix)]
    assert matches, f"no shared posting titled {title_prefix!r}..."
    return matches[0]


def facts_of(title: str, text: str = "") -> JobFacts:
    return extractor().extract_job(title=title, text=text).facts


# --------------------------------------------------------------------------- protocol


def test_implements_the_extractor_protocol() -> None:
    ex = LocalExtractor()
    assert isinstance(ex, Extractor)
    result = ex.extract_job(title="Python Developer", text="We use Django and PostgreSQL.")
    assert result.provider == "local"
    assert result.model == "local-v3"
    assert result.usage == Usage()
    assert result.facts.skills[:2] == ["Python", "Django"]


# --------------------------------------------------------------------------- shared data


@needs_shared_data
def test_every_shared_posting_is_enriched() -> None:
    drafts = shared_drafts()
    results = shared_extractions()
    assert len(drafts) == len(results) >= 600
    seniorities: Counter[str] = Counter()
    for d, result in zip(drafts, results, strict=True):
        facts = result.facts
        # Round-trip through validation: what we return is what the schema accepts.
        assert JobFacts.model_validate(facts.model_dump()) == facts
        words = facts.summary.split()
        assert 1 <= len(words) <= SUMMARY_MAX_WORDS, d.position
        assert len(facts.skills) == len(set(facts.skills)) <= 80
        if facts.salary_min is not None and facts.salary_max is not None:
            assert facts.salary_min <= facts.salary_max
        seniorities[facts.seniority] += 1
    print("seniority distribution:", dict(seniorities))
    with_skills = sum(1 for r in results if r.facts.skills)
    assert with_skills / len(results) > 0.9


@needs_shared_data
def test_summaries_of_shared_postings_are_not_boilerplate() -> None:
    bad = re.compile(
        r"mention the word|equal opportunity|beta feature|401\s?\(?k|please apply|"
        r"how to apply|https?://",
        re.IGNORECASE,
    )
    offenders = [
        (d.position, r.facts.summary)
        for d, r in zip(shared_drafts(), shared_extractions(), strict=True)
        if bad.search(r.facts.summary)
    ]
    assert not offenders, offenders[:5]


@needs_shared_data
def test_go_backend_posting_yields_go_and_senior() -> None:
    mailgun = draft("Senior Backend Golang Engineer Mailgun")
    facts = facts_of(mailgun.position, mailgun.description_text)
    assert "Go" in facts.skills
    assert "Backend Development" in facts.skills
    assert facts.seniority == "senior"
    # The summary is the role sentence, not RemoteOK's "mention the word" line.
    assert "Mailgun" in facts.summary
    assert "mention" not in facts.summary


def test_go_the_verb_is_not_the_language() -> None:
    facts = facts_of(
        "Customer Success Manager",
        "You will go above and beyond for our customers and go to market with sales.",
    )
    assert "Go" not in facts.skills


@needs_shared_data
def test_react_posting_yields_react_and_javascript() -> None:
    vidmob = draft("Senior React Engineer (Pittsfield")
    facts = facts_of(vidmob.position, vidmob.description_text)
    assert {"React", "JavaScript", "Redux"} <= set(facts.skills)
    assert facts.skills.index("React") < facts.skills.index("Redux")  # title first
    assert facts.seniority == "senior"
    assert facts.years_experience == 6


# --------------------------------------------------------------------------- seniority


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Junior Developer", "junior"),
        ("Jr. Data Analyst", "junior"),
        ("Entry Level Programmer", "junior"),
        ("Graduate Software Engineer", "junior"),
        ("Associate Product Manager", "junior"),
        ("SDE I", "junior"),
        ("Software Engineer II", "mid"),
        ("Mid-level Fullstack Developer", "mid"),
        ("Intermediate Angular Developer", "mid"),
        ("Senior Backend Engineer", "senior"),
        ("Sr Product Designer", "senior"),
        ("Data Scientist (Sr.)", "senior"),
        ("Senior Analyst I Financial Impact", "senior"),  # "I" qualifies Senior
        ("Software Engineer III", "senior"),
        ("Lead DevOps Engineer", "lead"),
        ("Tech Lead", "lead"),
        ("CX Team Lead", "lead"),
        ("Senior Software Engineer Team Lead", "lead"),
        ("Staff Engineer", "lead"),
        ("Associate Medical Director", "lead"),
        ("Principal Software Developer", "principal"),
        ("Senior Principal Engineer Backend", "principal"),
        ("Senior Staff Software Engineer", "principal"),
        ("Head of Engineering", "principal"),
        ("Director of Engineering", "principal"),
        ("VP of Product", "principal"),
        ("Vice President, Sales", "principal"),
        ("CTO", "principal"),
        ("Technical Design Intern", "intern"),
        ("Summer Internship - Data", "intern"),
        ("Mid Senior .NET Developer", "mid"),  # a range: the lowest level
        ("Full Stack Developers (Senior, Mid and Junior level)", "junior"),
    ],
)
def test_title_levels(title: str, expected: str) -> None:
    assert seniority_from_title(title) == expected
    assert facts_of(title).seniority == expected


@pytest.mark.parametrize(
    "title",
    [
        "Lead Generation Specialist",  # sales leads
        "Staff Accountant",  # not the engineering "Staff" level
        "I need a Meteor Developer",  # "I" is a pronoun here
        "Experienced Ruby on Rails Developer",  # too vague to be a level
        "Software Engineer",
        "Graduate School Admissions Advisor",
    ],
)
def test_titles_without_an_explicit_level(title: str) -> None:
    assert seniority_from_title(title) is None


def test_title_level_wins_over_text() -> None:
    text = "We need someone with 10+ years of experience. You will mentor junior developers."
    assert infer_seniority("Junior Developer", text, 10) == "junior"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are looking for a Senior React Engineer to join us.", "senior"),
        ("We're hiring a talented junior developer.", "junior"),
        ("Join us as an intern this summer.", "intern"),
        ("You will mentor junior developers.", None),  # no article: not the role
        ("Play a lead role in creating the content.", None),
        ("Nothing about levels here.", None),
    ],
)
def test_level_phrases_in_text(text: str, expected: str | None) -> None:
    assert seniority_from_text(text) == expected


@pytest.mark.parametrize(
    ("years", "expected"),
    [(None, None), (0, "junior"), (1, "junior"), (2, "mid"), (3, "mid"), (4, "senior"),
     (7, "senior"), (8, "lead"), (15, "lead")],
)  # fmt: skip
def test_years_thresholds(years: int | None, expected: str | None) -> None:
    assert seniority_from_years(years) == expected


def test_default_seniority_is_mid() -> None:
    assert facts_of("Software Engineer", "Build things with us.").seniority == "mid"
    text = "Requirements:\n- 5+ years of professional experience with Python"
    assert facts_of("Software Engineer", text).seniority == "senior"


# A deliberately naive, independent reading of the title: one keyword table, no
# context rules. Agreement is measured on titles where it finds exactly one level.
_REFERENCE: dict[str, str] = {
    "intern": "intern", "internship": "intern", "junior": "junior", "jr": "junior",
    "entry": "junior", "graduate": "junior", "mid": "mid", "intermediate": "mid",
    "senior": "senior", "sr": "senior", "lead": "lead", "staff": "lead",
    "principal": "principal", "director": "principal", "head": "principal",
    "vp": "principal", "cto": "principal",
}  # fmt: skip


def _reference_level(title: str) -> str | None:
    levels = {_REFERENCE[w] for w in re.findall(r"[a-z]+", title.lower()) if w in _REFERENCE}
    return levels.pop() if len(levels) == 1 else None


@needs_shared_data
def test_seniority_agrees_with_explicit_title_levels() -> None:
    agree = total = text_agree = 0
    disagreements: list[tuple[str, str, str]] = []
    for d, result in zip(shared_drafts(), shared_extractions(), strict=True):
        expected = _reference_level(d.position)
        if expected is None:
            continue
        total += 1
        if result.facts.seniority == expected:
            agree += 1
        else:
            disagreements.append((d.position, expected, result.facts.seniority))
        # For information: what the text alone says (the fallback when a title has
        # no level). Not asserted: many postings never state a level in the text.
        alone = infer_seniority("", d.description_text, result.facts.years_experience)
        text_agree += alone == expected
    ratio = agree / total
    print(f"title-level agreement {agree}/{total} = {ratio:.3f}; disagreements: {disagreements}")
    print(f"text-only agreement {text_agree}/{total} = {text_agree / total:.3f}")
    assert total >= 150
    assert ratio >= MIN_TITLE_AGREEMENT


# --------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You have 5+ years of experience with Go.", 5),
        ("3-5 years of experience in backend development", 3),
        ("At least two years of software support experience", 2),
        ("Minimum of five years of programming experience", 5),
        ("- 4 years+ of experience in backend programming", 4),
        ("Requirements:\n- 3 to 5 years in a full-stack software development role", 3),
        ("* 2+ years experience with Linux.\n* 4+ years experience with Python.", 4),
        ("Experience with ReactJS (1 year or more)", 1),
        ("Founded five years ago by journalists.", None),
        ("We've spent the past five years building a SaaS platform.", None),
        ("Bachelor's degree or 8+ years of equivalent experience", None),
        ("1 month paid sabbatical after 5 years", None),
        ("A firm with over 25 years of investment experience", None),  # > 15: history
        ("Must be 21 years of age or older", None),
        ("", None),
    ],
)
def test_years_of_experience(text: str, expected: int | None) -> None:
    assert extract_years_experience(text) == expected


# --------------------------------------------------------------------------- employment


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Backend Engineer", "This is a full-time position.", "full_time"),
        ("Part-time Customer Service Representative", "", "part_time"),
        ("Copywriter (Contract)", "This is a full-time role.", "contract"),
        ("Designer", "This is a full-time remote contract opportunity.", "contract"),
        ("Designer", "We work with freelance designers on a contract basis.", "contract"),
        ("Product Analyst Intern", "Full-time for the summer.", "internship"),
        ("Analyst", "This temporary position lasts three months.", "temporary"),
        ("Analyst", "This is not a freelance gig. It's a full-time position.", "full_time"),
        ("Blockchain Developer", "Write smart contracts in Solidity.", "unknown"),
        ("Developer", "", "unknown"),
    ],
)
def test_employment_type(title: str, text: str, expected: str) -> None:
    assert extract_employment_type(title, text) == expected


# --------------------------------------------------------------------------- remote


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Senior Web Developer (Remote)", "", "remote"),
        ("Developer", "We are a fully remote team and you can work from anywhere.", "remote"),
        ("Developer", "We offer a hybrid work model in Berlin.", "hybrid"),
        ("Developer", "Expect 3 days a week in the office.", "hybrid"),
        ("Developer", "Experience with hybrid cloud environments.", "unknown"),
        ("Developer", "This is an on-site role at our Austin HQ.", "onsite"),
        ("Developer", "This is not a remote position.", "onsite"),
        ("Developer", "A remote team, but not remote from each other.", "remote"),
        ("Developer", "Free on-site lunches and an on-site gym.", "unknown"),
        ("Developer", "Build APIs in Python.", "unknown"),
    ],
)
def test_remote_policy(title: str, text: str, expected: str) -> None:
    assert extract_remote_policy(title, text) == expected


# --------------------------------------------------------------------------- salary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salary: $120k–$150k plus equity", (120_000, 150_000, "USD")),
        ("Compensation: USD 100,000 - 130,000 per year", (100_000, 130_000, "USD")),
        ("Salary: €60.000 per year", (60_000, 60_000, "EUR")),
        ("A salary range of €60.000 - €100.000 a year", (60_000, 100_000, "EUR")),
        ("Salary from £60–80k depending on experience", (60_000, 80_000, "GBP")),
        ("Annual compensation from: $120 - $140K + Bonus", (120_000, 140_000, "USD")),
        ("Salary: $90,000.00 to $110,000.00 /year", (90_000, 110_000, "USD")),
        ("$50,000 USD to $80,000 USD, depending on experience", (50_000, 80_000, "USD")),
        ("Hourly rate is $18-25 per hour.", (37_440, 52_000, "USD")),  # x 2080
        ("Compensation: 50€/hour.", (104_000, 104_000, "EUR")),
        ("Pay is $5000/month. Work from anywhere.", (60_000, 60_000, "USD")),  # x 12
        ("c.£500 - £600 per day", (130_000, 156_000, "GBP")),  # x 260
        ("Up to $180k plus super", (None, 180_000, "USD")),
        ("GROSS SALARY - From 4132 EUR/month.", (49_584, None, "EUR")),
        ("Salary range for this position is 100k-120k / year.", (100_000, 120_000, None)),
    ],
)
def test_salary(text: str, expected: tuple[int | None, int | None, str | None]) -> None:
    salary = extract_salary(text)
    assert salary is not None, text
    assert (salary.minimum, salary.maximum, salary.currency) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We have raised $3.7M from top tier investors.",
        "Disrupting a highly fragmented $20B market.",
        "Benefits: 401k with company match, $1,000 learning budget.",
        "A $2,500 signing bonus to buy a computer.",
        "Internet service (up to $50/month).",
        "We pay $25-30.",  # no period and too small to be yearly: dropped, not guessed
        "Our customer base grew from 25 Thousand in 2017.",
        "Salary: $99,000,000 per year",  # absurd
        "We offer a 401(k) plan and a competitive salary.",
    ],
)
def test_not_a_salary(text: str) -> None:
    assert extract_salary(text) is None


def test_salary_lands_in_job_facts() -> None:
    facts = facts_of("Engineer", "Salary: $120k–$150k. Remote.")
    assert (facts.salary_min, facts.salary_max, facts.salary_currency) == (
        120_000,
        150_000,
        "USD",
    )


# --------------------------------------------------------------------------- summary


def test_summary_picks_the_role_sentence_and_skips_boilerplate() -> None:
    text = (
        "About us\n\nAcme is a leading provider of widgets, founded in 2009 and backed by "
        "great investors.\n\nThe role\n\nYou will design and build our payments API in Go "
        "and own it in production.\n\nBenefits\n\n- 401k matching and unlimited PTO\n\n"
        "Acme is an equal opportunity employer and does not discriminate.\n\n"
        "Please mention the word BANANA when applying to show you read the job post."
    )
    summary = summarize("Backend Engineer", text)
    assert summary.startswith("You will design and build our payments API in Go")
    assert "401k" not in summary
    assert "equal opportunity" not in summary
    assert "BANANA" not in summary


def test_summary_is_at_most_60_words() -> None:
    long_sentence = "We are looking for an engineer who " + " ".join(["builds"] * 200) + "."
    summary = summarize("Engineer", long_sentence)
    assert len(summary.split()) == SUMMARY_MAX_WORDS
    assert summary.endswith("…")


def test_summary_falls_back_to_the_title() -> None:
    assert summarize("Backend Engineer", "") == "Backend Engineer"
    assert summarize("Backend Engineer", "Apply now at https://example.com") == "Backend Engineer"
    assert summarize("", "") == "Job posting"
    assert facts_of("", "").summary == "Job posting"


def test_truncated_feed_excerpt_is_trimmed() -> None:
    text = "Remote - Join the team building a distributed database with automatic backup, moni..."
    summary = summarize("Go Software Engineer", text)
    assert summary.endswith("backup…")


# --------------------------------------------------------------------------- inputs


def test_empty_description() -> None:
    facts = facts_of("Senior Python Developer", "")
    assert facts.skills == ["Python"]
    assert facts.seniority == "senior"
    assert facts.summary == "Senior Python Developer"
    assert (facts.employment_type, facts.remote_policy) == ("unknown", "unknown")
    assert facts.years_experience is None
    assert facts.salary_min is None


def test_huge_description_is_bounded() -> None:
    paragraph = (
        "We are looking for a Senior Python Developer with 5+ years of experience. "
        "You will build APIs with Django, PostgreSQL and Redis on AWS. "
    )
    text = (paragraph * (200_000 // len(paragraph) + 1))[:200_000]
    assert len(text) >= 200_000
    facts = facts_of("Python Developer", text)
    # Bounded by what is read, not by timing it: past twice MAX_TEXT_CHARS nothing counts.
    assert facts == facts_of("Python Developer", text[: MAX_TEXT_CHARS * 2])
    assert facts == facts_of("Python Developer", text + "Kubernetes and Rust. " * 5_000)
    assert {"Python", "Django", "PostgreSQL", "Redis", "AWS"} <= set(facts.skills)
    assert facts.seniority == "senior"
    assert len(facts.summary.split()) <= SUMMARY_MAX_WORDS


def test_html_description_does_not_leak_tags() -> None:
    html = (
        "<p>We are looking for a <b>React</b> developer to build our dashboard.</p>"
        "<ul><li>3+ years of experience with TypeScript</li></ul><script>alert(1)</script>"
    )
    facts = facts_of("Frontend Developer", html)
    assert "<" not in facts.summary
    assert {"React", "TypeScript"} <= set(facts.skills)
    assert facts.years_experience == 3


def test_hostile_and_odd_inputs_never_fail_validation() -> None:
    for title, text in [
        ("\x00\ufeff", "\ud83d broken surrogate"),
        ("A" * 10_000, "B" * 10_000),
        ("Dev", "$" * 5000 + "9" * 5000),
        ("Dev", "Salary: $1-$9999999999999 per hour"),
        ("Dev", "99999999 years of experience, 5+ years"),
        ("Dev", "\n".join(["- bullet"] * 5000)),
    ]:
        facts = facts_of(title, text)
        assert 1 <= len(facts.summary.split()) <= SUMMARY_MAX_WORDS
