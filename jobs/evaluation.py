"""How good is enrichment? Tag recall, precision against hand labels, seniority agreement.

Reads a RemoteOK response file, enriches every posting with the given extractor (no
database involved), and compares:

- **tag recall**: of the posting's own tags that are skills in the taxonomy, the fraction the
  extractor found;
- **precision** (and recall) against the hand-labeled sample in
  ``tests/data/labeled_job_skills.jsonl`` for the postings of this file that it contains;
- **seniority agreement** with the level the title states explicitly (Senior, Junior, Lead,
  ...), detected here by its own simple rules, independent of the extractor.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

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


def title_level(title: str) -> str | None:
    for pattern, level in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    return None


@dataclass
class Evaluation:
    path: str
    postings: int = 0
    tags_counted: Counter[str] = field(default_factory=Counter)
    tags_missed: Counter[str] = field(default_factory=Counter)
    labeled: int = 0
    true_positives: int = 0
    predicted: int = 0
    labeled_skills: int = 0
    false_positives: Counter[str] = field(default_factory=Counter)
    false_negatives: Counter[str] = field(default_factory=Counter)
    seniority_stated: int = 0
    seniority_agreed: int = 0
    seniority_disagreements: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def tag_recall(self) -> float | None:
        counted = sum(self.tags_counted.values())
        return (counted - sum(self.tags_missed.values())) / counted if counted else None

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def label_recall(self) -> float | None:
        return self.true_positives / self.labeled_skills if self.labeled_skills else None

    @property
    def seniority_agreement(self) -> float | None:
        return self.seniority_agreed / self.seniority_stated if self.seniority_stated else None


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
    *, path: Path, extractor: Extractor, labels_path: Path = LABELS_PATH
) -> Evaluation:
    matcher = default_matcher()
    labels = load_labels(labels_path)
    parsed = parse_remoteok(path.read_bytes())
    result = Evaluation(path=str(path))
    for draft in parsed.drafts:
        result.postings += 1
        facts = extractor.extract_job(title=draft.position, text=draft.description_text).facts
        found = set(skills_canonical(facts.skills))
        for tag in draft.tags:
            skill = matcher.canonicalize(tag)
            if skill:
                result.tags_counted[skill] += 1
                if skill not in found:
                    result.tags_missed[skill] += 1
        expected = labels.get((path.name, draft.external_id))
        if expected is not None:
            result.labeled += 1
            result.predicted += len(found)
            result.labeled_skills += len(expected)
            result.true_positives += len(found & expected)
            result.false_positives.update(found - expected)
            result.false_negatives.update(expected - found)
        stated = title_level(draft.position)
        if stated:
            result.seniority_stated += 1
            if facts.seniority == stated:
                result.seniority_agreed += 1
            else:
                result.seniority_disagreements.append((draft.position, stated, facts.seniority))
    return result
