"""A route that fails on purpose, to check the 500 error shape end to end."""

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class BoomApi(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("secret internal detail")


urlpatterns = [
    path("api/boom/", BoomApi.as_view()),
    path("", include("jobrec.urls")),
]
