"""Resume text -> profile (accounts/resumes/profile.py): the ten shared real PDFs end to
end, date arithmetic, section headings, and the 962 labelled plain-text resumes."""

from __future__ import annotations

import csv
import datetime
import json
from functools import cache

import pytest

from accounts.resumes.isolation import extract_text_isolated
from accounts.resumes.profile import Education, ResumeProfile, extract_profile
from accounts.resumes.reading import extract_text
from tests.accounts.resume_files import SHARED_CSV, SHARED_RESUMES, shared_resume

# The day "Present" means in these tests; Deedy's resume says "Last Updated on 1st June
# 2020", so it is read as of that day.
TODAY = datetime.date(2026, 1, 15)
DEEDY_DAY = datetime.date(2020, 6, 1)

needs_shared = pytest.mark.skipif(
    len(list(SHARED_RESUMES.glob("*.pdf"))) < 10, reason="shared resumes not available"
)
needs_csv = pytest.mark.skipif(not SHARED_CSV.exists(), reason="shared CSV not available")


@cache
def pdf_profile(name: str, today: datetime.date = TODAY) -> ResumeProfile:
    text = extract_text_isolated(
        shared_resume(name), max_pages=20, max_bytes=5_000_000, timeout_s=30, memory_mb=512
    ).text
    return extract_profile(text, today=today)


def profile(text: str, today: datetime.date = TODAY) -> ResumeProfile:
    return extract_profile(text, today=today)


# --------------------------------------------------------------------------- real PDFs


@needs_shared
def test_deedy_two_column_software_engineer() -> None:
    result = pdf_profile("deedy__deedy_resume-openfont.pdf", DEEDY_DAY)
    assert result.titles == (
        "Software Engineer",
        "Software Engineering Intern",
        "Open Source Contributor & Team Leader",
    )
    # Skills section first, in its order ("Java • Shell • Python • Javascript").
    assert result.skills[:4] == ("Java", "Shell Scripting", "Python", "JavaScript")
    assert {"OCaml", "C++", "PHP", "MySQL", "Android", "Machine Learning"} <= set(result.skills)
    # Jan 2015-Jun 2020 (66 months), Jun-Sep 2014 (4), Jan-May + May-Aug 2013 (8).
    assert result.years_experience == 6.5
    assert result.seniority == "senior"
    assert result.education[0] == Education("MEng", "Computer Science", "Cornell University", 2014)
    # Each column's sections stay whole although they sit side by side on the page.
    assert "AS3 • iOS • Android • MySQL" in result.sections["skills"]
    assert "FACEBOOK" not in result.sections["skills"]
    assert "Advanced Machine Learning" not in result.sections["experience"]
    assert "Software Engineering Intern".upper() in result.sections["experience"]


@needs_shared
def test_modern_two_column_senior_engineer() -> None:
    result = pdf_profile("resumematcher__modern-two-column.pdf")
    assert result.titles == ("Senior Software Engineer", "Software Engineer")
    assert result.seniority == "senior"
    assert result.skills[:3] == ("Go", "Python", "Node.js")
    assert {"Apache Kafka", "Kubernetes", "Terraform", "gRPC", "PostgreSQL"} <= set(result.skills)
    assert result.years_experience == 6.6  # Jul 2019 - Jan 2026
    assert "Datadog" in result.sections["skills"] and "Datadog" not in result.sections["summary"]
    assert result.sections["summary"].startswith("Senior Software Engineer with 5+ years")
    assert result.education == (
        Education("Bachelor of Science", "Computer Science", "UC Berkeley", 2019),
    )


