"""One JSON error shape for every API error.

``{"error": {"status": 404, "code": "not_found", "message": "...", "details": {...}}}``:
validation errors carry the per-field messages in ``details``; 401, 403, 404, 405, 429 and 500
carry the same envelope, so clients handle every failure with one code path.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def error_body(*, status_code: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status_code,
            "code": code,
            "message": message,
            "details": details if details is not None else {},
        }
    }


def _message_and_details(exc: exceptions.APIException) -> tuple[str, Any]:
    detail = exc.detail
    if isinstance(detail, dict | list):
        return "Invalid input." if isinstance(exc, exceptions.ValidationError) else str(
            exc.default_detail
        ), detail
    return str(detail), {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected exception: log it with its traceback, show nothing internal.
        logger.exception("unhandled API error", exc_info=exc)
        return Response(
            error_body(status_code=500, code="server_error", message="Internal server error."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    message, details = _message_and_details(exc)
    response.data = error_body(
        status_code=response.status_code, code=str(code), message=message, details=details
    )
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 for /api/ paths that match no route (outside DRF, so its handler never runs)."""
    return JsonResponse(
        error_body(status_code=404, code="not_found", message="Not found."), status=404
    )


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body(status_code=500, code="server_error", message="Internal server error."),
        status=500,
    )
