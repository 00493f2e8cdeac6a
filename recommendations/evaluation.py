"""The quality harness of engine 1: labeled resumes against labeled jobs.

Resumes (``UpdatedResumeDataSet.csv``, 25 categories) are ranked against job postings
(``google_job_skills.csv``, 23 categories). A job is relevant to a resume when its category
is one the resume's category maps to (``CATEGORY_MAP``, written down in docs/quality.md).
Engine 1's ranking (:func:`recommendations.ranking.rank`) is scored beside a BM25 keyword
baseline computed in the same run on the same texts, and beside ablations that switch one
signal off (or keep one signal alone).

Candidates are every job, with exact cosine similarity: this measures the ranking. How
closely the HNSW index finds the exact nearest neighbours is measured separately
(``benchmarks/bench_recommend.py``, recall@10).
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import bm25s
import numpy as np

from accounts.resumes.profile import extract_profile
from accounts.resumes.reading import extract_text
from jobrec.ai.interfaces import JobFacts
from jobrec.ai.local.embedder import FastTextEmbedder
from jobrec.ai.local.extractor import LocalExtractor
from jobrec.ai.local.fasttext_model import train_fasttext
from jobs.services.embeddings import embedding_text
from recommendations.ranking import PARTS, Candidate, Person, Weights, rank, text_role_families
from recommendations.services import person_embedding_text

K = 10
# Which job categories are relevant to a person of each resume category. Categories with no
# counterpart among the jobs (Health and fitness) are left out of the evaluation.
CATEGORY_MAP: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "Java Developer": {"Software Engineering", "Technical Solutions", "Developer Relations"},
        "Python Developer": {"Software Engineering", "Technical Solutions", "Developer Relations"},
        "DotNet Developer": {"Software Engineering", "Technical Solutions", "Developer Relations"},
        "SAP Developer": {"Software Engineering", "Technical Solutions", "IT & Data Management"},
        "Blockchain": {"Software Engineering", "Technical Solutions", "Developer Relations"},
        "Web Designing": {"User Experience & Design", "Software Engineering"},
        "Testing": {"Software Engineering", "Technical Solutions"},
        "Automation Testing": {"Software Engineering", "Technical Solutions"},
        "DevOps Engineer": {
            "Technical Infrastructure",
            "Software Engineering",
            "Technical Solutions",
        },
        "Network Security Engineer": {
            "Network Engineering",
            "Technical Infrastructure",
            "Data Center & Network",
        },
        "Database": {"IT & Data Management", "Software Engineering", "Technical Solutions"},
        "Hadoop": {"IT & Data Management", "Software Engineering", "Technical Solutions"},
        "ETL Developer": {"IT & Data Management", "Software Engineering", "Technical Solutions"},
        "Data Science": {"IT & Data Management", "Software Engineering", "Technical Solutions"},
        "HR": {"People Operations"},
        "Sales": {"Sales & Account Management", "Sales Operations"},
        "Business Analyst": {"Business Strategy", "Sales Operations", "Program Management"},
        "PMO": {"Program Management"},
        "Operations Manager": {
            "Program Management",
            "Manufacturing & Supply Chain",
            "Business Strategy",
        },
        "Electrical Engineering": {"Hardware Engineering", "Manufacturing & Supply Chain"},
        "Mechanical Engineer": {"Hardware Engineering", "Manufacturing & Supply Chain"},
        "Civil Engineer": {"Real Estate & Workplace Services"},
        "Advocate": {"Legal & Government Relations"},
        "Arts": {"Marketing & Communications", "User Experience & Design"},
    }.items()
}
EVAL_NOW = datetime(2018, 6, 1, tzinfo=UTC)  # the postings' year; freshness is flat here


@dataclass(frozen=True)
class LabeledJob:
    index: int
    title: str
    category: str
    text: str


@dataclass(frozen=True)
class LabeledResume:
    category: str
    text: str


def load_jobs(path: Path) -> list[LabeledJob]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    jobs = []
    for n, row in enumerate(rows):
        text = "\n".join(
            row.get(k) or ""
            for k in ("Responsibilities", "Minimum Qualifications", "Preferred Qualifications")
        )
        jobs.append(LabeledJob(n, row["Title"].strip(), row["Category"].strip(), text))
    return jobs


Split = Literal["dev", "test", "all"]


def resume_split(text: str) -> Split:
    """A fixed half of the resumes for tuning ("dev"), the other for reporting ("test")."""
    return "dev" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def load_resumes(
    path: Path, *, per_category: int, seed: int = 7, split: Split = "all"
) -> list[LabeledResume]:
    """Up to ``per_category`` resumes of every mapped category from ``split``, drawn
    reproducibly."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Category"].strip() in CATEGORY_MAP]
    by_category: dict[str, list[str]] = {}
    for row in rows:
        # The data set repeats some resumes word for word; one copy each.
        texts = by_category.setdefault(row["Category"].strip(), [])
        if split != "all" and resume_split(row["Resume"]) != split:
            continue
        if row["Resume"] not in texts:
            texts.append(row["Resume"])
    rng = random.Random(seed)
    chosen = []
    for category in sorted(by_category):
        texts = by_category[category]
        for text in rng.sample(texts, min(per_category, len(texts))):
            # Read as an uploaded text file would be (encoding, mojibake, line breaks).
            read = extract_text(text.encode("utf-8"), kind="text", max_pages=1000)
            chosen.append(LabeledResume(category, read.text))
    return chosen