@needs_shared
def test_livecareer_chef() -> None:
    result = pdf_profile("livecareer__CHEF__10001727.pdf")
    assert result.titles == (
        "Front Desk Manager",
        "Front Desk Agent",
        "Sous Chef",
        "Shift Supervisor/Host",
    )
    # Jan 2010 - Jan 2014 (overlapping jobs once) + Jun - Dec 2007.
    assert result.years_experience == 4.7
    assert {"Inventory Management", "Customer Support", "CPR", "Data Entry"} <= set(result.skills)
    assert result.education[0] == Education(
        "Master's", "Business Administration", "Stratford University", 2015
    )
    # The anonymised "Stratford City , State" entry names no institution: none invented.
    assert result.education[2].institution is None


@needs_shared
def test_livecareer_teacher() -> None:
    result = pdf_profile("livecareer__TEACHER__10504237.pdf")
    assert result.titles[:3] == (
        "Biology Teacher",
        "Student Teacher",
        "Clinical Lab Manager/Technologist",
    )
    assert {"Lesson Planning", "Special Education", "Differentiated Instruction"} <= set(
        result.skills
    )
    assert result.years_experience == 20.8  # 01/2005 - Current, a gap in summer 2011
    assert result.education == (
        Education(
            "Bachelors of Sciences",
            "Biological Sciences",
            "Atlantic Cape Community College",
            2005,
        ),
    )


@needs_shared
def test_livecareer_accountant() -> None:
    result = pdf_profile("livecareer__ACCOUNTANT__10554236.pdf")
    assert result.titles[:3] == ("Accountant", "Resource Advisor", "Staff Accountant")
    assert result.years_experience == 19.5  # June 1993 - November 2012
    assert result.seniority == "lead"  # no level in "Accountant"; 19 years
    assert {"Accounting", "Accounts Payable", "General Ledger", "Reconciliation"} <= set(
        result.skills
    )
    assert result.education[0].institution == "Northern Maine Community College"


@needs_shared
def test_student_without_work_history() -> None:
    # La Verne's sample student: objective, education, volunteering, no experience section.
    result = pdf_profile("openresume__laverne-resume.pdf")
    assert (result.titles, result.years_experience, result.seniority) == ((), None, None)
    assert "Volunteer Swim Coach" in result.sections["other"]
    assert {"Microsoft Excel", "Microsoft PowerPoint", "Spanish"} <= set(result.skills)
    assert result.education == (
        Education("Bachelor of Arts", "Business Administration", "University of La Verne", 2016),
    )


@needs_shared
def test_rendercv_founder_with_internships() -> None:
    result = pdf_profile("rendercv__John_Doe_ClassicTheme_CV.pdf")
    assert result.titles == ("Co-Founder & CTO", "Research Intern")
    assert result.seniority == "principal"
    assert result.years_experience == 4.0  # 32 months + four 4-month internships
    assert {"PyTorch", "CUDA", "Rust", "TensorFlow", "Kubernetes"} <= set(result.skills)
    assert result.education[0] == Education("PhD", "Computer Science", "Princeton University", 2023)


@needs_shared
@pytest.mark.parametrize(
    ("name", "titles", "years", "seniority", "skills"),
    [
        (
            "resumematcher__harvey_dent_mle.pdf",
            ("Machine Learning Engineer", "Data Scientist", "Junior Data Analyst"),
            10.1,
            "lead",
            {"TensorFlow", "PyTorch", "scikit-learn", "Natural Language Processing"},
        ),
        (
            "resumematcher__barry_allen_fe.pdf",
            ("Software Engineer",),
            3.7,
            "mid",
            {"React", "Redux", "TypeScript", "GraphQL", "Webpack"},
        ),
        (
            "resumematcher__john_doe.pdf",
            ("Full Stack Java Developer", "Software Developer"),
            9.6,
            "lead",
            {"Java", "Spring Boot", "Angular", "Hibernate", "JUnit", "Docker"},
        ),
    ],
)
def test_resume_matcher_samples(
    name: str, titles: tuple[str, ...], years: float, seniority: str, skills: set[str]
) -> None:
    result = pdf_profile(name)
    assert result.titles == titles
    assert result.years_experience == years
    assert result.seniority == seniority
    assert skills <= set(result.skills)


