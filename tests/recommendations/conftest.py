"""Recommendation test helpers. The corpus and its fastText model are fixtures of
``tests/corpus.py`` (a plugin of the root conftest), shared with the browser tests."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.corpus import RESUMES, SHARED
from tests.fakes.gemini_server import FakeGeminiServer

__all__ = ["PYTHON_RESUME", "RESUMES", "SHARED"]

PYTHON_RESUME = """Jane Doe
Senior Backend Engineer

Summary
Backend engineer building APIs with Python and Django for eight years.

Experience
Senior Backend Engineer, Acme Corp — Jan 2019 – Present
Built REST APIs in Python, Django and PostgreSQL; deployed with Docker, Kubernetes and AWS.
Backend Developer, Widgets Ltd — Jun 2016 – Dec 2018
Python, Flask, Redis, Celery and JavaScript.

Education
BSc Computer Science, University of Leeds, 2016

Skills
Python, Django, PostgreSQL, Docker, Kubernetes, AWS, Redis, Celery, REST APIs, Git
"""


@pytest.fixture
def gemini_llm(gemini_server: FakeGeminiServer, settings: SettingsWrapper) -> FakeGeminiServer:
    """Gemini as the configured LLM, answered by the fake server on 127.0.0.1."""
    settings.LLM_PROVIDER = "gemini"
    settings.GEMINI_API_KEY = gemini_server.api_key
    settings.GEMINI_BASE_URL = gemini_server.base_url
    return gemini_server
