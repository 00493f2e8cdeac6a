"""The recommendation list as it is drawn: each job is a card of its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from jobs.models import Job
from tests.recommendations.test_pages import signed_in_with_resume


def _stylesheet(client: Client) -> str:
    response = client.get("/static/jobrec/site.css")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_each_recommendation_is_drawn_as_a_bordered_card(
    corpus: list[Job], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # The cards once used a class the stylesheet did not define: twenty jobs ran together
    # with nothing between them.
    _, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    html = client.get("/recommendations/").content.decode()
    classes = set(re.findall(r'<article class="([^"]*)"', html))
    assert classes
    css = _stylesheet(client)
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    for class_attr in classes:
        names = set(class_attr.split())
        styled = [
            body
            for selectors, body in rules
            if any(s.strip() in {f".{n}" for n in names} for s in selectors.split(","))
        ]
        assert any("border:" in body and "background:" in body for body in styled), class_attr
