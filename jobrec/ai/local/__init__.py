"""The ``local`` provider: offline, deterministic, no API keys (the default).

* :class:`LocalExtractor` -- taxonomy skills plus rule-based facts (``extractor.py``).
* :class:`FastTextEmbedder` -- document vectors from a fastText model trained on our
  own postings (``embedder.py``; training in ``fasttext_model.py``).

No Django imports. The fastText names are imported lazily so that extraction alone
does not load the fastText/numpy extension modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobrec.ai.local.extractor import LocalExtractor

if TYPE_CHECKING:
    from jobrec.ai.local.embedder import FastTextEmbedder, ModelNotFoundError
    from jobrec.ai.local.fasttext_model import TrainedModel, train_fasttext

__all__ = [
    "FastTextEmbedder",
    "LocalExtractor",
    "ModelNotFoundError",
    "TrainedModel",
    "train_fasttext",
]

_LAZY = {
    "FastTextEmbedder": "jobrec.ai.local.embedder",
    "ModelNotFoundError": "jobrec.ai.local.embedder",
    "TrainedModel": "jobrec.ai.local.fasttext_model",
    "train_fasttext": "jobrec.ai.local.fasttext_model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
