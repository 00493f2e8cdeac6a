from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Profile, User
from jobs.models import Seniority


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Deleting your account removes your resumes, profile, ratings and saved jobs.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class ResumeUploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Resume file",
        help_text="PDF, Word (DOCX), plain text or Markdown; at most 5 MB and 20 pages.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.txt,.md,application/pdf,text/plain,text/markdown"}
        ),
    )
    text = forms.CharField(
        required=False,
        label="…or paste your resume",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=200_000,
    )
    name = forms.CharField(required=False, max_length=200, label="Name (optional)")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("file")) == bool((cleaned.get("text") or "").strip()):
            raise forms.ValidationError("Choose a file or paste your resume's text (not both).")
        return cleaned


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


class ProfileForm(forms.Form):
    """The profile as a person corrects it. Lists are comma-separated; the service
    validates and canonicalises them (and says which skill it does not know)."""

    skills = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Comma-separated, e.g. Python, Django, PostgreSQL",
    )
    titles = forms.CharField(required=False, label="Titles you held")
    desired_titles = forms.CharField(required=False, label="Titles you want")
    seniority = forms.ChoiceField(
        required=False,
        choices=[("", "Unknown"), *Seniority.choices],
    )
    years_experience = forms.FloatField(required=False, min_value=0, max_value=60)
    remote_only = forms.BooleanField(required=False, label="Remote jobs only")
    locations = forms.CharField(required=False, help_text="Comma-separated, e.g. Europe, Berlin")
    salary_min = forms.IntegerField(required=False, min_value=0, label="Minimum yearly salary")
    excluded_companies = forms.CharField(required=False, label="Companies to leave out")

    LIST_FIELDS = ("skills", "titles", "desired_titles", "locations", "excluded_companies")

    @classmethod
    def initial_for(cls, profile: Profile) -> dict[str, Any]:
        return {
            **{name: ", ".join(getattr(profile, name)) for name in cls.LIST_FIELDS},
            "seniority": profile.seniority,
            "years_experience": profile.years_experience,
            "remote_only": profile.remote_only,
            "salary_min": profile.salary_min,
        }

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in self.LIST_FIELDS:
            data[name] = _split(data.get(name) or "")
        return data
