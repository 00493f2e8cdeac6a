"""Which parts of a posting the local extractor reads skills from (jobrec/ai/local/sections.py).

Pure Python, no Django:
    python -m pytest -p no:django -p no:cacheprovider --noconftest \
        tests/ai/test_local_sections.py -q
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from jobrec.ai.local import LocalExtractor
from jobrec.ai.local.sections import (
    company_usage_sentences,
    heading_kind,
    requirement_text,
    sections,
)
from jobrec.ai.skills import skills_canonical
from jobs.sources.base import JobDraft
from jobs.sources.remoteok.parser import parse_remoteok

REMOTEOK_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
needs_shared_data = pytest.mark.skipif(
    len(list(REMOTEOK_DIR.glob("*.json"))) < 4, reason="shared RemoteOK snapshots not available"
)


@cache
def _posting(file_name: str, posting_id: str) -> JobDraft:
    drafts = parse_remoteok((REMOTEOK_DIR / file_name).read_bytes()).drafts
    return next(d for d in drafts if d.external_id == posting_id)


def _skills(title: str, text: str) -> list[str]:
    return skills_canonical(LocalExtractor().extract_job(title=title, text=text).facts.skills)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("about us", "company"),
        ("about the wirecutter", "company"),
        ("about 1840 & company", "company"),
        ("who we are", "company"),
        ("our core values", "company"),
        ("what is 10xfactory", "company"),
        ("why work at beyond cloud consulting", "company"),
        ("work environment", "company"),
        ("equal opportunity employer", "company"),
        ("benefits & perks", "benefits"),
        ("culture and benefits at the new york times company and the wirecutter", "benefits"),
        ("what we will offer you", "benefits"),
        ("compensation", "benefits"),
        ("how to apply", "apply"),
        ("getting your application noticed", "apply"),
        ("about you", "job"),
        ("about the role", "job"),
        ("requirements", "job"),
        ("nice to haves", "job"),
        ("what we are looking for", "job"),
        ("technical environment", "job"),
        ("our tech stack", "job"),
        ("how you'll make an impact", "job"),
        ("additional information", None),
        ("how do we get there", None),
    ],
)
def test_heading_kind(heading: str, kind: str | None) -> None:
    assert heading_kind(heading) == kind


POSTING = """We are looking for a Senior Java Developer to join our platform team.

About us
--------
Acme is a fast-growing startup in the project management space.

**Requirements**
* Java and Spring Boot
* You collaborate with product managers, designers and QA to ship features

**Benefits & Perks**
* Free Kubernetes training

**About Us**
* Our web applications are built using Ruby, Rails and Vue.js
* Our data stack runs on Airflow

**OUR VALUES**
**CUSTOMER HAPPINESS** why we exist:
* We love Scala

