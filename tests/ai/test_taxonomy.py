"""Tests for the skills taxonomy (jobrec/ai/taxonomy): data integrity, aliases,
false-positive rules, real RemoteOK postings and tag recall (speed is measured by
``benchmarks/bench_local_ai.py``, not asserted here).

Pure Python, no Django:
    python -m pytest -p no:django -p no:cacheprovider --noconftest tests/ai -q
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from jobrec.ai.taxonomy import (
    CATEGORIES,
    SkillMatch,
    SkillMatcher,
    TaxonomyError,
    default_matcher,
)
from jobrec.ai.taxonomy.matcher import DEFAULT_TOML

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REMOTEOK_DIR = DATA_DIR / "remoteok"

# Measured on the four RemoteOK files (see test_tag_recall for what limits it): 0.831 and
# 0.944 since 2026-12-02. The findable figure was 0.953 before; the 8 findable tags given up
# then are all RemoteOK keyword-tagger errors that the matcher now rejects on purpose: "hr"
# x4 (a department, the customers, an HR e-mail address), "rails" x2 ("the underlying rails
# for modern payments"), "apache" x2 (the Apache Software Foundation, "Apache Trino").
MIN_OVERALL_TAG_RECALL = 0.83
MIN_FINDABLE_TAG_RECALL = 0.94


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return default_matcher()


def names(matcher: SkillMatcher, text: str) -> list[str]:
    return [m.name for m in matcher.extract(text)]


# --------------------------------------------------------------------------- data file


def _raw_skills() -> list[dict[str, Any]]:
    with DEFAULT_TOML.open("rb") as handle:
        skills = tomllib.load(handle)["skill"]
    assert isinstance(skills, list)
    return skills


def test_names_and_aliases_are_unique_across_the_file() -> None:
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for skill in _raw_skills():
        for form in [skill["name"], *skill.get("aliases", [])]:
            key = " ".join(form.lower().split())
            if key in seen:
                duplicates.append(f"{form!r} ({seen[key]} / {skill['name']})")
            seen[key] = skill["name"]
    assert not duplicates, duplicates
    # The loader also rejects forms that collide after normalisation
    # ("front-end" == "front end"); loading must succeed.
    assert len(SkillMatcher.from_toml(DEFAULT_TOML).skills) == len(_raw_skills())


def test_at_least_600_skills_and_every_category_present(matcher: SkillMatcher) -> None:
    per_category = Counter(skill.category for skill in matcher.skills)
    print("skills per category:", dict(per_category), "total", len(matcher.skills))
    assert len(matcher.skills) >= 600
    assert set(per_category) == set(CATEGORIES)
    for category in CATEGORIES:
        assert per_category[category] >= 25, category


def test_every_skill_has_a_display_name_and_category(matcher: SkillMatcher) -> None:
    for skill in matcher.skills:
        assert skill.name == skill.name.strip()
        assert skill.category in CATEGORIES
        assert isinstance(skill.aliases, tuple)
        assert matcher.get(skill.name) is skill
        assert matcher.canonicalize(skill.name) == skill.name
        for alias in skill.aliases:
            assert matcher.canonicalize(alias) == skill.name, alias


def test_default_matcher_is_loaded_once() -> None:
    assert default_matcher() is default_matcher()


# --------------------------------------------------------------------------- canonicalize


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("k8s", "Kubernetes"),
        ("Kubernetes", "Kubernetes"),
        ("postgres", "PostgreSQL"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("psql", "PostgreSQL"),
        ("js", "JavaScript"),
        ("ECMAScript", "JavaScript"),
        ("golang", "Go"),
        ("Go", "Go"),
        ("go", "Go"),
        ("ReactJS", "React"),
        ("react.js", "React"),
        ("nodejs", "Node.js"),
        ("node", "Node.js"),
        ("Node.JS", "Node.js"),
        ("node js", "Node.js"),
        ("ts", "TypeScript"),
        ("gcp", "Google Cloud"),
        ("aws", "AWS"),
        ("Amazon Web Services", "AWS"),
        ("ml", "Machine Learning"),
        ("nlp", "Natural Language Processing"),
        ("ci/cd", "CI/CD"),
        ("CI / CD", "CI/CD"),
        ("ci   cd", "CI/CD"),
        ("front end", "Frontend Development"),
        ("frontend", "Frontend Development"),
        ("front-end", "Frontend Development"),
        ("c plus plus", "C++"),
        ("C#", "C#"),
        ("dot net", ".NET"),
        ("r", "R"),
        ("c", "C"),
        ("objective-c", "Objective-C"),
        ("a/b testing", "A/B Testing"),
        ("reactnative", "React Native"),
        ("Meteor JS", "Meteor"),
        ("sys admin", "System Administration"),
        ("accounts payable", "Accounts Payable"),
        ("curriculum design", "Curriculum Development"),
        ("venipuncture", "Phlebotomy"),
        ("excel", "Microsoft Excel"),
        # user-typed variations
        ("golang developer", "Go"),
        ("node dev", "Node.js"),
        ("Machine Learning Engineer", "Machine Learning"),
        ("data visualizations", "Data Visualization"),
        ("  Python,  ", "Python"),
    ],
)
def test_canonicalize(matcher: SkillMatcher, term: str, expected: str) -> None:
    assert matcher.canonicalize(term) == expected


@pytest.mark.parametrize(
    "term",
    [
        "digital nomad",
        "dev",
        "engineer",
        "senior",
        "exec",
        "non tech",
        "full time",
        "",
        "   ",
        "?!",
    ],
)
def test_canonicalize_rejects_non_skills(matcher: SkillMatcher, term: str) -> None:
    assert matcher.canonicalize(term) is None


def test_implied(matcher: SkillMatcher) -> None:
    assert matcher.implied("Spring Boot") == ("Spring", "Java")
    assert matcher.implied("github") == ("Git", "Version Control")
    assert matcher.implied("Python") == ()
    assert matcher.implied("not a skill") == ()


def test_get_and_category(matcher: SkillMatcher) -> None:
    skill = matcher.get("Kubernetes")
    assert skill is not None
    assert skill.category == "engineering"
    assert "k8s" in skill.aliases
    assert matcher.get("kubernetes") is skill  # names are case-insensitive
    assert matcher.get("k8s") is None  # aliases go through canonicalize()
    assert matcher.category("Phlebotomy") == "healthcare"
    assert matcher.category("Accounts Payable") == "finance"
    assert matcher.category("Curriculum Development") == "education"
    assert matcher.category("no such skill") is None


# --------------------------------------------------------------------------- false positives


@pytest.mark.parametrize(
    "text",
    [
        "We are hiring a Go developer.",
        "Our services are written in Go and Python.",
        "Experience with Go/Python is required.",
        "Golang experience is a must.",
        "Senior Backend Golang Engineer",
        "Go, Rust or C++",
        "You know Go.",
        "Go is our main backend language.",
    ],
)
def test_go_positive(matcher: SkillMatcher, text: str) -> None:
    assert "Go" in names(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "We go to great lengths for our customers.",
        "Own our go-to-market motion.",
        "Go to market with the sales team.",
        "Working on the go is fine.",
        "You are a go-getter.",
        "Go above and beyond for customers.",
        "Let's go!",
        "Make sure you go through our website.",
        "Google and golf are not languages.",
        "GO TEAM",
    ],
)
def test_go_negative(matcher: SkillMatcher, text: str) -> None:
    assert "Go" not in names(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Statistical analysis in R, Python and SQL.",
        "Experience with R/Python.",
        "You will build models in R.",
        "Strong R programming skills.",
        "Tools: SPSS, R, Stata",
    ],
)
def test_r_positive(matcher: SkillMatcher, text: str) -> None:
    assert "R" in names(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Our R&D team builds Python tools.",
        "Our R & D budget grew.",
        "Mr. R. Smith will interview you.",
        "Track the R-squared of the Python model.",
        "Hardware and software design",  # "r" inside words
        "R",
        "Senior Backend Engineer Elixir\nR",  # a truncated 2021 description
    ],
)
def test_r_negative(matcher: SkillMatcher, text: str) -> None:
    assert "R" not in names(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Experience with C/C++.",
        "Languages: C, Python, Java.",
        "ANSI C on microcontrollers.",
        "Strong C programming skills.",
        "We write embedded C.",
        "Proficient in C and Rust.",
    ],
)
def test_c_positive(matcher: SkillMatcher, text: str) -> None:
    assert "C" in names(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Present to C-level executives.",
        "We raised our Series C.",
        "Vitamin C and Python snacks.",
        "USB-C chargers are provided.",
        "Work with the C-suite.",
        "Grade C or better.",
        "Plan A, plan B, plan C.",
    ],
)
def test_c_negative(matcher: SkillMatcher, text: str) -> None:
    assert "C" not in names(matcher, text)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("We use JavaScript everywhere.", "JavaScript", "Java"),
        ("Backend in Java and Spring Boot.", "Java", "JavaScript"),
        ("Build UIs with React and Redux.", "React", None),
        ("Experience with react and redux", "React", None),
        ("You react to incidents quickly.", None, "React"),
        ("Reactive programming with RxJS", "RxJS", "React"),
        ("iOS apps in Swift.", "Swift", None),
        ("We swiftly respond to tickets.", None, "Swift"),
        ("Send payments over the SWIFT network.", None, "Swift"),
        ("Services written in Rust.", "Rust", None),
        ("Build trust with customers.", None, "Rust"),
        ("APIs with Node.js and Express.", "Express.js", None),
        ("Please express interest by email.", None, "Express.js"),
        ("We pay with American Express.", None, "Express.js"),
        ("Java, Spring and Hibernate.", "Spring", None),
        ("Join us this Spring!", None, "Spring"),
        ("The spring release ships Java 17.", None, "Spring"),
        ("Advanced Excel and SQL skills.", "Microsoft Excel", None),
        ("You excel at building relationships.", None, "Microsoft Excel"),
        ("Help our people excel in their careers.", None, "Microsoft Excel"),
        ("Node developers wanted: Node, React, MongoDB.", "Node.js", None),
        ("Each node in the Kubernetes cluster runs Docker.", None, "Node.js"),
        ("Scalable systems in Scala.", "Scala", None),
        ("Highly scalable services.", None, "Scala"),
        ("Proven B2B sales experience.", "Sales", None),
        ("Sales Manager, EMEA", "Sales", None),
        ("Work with our sales team and sales leaders on tooling.", None, "Sales"),
        ("Ability to excel in a fast-paced, startup-like environment", None, "Microsoft Excel"),
        ("Fluent English and Spanish speaker.", "Spanish", None),
        ("We are a Spanish company.", None, "Spanish"),
        ("Monitoring, auditing, and alerting for Kubernetes.", None, "Auditing"),
        ("Prepare for annual audits with the month-end close team.", "Auditing", None),
        ("Free family and financial counseling via our EAP.", None, "Counseling"),
        ("Write low-level design documents.", None, "Level Design"),
        ("You will be teaching us as much as you learn.", None, "Teaching"),
        ("Licensed teacher with classroom experience.", "Teaching", None),
        ("MBA, SNS College of Engineering", None, "Amazon SNS"),
        ("Events via AWS SNS and SQS", "Amazon SNS", None),
        ("Worked as an ASM at a car dealership", None, "Assembly Language"),
        ("Mental health support: we cover therapy costs", None, "Mental Health"),
        ("#LI-Remote #BI-Remote", None, "Business Intelligence"),
        # "user experience"/"UI" as what a product offers or the front end, not design work.
        ("Build apps with a fast and delightful user experience.", None, "UX Design"),
        ("From UI to APIs, you own the feature.", None, "UI Design"),
        ("Developing user interface components in React.", None, "UI Design"),
        ("5 years of UX design in Figma.", "UX Design", None),
        ("Strong UX research and UI design skills.", "UI Design", None),
        ("UX, UI, Figma and Sketch", "UX Design", None),
        ("A frictionless customer experience is our promise.", None, "Customer Experience"),
        ("Customer Experience Team Lead", "Customer Experience", None),
        ("Workflows with React Flux or Redux.", "Flux", None),
        ("Deployments with Flux/GitOps and Argo.", "Flux", None),
        ("Priorities are in flux this quarter.", None, "Flux"),
        ("Elixir/Phoenix/LiveView with relatively few dependencies.", "Phoenix Framework", None),
        ("Offices in Phoenix, Denver and Austin.", None, "Phoenix Framework"),
        ("Kafka Streams, Pinot, Java and Kubernetes.", "Apache Pinot", None),
        ("A glass of Pinot at the retreat.", None, "Apache Pinot"),
        ("Building SPAs in React and TypeScript.", "Single-Page Applications", None),
        ("A day at the spa for every employee.", None, "Single-Page Applications"),
        ("Realm, Core Data and SQLite on iOS.", "Realm", None),
        ("In the realm of possibilities.", None, "Realm"),
        ("Our offices in Hong Kong and Singapore.", None, "Kong"),
        ("Authorization with JSON Web Tokens.", "JSON Web Token", "JSON"),
        ("Postgres 15 on Cloud SQL.", "Cloud SQL", None),
        ("Typing speed of at least 40 wpm.", "Typing", None),
        ("Static typing in Python.", None, "Typing"),
        # Guards added on reviewing the false positives of the dev half (2026-12-02).
        ("Interest in journalism, news, media or social media", None, "Social Media Marketing"),
        ("We do not make offers of employment via social media.", None, "Social Media Marketing"),
        ("Grow and manage our social media accounts.", "Social Media Marketing", None),
        ("- Social Media: from Twitter to Facebook", "Social Media Marketing", None),
        ("Organize logistics for local events.", None, "Logistics"),
        ("Supply chain and freight logistics experience.", "Logistics", None),
        ("A world-class software development company.", None, "Software Engineering"),
        ("5+ years of software development experience.", "Software Engineering", None),
        ("Translating designs and wireframes into high quality code.", None, "Wireframing"),
        ("Create wireframes and prototypes in Figma.", "Wireframing", None),
        ("Writing tests and troubleshooting bugs.", "Debugging", "Troubleshooting"),
        ("Ability to debug API responses.", "Debugging", None),
        ("Apps that help clinicians provide better patient care.", None, "Patient Care"),
        ("Two years of direct patient care experience.", "Patient Care", None),
        ("Questions about the offer? Contact HR.", None, "Human Resources"),
        ("5 years of HR generalist experience.", "Human Resources", None),
        ("We pride ourselves on a nimble, agile culture.", None, "Agile"),
        ("Experience working in agile teams with Scrum.", "Agile", None),
        ("Distribute insurance products on its technology rails.", None, "Ruby on Rails"),
        ("Our backend is a Rails monolith.", "Ruby on Rails", None),
        ("We have partnered with the Apache Software Foundation.", None, "Apache HTTP Server"),
        ("No-SQL databases like Cassandra. Apache Trino etc.", None, "Apache HTTP Server"),
        ("Web servers: Nginx or Apache.", "Apache HTTP Server", None),
        ("Adhere to ICH, GCP, and regulatory guidelines.", None, "Google Cloud"),
        ("Hosted on GCP with Terraform.", "Google Cloud", None),
        ("We raised $100M at a $550M valuation.", None, "Valuation"),
        ("Financial modeling and valuation methods.", "Valuation", None),
        ("Use git and understand common SCM workflows.", None, "Supply Chain Management"),
        ("AWS technologies (Redshift, EMR, ECS)", None, "Electronic Health Records"),
        ("Experience with EMR systems such as Epic.", "Electronic Health Records", None),
        ("Ranges are based on market research.", None, "Market Research"),
        ("You will create an AI-powered application.", None, "Artificial Intelligence"),
        ("Experience with AI and machine learning.", "Artificial Intelligence", None),
    ],
)
def test_ambiguous_words(
    matcher: SkillMatcher, text: str, present: str | None, absent: str | None
) -> None:
    found = names(matcher, text)
    if present is not None:
        assert present in found, found
    if absent is not None:
        assert matcher.get(absent) is not None  # a typo would make this vacuous
        assert absent not in found, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C++ and C# developers", ["C++", "C#"]),
        ("Built on .NET Core and ASP.NET MVC", [".NET", "ASP.NET"]),
        ("C#.NET experience", ["C#", ".NET"]),
        ("Node.js services", ["Node.js", "JavaScript"]),
        ("CI/CD pipelines", ["CI/CD"]),
        ("CI / CD", ["CI/CD"]),
        ("A/B testing", ["A/B Testing"]),
        ("front-end and back end work", ["Frontend Development", "Backend Development"]),
        ("Objective-C", ["Objective-C"]),
        ("PHP+Mongo+Angular", ["PHP", "MongoDB", "NoSQL", "Angular", "JavaScript"]),
    ],
)
def test_token_boundaries(matcher: SkillMatcher, text: str, expected: list[str]) -> None:
    assert names(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Visit credential.net/10000005 for details", ".NET"),
        ("Nodes and graph databases", "Node.js"),
        ("mail sales@golang-shop.com", "Go"),
        ("see https://github.com/golang/go", "Go"),
        ("Gopher", "Go"),
        ("PostgreSQLish", "PostgreSQL"),
    ],
)
def test_no_match_inside_words_urls_or_emails(
    matcher: SkillMatcher, text: str, absent: str
) -> None:
    assert matcher.get(absent) is not None
    assert absent not in names(matcher, text)


# --------------------------------------------------------------------------- extract() API


def test_extract_counts_offsets_and_order(matcher: SkillMatcher) -> None:
    text = "Python and k8s. More Python, then Kubernetes and PostgreSQL (postgres)."
    result = matcher.extract(text)
    assert [m.name for m in result] == ["Python", "Kubernetes", "PostgreSQL", "SQL"]
    by_name = {m.name: m for m in result}
    assert by_name["Python"] == SkillMatch(name="Python", count=2, first_offset=0)
    assert by_name["Kubernetes"].count == 2
    assert text[by_name["Kubernetes"].first_offset :].startswith("k8s")
    assert by_name["PostgreSQL"].count == 2
    assert text[by_name["PostgreSQL"].first_offset :].startswith("PostgreSQL")


def test_extract_implied_skills(matcher: SkillMatcher) -> None:
    # A mention counts for every ancestor, nearest first, at the same offset.
    found = names(matcher, "React Native and Ruby on Rails")
    assert found == [
        "React Native",
        "React",
        "Mobile Development",
        "JavaScript",
        "Ruby on Rails",
        "Ruby",
    ]
    assert {m.first_offset for m in matcher.extract("React Native")} == {0}
    assert names(matcher, "Spring Boot") == ["Spring Boot", "Spring", "Java"]


def test_extract_handles_mojibake_and_odd_input(matcher: SkillMatcher) -> None:
    assert matcher.extract("") == []
    assert matcher.extract("   \n\t") == []
    # 2017 RemoteOK text: UTF-8 decoded as Latin-1 around the word
    text = "Weâ\x80\x99re hiring â\x80\x93 Goâ\x80\x99s concurrency and Pythonâ\x80\x99s ecosystem"
    result = {m.name: m for m in matcher.extract(text)}
    assert "Go" in result
    assert "Python" in result
    assert text[result["Python"].first_offset :].startswith("Python")
    # Offsets stay valid when lower-casing would change the length (U+0130).
    text = "\u0130stanbul team: Kubernetes"
    kube = matcher.extract(text)[0]
    assert text[kube.first_offset :].startswith("Kubernetes")


# --------------------------------------------------------------------------- rule engine


def _tiny(*skills: dict[str, Any]) -> SkillMatcher:
    return SkillMatcher.from_data({"skill": list(skills)})


def test_rules_case_context_near_and_stop_phrases() -> None:
    tiny = _tiny(
        {"name": "Python", "category": "engineering", "aliases": []},
        {
            "name": "Go",
            "category": "engineering",
            "aliases": ["golang"],
            "guarded": ["Go"],
            "case": "exact",
            "context_after": ["developer"],
            "stop_phrases": ["go to"],
        },
        {
            "name": "R",
            "category": "data",
            "aliases": [],
            "guarded": ["R"],
            "case": "exact",
            "needs_context": True,
            "context_before": ["in"],
            "context_near": ["engineering"],
        },
    )
    assert [m.name for m in tiny.extract("we write Go")] == ["Go"]
    assert tiny.extract("we write go") == []  # case "exact"
    assert tiny.extract("Go to the office") == []  # stop phrase
    assert tiny.extract("Go far") == []  # sentence start needs context
    assert [m.name for m in tiny.extract("Go developer")] == ["Go"]  # context_after
    assert tiny.extract("grade R") == []  # needs context
    assert [m.name for m in tiny.extract("models in R")] == ["R"]  # context_before
    assert [m.name for m in tiny.extract("R, Python")] == ["R", "Python"]  # near
    assert tiny.canonicalize("go") == "Go"  # terms ignore guards


def test_rules_context_anywhere_and_list_labels() -> None:
    tiny = _tiny(
        {"name": "Email Marketing", "category": "marketing", "aliases": []},
        {
            "name": "Social Media Marketing",
            "category": "marketing",
            "aliases": ["social media"],
            "guarded": ["social media"],
            "needs_context": True,
            "context_anywhere": ["marketing"],
        },
    )
    assert tiny.extract("news or social media") == []
    # Any confirmed marketing skill in the text is context, however far away.
    found = tiny.extract("Content for social media and blogs. Later: email marketing.")
    assert [m.name for m in found] == ["Social Media Marketing", "Email Marketing"]
    # A list item's label ("- Social Media: ...") is context too.
    assert [m.name for m in tiny.extract("- Social Media: Twitter and more")] == [
        "Social Media Marketing"
    ]


def test_team_names_are_departments_in_postings_only() -> None:
    tiny = _tiny(
        {"name": "Project Management", "category": "operations", "aliases": []},
        {"name": "Python", "category": "engineering", "aliases": []},
    )
    text = "Work with the Project Management team. Join our Python team."
    assert [m.name for m in tiny.extract(text)] == ["Project Management", "Python"]
    assert [m.name for m in tiny.extract(text, skip_team_names=True)] == ["Python"]
    lead = "Project Management Team Lead"  # a job title, not a department
    assert [m.name for m in tiny.extract(lead, skip_team_names=True)] == ["Project Management"]


def test_rules_repeat() -> None:
    tiny = _tiny(
        {
            "name": "Sales",
            "category": "sales",
            "aliases": [],
            "guarded": ["sales"],
            "needs_context": True,
            "context_repeat": 2,
        }
    )
    assert tiny.extract("talk to sales") == []
    assert [m.count for m in tiny.extract("sales, sales")] == [2]


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        (
            [
                {"name": "A", "category": "data", "aliases": ["x"]},
                {"name": "B", "category": "data", "aliases": ["X"]},
            ],
            "claimed by both",
        ),
        ([{"name": "A", "category": "nope", "aliases": []}], "category"),
        ([{"name": "A", "category": "data", "aliaes": []}], "unknown field"),
        ([{"name": "A", "category": "data", "guarded": ["B"]}], "not its name or an alias"),
        ([{"name": "A", "category": "data", "case": "exact"}], "guarded"),
        ([{"name": "A", "category": "data", "implies": ["B"]}], "cannot imply"),
        ([{"name": "A", "category": "data", "aliases": ["x, y"]}], "breaks a phrase"),
        (
            [{"name": "A", "category": "data", "guarded": ["A"], "context_anywhere": ["x"]}],
            "context_anywhere",
        ),
        (
            [{"name": "A", "category": "data", "guarded": ["A"], "stop_phrases": ["b c"]}],
            "no guarded form",
        ),
    ],
)
def test_invalid_taxonomy_is_rejected(skills: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        SkillMatcher.from_data({"skill": skills})


# --------------------------------------------------------------------------- real data

_BLOCK_TAG = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?ul|/?ol|/?h[1-6]|/?tr)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")


def strip_html(markup: str) -> str:
    """Block tags become line breaks (list items stay separate lines), others spaces."""
    return html.unescape(_ANY_TAG.sub(" ", _BLOCK_TAG.sub("\n", markup)))


@cache
def remoteok_jobs() -> tuple[tuple[str, dict[str, Any]], ...]:
    if not REMOTEOK_DIR.is_dir():
        pytest.skip(f"real data not available at {REMOTEOK_DIR}")
    jobs: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(REMOTEOK_DIR.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if "legal" in item:  # element 0 of the newer dumps is a legal notice
                continue
            jobs.append((path.name, item))
    assert len(jobs) > 600
    return tuple(jobs)


def posting_text(job: dict[str, Any]) -> str:
    return f"{job.get('position') or ''}\n{strip_html(job.get('description') or '')}"


def find_job(job_id: str) -> dict[str, Any]:
    for _, job in remoteok_jobs():
        if str(job["id"]) == job_id:
            return job
    raise AssertionError(f"posting {job_id} not found")


def test_real_golang_posting_yields_go(matcher: SkillMatcher) -> None:
    job = find_job("1059249")  # 2024: "Senior Backend Golang Engineer Mailgun Send"
    assert job["company"] == "Mailgun"
    found = names(matcher, posting_text(job))
    assert "Go" in found
    assert "Backend Development" in found


def test_real_react_postings_yield_react_and_javascript(matcher: SkillMatcher) -> None:
    # 2024 "Full Stack React Engineer" and 2017 "Experienced JavaScript Developer
    # (React + Redux + Node.js)"
    for job_id in ("1059078", "29098"):
        found = names(matcher, posting_text(find_job(job_id)))
        assert {"React", "JavaScript"} <= set(found), (job_id, found)
    found = names(matcher, posting_text(find_job("29098")))
    assert {"Redux", "Node.js"} <= set(found)


def test_real_postings_reject_tagger_false_positives(matcher: SkillMatcher) -> None:
    """RemoteOK's 2024 tagger matched words; these tags are wrong and must stay unmatched."""
    for job_id, tag_skill in [
        ("1053494", "Go"),  # "we also go beyond it"
        ("1057419", "Microsoft Excel"),  # "you excel at developing"
        ("1057298", "AWS Lambda"),  # "Lambda School"
    ]:
        job = find_job(job_id)
        assert any(matcher.canonicalize(tag) == tag_skill for tag in job["tags"])
        assert tag_skill not in names(matcher, posting_text(job)), job_id


