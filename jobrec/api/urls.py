"""The API's routes. Each app contributes its own ``api_urls``; this file joins them."""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api import AuthTokenCreateApi, MeApi
from jobs.api import JobDetailApi, JobListApi


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request, format: Any = None) -> Response:
    return Response(
        {
            "jobs": reverse("api:job-list", request=request, format=format),
            "me": reverse("api:me", request=request, format=format),
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
]
