from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.mark.django_db
def test_healthz_reports_database_and_redis_up(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client: Client, settings: SettingsWrapper) -> None:
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "unavailable", "status": "unavailable"}


@pytest.mark.django_db
def test_home_page_explains_the_product_and_links_to_signup(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Find remote jobs that fit your resume" in html
    assert 'href="/accounts/signup/"' in html
    assert 'name="viewport"' in html
    assert "htmx" in html


@pytest.mark.django_db
def test_admin_login_page_answers(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.django_db
def test_static_files_are_served(client: Client) -> None:
    response = client.get("/static/jobrec/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
