"""A real HTTP server on 127.0.0.1 that speaks the OpenAI-compatible REST wire format.

Ollama, vLLM, LM Studio and Gemini's own OpenAI endpoint all answer this shape, so the
``openai_compat`` provider is tested against it with the real ``openai`` client::

    POST /v1/chat/completions
    POST /v1/embeddings         (float or base64 encoding, optional ``dimensions``)

Authentication comes first: anything but ``Authorization: Bearer <api_key>`` gets the real
401 body, which (like OpenAI's) echoes a *masked* form of the key it was given. Then the
next queued reply is served, if any; otherwise a default responder answers with valid
``JobFacts`` JSON or hash-seeded, deliberately non-unit vectors.
"""

from __future__ import annotations

import base64
import json
import struct
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tests.fakes.gemini_server import (
    FakeReply,
    JSONFakeServer,
    RecordedRequest,
    fake_fit,
    fake_job_facts,
    fake_vector,
    is_fit_question,
    isolate_from_proxies,
)

__all__ = ["FakeOpenAIServer", "mask_key", "openai_server"]

DEFAULT_EMBED_DIM = 768  # e.g. nomic-embed-text


def openai_error(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def mask_key(key: str) -> str:
    # What OpenAI does in its 401 message: first 3 and last 4 characters survive.
    return f"{key[:3]}{'*' * max(len(key) - 7, 0)}{key[-4:]}" if len(key) > 7 else "***"


class FakeOpenAIServer(JSONFakeServer):
    name = "FakeOpenAI"

    def __init__(
        self, api_key: str = "test-openai-key", embed_dim: int = DEFAULT_EMBED_DIM
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.embed_dim = embed_dim
        self._counter = 0

    @property
    def url(self) -> str:
        """What ``OpenAIConfig(base_url=...)`` should get (the SDK appends paths)."""
        return f"{self.base_url}/v1"

    # -- programming helpers ---------------------------------------------------------------

    def enqueue_answer(
        self,
        content: str | Mapping[str, Any] | None,
        *,
        prompt_tokens: int = 100,
        completion_tokens: int = 20,
        finish_reason: str = "stop",
        times: int = 1,
    ) -> None:
        """A 200 chat completion whose message content is ``content`` (dict → JSON)."""
        text = content if content is None or isinstance(content, str) else json.dumps(content)
        self.enqueue(
            FakeReply.json(self._completion(text, prompt_tokens, completion_tokens, finish_reason)),
            times=times,
        )

    def enqueue_rate_limit(self, retry_after: str | None = "7", *, times: int = 1) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = openai_error(
            "Rate limit reached for requests. Please try again later.",
            "requests",
            "rate_limit_exceeded",
        )
        self.enqueue(FakeReply.json(body, status=429, headers=headers), times=times)

    def enqueue_unavailable(self, *, times: int = 1) -> None:
        body = openai_error(
            "The server is overloaded or not ready yet.", "server_error", "service_unavailable"
        )
        self.enqueue(FakeReply.json(body, status=503), times=times)

    def enqueue_timeout(self, delay: float, *, times: int = 1) -> None:
        late = self._completion(json.dumps(fake_job_facts("late")), 1, 1, "stop")
        self.enqueue(FakeReply.json(late, delay=delay), times=times)

    # -- routing -----------------------------------------------------------------------------

    def route(self, request: RecordedRequest) -> FakeReply:
        auth = request.headers.get("authorization", "")
        given = auth.removeprefix("Bearer ").strip()
        if given != self.api_key:
            body = openai_error(
                f"Incorrect API key provided: {mask_key(given)}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
            return FakeReply.json(body, status=401)
        if request.method != "POST" or request.path not in (
            "/v1/chat/completions",
            "/v1/embeddings",
        ):
            return FakeReply.json(
                openai_error(f"Unknown request URL: {request.path}", "invalid_request_error"),
                status=404,
            )
        if not isinstance(request.body, dict) or "model" not in request.body:
            return FakeReply.json(
                openai_error("you must provide a model parameter", "invalid_request_error"),
                status=400,
            )
        queued = self.next_queued()
        if queued is not None:
            return queued
        if request.path == "/v1/chat/completions":
            return self._default_chat(request.body)
        return self._default_embeddings(request.body)

    def _completion(
        self, content: str | None, prompt_tokens: int, completion_tokens: int, finish: str
    ) -> dict[str, Any]:
        with self._lock:
            self._counter += 1
            number = self._counter
        return {
            "id": f"chatcmpl-fake{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "fake-model",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish,
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    def _default_chat(self, body: Mapping[str, Any]) -> FakeReply:
        user = " ".join(
            str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user"
        )
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
        answer = json.dumps(fake_fit(user) if is_fit_question(schema) else fake_job_facts(user))
        return FakeReply.json(
            self._completion(answer, len(user.split()), len(answer.split()), "stop")
        )

    def _default_embeddings(self, body: Mapping[str, Any]) -> FakeReply:
        inputs = body.get("input")
        texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
        dim = int(body.get("dimensions") or self.embed_dim)
        encoding = body.get("encoding_format", "float")
        data = []
        for index, text in enumerate(texts):
            vector = fake_vector(str(text), dim)
            embedding: Any = vector
            if encoding == "base64":
                # The real API's base64 form: little-endian float32.
                embedding = base64.b64encode(struct.pack(f"<{dim}f", *vector)).decode("ascii")
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        tokens = sum(len(str(t).split()) for t in texts)
        return FakeReply.json(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    # -- inspection --------------------------------------------------------------------------

    def calls(self, endpoint: str) -> list[RecordedRequest]:
        """Requests to ``chat/completions`` or ``embeddings``."""
        return [r for r in self.requests if r.path == f"/v1/{endpoint}"]


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    """A started fake OpenAI-compatible API (key ``test-openai-key``), stopped after the test."""
    isolate_from_proxies(monkeypatch)
    server = FakeOpenAIServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
