"""Sign-up, email verification, login, logout, password reset/change, deletion, rate limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.services import user_private_dir
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "another long passphrase 42"


def _link_in_last_email(pattern: str) -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


@pytest.mark.django_db
def test_signup_sends_verification_and_confirming_logs_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "Ada@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="ada@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    # Not verified yet: the account area is out of reach.
    assert client.get("/account/").status_code == 302

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    confirm_path = _link_in_last_email(r"/accounts/confirm-email/[^/\s]+/")
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_signup_with_a_taken_email_reveals_nothing_and_warns_the_owner(client: Client) -> None:
    existing = UserFactory.create()
    taken = client.post(
        "/accounts/signup/",
        {"email": existing.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # Same answer as a fresh sign-up, so nobody can probe which emails have accounts ...
    assert taken.status_code == 302
    assert taken["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email=existing.email).count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    # ... and the owner is told someone tried.
    assert mail.outbox[-1].to == [existing.email]
    assert "already" in mail.outbox[-1].body


@pytest.mark.django_db
def test_signup_rejects_a_weak_password(client: Client) -> None:
    weak = client.post(
        "/accounts/signup/", {"email": "new@example.com", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 200
    assert b"too short" in weak.content
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_login_and_logout(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client: Client, user: User) -> None:
    too_many = b"Too many failed login attempts"
    answers = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).content
        for _ in range(6)
    ]
    assert [too_many in body for body in answers] == [False] * 5 + [True]
    # Locked out even with the right password until the window passes.
    final = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert final.status_code == 200
    assert too_many in final.content
    assert client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_password_reset_by_email(client: Client, user: User) -> None:
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    reset_path = _link_in_last_email(r"/accounts/password/reset/key/[^\s]+/")
    form_page = client.get(reset_path, follow=True)
    assert form_page.status_code == 200
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    done = client.post(set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change(user_client: Client, user: User) -> None:
    response = user_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_account_deletion_needs_the_password(user_client: Client, user: User) -> None:
    response = user_client.post("/account/delete/", {"password": "not mine"})
    assert response.status_code == 200
    assert b"That is not your password" in response.content
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_account_deletion_removes_everything_the_user_owns(user_client: Client, user: User) -> None:
    other = UserFactory.create()
    Token.objects.create(user=user)
    Token.objects.create(user=other)
    own_dir, other_dir = user_private_dir(user_id=user.pk), user_private_dir(user_id=other.pk)
    for folder in (own_dir, other_dir):
        folder.mkdir(parents=True)
        (folder / "resume.pdf").write_bytes(b"%PDF-1.4")

    response = user_client.post("/account/delete/", {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert b"have been deleted" in response.content
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(user_id=user.pk).exists()
    assert not Token.objects.filter(user_id=user.pk).exists()
    assert not Path(own_dir).exists()
    # Nobody else's data is touched.
    assert User.objects.filter(pk=other.pk).exists()
    assert Token.objects.filter(user=other).exists()
    assert (other_dir / "resume.pdf").exists()
    # And the session is gone.
    assert user_client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_account_pages_require_login(client: Client) -> None:
    for path in ("/account/", "/account/delete/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