@needs_shared
def test_profile_is_plain_json() -> None:
    data = pdf_profile("resumematcher__harvey_dent_mle.pdf").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["education"][0] == {
        "degree": "Master of Science",
        "field": "Computer Science",
        "institution": "MIT",
        "year": 2016,
    }


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("experience", "today", "years"),
    [
        # Overlapping jobs count once: Jan 2018 - Jun 2021 inclusive.
        (
            "Engineer, Acme\tJan 2018 – Dec 2019\nEngineer, Initech\tJun 2019 – Present",
            datetime.date(2021, 6, 30),
            3.5,
        ),
        ("Analyst, Acme 2015 - 2019", TODAY, 4.0),  # years only: whole years
        ("Analyst, Acme 06/2017 – 08/2019", TODAY, 2.2),  # 27 months
        ("Cook, Diner\nMay 2019 to Current", datetime.date(2020, 4, 2), 1.0),
        ("Designer — Sept. 2016 — Feb. 2017", TODAY, 0.5),
        ("Tester, Acme\tMarch 2020 till date", datetime.date(2021, 2, 1), 1.0),
        # Gaps are not experience: 2010-2012 and 2015-2016.
        ("Clerk, A\t2010 – 2012\nClerk, B\t2015 – 2016", TODAY, 3.0),
        # A two-line date column (Resume-Matcher template).
        ("2021 –\tMachine Learning Engineer, OpenAI\nPresent\tLeading a team", TODAY, 5.1),
    ],
)
def test_years_of_experience(experience: str, today: datetime.date, years: float) -> None:
    assert profile("Work Experience\n" + experience, today).years_experience == years


def test_dates_outside_the_experience_section_do_not_count() -> None:
    text = (
        "Education\nBSc Computer Science, MIT\t2010 – 2014\n"
        "Work Experience\nDeveloper, Initech\t2015 – 2017\n"
        "Projects\nSide project\t2018 – Present\n"
    )
    assert profile(text).years_experience == 2.0


def test_no_ranges_means_no_years() -> None:
    result = profile("Experience\nSous Chef, Bistro\t2019\nCooked things.")
    assert result.years_experience is None
    assert result.titles == ("Sous Chef",)


def test_impossible_ranges_are_ignored() -> None:
    text = "Experience\nEngineer\t2019 – 2015\nEngineer\t1901 – 1903\nEngineer\t2030 – 2031"
    assert profile(text).years_experience is None


# --------------------------------------------------------------------------- sections


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("WORK EXPERIENCE", "experience"),
        ("Professional Experience:", "experience"),
        ("Employment History", "experience"),
        ("Career History", "experience"),
        ("Technical Skills", "skills"),
        ("Core Competencies", "skills"),
        ("Skills Summary", "skills"),
        ("Professional Summary", "summary"),
        ("Career Objective", "summary"),
        ("Education & Training", "education"),
        ("Educational Qualification", "education"),
        ("Licenses & Certifications", "certifications"),
        ("Personal Projects", "projects"),
        ("Volunteer Experience", "other"),
        ("HONORS/AWARDS", "other"),
        ("## Publications", "other"),
    ],
)
def test_heading_variants(heading: str, section: str) -> None:
    result = profile(f"Jane Roe\n{heading}\nSome content under the heading.")
    assert result.sections == {section: "Some content under the heading."}


def test_list_items_and_titles_are_not_headings() -> None:
    text = (
        "Skills\nLeadership\nTraining\nProject Management\nLanguages: Python, Go\n"
        "Experience\nVolunteer\nsummary of duties"
    )
    sections = profile(text).sections
    assert sections["skills"] == "Leadership\nTraining\nProject Management\nLanguages: Python, Go"
    assert sections["experience"] == "Volunteer\nsummary of duties"


