"""The Gemini provider, driven through the real google-genai client against a fake
Gemini API on 127.0.0.1 (tests/fakes/gemini_server.py). Nothing here needs Django:

    python -m pytest -p no:django -p no:cacheprovider --noconftest tests/ai/test_gemini.py
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import socket
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from google.genai import errors, types

from jobrec.ai.gemini import GeminiConfig, GeminiEmbedder, GeminiExtractor, close_clients
from jobrec.ai.gemini.client import get_client
from jobrec.ai.interfaces import (
    Embedder,
    Extractor,
    InvalidOutput,
    JobFacts,
    ProviderUnavailable,
    SpaceSpec,
)
from jobrec.ai.prompts import EXCERPT_CHARS, job_facts_json_schema
from tests.fakes.gemini_server import (
    FakeGeminiServer,
    FakeReply,
    fake_job_facts,
    fake_vector,
    unit,
)
from tests.fakes.gemini_server import (
    gemini_server as _gemini_server_fixture,
)

# The fake server's fixture, bound as a module attribute so pytest finds it without a
# conftest (an assignment, unlike an import, is not "redefined" by each test argument).
gemini_server = _gemini_server_fixture

POSTING_TITLE = "Senior Backend Engineer (Django)"
POSTING_TEXT = (
    "We are hiring a senior engineer with 5+ years of Python, Django and PostgreSQL. "
    "Docker is a plus. Fully remote, full-time."
)


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    # Every test has its own server port, so its own cached client: close them all.
    yield
    close_clients()


def make_config(server: FakeGeminiServer, **overrides: Any) -> GeminiConfig:
    """Small timeouts and near-zero back-off: retries are fast, waits are measurable."""
    values: dict[str, Any] = {
        "api_key": server.api_key,
        "base_url": server.base_url,
        "extract_model": "gemini-3.5-flash-lite",
        "embed_model": "gemini-embedding-2",
        "embed_dim": 768,
        "timeout_s": 2.0,
        "max_retries": 2,
        "max_retry_delay_s": 5.0,
        "retry_base_delay_s": 0.01,
    }
    values.update(overrides)
    return GeminiConfig(**values)


def valid_facts(**changes: Any) -> dict[str, Any]:
    return {**fake_job_facts(POSTING_TEXT), **changes}


# -- extraction: success ----------------------------------------------------------------


def test_extract_job_sends_structured_output_request_and_counts_usage(
    gemini_server: FakeGeminiServer,
) -> None:
    extractor = GeminiExtractor(make_config(gemini_server))
    assert isinstance(extractor, Extractor)

    result = extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    assert result.provider == "gemini"
    assert result.model == "gemini-3.5-flash-lite"
    assert result.facts.skills == ["Python", "Django", "PostgreSQL", "Docker"]
    assert result.facts.seniority == "senior"
    assert result.facts.years_experience == 5
    assert result.facts.remote_policy == "remote"

    [request] = gemini_server.requests
    assert request.path == "/v1beta/models/gemini-3.5-flash-lite:generateContent"
    assert request.headers["x-goog-api-key"] == gemini_server.api_key
    body = request.body
    generation = body["generationConfig"]
    assert generation["responseMimeType"] == "application/json"
    assert generation["responseJsonSchema"] == job_facts_json_schema()
    assert "responseSchema" not in generation  # never both: the API rejects that
    # The schema lists every property as required (OpenAI strict mode needs that).
    assert set(generation["responseJsonSchema"]["required"]) == set(JobFacts.model_fields)
    assert "skills" in body["systemInstruction"]["parts"][0]["text"]
    prompt = body["contents"][0]["parts"][0]["text"]
    assert POSTING_TITLE in prompt
    assert POSTING_TEXT in prompt

    # Usage comes from usageMetadata (the fake counts words).
    prompt_words = len(prompt.split())
    assert result.usage.calls == 1
    assert result.usage.input_tokens == prompt_words
    assert result.usage.output_tokens > 0
    assert extractor.usage == result.usage


def test_one_generate_call_per_job_and_usage_accumulates(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_answer(valid_facts(), prompt_tokens=100, output_tokens=20, times=3)
    extractor = GeminiExtractor(make_config(gemini_server))

    for n in range(3):
        extractor.extract_job(title=f"Job {n}", text=POSTING_TEXT)

    assert len(gemini_server.calls("generateContent")) == 3
    assert extractor.usage.calls == 3
    assert extractor.usage.input_tokens == 300
    assert extractor.usage.output_tokens == 60


def test_thinking_tokens_count_as_output(gemini_server: FakeGeminiServer) -> None:
    body = {
        "candidates": [
            {
                "content": {"parts": [{"text": json.dumps(valid_facts())}], "role": "model"},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 50,
            "candidatesTokenCount": 30,
            "thoughtsTokenCount": 200,
            "totalTokenCount": 280,
        },
    }
    gemini_server.enqueue(FakeReply.json(body))

    result = GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert (result.usage.input_tokens, result.usage.output_tokens) == (50, 230)


def test_generation_options_are_sent_only_when_configured(gemini_server: FakeGeminiServer) -> None:
    GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)
    tuned = make_config(gemini_server, temperature=0.2, thinking_level="LOW", api_version="v1")
    GeminiExtractor(tuned).extract_job(title="t", text=POSTING_TEXT)

    default, configured = gemini_server.requests
    # Unset: the model's defaults (Gemini 3 should keep temperature 1.0).
    assert "temperature" not in default.body["generationConfig"]
    assert "thinkingConfig" not in default.body["generationConfig"]
    assert configured.path.startswith("/v1/models/")
    assert configured.body["generationConfig"]["temperature"] == 0.2
    # google-genai 3.4.0 copies nested config objects with their Python field names
    # ({"thinking_level": "LOW"}, like "property_ordering" in responseSchema); proto3 JSON
    # parsing on Google's side accepts either spelling.
    assert configured.body["generationConfig"]["thinkingConfig"] in (
        {"thinkingLevel": "LOW"},
        {"thinking_level": "LOW"},
    )


# -- extraction: invalid answers ----------------------------------------------------------


def test_invalid_json_is_retried_once_with_the_reason(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_answer("Sure! Here are the facts you asked for.")
    # The second call falls through to the default responder: valid JSON.
    extractor = GeminiExtractor(make_config(gemini_server))

    result = extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    assert result.facts.seniority == "senior"
    first, second = gemini_server.calls("generateContent")
    first_prompt = first.body["contents"][0]["parts"][0]["text"]
    second_prompt = second.body["contents"][0]["parts"][0]["text"]
    assert "rejected" not in first_prompt
    assert "Your previous answer was rejected: the answer is not JSON" in second_prompt
    assert result.usage.calls == 2  # both answers were paid for


def test_two_invalid_answers_raise_invalid_output_with_only_an_excerpt(
    gemini_server: FakeGeminiServer,
) -> None:
    long_garbage = "This is not JSON at all. " * 40 + "END-OF-ANSWER-MARKER"
    gemini_server.enqueue_answer(long_garbage, times=2)
    extractor = GeminiExtractor(make_config(gemini_server))

    with pytest.raises(InvalidOutput) as caught:
        extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    message = str(caught.value)
    assert "not JSON" in message
    assert "2 answers rejected" in message
    assert "END-OF-ANSWER-MARKER" not in message
    assert len(message) < 200 + EXCERPT_CHARS
    assert len(gemini_server.calls("generateContent")) == 2  # retried once, not more
    assert extractor.usage.calls == 2


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        pytest.param(
            {k: v for k, v in valid_facts().items() if k != "seniority"},
            "seniority",
            id="missing-field",
        ),
        pytest.param(valid_facts(seniority="wizard"), "seniority", id="unknown-seniority"),
        pytest.param(valid_facts(years_experience=99), "years_experience", id="absurd-years"),
        pytest.param(valid_facts(salary_min=5), "salary_min", id="absurd-salary"),
        pytest.param(valid_facts(summary="word " * 61), "summary", id="summary-too-long"),
        pytest.param(valid_facts(bonus="free pizza"), "bonus", id="unexpected-field"),
        pytest.param([valid_facts()], "object", id="not-an-object"),
    ],
)
def test_schema_violations_are_rejected_twice_then_invalid_output(
    gemini_server: FakeGeminiServer, answer: Any, field: str
) -> None:
    gemini_server.enqueue_answer(json.dumps(answer), times=2)

    with pytest.raises(InvalidOutput, match=field):
        GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert len(gemini_server.calls("generateContent")) == 2


def test_unknown_seniority_then_valid_answer_succeeds(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_answer(valid_facts(seniority="wizard"))
    gemini_server.enqueue_answer(valid_facts(seniority="lead"))

    result = GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.seniority == "lead"
    second = gemini_server.calls("generateContent")[1]
    assert "seniority" in second.body["contents"][0]["parts"][0]["text"]


def test_truncated_answer_is_rejected(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_answer('{"skills": ["Py', finish_reason="MAX_TOKENS", times=2)

    with pytest.raises(InvalidOutput, match="MAX_TOKENS"):
        GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)


# -- transient failures -------------------------------------------------------------------


def test_429_waits_for_the_servers_retry_delay(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_rate_limit(retry_delay="1s")
    extractor = GeminiExtractor(make_config(gemini_server))

    result = extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    assert result.facts.seniority == "senior"
    first, second = gemini_server.requests
    waited = second.received_at - first.received_at
    # retry_base_delay_s is 0.01: only the server's "1s" explains a wait this long.
    assert 0.95 <= waited < 3.0
    assert result.usage.calls == 1  # the 429 was not an answer


def test_429_asking_longer_than_the_cap_fails_fast_with_retry_after(
    gemini_server: FakeGeminiServer,
) -> None:
    gemini_server.enqueue_rate_limit(retry_delay="3600s")
    started = time.monotonic()

    with pytest.raises(ProviderUnavailable) as caught:
        GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 3600.0
    assert "429" in str(caught.value)
    assert len(gemini_server.requests) == 1


def test_503_then_success(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_unavailable(times=2)

    result = GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.skills
    assert len(gemini_server.requests) == 3


def test_503_until_retries_are_exhausted(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_unavailable(times=10)
    config = make_config(gemini_server, max_retries=2, retry_base_delay_s=0.05)

    with pytest.raises(ProviderUnavailable) as caught:
        GeminiExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert "503" in str(caught.value)
    assert "3 attempts" in str(caught.value)
    assert caught.value.retry_after is None
    assert len(gemini_server.requests) == 3  # 1 + max_retries, then stop
    times = [r.received_at for r in gemini_server.requests]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Exponential back-off with equal jitter: 0.05*[0.5, 1], then 0.1*[0.5, 1].
    assert gaps[0] >= 0.02
    assert gaps[1] >= 0.045


def test_timeout_then_success(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_timeout(delay=2.0)
    config = make_config(gemini_server, timeout_s=0.3)
    started = time.monotonic()

    result = GeminiExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.skills
    assert len(gemini_server.requests) == 2
    assert time.monotonic() - started < 1.5  # the client gave up on the slow answer


def test_timeouts_until_retries_are_exhausted(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_timeout(delay=2.0, times=2)
    config = make_config(gemini_server, timeout_s=0.3, max_retries=1)

    with pytest.raises(ProviderUnavailable, match="timed out"):
        GeminiExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert len(gemini_server.requests) == 2


def test_connection_refused_is_provider_unavailable() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = GeminiConfig(
        api_key="k", base_url=f"http://127.0.0.1:{port}", max_retries=1, retry_base_delay_s=0.01
    )

    with pytest.raises(ProviderUnavailable, match="connection failed"):
        GeminiExtractor(config).extract_job(title="t", text=POSTING_TEXT)


# -- bad keys -----------------------------------------------------------------------------


def test_invalid_key_fails_at_once(gemini_server: FakeGeminiServer) -> None:
    config = make_config(gemini_server, api_key="AIza-not-the-right-key")

    with pytest.raises(ProviderUnavailable, match="API key was rejected") as caught:
        GeminiExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert "400" in str(caught.value)
    assert len(gemini_server.requests) == 1  # no retry


def test_permission_denied_fails_at_once(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_error(
        403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers"
    )

    with pytest.raises(ProviderUnavailable, match="API key was rejected"):
        GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert len(gemini_server.requests) == 1


def test_unknown_model_fails_at_once_without_retry(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_error(404, "NOT_FOUND", "models/gemini-2.0-flash is not found")

    with pytest.raises(ProviderUnavailable, match="404"):
        GeminiExtractor(make_config(gemini_server)).extract_job(title="t", text=POSTING_TEXT)

    assert len(gemini_server.requests) == 1


def test_api_key_never_leaks(
    gemini_server: FakeGeminiServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the SDK's and httpx2's included
    secret = "AIzaSy-LEAK-CANARY-0b7e1d2f9a"
    config = make_config(gemini_server, api_key=secret)
    extractor = GeminiExtractor(config)
    embedder = GeminiEmbedder(config)
    failures: list[BaseException] = []

    # A rejected key, then (with the server accepting it) retries and invalid answers.
    for call in (
        lambda: extractor.extract_job(title="t", text=POSTING_TEXT),
        lambda: embedder.embed(["some text"]),
    ):
        with pytest.raises(ProviderUnavailable) as caught:
            call()
        failures.append(caught.value)
    gemini_server.api_key = secret
    gemini_server.enqueue_unavailable(times=3)
    with pytest.raises(ProviderUnavailable) as unavailable:
        extractor.extract_job(title="t", text=POSTING_TEXT)
    gemini_server.enqueue_answer("not json", times=2)
    with pytest.raises(InvalidOutput) as invalid:
        extractor.extract_job(title="t", text=POSTING_TEXT)
    failures += [unavailable.value, invalid.value]

    assert gemini_server.requests[0].headers["x-goog-api-key"] == secret  # it was used
    for exc in failures:
        assert secret not in str(exc)
        assert secret not in repr(exc)
        assert secret not in "".join(traceback.format_exception(exc))
        # Nothing chained: SDK exceptions hold the request with its x-goog-api-key header.
        assert exc.__cause__ is None
        assert exc.__context__ is None
    for obj in (extractor, embedder, config):
        assert secret not in repr(obj)
        assert secret not in str(obj)
    assert "retrying" in caplog.text  # the retries were logged...
    assert secret not in caplog.text  # ...without the key


# -- embeddings ---------------------------------------------------------------------------


def test_embed_101_texts_sends_two_batches_with_one_vector_per_text(
    gemini_server: FakeGeminiServer,
) -> None:
    embedder = GeminiEmbedder(make_config(gemini_server))
    assert isinstance(embedder, Embedder)
    assert embedder.space == SpaceSpec(provider="gemini", model="gemini-embedding-2", dim=768)
    texts = [f"Job posting number {i}" for i in range(101)]

    vectors = embedder.embed(texts)

    calls = gemini_server.calls("batchEmbedContents")
    assert [len(c.body["requests"]) for c in calls] == [100, 1]
    assert all(c.path == "/v1beta/models/gemini-embedding-2:batchEmbedContents" for c in calls)
    for item in calls[0].body["requests"]:
        # One Content with one part per text (not the SDK's merged N-part Content).
        assert len(item["content"]["parts"]) == 1
        assert item["outputDimensionality"] == 768
        assert item["model"] == "models/gemini-embedding-2"
    assert len(vectors) == 101
    # In input order: vector i is the (normalised) fake vector of text i's request text.
    for i in (0, 57, 99, 100):
        expected = unit(fake_vector(f"title: none | text: {texts[i]}", 768))
        assert vectors[i] == pytest.approx(expected, abs=1e-9)
    assert embedder.usage.calls == 2


def test_embeddings_are_l2_normalised(gemini_server: FakeGeminiServer) -> None:
    raw_norm = math.sqrt(sum(v * v for v in fake_vector("title: none | text: x", 768)))
    assert abs(raw_norm - 1.0) > 1.0  # the server's vectors are far from unit length

    vectors = GeminiEmbedder(make_config(gemini_server)).embed(["x", "y", "z"])

    for vector in vectors:
        assert len(vector) == 768
        assert math.sqrt(sum(v * v for v in vector)) == pytest.approx(1.0, abs=1e-9)


def test_embedding_2_puts_the_task_in_the_text(gemini_server: FakeGeminiServer) -> None:
    embedder = GeminiEmbedder(make_config(gemini_server))

    embedder.embed(["Django developer"], task="document")
    embedder.embed(["remote python jobs"], task="query")

    document, query = (c.body["requests"][0] for c in gemini_server.calls("batchEmbedContents"))
    assert document["content"]["parts"][0]["text"] == "title: none | text: Django developer"
    assert query["content"]["parts"][0]["text"] == "task: search result | query: remote python jobs"
    assert "taskType" not in document
    assert "taskType" not in query


def test_embedding_001_uses_task_type(gemini_server: FakeGeminiServer) -> None:
    config = make_config(gemini_server, embed_model="gemini-embedding-001", embed_dim=256)
    embedder = GeminiEmbedder(config)

    [doc_vector] = embedder.embed(["Django developer"], task="document")
    embedder.embed(["remote python jobs", "rust"], task="query")

    document, query = (c.body for c in gemini_server.calls("batchEmbedContents"))
    assert document["requests"][0]["taskType"] == "RETRIEVAL_DOCUMENT"
    assert document["requests"][0]["content"]["parts"][0]["text"] == "Django developer"
    assert [r["taskType"] for r in query["requests"]] == ["RETRIEVAL_QUERY"] * 2
    assert document["requests"][0]["outputDimensionality"] == 256
    assert len(doc_vector) == 256


def test_embed_retries_transient_failures(gemini_server: FakeGeminiServer) -> None:
    gemini_server.enqueue_unavailable()

    vectors = GeminiEmbedder(make_config(gemini_server)).embed(["a", "b"])

    assert len(vectors) == 2
    assert len(gemini_server.calls("batchEmbedContents")) == 2


@pytest.mark.parametrize(
    ("embeddings", "problem"),
    [
        pytest.param([{"values": fake_vector("a", 768)}], "1 embeddings for 2 texts", id="too-few"),
        pytest.param(
            [{"values": fake_vector("a", 768)}] * 3, "3 embeddings for 2 texts", id="too-many"
        ),
        pytest.param(
            [{"values": fake_vector("a", 768)}, {"values": fake_vector("b", 3072)}],
            "vector 1 has 3072 dimensions",
            id="wrong-dimension",
        ),
        pytest.param(
            [{"values": fake_vector("a", 768)}, {"values": [0.0] * 768}], "zero", id="zero-vector"
        ),
    ],
)
def test_embed_rejects_answers_that_do_not_fit_the_input(
    gemini_server: FakeGeminiServer, embeddings: list[Any], problem: str
) -> None:
    gemini_server.enqueue(FakeReply.json({"embeddings": embeddings}))

    with pytest.raises(InvalidOutput, match=problem):
        GeminiEmbedder(make_config(gemini_server)).embed(["a", "b"])


def test_embed_empty_input_and_blank_texts(gemini_server: FakeGeminiServer) -> None:
    embedder = GeminiEmbedder(make_config(gemini_server))

    assert embedder.embed([]) == []
    with pytest.raises(ValueError, match="text 1 is empty"):
        embedder.embed(["fine", "   "])
    with pytest.raises(TypeError):
        embedder.embed("a single string")  # a str is a Sequence[str] to the type checker

    assert gemini_server.requests == []  # nothing was sent for any of these


def test_more_than_100_texts_in_one_request_is_rejected_like_the_real_api(
    gemini_server: FakeGeminiServer,
) -> None:
    # Why the embedder batches: the fake enforces the real API's limit, which the SDK
    # does not know about (it sends all 101 texts and raises a ClientError).
    client = get_client(make_config(gemini_server))
    contents = [types.Content(parts=[types.Part(text=f"t{i}")]) for i in range(101)]

    with pytest.raises(errors.ClientError) as caught:
        client.models.embed_content(model="gemini-embedding-2", contents=contents)

    assert caught.value.code == 400
    assert "at most 100 requests" in str(caught.value.message)


def test_sdk_merges_a_list_of_str_into_one_embedding_for_embedding_2(
    gemini_server: FakeGeminiServer,
) -> None:
    # A canary for the SDK gotcha GeminiEmbedder works around: if a future google-genai
    # stops merging, this fails and the Content wrapping can be reconsidered.
    client = get_client(make_config(gemini_server))

    response = client.models.embed_content(model="gemini-embedding-2", contents=["a", "b", "c"])

    assert len(response.embeddings or []) == 1
    [request] = gemini_server.requests
    assert len(request.body["requests"]) == 1
    assert len(request.body["requests"][0]["content"]["parts"]) == 3