def _word_present(words: Iterator[str] | list[str], text: str) -> bool:
    lowered = text.lower()
    return any(
        re.search(r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?![a-z0-9])", lowered)
        for word in words
    )


def test_tag_recall(matcher: SkillMatcher) -> None:
    """Of the postings' tags that canonicalize() maps to a skill, the fraction that
    extract() finds in the posting's title + description.

    Two figures: overall, and over "findable" tags, i.e. those whose skill name or an
    alias appears in the text at all (naive case-insensitive word search).  The rest
    cannot be found by reading the text: many 2021 descriptions are truncated to a
    few hundred characters (or one letter), and RemoteOK's legacy tags are partly
    categories (e.g. "product manager" on product *designer* postings).  Most
    findable-but-missed tags are RemoteOK's own keyword-tagger errors in 2024 ("go"
    from "go beyond", "excel" from "excel at", "lambda" from "Lambda School").
    """
    total = found = findable = findable_found = 0
    per_file: dict[str, list[int]] = {}
    missed_absent: Counter[str] = Counter()
    missed_present: Counter[str] = Counter()
    for file_name, job in remoteok_jobs():
        text = posting_text(job)
        extracted = {m.name for m in matcher.extract(text)}
        for tag in dict.fromkeys(job.get("tags") or []):
            skill_name = matcher.canonicalize(tag)
            if skill_name is None:
                continue
            skill = matcher.get(skill_name)
            assert skill is not None
            hit = skill_name in extracted
            present = _word_present([skill.name, *skill.aliases], text)
            total += 1
            found += hit
            findable += present
            findable_found += hit and present
            stats = per_file.setdefault(file_name, [0, 0])
            stats[0] += hit
            stats[1] += 1
            if not hit:
                (missed_present if present else missed_absent)[f"{tag} -> {skill_name}"] += 1

    overall = found / total
    findable_recall = findable_found / findable
    print(f"\ntag recall overall: {found}/{total} = {overall:.3f}")
    for file_name, (hits, count) in sorted(per_file.items()):
        print(f"  {file_name}: {hits}/{count} = {hits / count:.3f}")
    print(f"tag recall on findable tags: {findable_found}/{findable} = {findable_recall:.3f}")
    print("missed, skill not in the text at all:", dict(missed_absent.most_common()))
    print("missed although a form occurs (guard rejections):", dict(missed_present.most_common()))
    assert overall >= MIN_OVERALL_TAG_RECALL
    assert findable_recall >= MIN_FINDABLE_TAG_RECALL
