"""The OpenAI-compatible provider, driven through the real ``openai`` client against a
fake OpenAI-compatible API on 127.0.0.1 (tests/fakes/openai_server.py). No Django:

    python -m pytest -p no:django -p no:cacheprovider --noconftest tests/ai/test_openai_compat.py
"""

from __future__ import annotations

import json
import logging
import math
import socket
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from jobrec.ai.interfaces import (
    Embedder,
    Extractor,
    InvalidOutput,
    ProviderUnavailable,
    SpaceSpec,
)
from jobrec.ai.openai_compat import (
    OpenAIConfig,
    OpenAIEmbedder,
    OpenAIExtractor,
    close_clients,
)
from jobrec.ai.openai_compat.client import retry_after_seconds
from jobrec.ai.prompts import EXCERPT_CHARS, job_facts_json_schema
from tests.fakes.gemini_server import FakeReply, fake_job_facts, fake_vector, unit
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    mask_key,
)
from tests.fakes.openai_server import (
    openai_server as _openai_server_fixture,
)

# The fake server's fixture, bound as a module attribute so pytest finds it without a
# conftest (an assignment, unlike an import, is not "redefined" by each test argument).
openai_server = _openai_server_fixture

POSTING_TITLE = "Lead Platform Engineer"
POSTING_TEXT = (
    "Lead engineer for our platform team: Go, Kubernetes and AWS, 8 years of experience. "
    "Hybrid, contract."
)


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    yield
    close_clients()


def make_config(server: FakeOpenAIServer, **overrides: Any) -> OpenAIConfig:
    values: dict[str, Any] = {
        "api_key": server.api_key,
        "base_url": server.url,
        "model": "qwen3:8b",
        "embed_model": "nomic-embed-text",
        "embed_dim": 768,
        "timeout_s": 2.0,
        "max_retries": 2,
        "max_retry_delay_s": 5.0,
        "retry_base_delay_s": 0.01,
    }
    values.update(overrides)
    return OpenAIConfig(**values)


def valid_facts(**changes: Any) -> dict[str, Any]:
    return {**fake_job_facts(POSTING_TEXT), **changes}


def user_prompt(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


# -- extraction: success ----------------------------------------------------------------


def test_extract_job_sends_json_schema_request_and_counts_usage(
    openai_server: FakeOpenAIServer,
) -> None:
    extractor = OpenAIExtractor(make_config(openai_server))
    assert isinstance(extractor, Extractor)

    result = extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    assert (result.provider, result.model) == ("openai", "qwen3:8b")
    assert result.facts.skills == ["Kubernetes", "AWS", "Go"]
    assert result.facts.seniority == "lead"
    assert result.facts.years_experience == 8

    [request] = openai_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {openai_server.api_key}"
    assert request.headers["x-stainless-retry-count"] == "0"  # SDK retries are off
    body = request.body
    assert body["model"] == "qwen3:8b"
    assert body["temperature"] == 0
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "JobFacts", "strict": True, "schema": job_facts_json_schema()},
    }
    schema = body["response_format"]["json_schema"]["schema"]
    # What OpenAI's strict mode insists on.
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    assert not any("default" in p for p in schema["properties"].values())
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert POSTING_TEXT in user_prompt(body)

    assert result.usage.calls == 1
    assert result.usage.input_tokens == len(user_prompt(body).split())
    assert result.usage.output_tokens > 0
    assert extractor.usage == result.usage


