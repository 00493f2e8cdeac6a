"""Writes for users, their resumes and profiles."""

from accounts.services.users import (
    EmailNotVerifiedError,
    auth_token_issue,
    superuser_ensure,
    user_delete,
    user_private_dir,
)

__all__ = [
    "EmailNotVerifiedError",
    "auth_token_issue",
    "superuser_ensure",
    "user_delete",
    "user_private_dir",
]
