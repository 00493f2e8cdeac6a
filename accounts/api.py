from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import user_email_verified
from accounts.services import EmailNotVerifiedError, auth_token_issue


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
