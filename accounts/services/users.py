"""Writes for users and their accounts."""

from __future__ import annotations

import logging
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User

logger = logging.getLogger(__name__)


class EmailNotVerifiedError(Exception):
    pass


def user_private_dir(*, user_id: int) -> Path:
    """Where a user's private files (resumes) live: never under a public URL."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / "users" / str(user_id)


def user_delete(*, user: User) -> None:
    """Delete a user and everything they own.

    Rows go by ``on_delete=CASCADE`` from every model a user owns; files are removed only
    once the transaction has committed, so a failed deletion never loses a file whose row
    is still there.
    """
    private_dir = user_private_dir(user_id=user.pk)
    with transaction.atomic():
        user.delete()
        transaction.on_commit(lambda: shutil.rmtree(private_dir, ignore_errors=True))
    logger.info("user deleted", extra={"user_dir": str(private_dir)})


def auth_token_issue(*, user: User) -> Token:
    """The API token of a user whose email address is verified (created on first use)."""
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise EmailNotVerifiedError("Verify your email address before using the API.")
    token, _ = Token.objects.get_or_create(user=user)
    return token


def superuser_ensure(*, email: str) -> tuple[User, str | None]:
    """Create a development superuser if none exists. Returns (user, password or None)."""
    from allauth.account.models import EmailAddress

    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(email=email, password=password)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user, password
