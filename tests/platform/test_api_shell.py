"""The API shell: browsable API, schema and docs, token auth, and one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from accounts.models import User
from tests.factories import PASSWORD, UserFactory


def assert_error(body: dict[str, Any], *, status: int, code: str) -> None:
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


@pytest.mark.django_db
def test_browsable_api_root_schema_and_docs_answer(client: Client) -> None:
    root = client.get("/api/", HTTP_ACCEPT="text/html")
    assert root.status_code == 200
    assert b"Api Root" in root.content or b"api" in root.content.lower()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/auth/token/" in paths
    assert "/api/me/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.mark.django_db
def test_unauthenticated_request_gets_401_in_the_error_shape() -> None:
    response = APIClient().get("/api/me/")
    assert response.status_code == 401
    assert_error(response.json(), status=401, code="not_authenticated")


@pytest.mark.django_db
def test_unknown_api_path_gets_404_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert_error(response.json(), status=404, code="not_found")


@pytest.mark.django_db
def test_wrong_method_gets_405_in_the_error_shape(user: User) -> None:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post("/api/me/")
    assert response.status_code == 405
    assert_error(response.json(), status=405, code="method_not_allowed")


@pytest.mark.django_db
def test_validation_error_lists_fields_in_details() -> None:
    response = APIClient().post("/api/auth/token/", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error(body, status=400, code="invalid")
    assert set(body["error"]["details"]) == {"email", "password"}


@pytest.mark.django_db
def test_token_flow_gives_a_token_that_authenticates(user: User) -> None:
    api = APIClient()
    response = api.post("/api/auth/token/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["email_verified"] is True


@pytest.mark.django_db
def test_wrong_password_is_401_and_unverified_email_is_403() -> None:
    verified = UserFactory.create()
    wrong = APIClient().post("/api/auth/token/", {"email": verified.email, "password": "nope"})
    assert wrong.status_code == 401
    assert_error(wrong.json(), status=401, code="authentication_failed")

    unverified = UserFactory.create(verified=False)
    response = APIClient().post(
        "/api/auth/token/", {"email": unverified.email, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert_error(response.json(), status=403, code="permission_denied")
    assert "Verify your email" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_throttling_gives_429_in_the_error_shape(
    monkeypatch: pytest.MonkeyPatch, user: User
) -> None:
    # DRF binds the rates to the class when it is imported, so lower them there.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    api = APIClient()
    api.force_authenticate(user)
    statuses = [api.get("/api/me/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/me/")
    assert_error(response.json(), status=429, code="throttled")
    assert "Retry-After" in response


@pytest.mark.django_db
@pytest.mark.urls("tests.platform.urls_boom")
def test_unexpected_exception_gets_500_in_the_error_shape(user: User) -> None:
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(user)
    response = api.get("/api/boom/")
    assert response.status_code == 500
    assert_error(response.json(), status=500, code="server_error")
    assert "RuntimeError" not in response.content.decode()


def test_json_is_written_as_drf_wrote_it() -> None:
    import datetime as dt
    import uuid
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from rest_framework.exceptions import ErrorDetail
    from rest_framework.renderers import JSONRenderer as DRFRenderer

    from jobrec.api.renderers import JSONRenderer

    data = {
        "at": dt.datetime(2026, 12, 3, 18, 27, 22, 665432, tzinfo=dt.UTC),
        "day": dt.date(2026, 12, 3),
        "naive": dt.datetime(2026, 12, 3, 18, 27),
        "money": Decimal("12.50"),
        "id": uuid.UUID(int=7),
        "lazy": gettext_lazy("This field is required."),
        "errors": {"skills": {0: [ErrorDetail("Not a valid string.", code="invalid")]}},
        "scores": [0.1, 0.8734, 1.0, 0, -3],
        "text": "Zürich — 東京",
        "nothing": None,
        "flags": (True, False),
    }
    assert JSONRenderer().render(data) == DRFRenderer().render(data)
    assert JSONRenderer.charset is DRFRenderer.charset is None
    assert b'"at":"2026-12-03T18:27:22.665432Z"' in JSONRenderer().render(data)


@pytest.mark.django_db
def test_api_responses_are_json_without_a_charset(user: User) -> None:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["email"] == user.email