Does this sound like you?
Send us your CV.
"""


def test_sections_follow_headings_and_unnamed_headings_continue_their_section() -> None:
    found = [(s.heading, s.kind) for s in sections(POSTING)]
    assert found == [
        ("", "job"),
        ("about us", "company"),
        ("requirements", "job"),
        ("benefits & perks", "benefits"),
        ("about us", "company"),
        ("our values", "company"),
        # Says nothing about its kind: still part of "Our values".
        ("customer happiness why we exist", "company"),
        ("does this sound like you", "job"),
    ]


def test_requirement_text_keeps_only_what_is_asked() -> None:
    kept = requirement_text(POSTING)
    assert "Java and Spring Boot" in kept
    assert "Senior Java Developer" in kept
    for gone in ("project management", "Kubernetes", "Ruby", "Airflow", "Scala"):
        assert gone not in kept
    # The colleagues are not skills; what the hire does with them stays.
    assert "You collaborate with  to ship features" in kept
    assert "QA" not in kept
    assert _skills("Senior Java Developer", POSTING) == ["Java", "Spring Boot", "Spring"]


def test_a_paragraph_about_the_job_ends_a_company_section_without_a_heading() -> None:
    text = (
        "About Acme:\nAcme is a leading agency for brands.\n\n"
        "We are looking for a developer with experience in Django and PostgreSQL."
    )
    assert "Django" in requirement_text(text)
    assert _skills("Developer", text) == ["Django", "Python", "PostgreSQL", "SQL"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Xpand IT is a global company, specialized in Big Data and Business Intelligence.",
        "Hubstaff is a fast-growing startup in the time tracking and project management space.",
        "Dekeo, a new venture spun out of an ecommerce company, is creating a marketplace.",
        "Doximity is transforming the healthcare industry.",
        "We're a small team building marketing software.",
        "Our mission is to help doctors with machine learning.",
        "Our team provides 24/7 WordPress website management.",
        "Founded in 2012, we build Salesforce integrations.",
        "If you require accommodation as part of the recruitment process, contact HR.",
        "We have built and maintain a suite of native iOS and Android apps that doctors use.",
        "We have a feature-rich, 100% Swift application.",
        "We are creating robust web services that leverage sophisticated graph algorithms.",
        "We're growing crazy fast and doing all the fun AI stuff.",
        "Our success story is highlighted by awards across sectors, including AI/Robotics.",
        "StackAdapt was founded with a vision to be more than an advertising platform.",
        "In October 2021, we raised $100M in our Series C with a $550M valuation.",
        "Humi is backed by the same group who funded Slack and Carta.",
        "We strive to do this by providing superior software and excellent customer service.",
        "Your recruiter can share more information about our total rewards.",
        "PS: if you're a recruiter, do not contact us.",
        "We are currently recruiting for the position of Online Map Quality Analyst.",
        "Flowlity is today the most advanced supply chain planning solution on the market.",
    ],
)
def test_sentences_about_the_company_are_dropped(sentence: str) -> None:
    assert requirement_text(f"Intro line.\n{sentence}\nSecond line.").split("\n")[1] == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Python is a must for our data team.",
        "This is an inbound sales role with HubSpot.",
        "We are looking for a React developer.",
        "We are a Python shop.",
        "Our tech stack includes Python, Django, Celery and MySQL.",
        "The role is a Salesforce administrator position for a platform company.",
        "We have a continuous delivery workflow that leverages Terraform and Docker.",
        "A well-funded startup looking for a developer who writes React and TypeScript.",
        "We are building a team of Python engineers.",
    ],
)
def test_sentences_about_the_job_are_kept(sentence: str) -> None:
    assert requirement_text(sentence) == sentence


def test_fields_of_study_and_departments_are_not_asked() -> None:
    text = requirement_text(
        "- Bachelor's degree in Mathematics, Statistics, Economics, or related field\n"
        "- BS in Computer Science or equivalent experience with Python\n"
        "- A high degree of proficiency in SQL\n"
        "- Liaise with Accounting/Finance to analyze project profitability"
    )
    assert "Statistics" not in text and "Computer Science" not in text
    assert "equivalent experience with Python" in text
    assert "proficiency in SQL" in text
    assert "Accounting" not in text and "analyze project profitability" in text
    # Nor the company's own strategy, nor the manager the hire reports to.
    assert "marketing" not in requirement_text("Content is part of our overall marketing strategy.")
    assert "Marketing" not in requirement_text("Reporting to the Senior Marketing Director.")
    # A skill named after "working with" stays one.
    kept = "Experience working with APIs and complex server side design"
    assert requirement_text(kept) == kept


def test_workplace_tools_only_when_asked_for() -> None:
    rest, usage = company_usage_sentences(
        "We use Jira, Trello, Slack and Github in our day-to-day business.\n"
        "Experience with Jira is a plus."
    )
    assert usage == "We use Jira, Trello, Slack and Github in our day-to-day business."
    assert rest == "\nExperience with Jira is a plus."
    skills = _skills(
        "iOS Developer",
        "Swift is required.\nWe use Jira, Trello, Slack and Github in our day-to-day business.",
    )
    # GitHub is part of an engineer's stack; the chat and task tools are the company's.
    assert skills == ["iOS", "Mobile Development", "Swift", "GitHub", "Git", "Version Control"]
    assert "Slack" in _skills("Support Agent", "Experience with Slack and Zendesk is required.")


def test_industries_are_not_skills() -> None:
    skills = _skills("Account Executive", "SaaS experience preferred. E-commerce and SaaS Sales.")
    assert "SaaS" not in skills and "E-commerce" not in skills
    assert "SaaS Sales" in skills


@needs_shared_data
def test_real_posting_about_us_stack_is_not_asked_of_an_ios_engineer() -> None:
    # Doximity's iOS posting: its "About Us" lists the web and data teams' stacks.
    draft = _posting("remoteok-2021-01.json", "101536")
    skills = _skills(draft.position, draft.description_text)
    assert {"iOS", "Swift", "GraphQL", "RxSwift", "SwiftUI"} <= set(skills)
    assert not {"Ruby", "Ruby on Rails", "Vue.js", "Apache Airflow", "MySQL"} & set(skills)


@needs_shared_data
def test_real_posting_company_self_description_is_not_a_requirement() -> None:
    # "Xpand IT is a global company, specialized in Big Data, Business Intelligence ..."
    draft = _posting("remoteok-2017-05-legacy-format.json", "23673")
    skills = _skills(draft.position, draft.description_text)
    assert {"Quality Assurance", "Agile", "Debugging"} <= set(skills)
    assert not {"Big Data", "Business Intelligence"} & set(skills)


@needs_shared_data
def test_real_posting_stack_list_is_kept_for_an_engineer() -> None:
    # PKB's "Technical environment" is the stack the hire works in (labeling rule 3).
    draft = _posting("remoteok-2017-05-legacy-format.json", "26094")
    skills = set(_skills(draft.position, draft.description_text))
    assert {"Java", "Spring Boot", "Dropwizard", "Docker", "Prometheus", "Ansible"} <= skills
    assert "Slack" not in skills  # "We communicate primarily through chat (Slack)"
