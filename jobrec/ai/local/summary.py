"""Extractive summary of a posting: the sentence(s) that say what the job is.

No model: sentences are scored by cue words and word pairs. Postings are mostly
company pitch, benefits, legal text and application instructions; the one or two
sentences that describe the role usually contain a cue ("we are looking for",
"you will", "in this role") or the job title's words. Headings tell us which
section a sentence is in ("About us", "Benefits", "How to apply" vs "The role").

The result is at most ``SUMMARY_MAX_WORDS`` words and never empty: without a usable
sentence it falls back to the title.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final, NamedTuple

from jobrec.ai.interfaces import SUMMARY_MAX_WORDS

__all__ = ["SUMMARY_SCAN_CHARS", "summarize"]

# The role is described near the top; reading further only finds benefits and legal
# text, and bounds the work on enormous descriptions.
SUMMARY_SCAN_CHARS: Final = 6000
# Aim for one or two sentences; a second one is added only if the first is short.
_TARGET_WORDS: Final = 30
_MIN_WORDS: Final = 5
# Scanning stops at a sentence this good (a role cue plus two title words) or after
# this many candidates: on the shared postings 98% of chosen sentences are among the
# first 20 candidates, and each one costs ~8 us of Python.
_GOOD_ENOUGH: Final = 5.0
_MAX_SENTENCES: Final = 20
_FALLBACK: Final = "Job posting"

# A sentence ends at . ! or ? followed by space and a capital or digit. Written without
# a look-behind so the engine can jump between punctuation marks (2x faster).
_SENTENCE_END: Final = re.compile(r"[.!?]\s+(?=[\"“'(\[]?[A-Z0-9])")
_BULLET: Final = re.compile(r"^\s*(?:[-*•●·▪◦–]|\d{1,2}[.)])\s+")
_MARKDOWN: Final = re.compile(r"\*\*|__|`|^#+\s*|\s#+\s")

_URLISH: Final = ("http", "www.", "@")
_WORD: Final = re.compile(r"[a-z0-9][a-z0-9+#'’-]*")

# Sentences are judged by their words and word pairs (set look-ups), not by big
# case-insensitive regexes: that measured ~10x faster and this runs on every posting.
#
# Never a summary: legal text, application mechanics, pay and perks, RemoteOK's
# anti-spam instruction ("Please mention the word ... when applying").
_BOILERPLATE_WORDS: Final = frozenset(
    {
        "eeo", "discriminate", "discrimination", "discriminatory", "resume", "résumé",
        "cv", "click", "401k", "dental", "vacation", "pto", "salary", "salaries",
        "compensation", "visa", "visas", "privacy", "cookie", "cookies", "agencies",
        "e-verify", "applicants", "applying",
    }
)  # fmt: skip
_BOILERPLATE_PAIRS: Final = frozenset(
    {
        ("equal", "opportunity"), ("equal", "employment"), ("regardless", "of"),
        ("affirmative", "action"), ("reasonable", "accommodation"), ("mention", "the"),
        ("beta", "feature"), ("cover", "letter"), ("health", "insurance"),
        ("paid", "time"), ("stock", "options"), ("background", "check"),
        ("protected", "veteran"), ("sexual", "orientation"), ("national", "origin"),
        ("benefits", "package"), ("send", "us"), ("send", "your"), ("email", "us"),
        ("to", "apply"), ("apply", "now"), ("apply", "here"), ("apply", "today"),
        ("apply", "through"), ("apply", "via"), ("apply", "online"), ("apply", "by"),
        ("apply", "for"), ("please", "apply"), ("how", "to"), ("401", "k"),
    }
)  # fmt: skip
_ROLE_WORDS: Final = frozenset(
    {"you'll", "you’ll", "you'd", "you’d", "responsibilities", "responsible"}
)
_ROLE_PAIRS: Final = frozenset(
    {
        ("looking", "for"), ("seeking", "a"), ("seeking", "an"), ("is", "hiring"),
        ("are", "hiring"), ("we", "need"), ("you", "will"), ("this", "role"),
        ("the", "role"), ("this", "position"), ("the", "position"), ("your", "role"),
        ("this", "job"), ("you", "would"), ("ideal", "candidate"), ("join", "our"),
        ("searching", "for"),
    }
)  # fmt: skip
# The company talking about itself: useful context, but not "what the job is".
_COMPANY_WORDS: Final = frozenset(
    {"founded", "headquartered", "investors", "raised", "award-winning", "fast-growing"}
)
_COMPANY_PAIRS: Final = frozenset(
    {
        ("a", "leading"), ("backed", "by"), ("award", "winning"), ("our", "company"),
        ("our", "mission"), ("our", "platform"), ("our", "product"), ("our", "customers"),
        ("fast", "growing"),
    }
)  # fmt: skip
_SKIP_HEADING: Final = re.compile(
    r"\b(?:benefit|perks|what we offer|compensation|salary|how to apply|apply\b|"
    r"application process|equal opportunit|eeo\b|diversity|privacy|legal|disclaimer|"
    r"our values|culture|how we work|interview|hiring process|location|contact)",
    re.IGNORECASE,
)
_COMPANY_HEADING: Final = re.compile(
    r"about (?:us|the company|the team|[a-z0-9]+$)|who we are|what is|our story|company",
    re.IGNORECASE,
)
_ROLE_HEADING: Final = re.compile(
    r"the role|about the (?:role|job|position)|role|position|overview|job description|"
    r"what you.ll do|responsibilit|your mission|the job|summary|opportunity|the work",
    re.IGNORECASE,
)
_TITLE_STOP: Final = frozenset(
    {"and", "the", "for", "with", "remote", "senior", "junior", "lead", "full", "time"}
)


class _Candidate(NamedTuple):
    position: int
    text: str  # raw sentence; cleaned only if chosen
    score: float
    truncated: bool


def _is_heading(line: str) -> bool:
    if line.startswith("#"):
        return True
    stripped = line.strip("*_ ")
    if line.startswith(("**", "__")) and not stripped.endswith((".", "!")):
        return True
    words = stripped.split()
    return 0 < len(words) <= 8 and not stripped.endswith((".", "!", ",", ";"))


def _clean(sentence: str) -> str:
    sentence = _BULLET.sub("", sentence)
    sentence = _MARKDOWN.sub(" ", sentence)
    return " ".join(sentence.split())


def _split_sentences(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        pieces.append(line[start : match.start() + 1])
        start = match.end()
    pieces.append(line[start:])
    return pieces


def _title_words(title: str) -> frozenset[str]:
    return frozenset(
        word for word in re.findall(r"[^\W\d_]{3,}", title.lower()) if word not in _TITLE_STOP
    )


def _candidates(title: str, text: str) -> list[_Candidate]:
    """Scored sentences in document order (only the text is cleaned for output)."""
    title_words = _title_words(title)
    found: list[_Candidate] = []
    section = 0.0  # score bonus/penalty of the current section
    skipping = False
    index = 0
    for raw_line in text[:SUMMARY_SCAN_CHARS].split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        bullet = _BULLET.match(line)
        headline = False
        if bullet is None and _is_heading(line):
            heading = _clean(line).strip(":?").lower()
            skipping = _SKIP_HEADING.search(heading) is not None
            if _ROLE_HEADING.search(heading):
                section, skipping = 2.0, False
            elif _COMPANY_HEADING.search(heading):
                section = -2.0
            else:
                section = 0.0
            if line.count(" ") < _MIN_WORDS - 1 or line.endswith(":"):
                continue
            # A short unpunctuated line may still be the one sentence about the job
            # ("Shofur is hiring a Graphic Designer anywhere"): keep it if it has a
            # role cue.
            headline = True
        if skipping:
            continue
        pieces = [line[bullet.end() :]] if bullet else _split_sentences(line)
        for piece in pieces:
            if piece.count(" ") < _MIN_WORDS - 1:
                continue  # too short to say what the job is (cheap pre-check)
            lowered = piece.lower()
            if "http" in lowered or "www." in lowered or "@" in lowered:
                continue
            words = _WORD.findall(lowered)
            if len(words) < _MIN_WORDS:
                continue
            vocabulary = set(words)
            pairs = set(pairwise(words))
            if vocabulary & _BOILERPLATE_WORDS or pairs & _BOILERPLATE_PAIRS:
                continue
            score = section - index * 0.01  # ties go to the earlier sentence
            if vocabulary & _ROLE_WORDS or pairs & _ROLE_PAIRS:
                score += 3
            elif headline:
                continue
            # "We are a ...", "We're an ...": the company describing itself.
            we_are_a = (words[0] in ("we're", "we’re") and words[1] in ("a", "an")) or (
                words[0] == "we" and words[1] == "are" and words[2] in ("a", "an")
            )
            if we_are_a or vocabulary & _COMPANY_WORDS or pairs & _COMPANY_PAIRS:
                score -= 2
            score += min(2, len(vocabulary & title_words))
            if bullet:
                score -= 1
            if piece[-1] == "?":
                score -= 1
            if len(words) > 50:
                score -= 1
            found.append(_Candidate(index, piece, score, piece.endswith(("...", "…"))))
            index += 1
            if score >= _GOOD_ENOUGH or index >= _MAX_SENTENCES:
                # A role cue plus the title's words is as good as it gets outside a
                # "The role" section; stopping here bounds the work per posting.
                return found
    return found


def _limit(text: str, max_words: int) -> str:
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    # Cut at the limit and mark the cut on the last kept word (no extra word).
    return " ".join(words[:max_words]).rstrip(",;:-") + "…"


def _trim_truncated(text: str) -> str:
    """A feed excerpt cut mid-word ("... 24*7 maintenance, moni..."): keep whole
    sentences if there are any, else drop the partial last word and mark the cut."""
    text = text.rstrip(".… ")
    end = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
    if end > 0:
        return text[: end + 1]
    words = text.split()
    return " ".join(words[:-1]).rstrip(",;:-") + "…" if len(words) > 1 else text


def summarize(title: str, text: str, *, max_words: int = SUMMARY_MAX_WORDS) -> str:
    """At most ``max_words`` words describing the role; the title when nothing fits."""
    title = " ".join(title.split())
    candidates = _candidates(title, text) if text else []
    usable = [c for c in candidates if not c.truncated] or candidates
    if not usable:
        return _limit(title, max_words) if title else _FALLBACK
    ranked = sorted(usable, key=lambda c: c.score, reverse=True)
    best = _clean(ranked[0].text)
    if ranked[0].truncated:
        best = _trim_truncated(best)
    chosen = [(ranked[0].position, best)]
    total = len(best.split())
    for candidate in ranked[1:]:
        if total >= _TARGET_WORDS or candidate.score < 1:
            break
        cleaned = _clean(candidate.text)
        count = len(cleaned.split())
        if total + count <= max_words:
            chosen.append((candidate.position, cleaned))
            total += count
    chosen.sort()
    return _limit(" ".join(text for _index, text in chosen), max_words)
