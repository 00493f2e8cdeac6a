"""Users, their resumes and the profiles extracted from them."""

from accounts.models.resumes import Profile, Resume
from accounts.models.users import User, UserManager

__all__ = ["Profile", "Resume", "User", "UserManager"]