def test_one_completion_per_job_and_usage_accumulates(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_answer(valid_facts(), prompt_tokens=70, completion_tokens=30, times=3)
    extractor = OpenAIExtractor(make_config(openai_server))

    for n in range(3):
        extractor.extract_job(title=f"Job {n}", text=POSTING_TEXT)

    assert len(openai_server.calls("chat/completions")) == 3
    assert (extractor.usage.calls, extractor.usage.input_tokens) == (3, 210)
    assert extractor.usage.output_tokens == 90


def test_markdown_fenced_json_is_accepted(openai_server: FakeOpenAIServer) -> None:
    # Servers that ignore response_format (some local models) like Markdown fences.
    openai_server.enqueue_answer("```json\n" + json.dumps(valid_facts()) + "\n```")

    result = OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.seniority == "lead"
    assert len(openai_server.requests) == 1


# -- extraction: invalid answers ----------------------------------------------------------


def test_invalid_json_is_retried_once_with_the_reason(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_answer("<think>hmm</think> the job is for a lead engineer")

    result = OpenAIExtractor(make_config(openai_server)).extract_job(
        title=POSTING_TITLE, text=POSTING_TEXT
    )

    assert result.facts.seniority == "lead"
    first, second = openai_server.calls("chat/completions")
    assert "rejected" not in user_prompt(first.body)
    assert "Your previous answer was rejected: the answer is not JSON" in user_prompt(second.body)
    assert result.usage.calls == 2


def test_two_invalid_answers_raise_invalid_output_with_only_an_excerpt(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue_answer("nope " * 100 + "END-OF-ANSWER-MARKER", times=2)
    extractor = OpenAIExtractor(make_config(openai_server))

    with pytest.raises(InvalidOutput) as caught:
        extractor.extract_job(title=POSTING_TITLE, text=POSTING_TEXT)

    message = str(caught.value)
    assert "not JSON" in message
    assert "END-OF-ANSWER-MARKER" not in message
    assert len(message) < 200 + EXCERPT_CHARS
    assert len(openai_server.requests) == 2
    assert extractor.usage.calls == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            json.dumps({k: v for k, v in valid_facts().items() if k != "summary"}),
            "summary",
            id="missing-field",
        ),
        pytest.param(
            json.dumps(valid_facts(seniority="ninja")), "seniority", id="unknown-seniority"
        ),
        pytest.param(
            json.dumps(valid_facts(years_experience=-3)), "years_experience", id="negative-years"
        ),
        pytest.param(
            json.dumps(valid_facts(salary_currency="dollars")), "salary_currency", id="bad-currency"
        ),
        pytest.param(None, "empty", id="null-content"),
    ],
)
def test_schema_violations_are_rejected_twice_then_invalid_output(
    openai_server: FakeOpenAIServer, content: str | None, reason: str
) -> None:
    openai_server.enqueue_answer(content, times=2)

    with pytest.raises(InvalidOutput, match=reason):
        OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert len(openai_server.requests) == 2


