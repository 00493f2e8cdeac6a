"""A real HTTP server on 127.0.0.1 that speaks the Gemini Developer API's REST wire format.

Why a real server instead of mocking the SDK: google-genai 3.x sends through ``httpx2``,
which ``respx``-style mocks do not intercept, and the behaviour under test (status codes,
``google.rpc.Status`` error bodies, read timeouts, batch limits) lives in the SDK's
transport and error parsing. A loopback server tests the real thing.

Routes (``{version}`` is ``v1`` or ``v1beta``)::

    POST /{version}/models/{model}:generateContent
    POST /{version}/models/{model}:batchEmbedContents   (at most 100 requests, like the API)
    POST /{version}/models/{model}:embedContent

Authentication comes first, as on the real API: a wrong ``x-goog-api-key`` (or ``?key=``)
gets 400 ``API_KEY_INVALID``, a missing one 403 ``PERMISSION_DENIED``. Then the next
queued reply is served, if any; otherwise a default responder answers with valid data
that is deterministic from the input (JobFacts JSON for generateContent, hash-seeded
vectors that are deliberately *not* unit length for embeddings)::

    def test_x(gemini_server):
        gemini_server.enqueue_rate_limit(retry_delay="1s")
        gemini_server.enqueue_answer("not json")
        ...   # third call gets the default responder
        assert [r.rpc for r in gemini_server.requests] == ["generateContent"] * 3

This module also holds the small JSON fake-server base (``JSONFakeServer``) and the
deterministic ``fake_job_facts`` / ``fake_vector`` helpers that ``openai_server`` reuses.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = [
    "MAX_BATCH",
    "FakeGeminiServer",
    "FakeReply",
    "JSONFakeServer",
    "RecordedRequest",
    "fake_job_facts",
    "fake_vector",
    "gemini_server",
    "isolate_from_proxies",
]

MAX_BATCH = 100  # BatchEmbedContentsRequest.requests limit of the real API
DEFAULT_EMBED_DIM = 3072  # what the real models return without outputDimensionality

# ---------------------------------------------------------------------------------------
# Deterministic "model" behaviour shared by both fakes
# ---------------------------------------------------------------------------------------

_KNOWN_SKILLS = (
    "Python",
    "Django",
    "PostgreSQL",
    "React",
    "TypeScript",
    "Docker",
    "Kubernetes",
    "AWS",
    "Go",
    "Rust",
    "Redis",
)
_SENIORITY_WORDS = (
    ("principal", "principal"),
    ("lead", "lead"),
    ("senior", "senior"),
    ("junior", "junior"),
    ("intern", "intern"),
)


def fake_job_facts(text: str) -> dict[str, Any]:
    """What a well-behaved model would answer for a posting: valid ``JobFacts`` data.

    Skills are the known keywords present in the text, seniority the first level word
    found (else ``mid``), years the first "N+ years", and the summary the posting's first
    words, so tests can check that the posting actually reached the "model".
    """
    lowered = text.lower()
    skills = [s for s in _KNOWN_SKILLS if re.search(rf"\b{re.escape(s.lower())}\b", lowered)]
    seniority = next((level for word, level in _SENIORITY_WORDS if word in lowered), "mid")
    years = re.search(r"(\d{1,2})\+?\s*years", lowered)
    remote = "remote" if "remote" in lowered else "unknown"
    words = re.findall(r"[A-Za-z0-9+#.-]+", text)
    return {
        "skills": skills,
        "seniority": seniority,
        "years_experience": int(years.group(1)) if years else None,
        "employment_type": "full_time" if "full-time" in lowered else "unknown",
        "remote_policy": remote,
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "summary": " ".join(words[:20]) or "A job.",
    }


def fake_fit(prompt: str) -> dict[str, Any]:
    """What a well-behaved model would answer to a fit question: valid ``FitAssessment``
    data, the score being the share of the job's known skills that the resume names."""
    resume = prompt.partition("<resume>")[2].partition("</resume>")[0].lower()
    job = prompt.partition("<job>")[2].partition("</job>")[0].lower()

    def skills_in(text: str) -> list[str]:
        return [s for s in _KNOWN_SKILLS if re.search(rf"\b{re.escape(s.lower())}\b", text)]

    wanted, held = skills_in(job), set(skills_in(resume))
    matched = [s for s in wanted if s in held]
    score = round(100 * len(matched) / len(wanted)) if wanted else 50
    return {
        "score": score,
        "reasons": [f"The resume shows {len(matched)} of the {len(wanted)} skills asked for."],
        "matched_skills": matched,
        "missing_skills": [s for s in wanted if s not in held],
    }


def is_fit_question(schema: Mapping[str, Any] | None) -> bool:
    return bool(schema) and "fits one job" in str((schema or {}).get("description", ""))