def test_inline_heading_and_repeated_sections() -> None:
    text = (
        "Technical Skills: Python, Django\nExperience\nBackend Developer, Acme\t2020 - 2022\n"
        "Skills\nPostgreSQL"
    )
    result = profile(text)
    assert result.sections["skills"] == "Python, Django\n\nPostgreSQL"
    assert result.skills[:3] == ("Python", "Django", "PostgreSQL")
    assert result.titles == ("Backend Developer",)


@pytest.mark.parametrize(
    ("line", "titles"),
    [
        ("Software Engineer II, Google\t2020 - 2022", ("Software Engineer II",)),
        ("GOOGLE | SOFTWARE ENGINEERING INTERN", ("Software Engineering Intern",)),
        ("Company Name July 2011 to November 2012 Accountant", ("Accountant",)),
        ("Role: Java Developer", ("Java Developer",)),
        ("Senior Data Scientist @ Acme Corp", ("Senior Data Scientist",)),
        # Precision: products, labels, sentences and companies are not titles.
        ("Environment: Java, SQL Server, Application Server", ()),
        ("Project Title: Real Estate Agent Website", ()),
        ("Lead the migration of the billing service", ()),
        ("• Senior Engineer mentoring", ()),
        ("Acme Corporation, Berlin\t2019 - 2021", ()),
    ],
)
def test_title_lines(line: str, titles: tuple[str, ...]) -> None:
    assert profile(f"Experience\n{line}").titles == titles


def test_seniority_from_title_then_years() -> None:
    assert profile("Experience\nSenior Data Engineer, Acme\t2023 - 2024").seniority == "senior"
    assert profile("Experience\nData Engineering Intern\tJun 2024 - Aug 2024").seniority == "intern"
    assert profile("Experience\nData Engineer, Acme\tJan 2024 - Dec 2024").seniority == "junior"
    assert profile("Experience\nBuilt dashboards.").seniority is None


# --------------------------------------------------------------------------- labelled CSV


@cache
def csv_rows() -> tuple[tuple[str, str], ...]:
    with SHARED_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple((row["Category"], row["Resume"]) for row in csv.DictReader(handle))


def csv_profile(resume: str) -> ResumeProfile:
    return profile(extract_text(resume.encode(), kind="text", max_pages=20).text)


@needs_csv
def test_every_labelled_resume_gets_a_profile() -> None:
    rows = csv_rows()
    assert len(rows) == 962
    profiles = [csv_profile(resume) for _category, resume in rows if resume.strip()]
    assert all(json.loads(json.dumps(p.to_dict())) == p.to_dict() for p in profiles)
    assert sum(1 for p in profiles if p.skills) > 0.9 * len(profiles)


@needs_csv
@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("Data Science", {"Python", "Machine Learning"}),
        ("Java Developer", {"Java"}),
        ("Python Developer", {"Python"}),
        ("DevOps Engineer", {"DevOps"}),
    ],
)
def test_labelled_resumes_have_their_category_skills(category: str, expected: set[str]) -> None:
    resumes = [resume for cat, resume in csv_rows() if cat == category]
    hits = [expected <= set(csv_profile(resume).skills) for resume in resumes]
    assert sum(hits) >= 0.85 * len(resumes)


@needs_csv
def test_200_kb_of_text() -> None:
    text = "\n\n".join(resume for _category, resume in csv_rows())[:200_000]
    result = profile(text)
    assert len(result.skills) > 100
    assert result.sections["skills"] and result.sections["experience"]


def test_a_title_standing_alone_is_the_headline_when_no_experience_section_names_one() -> None:
    text = (
        "Skills: Python, SQL\n"
        "Education Details\n"
        "June 2015 Bachelor of Engineering, Pune University\n"
        "Cloud Operations Architect (DevOps)\n"
        "\n"
        "Role: Senior System Engineer\n"
        "VOLUNTEERING\n"
        "Volunteer Swim Coach\n"
    )
    found = extract_profile(text, today=datetime.date(2026, 1, 15))
    assert found.titles[:2] == ("Cloud Operations Architect", "Senior System Engineer")
    assert "Volunteer Swim Coach" not in found.titles
