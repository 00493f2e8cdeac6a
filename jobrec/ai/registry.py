"""Providers built from settings: the one place that knows which provider is configured.

``LLM_PROVIDER`` picks the extractor (``local``, ``gemini`` or ``openai``); the local
extractor is always there as the fallback. Embedders are built per embedding space, from the
provider and model the space records, so vectors always come from the model of their space.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from jobrec.ai.interfaces import Embedder, Extractor, FitScorer, SpaceSpec

if TYPE_CHECKING:
    from jobrec.ai.gemini.client import GeminiConfig
    from jobrec.ai.openai_compat.client import OpenAIConfig


class ProviderNotConfigured(ValueError):
    """The provider asked for has no configuration (no key, no base URL, no model file)."""


@functools.cache
def local_extractor() -> Extractor:
    from jobrec.ai.local.extractor import LocalExtractor

    return LocalExtractor()


def extractor_build(provider: str | None = None) -> Extractor:
    name = provider or settings.LLM_PROVIDER
    if name == "local":
        return local_extractor()
    if name == "gemini":
        return _gemini_extractor()
    if name == "openai":
        return _openai_extractor()
    raise ProviderNotConfigured(f"unknown provider {name!r}: use local, gemini or openai")


# Clients hold connection pools: one provider object per configuration and process. Keyed
# by the (frozen) configuration, so a changed setting gets a new object.
@functools.lru_cache(maxsize=8)
def _gemini_extractor_for(config: GeminiConfig) -> Extractor:
    from jobrec.ai.gemini.extractor import GeminiExtractor

    return GeminiExtractor(config)


@functools.lru_cache(maxsize=8)
def _openai_extractor_for(config: OpenAIConfig) -> Extractor:
    from jobrec.ai.openai_compat.extractor import OpenAIExtractor

    return OpenAIExtractor(config)


def scorer_build(provider: str | None = None) -> FitScorer:
    """The LLM that scores resume/job fit (engine 2): the configured ``LLM_PROVIDER``.

    Raises ProviderNotConfigured when that is ``local``: there is no local LLM, and the
    callers offer engine 1 instead.
    """
    name = provider or settings.LLM_PROVIDER
    if name == "gemini":
        return _gemini_scorer_for(gemini_config())
    if name == "openai":
        return _openai_scorer_for(openai_config())
    if name == "local":
        raise ProviderNotConfigured(
            "no LLM is configured (LLM_PROVIDER=local); set LLM_PROVIDER=gemini or openai"
        )
    raise ProviderNotConfigured(f"unknown provider {name!r}: use local, gemini or openai")


@functools.lru_cache(maxsize=8)
def _gemini_scorer_for(config: GeminiConfig) -> FitScorer:
    from jobrec.ai.gemini.scorer import GeminiScorer

    return GeminiScorer(config)


@functools.lru_cache(maxsize=8)
def _openai_scorer_for(config: OpenAIConfig) -> FitScorer:
    from jobrec.ai.openai_compat.scorer import OpenAIScorer

    return OpenAIScorer(config)


def _gemini_extractor() -> Extractor:
    return _gemini_extractor_for(gemini_config())


def _openai_extractor() -> Extractor:
    return _openai_extractor_for(openai_config())


def gemini_config() -> GeminiConfig:
    from jobrec.ai.gemini.client import GeminiConfig

    if not settings.GEMINI_API_KEY:
        raise ProviderNotConfigured("LLM_PROVIDER=gemini needs GEMINI_API_KEY")
    return GeminiConfig(
        api_key=settings.GEMINI_API_KEY,
        base_url=settings.GEMINI_BASE_URL or None,
        api_version=settings.GEMINI_API_VERSION,
        extract_model=settings.GEMINI_EXTRACT_MODEL,
        score_model=settings.GEMINI_SCORE_MODEL,
        embed_model=settings.GEMINI_EMBED_MODEL,
        embed_dim=settings.EMBED_DIM,
        timeout_s=settings.LLM_TIMEOUT_S,
        max_retries=settings.LLM_MAX_RETRIES,
        retry_base_delay_s=settings.LLM_RETRY_BASE_DELAY_S,
    )


def openai_config() -> OpenAIConfig:
    from jobrec.ai.openai_compat.client import OpenAIConfig

    if not settings.OPENAI_BASE_URL or not settings.OPENAI_MODEL:
        raise ProviderNotConfigured("LLM_PROVIDER=openai needs OPENAI_BASE_URL and OPENAI_MODEL")
    return OpenAIConfig(
        base_url=settings.OPENAI_BASE_URL,
        api_key=settings.OPENAI_API_KEY,
        model=settings.OPENAI_MODEL,
        embed_model=settings.OPENAI_EMBED_MODEL,
        embed_dim=settings.EMBED_DIM,
        timeout_s=settings.LLM_TIMEOUT_S,
        max_retries=settings.LLM_MAX_RETRIES,
        retry_base_delay_s=settings.LLM_RETRY_BASE_DELAY_S,
    )


def embedder_for(*, provider: str, model: str, dim: int, model_path: str = "") -> Embedder:
    """An embedder that produces vectors of the given space."""
    if provider == "local":
        from jobrec.ai.local.embedder import FastTextEmbedder

        if not model_path or not Path(model_path).exists():
            raise ProviderNotConfigured(
                "no fastText model for this space; run `python manage.py train_fasttext`"
            )
        return FastTextEmbedder(Path(model_path))
    if provider == "gemini":
        from jobrec.ai.gemini.embedder import GeminiEmbedder

        return GeminiEmbedder(gemini_config())
    if provider == "openai":
        from jobrec.ai.openai_compat.embedder import OpenAIEmbedder

        return OpenAIEmbedder(openai_config())
    raise ProviderNotConfigured(f"unknown embedding provider {provider!r}")


@dataclass(frozen=True)
class ModelFile:
    path: Path
    space: SpaceSpec


def latest_fasttext_model(directory: Path | None = None) -> ModelFile | None:
    """The newest fastText model trained by ``train_fasttext`` (from its metadata file)."""
    directory = directory or models_dir()
    newest: tuple[str, ModelFile] | None = None
    for meta_path in directory.glob("fasttext-*.json"):
        try:
            meta = json.loads(meta_path.read_text())
            model_path = directory / str(meta["path"])
            spec = SpaceSpec(
                provider="local", model=str(meta["fasttext_space"]), dim=int(meta["dim"])
            )
        except (OSError, ValueError, KeyError):
            continue  # a half-written or foreign file: not a model we made
        if model_path.exists() and (newest is None or str(meta["trained_at"]) > newest[0]):
            newest = (str(meta["trained_at"]), ModelFile(path=model_path, space=spec))
    return newest[1] if newest else None


def models_dir() -> Path:
    return Path(settings.MODELS_DIR)
