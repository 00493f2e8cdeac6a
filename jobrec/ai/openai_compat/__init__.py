"""The OpenAI-compatible provider (Ollama, vLLM, LM Studio, Gemini's OpenAI endpoint).

Build an :class:`OpenAIConfig` from settings and hand it to
:class:`OpenAIExtractor` and :class:`OpenAIEmbedder`; both share one
``openai.OpenAI`` client per configuration.
"""

from jobrec.ai.openai_compat.client import OpenAIConfig, close_clients
from jobrec.ai.openai_compat.embedder import OpenAIEmbedder
from jobrec.ai.openai_compat.extractor import OpenAIExtractor

__all__ = ["OpenAIConfig", "OpenAIEmbedder", "OpenAIExtractor", "close_clients"]
