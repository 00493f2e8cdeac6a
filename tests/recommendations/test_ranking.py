"""The score parts of engine 1, on plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from recommendations.ranking import (
    Candidate,
    FeedbackSignals,
    Person,
    Weights,
    rank,
    role_families,
    seniority_fit,
    skills_fit,
    text_role_families,
    title_fit,
)

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def candidate(job_id: int, **overrides: object) -> Candidate:
    values: dict[str, object] = {
        "job_id": job_id,
        "title": "Backend Engineer",
        "company_id": job_id,
        "company_name": f"Company {job_id}",
        "skills": ("Python",),
        "seniority": "mid",
        "salary_min": None,
        "salary_max": None,
        "salary_currency": "",
        "location": "Worldwide",
        "remote_policy": "remote",
        "posted_at": NOW - timedelta(days=1),
        "similarity": 0.5,
    }
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


def test_rare_skills_weigh_more_than_common_ones() -> None:
    idf = {"Git": 1.1, "Kubernetes": 4.0}
    knows_rare, matched, missing = skills_fit(("Git", "Kubernetes"), frozenset({"Kubernetes"}), idf)
    knows_common, _, _ = skills_fit(("Git", "Kubernetes"), frozenset({"Git"}), idf)
    assert knows_rare > 0.9 > 0.3 > knows_common
    assert matched == ["Kubernetes"] and missing == ["Git"]
    assert skills_fit(("Git", "Kubernetes"), frozenset({"Git", "Kubernetes"}), idf)[
        0
    ] == pytest.approx(1)


def test_one_shared_common_skill_is_not_a_perfect_fit() -> None:
    idf = {"SQL": 1.2, "Spark": 3.0, "Airflow": 3.5, "dbt": 3.5}
    many = frozenset({"SQL", "Spark", "Airflow", "dbt"})
    assert skills_fit(("SQL",), many, idf)[0] < 0.3
    assert skills_fit(("SQL", "Spark", "Airflow"), many, idf)[0] > 0.8


def test_missing_skills_are_listed_rarest_first() -> None:
    _, _, missing = skills_fit(("Git", "Rust", "Go"), frozenset(), {"Git": 1, "Rust": 5, "Go": 3})
    assert missing == ["Rust", "Go", "Git"]


def test_title_fit_ignores_level_words_and_prefers_desired_titles() -> None:
    assert title_fit("Senior Data Engineer", ["Data Engineer"], []) > 0.8
    assert title_fit("Senior Data Engineer", ["Chef"], []) == 0
    held = title_fit("Data Engineer", ["Data Engineer"], [])
    wanted = title_fit("Data Engineer", [], ["Data Engineer"])
    assert wanted > held


def test_seniority_fit_falls_with_distance_and_says_which_way() -> None:
    assert seniority_fit("senior", "senior") == (1.0, "match")
    score, label = seniority_fit("lead", "mid")
    assert score < 1 and label == "2 steps above your level"
    assert seniority_fit("", "mid") == (0.5, "unknown")


def test_feedback_lifts_liked_skills_and_sinks_disliked_companies() -> None:
    person = Person(
        skills=frozenset({"Python"}),
        feedback=FeedbackSignals(liked_skills={"Rust": 0.7}, disliked_companies=frozenset({2})),
    )
    jobs = [
        candidate(1, skills=("Go",)),
        candidate(2, skills=("Python",)),
        candidate(3, skills=("Rust",)),
    ]
    ranked = rank(jobs, person, idf={}, now=NOW)
    order = [s.candidate.job_id for s in ranked]
    assert order.index(3) < order.index(1)
    by_id = {s.candidate.job_id: s for s in ranked}
    assert by_id[2].parts["feedback"] == -1.0
    assert by_id[3].parts["feedback"] > 0


def test_every_part_is_kept_and_the_score_is_their_weighted_sum() -> None:
    weights = Weights()
    person = Person(skills=frozenset({"Python"}), titles=("Backend Engineer",), seniority="mid")
    scored = rank([candidate(1)], person, idf={"Python": 2.0}, weights=weights, now=NOW)[0]
    assert set(scored.parts) == {
        "similarity",
        "skills",
        "title",
        "seniority",
        "salary",
        "location",
        "freshness",
        "feedback",
        "rating",
    }
    total = sum(getattr(weights, k) * v for k, v in scored.parts.items())
    assert abs(scored.score - total) < 1e-9
    explained = scored.explanation(weights)
    assert explained["matched_skills"] == ["Python"]
    assert explained["seniority_fit"] == "match"


def test_switching_a_part_off_removes_its_influence() -> None:
    person = Person(skills=frozenset(), titles=("Chef",))
    jobs = [
        candidate(1, title="Chef", similarity=0.1),
        candidate(2, title="Data Engineer", similarity=0.9),
    ]
    with_title = rank(jobs, person, idf={}, now=NOW, weights=Weights(similarity=0.1, title=1))
    assert with_title[0].candidate.job_id == 1
    without = rank(jobs, person, idf={}, now=NOW, weights=Weights(title=1).without("title"))
    assert without[0].candidate.job_id == 2


def test_preferences_score_salary_and_location() -> None:
    person = Person(skills=frozenset(), salary_min=100_000, locations=("Berlin",))
    high = rank([candidate(1, salary_max=120_000, location="Berlin")], person, idf={}, now=NOW)
    low = rank([candidate(2, salary_max=80_000, location="Tokyo")], person, idf={}, now=NOW)
    unknown = rank([candidate(3)], person, idf={}, now=NOW)
    assert high[0].parts["salary"] == 1.0 and low[0].parts["salary"] == 0.0
    assert unknown[0].parts["salary"] == 0.5
    assert (
        high[0].parts["location"] == 1.0 > unknown[0].parts["location"] > low[0].parts["location"]
    )


def test_freshness_halves_every_two_weeks() -> None:
    person = Person(skills=frozenset())
    new, old = rank(
        [candidate(1), candidate(2, posted_at=NOW - timedelta(days=15))], person, idf={}, now=NOW
    )
    assert new.candidate.job_id == 1
    assert abs(old.parts["freshness"] - 0.5 ** (15 / 14)) < 1e-9


def test_titles_of_the_same_kind_of_role_match_without_sharing_a_word() -> None:
    assert role_families("Associate Legal Counsel") == {"legal"} == role_families("Advocate")
    assert title_fit("Associate Legal Counsel", ["Advocate"], []) > 0.5
    assert title_fit("Recruiter, Google Cloud", ["HR Manager"], []) > 0.5
    assert title_fit("Technical Program Manager", ["PMO Lead"], []) > 0.5
    assert title_fit("Associate Legal Counsel", ["Chef"], []) == 0


def test_a_word_shared_by_different_kinds_of_role_counts_for_less() -> None:
    # The longer phrase wins: a developer advocate is not a lawyer.
    assert role_families("Developer Advocate, Cloud") == {"developer relations"}
    lawyer = title_fit("Developer Advocate", ["Advocate"], [])
    assert lawyer < title_fit("Legal Counsel", ["Advocate"], [])
    assert lawyer < 0.3 < title_fit("Developer Advocate", ["Developer Advocate"], [])


def test_an_untitled_resume_counts_as_the_kind_of_role_its_text_names_most() -> None:
    text = "MBA HR\nHandled recruitment drives, payroll and HR policies; one sales report."
    assert text_role_families(text) == {"people"}
    # Nothing clear: no single kind stands out, or it is named only once.
    assert text_role_families("Recruitment and sales targets") == frozenset()
    assert text_role_families("Cooked for 200 guests") == frozenset()
    recruiter = title_fit("Recruiter, Google Cloud", [], [], frozenset({"people"}))
    assert recruiter == pytest.approx(0.85 * 0.7)
    assert title_fit("Software Engineer", [], [], frozenset({"people"})) == 0
    # A title found always wins over what the text names.
    assert title_fit("Recruiter", ["Chef"], [], frozenset({"people"})) == 0