def precision_at_k(relevant: Sequence[bool], k: int = K) -> float:
    return sum(relevant[:k]) / k


def ndcg_at_k(relevant: Sequence[bool], total_relevant: int, k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, rel in enumerate(relevant[:k]) if rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, total_relevant)))
    return dcg / ideal if ideal else 0.0


@dataclass
class Scores:
    precision: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)

    def add(self, relevant: Sequence[bool], total_relevant: int) -> None:
        self.precision.append(precision_at_k(relevant))
        self.ndcg.append(ndcg_at_k(relevant, total_relevant))

    @property
    def p_at_10(self) -> float:
        return float(np.mean(self.precision)) if self.precision else 0.0

    @property
    def ndcg_at_10(self) -> float:
        return float(np.mean(self.ndcg)) if self.ndcg else 0.0


@dataclass
class Report:
    resumes: int
    jobs: int
    runs: dict[str, Scores]
    per_category: dict[str, dict[str, float]]

    def ratio(self, name: str = "engine 1", baseline: str = "BM25 baseline") -> float:
        base = self.runs[baseline].p_at_10
        return self.runs[name].p_at_10 / base if base else math.inf


def _job_candidates(jobs: Sequence[LabeledJob], facts: Sequence[JobFacts]) -> list[Candidate]:
    candidates = []
    for job, found in zip(jobs, facts, strict=True):
        candidates.append(
            Candidate(
                job_id=job.index,
                title=job.title,
                company_id=0,
                company_name="Google",
                skills=tuple(found.skills),
                seniority=found.seniority,
                salary_min=None,
                salary_max=None,
                salary_currency="",
                location="",
                remote_policy="onsite",
                posted_at=EVAL_NOW,
                similarity=0.0,
            )
        )
    return candidates


def _idf(candidates: Iterable[Candidate]) -> dict[str, float]:
    counts: dict[str, int] = {}
    total = 0
    for c in candidates:
        total += 1
        for skill in set(c.skills):
            counts[skill] = counts.get(skill, 0) + 1
    return {s: math.log((total + 1) / (df + 1)) + 1.0 for s, df in counts.items()}


def ablations() -> dict[str, Weights]:
    full = Weights()
    runs = {"engine 1": full}
    for part in ("similarity", "skills", "title", "seniority", "freshness"):
        runs[f"without {part}"] = full.without(part)
    zero = {p: 0.0 for p in PARTS}
    for part in ("similarity", "skills", "title"):
        runs[f"{part} alone"] = Weights(**{**zero, part: 1.0})
    return runs


