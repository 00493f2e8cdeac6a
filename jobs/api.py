from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobrec.api.pagination import CappedPageNumberPagination
from jobrec.cache import cached
from jobs.cache import DETAIL_TIMEOUT_S, LISTING_TIMEOUT_S, job_detail_key, listing_key
from jobs.models import Job
from jobs.selectors import JobFilters, job_get, job_list
from jobs.serializers import JobDetailSerializer, JobFilterSerializer, JobListItemSerializer

# Only the first pages of a listing are cached: they take nearly all the traffic.
CACHED_PAGES = 3


class JobListApi(APIView):
    """Search visible job postings: full text, filters, sorting, pagination."""

    permission_classes = (AllowAny,)

    @extend_schema(
        parameters=[
            JobFilterSerializer,
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=JobListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = JobFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = JobFilters(**params.validated_data)
        paginator = CappedPageNumberPagination()

        def page() -> dict[str, Any]:
            jobs = paginator.paginate_queryset(job_list(filters=filters), request, view=self)
            data = JobListItemSerializer(jobs, many=True, context={"request": request}).data
            return dict(paginator.get_paginated_response(data).data)

        page_number = request.query_params.get("page", "1")
        if page_number in {str(n) for n in range(1, CACHED_PAGES + 1)}:
            key = listing_key(
                kind="api",
                params={
                    **filters.cache_params(),
                    "page": page_number,
                    "page_size": request.query_params.get("page_size", ""),
                    # next/previous links are absolute.
                    "host": request.get_host(),
                },
            )
            return Response(
                cached(name="job_list", key=key, timeout=LISTING_TIMEOUT_S, compute=page)
            )
        return Response(page())


class JobDetailApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(responses=JobDetailSerializer)
    def get(self, request: Request, job_id: int) -> Response:
        def detail() -> dict[str, Any]:
            job = job_get(job_id=job_id)
            return dict(JobDetailSerializer(job).data)

        try:
            data = cached(
                name="job_detail",
                key=job_detail_key(job_id),
                timeout=DETAIL_TIMEOUT_S,
                compute=detail,
            )
        except Job.DoesNotExist:
            raise NotFound("No such job.") from None
        return Response(data)