def fake_vector(text: str, dim: int) -> list[float]:
    """A vector seeded by the text's hash: same text, same vector; norm far from 1."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    # Scale 0.3 so the norm is about 0.3*sqrt(dim): clients must normalise themselves.
    return [rng.gauss(0.0, 0.3) for _ in range(dim)]


def unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector]


# ---------------------------------------------------------------------------------------
# Generic JSON fake server
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeReply:
    """One programmed answer. ``delay`` sleeps before answering (to trip read timeouts);
    ``drop`` closes the connection without any response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def json(
        cls,
        data: object,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
    ) -> FakeReply:
        return cls(
            status=status,
            body=json.dumps(data).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
            delay=delay,
        )


@dataclass(frozen=True)
class RecordedRequest:
    """What the server saw. Header names are lower-cased; ``body`` is the parsed JSON."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: Any
    received_at: float  # time.monotonic(), to assert on waits between attempts


Responder = Callable[[RecordedRequest], FakeReply]


class JSONFakeServer:
    """ThreadingHTTPServer on an ephemeral loopback port with a queue of replies.

    Subclasses implement ``route`` (auth, validation, default answers) and call
    ``self.next_queued()`` where a programmed reply may take over.
    """

    name = "fake"

    def __init__(self) -> None:
        self._queue: deque[FakeReply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # Handler threads sleeping in a delay must not keep the test process alive.
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.name,
            daemon=True,
        )

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> JSONFakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- programming ---------------------------------------------------------------------

    def enqueue(self, reply: FakeReply, *, times: int = 1) -> None:
        with self._lock:
            self._queue.extend([reply] * times)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def next_queued(self) -> FakeReply | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def route(self, request: RecordedRequest) -> FakeReply:
        raise NotImplementedError

    # -- handler -------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        parts = urlsplit(handler.path)
        request = RecordedRequest(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=body,
            received_at=time.monotonic(),
        )
        with self._lock:
            self.requests.append(request)
        reply = self.route(request)
        if reply.delay and self._stopping.wait(reply.delay):
            return
        if reply.drop:
            handler.close_connection = True
            return
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its read timeout fired): expected in timeout tests.
            pass
        handler.close_connection = True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # One request per connection keeps "delayed" and "dropped" unambiguous.
            protocol_version = "HTTP/1.0"
            server_version = f"{server.name}/1.0"

            def do_POST(self) -> None:
                server._handle(self, "POST")

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def log_message(self, format: str, *args: object) -> None:
                return  # tests inspect server.requests instead

        return Handler


# ---------------------------------------------------------------------------------------
# Gemini
# ---------------------------------------------------------------------------------------

_GEMINI_PATH = re.compile(r"^/(?P<version>v1|v1beta)/models/(?P<model>[^/:]+):(?P<rpc>\w+)$")


def gemini_error(code: int, status: str, message: str, details: list[Any] | None = None) -> Any:
    """A ``google.rpc.Status`` error body, as the real API sends it."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        error["details"] = details
    return {"error": error}