def evaluate(
    *,
    jobs: Sequence[LabeledJob],
    resumes: Sequence[LabeledResume],
    today: date,
    progress: Callable[[int], None] | None = None,
    fasttext_dim: int = 64,
    runs_weights: Mapping[str, Weights] | None = None,
) -> Report:
    job_docs = [f"{j.title}\n{j.text}" for j in jobs]
    # Vectors from a fastText model trained here on the jobs' own texts (a few thousand
    # postings is what a new installation has); one thread, so a run is reproducible.
    with tempfile.TemporaryDirectory(prefix="jobrec-eval-") as tmp:
        trained = train_fasttext(
            job_docs, dim=fasttext_dim, epochs=20, min_count=2, out_dir=Path(tmp), threads=1
        )
        embedder = FastTextEmbedder(trained.path)
        extractor = LocalExtractor()
        facts = [extractor.extract_job(title=j.title, text=j.text).facts for j in jobs]
        # Jobs are embedded from the same text as stored jobs are (title, skills, summary,
        # the description's start), and people from the same text as profiles are.
        job_vectors = np.asarray(
            embedder.embed(
                [
                    embedding_text(
                        position=j.title,
                        company="Google",
                        skills=f.skills,
                        summary=f.summary,
                        description=j.text,
                    )
                    for j, f in zip(jobs, facts, strict=True)
                ]
            ),
            dtype=np.float64,
        )
        candidates = _job_candidates(jobs, facts)
        idf = _idf(candidates)
        tokenized = bm25s.tokenize(job_docs, stopwords="en", show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tokenized, show_progress=False)

        weight_runs = dict(runs_weights or ablations())
        runs = {name: Scores() for name in ["BM25 baseline", *weight_runs]}
        per_category: dict[str, dict[str, list[float]]] = {}
        categories = [j.category for j in jobs]
        for n, resume in enumerate(resumes):
            wanted = CATEGORY_MAP[resume.category]
            relevant_total = sum(1 for c in categories if c in wanted)
            found = extract_profile(resume.text, today=today)
            person_text = person_embedding_text(
                titles=found.titles,
                desired_titles=(),
                skills=found.skills,
                sections=found.sections,
                text=resume.text,
            )
            vector = np.asarray(embedder.embed([person_text])[0], dtype=np.float64)
            similarities = job_vectors @ vector
            person = Person(
                skills=frozenset(found.skills),
                titles=tuple(found.titles),
                seniority=found.seniority or "",
                years_experience=found.years_experience,
                text_families=text_role_families(resume.text),
            )
            pool = [
                _with_similarity(c, float(s)) for c, s in zip(candidates, similarities, strict=True)
            ]
            for name, weights in weight_runs.items():
                ranked = rank(pool, person, idf=idf, weights=weights, now=EVAL_NOW)
                hits = [categories[s.candidate.job_id] in wanted for s in ranked[:K]]
                runs[name].add(hits, relevant_total)
                if name == "engine 1":
                    per_category.setdefault(resume.category, {}).setdefault("engine 1", []).append(
                        precision_at_k(hits)
                    )
            query = bm25s.tokenize(
                [resume.text], stopwords="en", show_progress=False, return_ids=False
            )
            docs, _ = retriever.retrieve(query, k=K, show_progress=False)
            hits = [categories[int(i)] in wanted for i in docs[0]]
            runs["BM25 baseline"].add(hits, relevant_total)
            per_category.setdefault(resume.category, {}).setdefault("BM25 baseline", []).append(
                precision_at_k(hits)
            )
            if progress:
                progress(n + 1)
    return Report(
        resumes=len(resumes),
        jobs=len(jobs),
        runs=runs,
        per_category={
            cat: {name: float(np.mean(v)) for name, v in values.items()}
            for cat, values in sorted(per_category.items())
        },
    )


def _with_similarity(candidate: Candidate, similarity: float) -> Candidate:
    return candidate._replace(similarity=similarity)


def dataset_fingerprint(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def report_rows(report: Report) -> list[tuple[str, float, float]]:
    return [(name, s.p_at_10, s.ndcg_at_10) for name, s in report.runs.items()]


def as_dict(report: Report) -> Mapping[str, object]:
    return {
        "resumes": report.resumes,
        "jobs": report.jobs,
        "runs": {
            name: {"p_at_10": round(s.p_at_10, 4), "ndcg_at_10": round(s.ndcg_at_10, 4)}
            for name, s in report.runs.items()
        },
        "ratio_p_at_10": round(report.ratio(), 3),
        "per_category_p_at_10": {
            cat: {k: round(v, 3) for k, v in values.items()}
            for cat, values in report.per_category.items()
        },
    }
