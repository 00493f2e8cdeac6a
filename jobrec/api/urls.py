"""The API's routes. Each app contributes its own ``api_urls``; this file joins them."""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api import (
    AuthTokenCreateApi,
    MeApi,
    ResumeDetailApi,
    ResumeFileApi,
    ResumeListCreateApi,
)
from feedback.api import FeedbackCreateApi, SavedJobListApi
from jobs.api import JobDetailApi, JobListApi
from recommendations.api import RecommendationListApi


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request, format: Any = None) -> Response:
    return Response(
        {
            "jobs": reverse("api:job-list", request=request, format=format),
            "me": reverse("api:me", request=request, format=format),
            "resumes": reverse("api:resume-list", request=request, format=format),
            "recommendations": reverse("api:recommendation-list", request=request, format=format),
            "feedback": reverse("api:feedback", request=request, format=format),
            "saved-jobs": reverse("api:saved-job-list", request=request, format=format),
            "token": reverse("api:token", request=request, format=format),
            "schema": reverse("api-schema", request=request, format=format),
            "docs": reverse("api-docs", request=request, format=format),
        }
    )


app_name = "api"
urlpatterns = [
    path("auth/token/", AuthTokenCreateApi.as_view(), name="token"),
    path("me/", MeApi.as_view(), name="me"),
    path("jobs/", JobListApi.as_view(), name="job-list"),
    path("jobs/<int:job_id>/", JobDetailApi.as_view(), name="job-detail"),
    path("resumes/", ResumeListCreateApi.as_view(), name="resume-list"),
    path("resumes/<int:resume_id>/", ResumeDetailApi.as_view(), name="resume-detail"),
    path("resumes/<int:resume_id>/file/", ResumeFileApi.as_view(), name="resume-file"),
    path("recommendations/", RecommendationListApi.as_view(), name="recommendation-list"),
    path("feedback/", FeedbackCreateApi.as_view(), name="feedback"),
    path("saved-jobs/", SavedJobListApi.as_view(), name="saved-job-list"),
]
