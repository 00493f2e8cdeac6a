"""Reads for users and their resumes.

Every resume leaves this module through ``resume_get`` or ``resume_list``, which only ever
return the asking person's own rows: another person's id is simply not found (a 404).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from accounts.models import Resume, User


def user_email_verified(*, user: User) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def resume_list(*, user: User) -> QuerySet[Resume]:
    return Resume.objects.filter(user=user).select_related("profile").order_by("-created_at")


def resume_get(*, user: User, resume_id: int) -> Resume:
    """The person's resume ``resume_id``; raises ``Resume.DoesNotExist`` for anyone else's."""
    return resume_list(user=user).get(pk=resume_id)


def resume_active(*, user: User) -> Resume | None:
    return resume_list(user=user).filter(is_active=True).first()
