"""Train the local provider's fastText model on our own postings.

Choices, and why (measured on this project's 2-core machine with corpora synthesised
by recombining paragraphs of the shared RemoteOK postings):

* **CBOW, not skipgram.** Training must handle 100,000 postings in under five minutes
  on two cores. CBOW does one update per context window where skipgram does one per
  (word, context word) pair: 7 s vs 18 s on a 10,000-document corpus with the
  settings below. Skipgram's vectors were only slightly better on a neighbour-skills
  proxy (mean taxonomy-skill Jaccard of the 5 nearest postings: 0.152 vs 0.141), and
  would not meet the budget: 100,000 postings (25.5M tokens) took 3.6 min end to end
  with CBOW, skipgram extrapolates to ~8.5 min.
* **Sub-sampling t=1e-5** (default 1e-4) for corpora over 5M tokens (~20,000
  postings), the word2vec recommendation for large corpora: frequent words are
  skipped more often, ~1.6x faster, and the proxy score stays within noise once stop
  words are removed (next point). Smaller corpora keep 1e-4: there every
  occurrence is needed, and speed does not matter.
* **Stop words removed** in normalisation. A document vector is the plain average of
  its word vectors, so "the", "and", "you", "we" pull every posting towards the same
  point; dropping them improved the proxy (0.140 -> 0.147 with default settings) and
  shortens every line. Words that are also technologies ("it", "go", "c", "r")
  are not stop words.
* **Small on disk (<= 50 MB).** A ``.bin`` holds the input matrix (vocabulary +
  hash buckets) x dim and the output matrix vocabulary x dim, as float32. fastText's
  default of 2,000,000 buckets alone is 800 MB at dim 100. We use at most 50,000
  buckets (~20 MB at dim 100; shrunk to 40% of the budget for larger dims) for
  character n-grams of 3-4 characters (default 3-6: longer n-grams mostly collide in
  a small table and cost ~1.4x training time), and cap the vocabulary so the whole
  file fits: ``min_count`` is raised just enough (the rarest words go first; they
  are still embedded through their n-grams). The real file size is checked after
  training.
* **Normalised input.** Lower-cased, HTML/URLs/e-mails removed, one document per
  line, tokens kept whole where they name technologies ("c++", "c#", "node.js",
  ".net"), numbers dropped (noise in a vocabulary), at most ``MAX_TOKENS`` tokens per
  document. The embedder applies the same function, so training and inference see
  identical tokens.
* **Versioned files.** ``fasttext-d<dim>-<sha8>.bin`` plus a JSON metadata file
  next to it (dim, epochs, corpus size, trained_at, sha256, parameters). The sha
  makes the embedding space name content-addressed: a retrained model is a new
  space, so old and new vectors are never compared.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal

from jobs.sources.text import fix_mojibake, prepare_description

__all__ = [
    "DEFAULT_BUCKET",
    "MAX_MODEL_BYTES",
    "MAX_TOKENS",
    "STOP_WORDS",
    "TrainedModel",
    "model_file_name",
    "normalize_text",
    "train_fasttext",
]

#: Hard limit for the saved model (decimal megabytes, the stricter reading of "50 MB").
MAX_MODEL_BYTES: Final = 50_000_000
# The size estimate is exact for the matrices but approximates the dictionary entries
# and header, so plan with some slack below the limit.
_SLACK_BYTES: Final = 2_000_000
DEFAULT_BUCKET: Final = 50_000
# Buckets may take at most this share of the budget; the rest is for the vocabulary.
_BUCKET_SHARE: Final = 0.4
#: Tokens kept per document. Descriptions average ~400 tokens; a longer text's
#: topic is settled well before 2,000 and this bounds time and memory per document.
MAX_TOKENS: Final = 2000
# Upper bound of one dictionary entry's overhead in the .bin: the word's bytes plus a
# NUL, an int64 count and an int8 entry type.
_ENTRY_OVERHEAD: Final = 10
_HEADER_BYTES: Final = 4096
_EOS: Final = "</s>"  # fastText's end-of-line token, one per document

ModelKind = Literal["cbow", "skipgram"]

_HTML_TAG: Final = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>")
_URL_OR_EMAIL: Final = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
# A token: letters/digits, inner ".", "-" or apostrophes kept ("node.js", "e-commerce",
# "don't"), an optional leading dot (".net") and trailing "++", "#" or "+" ("c++",
# "c#", "angular2+"). Everything else separates tokens.
_TOKEN: Final = re.compile(r"\.?[^\W_]+(?:[.'’-][^\W_]+)*(?:\+\+|#|\+)?")
# Function words only; nothing that can name a skill ("it", "go", "c", "r", "d").
STOP_WORDS: Final = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for",
        "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "this", "that",
        "these", "those", "we", "our", "ours", "us", "you", "your", "yours", "they", "their",
        "them", "he", "she", "his", "her", "its", "i", "me", "my", "will", "would", "can",
        "could", "should", "may", "might", "must", "shall", "do", "does", "did", "have", "has",
        "had", "not", "no", "so", "such", "than", "then", "there", "here", "what", "which",
        "who", "whom", "whose", "when", "where", "why", "how", "all", "any", "both", "each",
        "few", "more", "most", "other", "some", "into", "about", "over", "under", "again",
        "further", "once", "also", "just", "very", "too", "only", "own", "same", "up", "down",
        "out", "off", "above", "below", "between", "through", "during", "before", "after",
        "while", "because", "until", "you'll", "you're", "we're", "we'll", "it's", "who'll",
        "you’ll", "you’re", "we’re", "we’ll", "it’s",
    }
)  # fmt: skip
# fastText's sub-sampling threshold (see the module docstring). Small corpora keep
# fastText's default: with little text every occurrence is needed for usable
# vectors, and speed only matters for large corpora, where 1e-5 is also the
# recommended setting.
_SAMPLING_LARGE: Final = 1e-5
_SAMPLING_SMALL: Final = 1e-4
_LARGE_CORPUS_TOKENS: Final = 5_000_000
# Below this many token-epochs training runs on one thread (see _threads).
_SMALL_WORK: Final = 5_000_000


def normalize_text(text: str, *, max_tokens: int = MAX_TOKENS) -> str:
    """One line of lower-cased, space-separated tokens ("" if nothing usable is left)."""
    if not text:
        return ""
    # Bounded work on huge inputs: ~10 characters per token is plenty.
    text = text[: max_tokens * 12]
    text = prepare_description(text)[1] if _HTML_TAG.search(text) else fix_mojibake(text)
    if "://" in text or "www." in text or "@" in text:
        text = _URL_OR_EMAIL.sub(" ", text)
    stop = STOP_WORDS
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in stop and not t.isdigit()]
    return " ".join(tokens[:max_tokens])


def model_file_name(dim: int, sha256: str) -> str:
    return f"fasttext-d{dim}-{sha256[:8]}.bin"


@dataclass(frozen=True)
class TrainedModel:
    """A saved model and what it was trained with (also written as JSON next to it)."""

    path: Path
    metadata_path: Path
    sha256: str
    dim: int
    epochs: int
    model: ModelKind
    documents: int
    tokens: int
    vocabulary: int
    min_count: int  # as asked for
    min_count_used: int  # raised to fit the size budget
    bucket: int
    minn: int
    maxn: int
    size_bytes: int
    seconds: float
    trained_at: str

    def metadata(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = self.path.name
        data["metadata_path"] = self.metadata_path.name
        data["fasttext_space"] = f"fasttext-{self.sha256[:8]}"
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plan(
    counts: Counter[str], *, dim: int, bucket: int, min_count: int, budget: int
) -> tuple[int, int]:
    """(bucket, min_count) such that the saved model fits ``budget`` bytes.

    Size = (vocabulary + bucket) x dim floats (input matrix) + vocabulary x dim floats
    (output matrix) + dictionary entries + header. The vocabulary is all words with
    count >= min_count, so min_count is raised until the most frequent words that
    remain fit; words are only ever dropped together with every word as rare.
    """
    row = 4 * dim
    bucket = min(bucket, int(budget * _BUCKET_SHARE) // row)
    room = budget - _HEADER_BYTES - bucket * row
    ranked = sorted(
        ((count, word) for word, count in counts.items() if count >= min_count), reverse=True
    )
    used = 0
    fits = 0  # the first `fits` ranked words fit
    for _count, word in ranked:
        cost = 2 * row + len(word.encode()) + _ENTRY_OVERHEAD
        if used + cost > room:
            break
        used += cost
        fits += 1
    if fits == len(ranked):
        return bucket, min_count
    # Cut at a count boundary: every word with the first excluded word's count goes.
    threshold = ranked[fits][0] + 1
    if fits == 0 or threshold > ranked[0][0]:
        raise ValueError(f"even the most frequent words do not fit in {budget} bytes at dim {dim}")
    return bucket, max(min_count, threshold)


def _threads(requested: int | None, work: int) -> int:
    """Worker threads for ``work`` token-epochs: one for small jobs (they take about a
    second anyway, and one thread makes the model reproducible: fastText's seed is
    fixed), else as asked, by default every core up to 8."""
    if work < _SMALL_WORK:
        return 1
    return max(1, requested or min(os.cpu_count() or 1, 8))


# Runs in a fresh interpreter; needs nothing but fastText.
_CHILD_SCRIPT: Final = """
import json, sys
import fasttext
job = json.loads(sys.argv[1])
model = fasttext.train_unsupervised(**job["params"])
model.save_model(job["output"])
print(json.dumps({"vocabulary": len(model.words)}))
"""


def _train_in_subprocess(params: dict[str, object], output: Path) -> int:
    """Train and save in a child process; returns the vocabulary size.

    Why a process: the fastText build we use (fasttext-numpy2 0.10.4) sometimes
    fails with "Encountered NaN" right at the start of training when the same
    process has trained a model before -- reproduced here 3-6 times in 8 repeated
    in-process runs on the shared postings, never in 8 fresh processes. Freed
    matrices leave garbage that some buffer apparently reads uninitialised. A fresh
    interpreter (~0.2 s) avoids it, returns all training memory to the OS, and keeps
    a native crash from taking down the caller (a worker, a management command).
    ``subprocess`` rather than ``multiprocessing`` because daemonic worker processes
    (Celery prefork) may not start multiprocessing children.
    """
    job = json.dumps({"params": params, "output": str(output)})
    completed = subprocess.run(  # noqa: S603 -- our own interpreter and fixed script
        [sys.executable, "-c", _CHILD_SCRIPT, job],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        lines = (completed.stderr or "").strip().splitlines()
        reason = lines[-1] if lines else f"exit status {completed.returncode}"
        raise ValueError(f"fastText could not train on this corpus: {reason}")
    return int(json.loads(completed.stdout.strip().splitlines()[-1])["vocabulary"])


def train_fasttext(
    texts: Iterable[str],
    *,
    dim: int = 100,
    epochs: int = 5,
    min_count: int = 2,
    out_dir: Path,
    model: ModelKind = "cbow",
    bucket: int = DEFAULT_BUCKET,
    minn: int = 3,
    maxn: int = 4,
    threads: int | None = None,
    max_bytes: int = MAX_MODEL_BYTES,
) -> TrainedModel:
    """Train on ``texts`` (descriptions, HTML or plain) and save into ``out_dir``.

    The corpus is streamed to a temporary file next to the model (fastText trains
    from a file), so memory stays bounded by the vocabulary, not the corpus.
    Raises ValueError when the texts contain no usable words.
    """
    if dim < 1 or epochs < 1 or min_count < 1:
        raise ValueError("dim, epochs and min_count must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    budget = max_bytes - min(_SLACK_BYTES, max_bytes // 25)
    counts: Counter[str] = Counter()
    documents = tokens = 0
    fd, corpus_name = tempfile.mkstemp(prefix=".fasttext-corpus-", suffix=".txt", dir=out_dir)
    corpus = Path(corpus_name)
    model_tmp = out_dir / f".fasttext-{os.getpid()}-{time.time_ns()}.bin.tmp"
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for text in texts:
                line = normalize_text(text)
                if not line:
                    continue
                words = line.split(" ")
                counts.update(words)
                documents += 1
                tokens += len(words)
                handle.write(line)
                handle.write("\n")
        if not documents:
            raise ValueError("no usable text to train on (all texts empty after normalisation)")
        counts[_EOS] = documents
        bucket_used, min_count_used = _plan(
            counts, dim=dim, bucket=bucket, min_count=min_count, budget=budget
        )
        if not any(c >= min_count_used for w, c in counts.items() if w != _EOS):
            raise ValueError(f"no word occurs at least {min_count_used} times")
        vocabulary = _train_in_subprocess(
            {
                "input": str(corpus),
                "model": model,
                "dim": dim,
                "epoch": epochs,
                "minCount": min_count_used,
                "bucket": bucket_used,
                "minn": minn,
                "maxn": maxn,
                "t": _SAMPLING_LARGE if tokens >= _LARGE_CORPUS_TOKENS else _SAMPLING_SMALL,
                "thread": _threads(threads, tokens * epochs),
                "verbose": 0,
            },
            model_tmp,
        )
        size = model_tmp.stat().st_size
        if size > max_bytes:
            raise RuntimeError(
                f"model is {size} bytes, over the {max_bytes} byte budget; lower dim or bucket"
            )
        sha = _sha256(model_tmp)
        path = out_dir / model_file_name(dim, sha)
        os.replace(model_tmp, path)
        result = TrainedModel(
            path=path,
            metadata_path=path.with_suffix(".json"),
            sha256=sha,
            dim=dim,
            epochs=epochs,
            model=model,
            documents=documents,
            tokens=tokens,
            vocabulary=vocabulary,
            min_count=min_count,
            min_count_used=min_count_used,
            bucket=bucket_used,
            minn=minn,
            maxn=maxn,
            size_bytes=size,
            seconds=round(time.perf_counter() - started, 3),
            trained_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        )
        meta_tmp = result.metadata_path.with_suffix(".json.tmp")
        meta_tmp.write_text(json.dumps(result.metadata(), indent=2, sort_keys=True) + "\n")
        os.replace(meta_tmp, result.metadata_path)
        return result
    finally:
        corpus.unlink(missing_ok=True)
        model_tmp.unlink(missing_ok=True)