def test_missing_field_then_valid_answer_succeeds(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_answer({k: v for k, v in valid_facts().items() if k != "skills"})

    result = OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.skills == ["Kubernetes", "AWS", "Go"]
    second = openai_server.calls("chat/completions")[1]
    assert "skills: Field required" in user_prompt(second.body)


def test_cut_off_answer_is_rejected(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_answer('{"skills": ["Go", "Kub', finish_reason="length", times=2)

    with pytest.raises(InvalidOutput, match="cut off"):
        OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)


# -- transient failures -------------------------------------------------------------------


def test_429_waits_for_retry_after(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_rate_limit(retry_after="1")

    result = OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.skills
    first, second = openai_server.requests
    assert 0.95 <= second.received_at - first.received_at < 3.0
    assert second.headers["x-stainless-retry-count"] == "0"  # our retry, not the SDK's


def test_429_asking_longer_than_the_cap_fails_fast_with_retry_after(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue_rate_limit(retry_after="120")
    started = time.monotonic()

    with pytest.raises(ProviderUnavailable) as caught:
        OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 120.0
    assert len(openai_server.requests) == 1


def test_429_without_retry_after_backs_off_and_reports_exhaustion(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.enqueue_rate_limit(retry_after=None, times=3)

    with pytest.raises(ProviderUnavailable, match="429") as caught:
        OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert caught.value.retry_after is None
    assert len(openai_server.requests) == 3


def test_retry_after_header_forms() -> None:
    now = 1_000_000.0
    http_date = format_datetime(
        datetime.fromtimestamp(now, UTC) + timedelta(seconds=30), usegmt=True
    )
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert retry_after_seconds({"retry-after": "0.5"}) == 0.5
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after_seconds({"retry-after": http_date}, now=now) == pytest.approx(30.0)
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({"retry-after": "-1"}) is None
    assert retry_after_seconds({}) is None


def test_503_then_success(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_unavailable(times=2)

    result = OpenAIExtractor(make_config(openai_server)).extract_job(title="t", text=POSTING_TEXT)

    assert result.facts.skills
    assert len(openai_server.requests) == 3


def test_503_until_retries_are_exhausted(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_unavailable(times=10)
    config = make_config(openai_server, max_retries=3)

    with pytest.raises(ProviderUnavailable, match="503") as caught:
        OpenAIExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert "4 attempts" in str(caught.value)
    assert len(openai_server.requests) == 4


def test_timeout_then_success(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_timeout(delay=2.0)
    started = time.monotonic()

    result = OpenAIExtractor(make_config(openai_server, timeout_s=0.3)).extract_job(
        title="t", text=POSTING_TEXT
    )

    assert result.facts.skills
    assert len(openai_server.requests) == 2
    assert time.monotonic() - started < 1.5


def test_timeouts_until_retries_are_exhausted(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_timeout(delay=2.0, times=2)
    config = make_config(openai_server, timeout_s=0.3, max_retries=1)

    with pytest.raises(ProviderUnavailable, match="timed out"):
        OpenAIExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert len(openai_server.requests) == 2


def test_connection_refused_is_provider_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = OpenAIConfig(
        base_url=f"http://127.0.0.1:{port}/v1", max_retries=1, retry_base_delay_s=0.01
    )

    with pytest.raises(ProviderUnavailable, match="connection failed"):
        OpenAIExtractor(config).extract_job(title="t", text=POSTING_TEXT)


# -- keys ---------------------------------------------------------------------------------


def test_bad_key_fails_at_once(openai_server: FakeOpenAIServer) -> None:
    config = make_config(openai_server, api_key="sk-wrong-key-123456")

    with pytest.raises(ProviderUnavailable, match=r"API key was rejected \(HTTP 401\)"):
        OpenAIExtractor(config).extract_job(title="t", text=POSTING_TEXT)

    assert len(openai_server.requests) == 1


def test_empty_key_never_falls_back_to_the_environment(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A local server needs no key; a real OpenAI key in the environment must not be
    # sent to it just because the setting is empty.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    openai_server.api_key = "no-key"

    OpenAIExtractor(make_config(openai_server, api_key="")).extract_job(
        title="t", text=POSTING_TEXT
    )

    assert openai_server.requests[0].headers["authorization"] == "Bearer no-key"


def test_api_key_never_leaks(
    openai_server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, openai's and httpx2's included
    secret = "sk-proj-LEAK-CANARY-4c1d9e8f7a"
    config = make_config(openai_server, api_key=secret)
    extractor = OpenAIExtractor(config)
    embedder = OpenAIEmbedder(config)
    failures: list[BaseException] = []

    for call in (
        lambda: extractor.extract_job(title="t", text=POSTING_TEXT),
        lambda: embedder.embed(["some text"]),
    ):
        with pytest.raises(ProviderUnavailable) as caught:
            call()
        failures.append(caught.value)
    openai_server.api_key = secret
    openai_server.enqueue_unavailable(times=3)
    with pytest.raises(ProviderUnavailable) as unavailable:
        extractor.extract_job(title="t", text=POSTING_TEXT)
    openai_server.enqueue_answer("not json", times=2)
    with pytest.raises(InvalidOutput) as invalid:
        extractor.extract_job(title="t", text=POSTING_TEXT)
    failures += [unavailable.value, invalid.value]

    assert openai_server.requests[0].headers["authorization"] == f"Bearer {secret}"
    for exc in failures:
        for text in (str(exc), repr(exc), "".join(traceback.format_exception(exc))):
            assert secret not in text
            # Not even the masked form OpenAI's 401 message quotes.
            assert mask_key(secret) not in text
        # Nothing chained: SDK exceptions hold the request with its Authorization header.
        assert exc.__cause__ is None
        assert exc.__context__ is None
    for obj in (extractor, embedder, config):
        assert secret not in repr(obj)
    assert "retrying" in caplog.text
    assert secret not in caplog.text


# -- embeddings ---------------------------------------------------------------------------


def test_embed_101_texts_sends_two_float_requests(openai_server: FakeOpenAIServer) -> None:
    embedder = OpenAIEmbedder(make_config(openai_server))
    assert isinstance(embedder, Embedder)
    assert embedder.space == SpaceSpec(provider="openai", model="nomic-embed-text", dim=768)
    texts = [f"posting {i}" for i in range(101)]

    vectors = embedder.embed(texts)

    calls = openai_server.calls("embeddings")
    assert [len(c.body["input"]) for c in calls] == [100, 1]
    assert all(c.body["encoding_format"] == "float" for c in calls)
    assert all("dimensions" not in c.body for c in calls)
    assert len(vectors) == 101
    for i in (0, 42, 100):
        assert vectors[i] == pytest.approx(unit(fake_vector(texts[i], 768)), abs=1e-9)
    assert embedder.usage.calls == 2
    assert embedder.usage.input_tokens == 202  # the fake counts words


def test_embeddings_are_l2_normalised(openai_server: FakeOpenAIServer) -> None:
    vectors = OpenAIEmbedder(make_config(openai_server)).embed(["x", "y"])

    for vector in vectors:
        assert math.sqrt(sum(v * v for v in vector)) == pytest.approx(1.0, abs=1e-9)


def test_embed_reorders_by_index_and_checks_the_count(openai_server: FakeOpenAIServer) -> None:
    def data(indices: list[int]) -> dict[str, Any]:
        return {
            "object": "list",
            "model": "m",
            "data": [
                {"object": "embedding", "index": i, "embedding": fake_vector(f"t{i}", 768)}
                for i in indices
            ],
        }

    openai_server.enqueue(FakeReply.json(data([2, 0, 1])))
    openai_server.enqueue(FakeReply.json(data([0, 1])))
    embedder = OpenAIEmbedder(make_config(openai_server))

    vectors = embedder.embed(["a", "b", "c"])
    with pytest.raises(InvalidOutput, match="2 embeddings for 3 texts"):
        embedder.embed(["a", "b", "c"])

    assert vectors[0] == pytest.approx(unit(fake_vector("t0", 768)))
    assert vectors[2] == pytest.approx(unit(fake_vector("t2", 768)))


def test_embed_wrong_dimension_is_invalid_output(openai_server: FakeOpenAIServer) -> None:
    openai_server.embed_dim = 1024  # the model's native size is not what we configured

    with pytest.raises(InvalidOutput, match="1024 dimensions, expected 768"):
        OpenAIEmbedder(make_config(openai_server)).embed(["a"])


def test_embed_dimensions_and_task_prefixes(openai_server: FakeOpenAIServer) -> None:
    config = make_config(
        openai_server,
        embed_dim=256,
        request_dimensions=True,
        document_prefix="search_document: ",
        query_prefix="search_query: ",
    )
    embedder = OpenAIEmbedder(config)

    [doc] = embedder.embed(["Django developer"], task="document")
    embedder.embed(["python jobs"], task="query")

    document, query = (c.body for c in openai_server.calls("embeddings"))
    assert document["input"] == ["search_document: Django developer"]
    assert query["input"] == ["search_query: python jobs"]
    assert document["dimensions"] == 256
    assert len(doc) == 256


def test_embed_retries_rate_limits(openai_server: FakeOpenAIServer) -> None:
    openai_server.enqueue_rate_limit(retry_after="0.1")

    assert len(OpenAIEmbedder(make_config(openai_server)).embed(["a"])) == 1
    assert len(openai_server.calls("embeddings")) == 2


def test_embed_empty_input_and_blank_texts(openai_server: FakeOpenAIServer) -> None:
    embedder = OpenAIEmbedder(make_config(openai_server))

    assert embedder.embed([]) == []
    with pytest.raises(ValueError, match="text 0 is empty"):
        embedder.embed(["", "fine"])
    with pytest.raises(TypeError):
        embedder.embed("a single string")  # a str is a Sequence[str] to the type checker

    with pytest.raises(ValueError, match="embed_model"):
        OpenAIEmbedder(make_config(openai_server, embed_model=""))

    assert openai_server.requests == []
