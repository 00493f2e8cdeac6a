"""How good is enrichment? Tag recall, precision against hand labels, seniority agreement.

Reads a RemoteOK response file, enriches every posting with the given extractor (no
database involved), and compares:

- **tag recall**: of the posting's own tags that are skills in the stored vocabulary (a
  taxonomy skill that :func:`skills_canonical` keeps: not a trait, not an industry), the
  fraction the extractor found. Also over the tags the text *supports*: those whose skill,
  or a skill implying it, the title or description names under one of its spellings (a
  plain case-insensitive word search, no guard rules). RemoteOK's tags come from its own
  keyword tagger and partly name things the text never mentions (truncated teasers,
  "golang" on a one-line description); no extractor can find those without reading the
  tags, so the supported figure is the one that says how good the extractor is;
- **precision** (and recall) against the hand-labeled sample in
  ``tests/data/labeled_job_skills.jsonl`` for the postings of this file that it contains.
  The labels leave implied parents out by rule (no JavaScript on a React-only posting),
  while the extractor adds them by design (a React job is found when searching for
  JavaScript): a skill the taxonomy implies from a labeled skill is therefore counted
  neither right nor wrong. ``strict_precision`` counts them as wrong;
- **seniority agreement** with the level the title states explicitly (Senior, Junior, Lead,
  ...), detected here by its own simple rules, independent of the extractor.

Every posting belongs to one of two fixed halves, ``dev`` and ``held-out``, by a hash of its
file name and id (:func:`evaluation_split`). Changes to the extractor and the taxonomy are
developed against ``dev`` only; ``held-out`` says whether they generalise or merely fit the
postings they were tuned on.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jobrec.ai.interfaces import Extractor
from jobrec.ai.skills import skills_canonical
from jobrec.ai.taxonomy import default_matcher
from jobs.sources.remoteok.parser import parse_remoteok

LABELS_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "labeled_job_skills.jsonl"
_TITLE_LEVELS = [
    (re.compile(r"\b(intern|internship)\b", re.I), "intern"),
    (re.compile(r"\b(principal|staff)\b", re.I), "principal"),
    (re.compile(r"\b(lead)\b", re.I), "lead"),
    (re.compile(r"\b(senior|sr\.?)\b", re.I), "senior"),
    (re.compile(r"\b(junior|jr\.?)\b", re.I), "junior"),
]


Split = Literal["dev", "held-out", "all"]
SPLITS: tuple[Split, ...] = ("dev", "held-out", "all")


def evaluation_split(file_name: str, posting_id: str) -> Literal["dev", "held-out"]:
    """The fixed half a posting belongs to (33 of the 68 labeled postings are ``dev``).

    A hash rather than a list so that the halves need no upkeep and cannot be chosen with
    hindsight; the file name is part of the key because ids are only unique per feed.
    """
    digest = hashlib.sha256(f"{file_name}:{posting_id}".encode()).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "held-out"


def title_level(title: str) -> str | None:
    for pattern, level in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    return None


@dataclass(frozen=True)
class PostingResult:
    """One labeled posting: what was extracted beyond the labels and what was missed."""

    posting_id: str
    title: str
    true_positives: int
    false_positives: frozenset[str]
    false_negatives: frozenset[str]

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + len(self.false_positives)
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        labeled = self.true_positives + len(self.false_negatives)
        return self.true_positives / labeled if labeled else None


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


@dataclass
class Evaluation:
    path: str
    split: Split = "all"
    postings: int = 0
    tags_counted: Counter[str] = field(default_factory=Counter)
    tags_missed: Counter[str] = field(default_factory=Counter)
    tags_supported: Counter[str] = field(default_factory=Counter)
    tags_supported_missed: Counter[str] = field(default_factory=Counter)
    labeled: int = 0
    true_positives: int = 0
    predicted: int = 0
    implied_neutral: int = 0
    labeled_skills: int = 0
    false_positives: Counter[str] = field(default_factory=Counter)
    false_negatives: Counter[str] = field(default_factory=Counter)
    seniority_stated: int = 0
    seniority_agreed: int = 0
    seniority_disagreements: list[tuple[str, str, str]] = field(default_factory=list)
    labeled_postings: list[PostingResult] = field(default_factory=list)

    def merge(self, other: Evaluation) -> Evaluation:
        """Both evaluations added up (for a total over several files)."""
        return Evaluation(
            path=f"{self.path}, {other.path}" if self.path else other.path,
            split=self.split,
            postings=self.postings + other.postings,
            tags_counted=self.tags_counted + other.tags_counted,
            tags_missed=self.tags_missed + other.tags_missed,
            tags_supported=self.tags_supported + other.tags_supported,
            tags_supported_missed=self.tags_supported_missed + other.tags_supported_missed,
            labeled=self.labeled + other.labeled,
            true_positives=self.true_positives + other.true_positives,
            predicted=self.predicted + other.predicted,
            implied_neutral=self.implied_neutral + other.implied_neutral,
            labeled_skills=self.labeled_skills + other.labeled_skills,
            false_positives=self.false_positives + other.false_positives,
            false_negatives=self.false_negatives + other.false_negatives,
            seniority_stated=self.seniority_stated + other.seniority_stated,
            seniority_agreed=self.seniority_agreed + other.seniority_agreed,
            seniority_disagreements=self.seniority_disagreements + other.seniority_disagreements,
            labeled_postings=self.labeled_postings + other.labeled_postings,
        )

    @property
    def tag_recall(self) -> float | None:
        counted = sum(self.tags_counted.values())
        return (counted - sum(self.tags_missed.values())) / counted if counted else None

    @property
    def supported_tag_recall(self) -> float | None:
        counted = sum(self.tags_supported.values())
        missed = sum(self.tags_supported_missed.values())
        return (counted - missed) / counted if counted else None

    @property
    def precision(self) -> float | None:
        """Right / extracted, implied parents of labeled skills not counted."""
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def strict_precision(self) -> float | None:
        """Right / extracted, implied parents of labeled skills counted as wrong."""
        predicted = self.predicted + self.implied_neutral
        return self.true_positives / predicted if predicted else None

    @property
    def label_recall(self) -> float | None:
        return self.true_positives / self.labeled_skills if self.labeled_skills else None

    @property
    def macro_precision(self) -> float | None:
        """Mean of the per-posting precisions: one posting with 58 skills does not dominate."""
        return _mean([p.precision for p in self.labeled_postings])

    @property
    def macro_recall(self) -> float | None:
        return _mean([p.recall for p in self.labeled_postings])

    @property
    def seniority_agreement(self) -> float | None:
        return self.seniority_agreed / self.seniority_stated if self.seniority_stated else None


def _implied_by(labels: set[str]) -> set[str]:
    matcher = default_matcher()
    return {parent for name in labels for parent in matcher.implied(name)} - labels


@functools.cache
def _spelling_patterns() -> dict[str, re.Pattern[str]]:
    """Skill -> one case-insensitive pattern of the spellings of it and of every skill that
    implies it (only for skills in the stored vocabulary)."""
    matcher = default_matcher()
    spellings: dict[str, set[str]] = {}
    for skill in matcher.skills:
        forms = {skill.name, *skill.aliases}
        for target in (skill.name, *matcher.implied(skill.name)):
            spellings.setdefault(target, set()).update(forms)
    return {
        name: re.compile(
            r"(?<![\w.+#])(?:"
            + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            + r")(?![\w+#])",
            re.IGNORECASE,
        )
        for name, forms in spellings.items()
        if skills_canonical([name])
    }


def tag_supported(skill: str, text: str) -> bool:
    """Whether ``text`` names ``skill`` or a skill implying it, under any spelling."""
    pattern = _spelling_patterns().get(skill)
    return bool(pattern and pattern.search(text))


def load_labels(path: Path = LABELS_PATH) -> dict[tuple[str, str], set[str]]:
    """Hand labels by (file name, posting id), skill names canonicalised where possible."""
    matcher = default_matcher()
    labels: dict[tuple[str, str], set[str]] = {}
    if not path.exists():
        return labels
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[(row["file"], str(row["id"]))] = {
                matcher.canonicalize(s) or s for s in row["skills"]
            }
    return labels


def enrichment_evaluate(
    *, path: Path, extractor: Extractor, labels_path: Path = LABELS_PATH, split: Split = "all"
) -> Evaluation:
    labels = load_labels(labels_path)
    parsed = parse_remoteok(path.read_bytes())
    result = Evaluation(path=str(path), split=split)
    for draft in parsed.drafts:
        if split != "all" and evaluation_split(path.name, draft.external_id) != split:
            continue
        result.postings += 1
        facts = extractor.extract_job(title=draft.position, text=draft.description_text).facts
        found = set(skills_canonical(facts.skills))
        text = f"{draft.position}\n{draft.description_text}"
        for skill in dict.fromkeys(skills_canonical(draft.tags)):
            result.tags_counted[skill] += 1
            supported = tag_supported(skill, text)
            result.tags_supported[skill] += supported
            if skill not in found:
                result.tags_missed[skill] += 1
                result.tags_supported_missed[skill] += supported
        expected = labels.get((path.name, draft.external_id))
        if expected is not None:
            neutral = found & _implied_by(expected)
            found -= neutral
            result.labeled += 1
            result.predicted += len(found)
            result.implied_neutral += len(neutral)
            result.labeled_skills += len(expected)
            result.true_positives += len(found & expected)
            result.false_positives.update(found - expected)
            result.false_negatives.update(expected - found)
            result.labeled_postings.append(
                PostingResult(
                    posting_id=draft.external_id,
                    title=draft.position,
                    true_positives=len(found & expected),
                    false_positives=frozenset(found - expected),
                    false_negatives=frozenset(expected - found),
                )
            )
        stated = title_level(draft.position)
        if stated:
            result.seniority_stated += 1
            if facts.seniority == stated:
                result.seniority_agreed += 1
            else:
                result.seniority_disagreements.append((draft.position, stated, facts.seniority))
    return result