class FakeGeminiServer(JSONFakeServer):
    name = "FakeGemini"

    def __init__(self, api_key: str = "test-gemini-key") -> None:
        super().__init__()
        self.api_key = api_key
        self._response_counter = 0

    # -- programming helpers ---------------------------------------------------------------

    def enqueue_answer(
        self,
        answer: str | Mapping[str, Any],
        *,
        prompt_tokens: int = 100,
        output_tokens: int = 20,
        finish_reason: str = "STOP",
        times: int = 1,
    ) -> None:
        """A 200 generateContent whose text is ``answer`` (a dict is JSON-encoded)."""
        text = answer if isinstance(answer, str) else json.dumps(answer)
        self.enqueue(
            FakeReply.json(self._generate_body(text, prompt_tokens, output_tokens, finish_reason)),
            times=times,
        )

    def enqueue_error(
        self,
        code: int,
        status: str,
        message: str,
        details: list[Any] | None = None,
        *,
        times: int = 1,
    ) -> None:
        self.enqueue(
            FakeReply.json(gemini_error(code, status, message, details), status=code), times=times
        )

    def enqueue_rate_limit(self, retry_delay: str | None = "7s", *, times: int = 1) -> None:
        """429 RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo, like the real API."""
        details: list[Any] = [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": (
                            "generativelanguage.googleapis.com/generate_content_free_tier_requests"
                        ),
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    }
                ],
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    {
                        "description": "Learn more",
                        "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
                    }
                ],
            },
        ]
        if retry_delay is not None:
            details.append(
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}
            )
        self.enqueue_error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            details,
            times=times,
        )

    def enqueue_unavailable(self, *, times: int = 1) -> None:
        self.enqueue_error(
            503, "UNAVAILABLE", "The model is overloaded. Please try again later.", times=times
        )

    def enqueue_timeout(self, delay: float, *, times: int = 1) -> None:
        """Answer (validly) only after ``delay`` seconds: longer than the client's timeout."""
        text = json.dumps(fake_job_facts("late"))
        reply = FakeReply.json(self._generate_body(text, 1, 1, "STOP"), delay=delay)
        self.enqueue(reply, times=times)

    # -- routing -----------------------------------------------------------------------------

    def route(self, request: RecordedRequest) -> FakeReply:
        match = _GEMINI_PATH.match(request.path)
        if request.method != "POST" or not match:
            return FakeReply.json(
                gemini_error(404, "NOT_FOUND", f"Method not found: {request.path}"), status=404
            )
        key = request.headers.get("x-goog-api-key") or (request.query.get("key") or [""])[0]
        if not key:
            return FakeReply.json(
                gemini_error(
                    403,
                    "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established "
                    "identity). Please use API Key or other form of API consumer identity "
                    "to call this API.",
                ),
                status=403,
            )
        if key != self.api_key:
            return FakeReply.json(
                gemini_error(
                    400,
                    "INVALID_ARGUMENT",
                    "API key not valid. Please pass a valid API key.",
                    [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "API_KEY_INVALID",
                            "domain": "googleapis.com",
                            "metadata": {"service": "generativelanguage.googleapis.com"},
                        }
                    ],
                ),
                status=400,
            )
        if not isinstance(request.body, dict):
            return FakeReply.json(
                gemini_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."), status=400
            )
        rpc = match["rpc"]
        if rpc == "batchEmbedContents":
            requests = request.body.get("requests") or []
            if len(requests) > MAX_BATCH:
                # Checked before the queue: the real API rejects this whatever else happens.
                return FakeReply.json(
                    gemini_error(
                        400,
                        "INVALID_ARGUMENT",
                        "* BatchEmbedContentsRequest.requests: at most 100 requests can be in "
                        "one batch\n",
                    ),
                    status=400,
                )
        queued = self.next_queued()
        if queued is not None:
            return queued
        if rpc == "generateContent":
            return self._default_generate(request.body)
        if rpc == "batchEmbedContents":
            return self._default_batch_embed(match["model"], request.body)
        if rpc == "embedContent":
            vector = self._embed_one(request.body)
            return FakeReply.json({"embedding": {"values": vector}})
        return FakeReply.json(
            gemini_error(404, "NOT_FOUND", f"Method not found: {rpc}"), status=404
        )

    def _generate_body(
        self, text: str, prompt_tokens: int, output_tokens: int, finish_reason: str
    ) -> dict[str, Any]:
        with self._lock:
            self._response_counter += 1
            response_id = f"fake-{self._response_counter}"
        return {
            "candidates": [
                {
                    "content": {"parts": [{"text": text}], "role": "model"},
                    "finishReason": finish_reason,
                    "index": 0,
                }
            ],
            "usageMetadata": {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": output_tokens,
                "totalTokenCount": prompt_tokens + output_tokens,
            },
            "modelVersion": "fake-model",
            "responseId": response_id,
        }

    def _default_generate(self, body: Mapping[str, Any]) -> FakeReply:
        prompt = " ".join(
            part.get("text", "")
            for content in body.get("contents", [])
            for part in content.get("parts", [])
        )
        schema = (body.get("generationConfig") or {}).get("responseJsonSchema")
        answer = json.dumps(fake_fit(prompt) if is_fit_question(schema) else fake_job_facts(prompt))
        # Token counts are word counts: deterministic and easy to assert on.
        return FakeReply.json(
            self._generate_body(answer, len(prompt.split()), len(answer.split()), "STOP")
        )

    def _embed_one(self, request: Mapping[str, Any]) -> list[float]:
        text = "\n".join(p.get("text", "") for p in request.get("content", {}).get("parts", []))
        dim = int(request.get("outputDimensionality") or DEFAULT_EMBED_DIM)
        return fake_vector(text, dim)

    def _default_batch_embed(self, model: str, body: Mapping[str, Any]) -> FakeReply:
        requests = body.get("requests") or []
        for item in requests:
            if item.get("model") != f"models/{model}":
                return FakeReply.json(
                    gemini_error(
                        400,
                        "INVALID_ARGUMENT",
                        "Model name in the request does not match the model in the URL.",
                    ),
                    status=400,
                )
        return FakeReply.json({"embeddings": [{"values": self._embed_one(r)} for r in requests]})

    # -- inspection --------------------------------------------------------------------------

    @staticmethod
    def rpc_of(request: RecordedRequest) -> str:
        match = _GEMINI_PATH.match(request.path)
        return match["rpc"] if match else ""

    def calls(self, rpc: str) -> list[RecordedRequest]:
        return [r for r in self.requests if self.rpc_of(r) == rpc]


def isolate_from_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDKs honour HTTP(S)_PROXY; loopback traffic must never go through a proxy.

    Both spellings: urllib-style lookups prefer the lower-case variable when both exist.
    """
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def gemini_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGeminiServer]:
    """A started fake Gemini API (expects key ``test-gemini-key``), stopped after the test."""
    isolate_from_proxies(monkeypatch)
    server = FakeGeminiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
