"""Text embeddings with Gemini's ``batchEmbedContents``."""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence

from google import genai
from google.genai import types

from jobrec.ai.gemini.client import GeminiConfig, call_with_retries, get_client
from jobrec.ai.interfaces import EmbeddingTask, InvalidOutput, SpaceSpec, Usage

__all__ = ["MAX_BATCH", "GeminiEmbedder"]

# The API rejects a batchEmbedContents with more than 100 requests (400 INVALID_ARGUMENT;
# undocumented, see the reference doc), and the SDK does not split batches itself.
MAX_BATCH = 100

# gemini-embedding-001 takes the task as a parameter. Newer models (gemini-embedding-2)
# take it as a prefix of the text instead.
_TASK_TYPES: dict[str, str] = {"document": "RETRIEVAL_DOCUMENT", "query": "RETRIEVAL_QUERY"}
_TASK_PREFIXES: dict[str, str] = {
    "document": "title: none | text: {text}",
    "query": "task: search result | query: {text}",
}


def _model_id(model: str) -> str:
    return model.removeprefix("models/")


def _uses_task_type(model: str) -> bool:
    """True for the models that understand ``task_type`` (the text-only 001 family)."""
    return _model_id(model).startswith(("gemini-embedding-001", "text-embedding-"))


class GeminiEmbedder:
    """Implements ``Embedder``: at most 100 texts per request, one vector per text,
    every vector L2-normalised client-side."""

    def __init__(self, config: GeminiConfig, *, client: genai.Client | None = None) -> None:
        # "models/x" and "x" address the same model: one space name for both.
        self.space = SpaceSpec(
            provider="gemini", model=_model_id(config.embed_model), dim=config.embed_dim
        )
        self._config = config
        self._client = client or get_client(config)
        self._task_type = _uses_task_type(config.embed_model)
        self._lock = threading.Lock()
        self._usage = Usage()

    def __repr__(self) -> str:
        return f"GeminiEmbedder(space={self.space.name!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        """Requests made (the Developer API reports no tokens for embeddings)."""
        with self._lock:
            return self._usage

    def embed(self, texts: Sequence[str], *, task: EmbeddingTask = "document") -> list[list[float]]:
        if isinstance(texts, str):
            # A str is a Sequence[str]: without this we would embed it letter by letter.
            raise TypeError("embed() takes a sequence of texts, not a single str")
        if task not in _TASK_TYPES:
            raise ValueError(f"unknown embedding task {task!r}")
        # Check everything before the first request: no tokens spent on a doomed call.
        for index, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text {index} is empty: there is nothing to embed")
        vectors: list[list[float]] = []
        for start in range(0, len(texts), MAX_BATCH):
            batch = list(texts[start : start + MAX_BATCH])
            vectors.extend(self._embed_batch(batch, task, offset=start))
        return vectors

    def _embed_batch(
        self, batch: list[str], task: EmbeddingTask, *, offset: int
    ) -> list[list[float]]:
        if self._task_type:
            texts = batch
            config = types.EmbedContentConfig(
                task_type=_TASK_TYPES[task], output_dimensionality=self.space.dim
            )
        else:
            texts = [_TASK_PREFIXES[task].format(text=t) for t in batch]
            config = types.EmbedContentConfig(output_dimensionality=self.space.dim)
        # One Content per text. A plain list[str] is merged by the SDK into ONE Content
        # with N parts for "multimodal" models (any "gemini*" id except 001/exp, so
        # gemini-embedding-2), which returns ONE embedding for the whole batch.
        contents = [types.Content(parts=[types.Part(text=t)]) for t in texts]
        response = call_with_retries(
            self._config,
            f"batchEmbedContents {self.space.model}",
            functools.partial(
                self._client.models.embed_content,
                model=self._config.embed_model,
                contents=contents,
                config=config,
            ),
        )
        with self._lock:
            self._usage = Usage(calls=self._usage.calls + 1)
        embeddings = response.embeddings or []
        if len(embeddings) != len(batch):
            raise InvalidOutput(
                f"gemini {self.space.model}: {len(embeddings)} embeddings for {len(batch)} "
                f"texts (texts {offset}..{offset + len(batch) - 1})"
            )
        return [_unit(e.values or [], self.space, offset + i) for i, e in enumerate(embeddings)]


def _unit(values: Sequence[float], space: SpaceSpec, index: int) -> list[float]:
    """``values`` scaled to length 1, after checking its size and that it is usable.

    Gemini does not normalise truncated (MRL) vectors (norm ~0.59 at 768 for 001), and
    cosine-as-dot-product in the database needs unit vectors.
    """
    if len(values) != space.dim:
        raise InvalidOutput(
            f"gemini {space.model}: vector {index} has {len(values)} dimensions, "
            f"expected {space.dim}"
        )
    norm = math.sqrt(math.fsum(v * v for v in values))
    if not math.isfinite(norm) or norm == 0.0:
        raise InvalidOutput(f"gemini {space.model}: vector {index} is zero or not finite")
    return [v / norm for v in values]
