"""The Gemini Developer API provider (google-genai), behind the ``jobrec.ai`` interfaces.

Build a :class:`GeminiConfig` from settings and hand it to :class:`GeminiExtractor` and
:class:`GeminiEmbedder`; both share one ``genai.Client`` per configuration.
"""

from jobrec.ai.gemini.client import GeminiConfig, close_clients
from jobrec.ai.gemini.embedder import GeminiEmbedder
from jobrec.ai.gemini.extractor import GeminiExtractor

__all__ = ["GeminiConfig", "GeminiEmbedder", "GeminiExtractor", "close_clients"]
