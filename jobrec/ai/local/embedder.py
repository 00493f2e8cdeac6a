"""Document vectors from the local fastText model (implements ``Embedder``).

The model is loaded once per process and path (a 50 MB file takes ~0.3 s to read
and hash) and shared by every ``FastTextEmbedder``; fastText's lookups are read-only,
so sharing it between threads is safe.

Vectors are ``get_sentence_vector`` of the normalised text (the same normalisation
as training: lower-case, no HTML/URLs/stop words, one line since fastText refuses
newlines), L2-normalised. fastText averages unit-length word vectors, so any text
with at least one token gets a non-zero vector (unknown words are built from their
character n-grams); a text with no usable token raises ``ValueError`` instead of
becoming a zero vector.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import fasttext
import numpy as np

from jobrec.ai.interfaces import EmbeddingTask, SpaceSpec
from jobrec.ai.local.fasttext_model import normalize_text

__all__ = [
    "FastTextEmbedder",
    "LoadedModel",
    "ModelNotFoundError",
    "clear_model_cache",
    "load_model",
]

PROVIDER: Final = "local"
# Below this norm a vector has no direction worth comparing (float32 noise).
_MIN_NORM: Final = 1e-6


class ModelNotFoundError(FileNotFoundError):
    """The fastText model file does not exist (train one first)."""


@dataclass(frozen=True)
class LoadedModel:
    path: Path
    sha256: str
    dim: int
    model: Any  # fasttext.FastText._FastText (untyped extension object)


_CACHE: dict[Path, LoadedModel] = {}
_LOCK: Final = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_model(path: Path | str) -> LoadedModel:
    """The model at ``path``, loaded on first use and then shared (per process).

    The sha256 is computed from the file itself rather than trusted from its name:
    it names the vector space, and a file swapped under the same name must not
    produce vectors that look comparable with the old ones.
    """
    resolved = Path(path).expanduser().resolve()
    cached = _CACHE.get(resolved)
    if cached is not None:
        return cached
    with _LOCK:  # one load even if several threads ask at once
        cached = _CACHE.get(resolved)
        if cached is not None:
            return cached
        if not resolved.is_file():
            raise ModelNotFoundError(
                f"fastText model not found at {resolved}. Train one with "
                "`python manage.py train_fasttext` (or point the local embedder's "
                "model path setting at an existing fasttext-d<dim>-<sha8>.bin)."
            )
        model = fasttext.load_model(str(resolved))
        loaded = LoadedModel(
            path=resolved, sha256=_sha256(resolved), dim=int(model.get_dimension()), model=model
        )
        _CACHE[resolved] = loaded
        return loaded


def clear_model_cache() -> None:
    """Forget loaded models (tests; or after replacing a model file in place)."""
    with _LOCK:
        _CACHE.clear()


class FastTextEmbedder:
    """Implements :class:`jobrec.ai.interfaces.Embedder` with a local fastText model.

    ``task`` is accepted and ignored: the space is symmetric, queries (a resume, a
    search) and documents (postings) are embedded the same way.
    """

    def __init__(self, model_path: Path | str) -> None:
        self._loaded = load_model(model_path)
        self.space = SpaceSpec(
            provider=PROVIDER, model=f"fasttext-{self._loaded.sha256[:8]}", dim=self._loaded.dim
        )

    @property
    def model_path(self) -> Path:
        return self._loaded.path

    def embed(self, texts: Sequence[str], *, task: EmbeddingTask = "document") -> list[list[float]]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        # Validate everything first: a batch fails before any work, naming the text.
        lines: list[str] = []
        for index, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text #{index} is empty; there is nothing to embed")
            line = normalize_text(text)
            if not line:
                raise ValueError(
                    f"text #{index} has no usable words after normalisation "
                    f"(only punctuation, numbers, URLs or stop words): {text[:80]!r}"
                )
            lines.append(line)
        model = self._loaded.model
        vectors: list[list[float]] = []
        for index, line in enumerate(lines):
            vector = np.asarray(model.get_sentence_vector(line), dtype=np.float64)
            norm = float(np.linalg.norm(vector))
            if not math.isfinite(norm) or norm < _MIN_NORM:
                raise ValueError(f"text #{index} produced a zero vector; refusing to return it")
            vectors.append((vector / norm).tolist())
        return vectors
