"""Text embeddings through an OpenAI-compatible ``/embeddings`` endpoint."""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from typing import Any

import openai

from jobrec.ai.interfaces import EmbeddingTask, InvalidOutput, SpaceSpec, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, call_with_retries, get_client

__all__ = ["MAX_BATCH", "OpenAIEmbedder"]

# Inputs per request. OpenAI allows more (2048), but local servers (Ollama, vLLM) embed a
# batch in one forward pass, so large batches mean long requests that hit the timeout.
MAX_BATCH = 100


class OpenAIEmbedder:
    """Implements ``Embedder``: batches of at most 100 texts, ``encoding_format="float"``,
    one L2-normalised vector per text, in input order."""

    def __init__(self, config: OpenAIConfig, *, client: openai.OpenAI | None = None) -> None:
        if not config.embed_model:
            raise ValueError("OpenAIConfig.embed_model is empty: no embedding model configured")
        self.space = SpaceSpec(provider="openai", model=config.embed_model, dim=config.embed_dim)
        self._config = config
        self._client = client or get_client(config)
        self._prefixes: dict[str, str] = {
            "document": config.document_prefix,
            "query": config.query_prefix,
        }
        self._lock = threading.Lock()
        self._usage = Usage()

    def __repr__(self) -> str:
        return f"OpenAIEmbedder(space={self.space.name!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        """Requests made and input tokens the server reported."""
        with self._lock:
            return self._usage

    def embed(self, texts: Sequence[str], *, task: EmbeddingTask = "document") -> list[list[float]]:
        if isinstance(texts, str):
            # A str is a Sequence[str]: without this we would embed it letter by letter.
            raise TypeError("embed() takes a sequence of texts, not a single str")
        if task not in self._prefixes:
            raise ValueError(f"unknown embedding task {task!r}")
        # Check everything before the first request: no tokens spent on a doomed call.
        for index, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text {index} is empty: there is nothing to embed")
        prefix = self._prefixes[task]
        vectors: list[list[float]] = []
        for start in range(0, len(texts), MAX_BATCH):
            batch = [prefix + t for t in texts[start : start + MAX_BATCH]]
            vectors.extend(self._embed_batch(batch, offset=start))
        return vectors

    def _embed_batch(self, batch: list[str], *, offset: int) -> list[list[float]]:
        extra: dict[str, Any] = {}
        if self._config.request_dimensions:
            extra["dimensions"] = self.space.dim
        response = call_with_retries(
            self._config,
            f"embeddings {self.space.model}",
            functools.partial(
                self._client.embeddings.create,
                model=self.space.model,
                input=batch,
                # Always float: the SDK asks for base64 by default, which older vLLM
                # rejects and Ollama has mishandled.
                encoding_format="float",
                **extra,
            ),
        )
        tokens = response.usage.prompt_tokens if response.usage else 0
        with self._lock:
            self._usage = Usage(
                calls=self._usage.calls + 1, input_tokens=self._usage.input_tokens + tokens
            )
        data = response.data or []
        # Order by the server's index, and insist on exactly one vector per input.
        indices = sorted(item.index for item in data)
        if indices != list(range(len(batch))):
            raise InvalidOutput(
                f"openai-compatible {self.space.model}: {len(data)} embeddings for "
                f"{len(batch)} texts (texts {offset}..{offset + len(batch) - 1})"
            )
        ordered = sorted(data, key=lambda item: item.index)
        return [_unit(item.embedding, self.space, offset + item.index) for item in ordered]


def _unit(values: Sequence[float], space: SpaceSpec, index: int) -> list[float]:
    """``values`` scaled to length 1, after checking its size and that it is usable."""
    if len(values) != space.dim:
        raise InvalidOutput(
            f"openai-compatible {space.model}: vector {index} has {len(values)} dimensions, "
            f"expected {space.dim}"
        )
    norm = math.sqrt(math.fsum(v * v for v in values))
    if not math.isfinite(norm) or norm == 0.0:
        raise InvalidOutput(
            f"openai-compatible {space.model}: vector {index} is zero or not finite"
        )
    return [v / norm for v in values]
