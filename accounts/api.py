from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import Resume, User
from accounts.selectors import resume_get, resume_list, user_email_verified
from accounts.services import EmailNotVerifiedError, auth_token_issue
from accounts.services.resumes import (
    ProfileInvalid,
    ResumeRejected,
    profile_update,
    resume_activate,
    resume_create,
    resume_delete,
    resume_rename,
)
from accounts.views import resume_file_response


class AuthTokenCreateApi(APIView):
    """Exchange email and password for an API token (``Authorization: Token <key>``)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    class TokenCreateInputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    def get_authenticate_header(self, request: Request) -> str:
        # Wrong credentials are a 401 (with a challenge), not a 403.
        return "Token"

    @extend_schema(request=TokenCreateInputSerializer, responses={201: TokenOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.TokenCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"].lower(),
            password=serializer.validated_data["password"],
        )
        if not isinstance(user, User) or not user.is_active:
            raise AuthenticationFailed("Email or password is wrong.")
        try:
            token = auth_token_issue(user=user)
        except EmailNotVerifiedError as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    """The signed-in user."""

    permission_classes = (IsAuthenticated,)

    class MeOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        email_verified = serializers.BooleanField()
        date_joined = serializers.DateTimeField()

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        data = {
            "id": user.pk,
            "email": user.email,
            "email_verified": user_email_verified(user=user),
            "date_joined": user.date_joined,
        }
        return Response(self.MeOutputSerializer(data).data)


# --- Resumes ---------------------------------------------------------------------------------


class ProfileOutputSerializer(serializers.Serializer):
    skills = serializers.ListField(child=serializers.CharField())
    extracted_skills = serializers.ListField(child=serializers.CharField())
    titles = serializers.ListField(child=serializers.CharField())
    desired_titles = serializers.ListField(child=serializers.CharField())
    years_experience = serializers.FloatField(allow_null=True)
    seniority = serializers.CharField()
    extracted_seniority = serializers.CharField()
    education = serializers.JSONField()
    remote_only = serializers.BooleanField()
    locations = serializers.ListField(child=serializers.CharField())
    salary_min = serializers.IntegerField(allow_null=True)
    excluded_companies = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class ResumeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    original_name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()
    status = serializers.CharField()
    stage = serializers.CharField()
    error = serializers.CharField()
    pages = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    parsed_at = serializers.DateTimeField(allow_null=True)
    file_url = serializers.SerializerMethodField()
    profile = serializers.SerializerMethodField()

    def get_file_url(self, resume: Resume) -> str:
        return reverse(
            "api:resume-file", kwargs={"resume_id": resume.pk}, request=self.context.get("request")
        )

    @extend_schema_field(ProfileOutputSerializer(allow_null=True))
    def get_profile(self, resume: Resume) -> dict[str, Any] | None:
        profile = getattr(resume, "profile", None)
        return dict(ProfileOutputSerializer(profile).data) if profile else None


def _resume_or_404(request: Request, resume_id: int) -> Resume:
    user = request.user
    assert isinstance(user, User)
    try:
        return resume_get(user=user, resume_id=resume_id)
    except Resume.DoesNotExist:
        raise NotFound("No such resume.") from None


class ResumeListCreateApi(APIView):
    """Your resumes. POST a file (multipart ``file``: PDF, DOCX, text or Markdown) or
    pasted ``text``; it is read in the background: poll the resume until ``status`` is
    ``ready`` (or ``failed``, with ``error`` saying why)."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    class ResumeCreateInputSerializer(serializers.Serializer):
        file = serializers.FileField(required=False)
        text = serializers.CharField(required=False, trim_whitespace=True, max_length=200_000)
        name = serializers.CharField(required=False, allow_blank=True, max_length=200)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if bool(attrs.get("file")) == bool(attrs.get("text")):
                raise serializers.ValidationError("Send either a file or text, not both.")
            return attrs

    @extend_schema(responses=ResumeOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        resumes = resume_list(user=user)
        return Response(
            ResumeOutputSerializer(resumes, many=True, context={"request": request}).data
        )

    @extend_schema(request=ResumeCreateInputSerializer, responses={202: ResumeOutputSerializer})
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        serializer = self.ResumeCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            resume = resume_create(
                user=user,
                upload=serializer.validated_data.get("file"),
                text=serializer.validated_data.get("text", ""),
                name=serializer.validated_data.get("name", ""),
            )
        except ResumeRejected as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        resume.refresh_from_db()
        data = ResumeOutputSerializer(resume, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class ResumeDetailApi(APIView):
    """One of your resumes. PATCH corrects the profile and preferences, renames it
    (``name``) or makes it the active one (``is_active: true``)."""

    class ResumeUpdateInputSerializer(serializers.Serializer):
        name = serializers.CharField(required=False, max_length=200)
        is_active = serializers.BooleanField(required=False)
        skills = serializers.ListField(child=serializers.CharField(), required=False)
        titles = serializers.ListField(child=serializers.CharField(), required=False)
        desired_titles = serializers.ListField(child=serializers.CharField(), required=False)
        seniority = serializers.CharField(required=False, allow_blank=True)
        years_experience = serializers.FloatField(required=False, allow_null=True)
        remote_only = serializers.BooleanField(required=False)
        locations = serializers.ListField(child=serializers.CharField(), required=False)
        salary_min = serializers.IntegerField(required=False, allow_null=True)
        excluded_companies = serializers.ListField(child=serializers.CharField(), required=False)

        def validate_is_active(self, value: bool) -> bool:
            if not value:
                raise serializers.ValidationError("Make another resume active instead.")
            return value

    @extend_schema(responses=ResumeOutputSerializer)
    def get(self, request: Request, resume_id: int) -> Response:
        resume = _resume_or_404(request, resume_id)
        return Response(ResumeOutputSerializer(resume, context={"request": request}).data)

    @extend_schema(request=ResumeUpdateInputSerializer, responses=ResumeOutputSerializer)
    def patch(self, request: Request, resume_id: int) -> Response:
        resume = _resume_or_404(request, resume_id)
        serializer = self.ResumeUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        name = changes.pop("name", None)
        activate = changes.pop("is_active", False)
        if changes:
            profile = getattr(resume, "profile", None)
            if profile is None:
                raise ValidationError(
                    {"detail": "The profile is not ready yet; wait until the resume is read."}
                )
            try:
                profile_update(profile=profile, changes=changes)
            except ProfileInvalid as exc:
                raise ValidationError(exc.errors) from exc
        try:
            if name is not None:
                resume_rename(resume=resume, name=name)
        except ProfileInvalid as exc:
            raise ValidationError(exc.errors) from exc
        if activate:
            resume_activate(resume=resume)
        resume = _resume_or_404(request, resume_id)
        return Response(ResumeOutputSerializer(resume, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, resume_id: int) -> Response:
        resume_delete(resume=_resume_or_404(request, resume_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResumeFileApi(APIView):
    """Download the file of one of your resumes."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, resume_id: int) -> FileResponse:
        return resume_file_response(_resume_or_404(request, resume_id))
