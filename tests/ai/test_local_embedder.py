"""Tests for the local fastText model (jobrec/ai/local/fasttext_model.py) and embedder
(jobrec/ai/local/embedder.py). A small model is trained once on the shared RemoteOK
postings in a temporary directory (a few seconds).

Pure Python, no Django:
    python -m pytest -p no:django -p no:cacheprovider --noconftest \
        tests/ai/test_local_embedder.py -q
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from jobrec.ai.interfaces import Embedder, SpaceSpec
from jobrec.ai.local.embedder import (
    FastTextEmbedder,
    ModelNotFoundError,
    clear_model_cache,
    load_model,
)
from jobrec.ai.local.fasttext_model import (
    MAX_MODEL_BYTES,
    TrainedModel,
    normalize_text,
    train_fasttext,
)
from jobs.sources.base import JobDraft
from jobs.sources.remoteok.parser import parse_remoteok

REMOTEOK_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
SHARED_FILES = sorted(REMOTEOK_DIR.glob("*.json"))

pytestmark = pytest.mark.skipif(
    len(SHARED_FILES) < 4, reason="shared RemoteOK snapshots not available"
)


@cache
def shared_drafts() -> tuple[JobDraft, ...]:
    drafts: list[JobDraft] = []
    for path in SHARED_FILES:
        drafts.extend(parse_remoteok(path.read_bytes()).drafts)
    return tuple(drafts)


def document(d: JobDraft) -> str:
    return f"{d.position}\n{d.description_text}"


def by_title(title: str) -> JobDraft:
    matches = [d for d in shared_drafts() if d.position == title]
    assert matches, title
    return matches[0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedModel:
    # Small and quick: dim 32, a few epochs over ~665 postings (~150k tokens).
    out_dir = tmp_path_factory.mktemp("fasttext")
    return train_fasttext(
        (document(d) for d in shared_drafts()), dim=32, epochs=10, min_count=2, out_dir=out_dir
    )


@pytest.fixture(scope="module")
def embedder(trained: TrainedModel) -> FastTextEmbedder:
    return FastTextEmbedder(trained.path)


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))  # both unit length


# --------------------------------------------------------------------------- training


def test_model_file_is_versioned_small_and_described(trained: TrainedModel) -> None:
    assert re.fullmatch(r"fasttext-d32-[0-9a-f]{8}\.bin", trained.path.name)
    assert trained.path.name == f"fasttext-d32-{trained.sha256[:8]}.bin"
    size = trained.path.stat().st_size
    assert size == trained.size_bytes <= MAX_MODEL_BYTES
    metadata = json.loads(trained.metadata_path.read_text())
    assert trained.metadata_path == trained.path.with_suffix(".json")
    assert metadata["dim"] == 32
    assert metadata["epochs"] == 10
    assert metadata["documents"] == len(shared_drafts())
    assert metadata["tokens"] > 100_000
    assert metadata["sha256"] == trained.sha256
    assert metadata["model"] == "cbow"
    assert metadata["trained_at"].endswith("+00:00")
    # Only the model and its metadata are left behind (no corpus or temp files).
    assert sorted(p.name for p in trained.path.parent.iterdir()) == sorted(
        [trained.path.name, trained.metadata_path.name]
    )
    print(
        f"trained {trained.documents} docs / {trained.tokens} tokens in {trained.seconds}s, "
        f"vocabulary {trained.vocabulary}, {size / 1e6:.1f} MB"
    )


def test_size_budget_raises_min_count(tmp_path: Path) -> None:
    # A tiny budget forces the planner to drop rare words (and shrink the buckets);
    # the saved file must still respect it.
    budget = 2_500_000
    small = train_fasttext(
        (document(d) for d in shared_drafts()),
        dim=32,
        epochs=1,
        min_count=1,
        out_dir=tmp_path,
        max_bytes=budget,
    )
    assert small.path.stat().st_size <= budget
    assert small.min_count_used > 1
    assert small.bucket < 50_000


def test_training_on_nothing_usable_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no usable text"):
        train_fasttext(["", "   ", "<p></p>", "12 345 !!!"], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []  # the temporary corpus is removed


def test_normalisation() -> None:
    text = (
        "<p>We use <b>C++</b>, C#, Node.js and .NET!</p>\n"
        "See https://example.com/jobs or mail jobs@example.com. Salary 120000."
    )
    assert normalize_text(text) == "use c++ c# node.js .net see mail salary"
    assert normalize_text("") == ""
    assert "\n" not in normalize_text("line one\nline two\r\nline three")
    assert len(normalize_text("word " * 10_000).split()) == 2000


# --------------------------------------------------------------------------- embedding


def test_implements_the_embedder_protocol(
    embedder: FastTextEmbedder, trained: TrainedModel
) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.space == SpaceSpec(
        provider="local", model=f"fasttext-{trained.sha256[:8]}", dim=32
    )
    assert embedder.space.name == f"local:fasttext-{trained.sha256[:8]}:32:v1"


def test_vectors_are_unit_length_and_in_order(embedder: FastTextEmbedder) -> None:
    texts = [document(d) for d in shared_drafts()[:50]]
    vectors = embedder.embed(texts)
    assert len(vectors) == 50
    for vector in vectors:
        assert len(vector) == 32
        assert all(math.isfinite(x) for x in vector)
        assert math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-6)
    # Same text, same vector; order is preserved; the task does not change the space.
    assert np.allclose(embedder.embed([texts[3]], task="query")[0], vectors[3])
    assert np.allclose(embedder.embed(texts[10:12]), vectors[10:12])


def test_go_posting_is_closer_to_go_backend_than_to_accounting(
    embedder: FastTextEmbedder,
) -> None:
    go = by_title("Senior Golang Backend Engineer")
    other_go = by_title("Golang Backend Engineer")
    accountant = by_title("Payroll Accountant")
    v_go, v_other, v_acc = embedder.embed([document(go), document(other_go), document(accountant)])
    same, other = cosine(v_go, v_other), cosine(v_go, v_acc)
    print(f"cos(go, go) = {same:.3f}, cos(go, accountant) = {other:.3f}")
    assert same > other


def test_short_queries_and_unknown_words_get_vectors(embedder: FastTextEmbedder) -> None:
    # Out-of-vocabulary words are built from character n-grams: never a zero vector.
    for text in ["golang", "kubernetesish microfrontendery", "Zxqwv", "R"]:
        (vector,) = embedder.embed([text])
        assert math.isclose(float(np.linalg.norm(vector)), 1.0, rel_tol=1e-6)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "!!! --- ???", "12 345 2024", "the and of"])
def test_empty_or_unusable_text_raises(embedder: FastTextEmbedder, text: str) -> None:
    with pytest.raises(ValueError, match="text #1"):
        embedder.embed(["fine text about python", text])


def test_a_single_string_is_rejected(embedder: FastTextEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("not a list")


def test_model_is_loaded_once_per_process(trained: TrainedModel) -> None:
    clear_model_cache()
    first = load_model(trained.path)
    assert load_model(trained.path) is first
    assert load_model(str(trained.path)) is first  # same file, other spelling
    a, b = FastTextEmbedder(trained.path), FastTextEmbedder(trained.path)
    assert a._loaded is b._loaded is first
    clear_model_cache()
    assert load_model(trained.path) is not first


def test_missing_model_says_how_to_train(tmp_path: Path) -> None:
    missing = tmp_path / "fasttext-d100-deadbeef.bin"
    with pytest.raises(ModelNotFoundError, match=r"manage\.py train_fasttext") as info:
        FastTextEmbedder(missing)
    assert isinstance(info.value, FileNotFoundError)
    assert str(missing) in str(info.value)
