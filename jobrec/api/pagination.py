from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.response import Response

# Beyond this many matches nobody pages on; counting them all costs a scan of every match.
COUNT_CAP = 1000


class CappedCountPaginator(Paginator):
    """A paginator that counts at most ``COUNT_CAP + 1`` rows of a queryset (other
    sequences count themselves).

    ``count`` is exact up to the cap; ``count_capped`` says when there are more.
    """

    @cached_property
    def count(self) -> int:
        # No ORDER BY: ranking every match just to count them is what the cap avoids.
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            # Results that count themselves (text search: jobs.selectors.JobSearchResults),
            # already capped.
            return len(rows)
        return len(rows.order_by()[: COUNT_CAP + 1].values_list("pk", flat=True))

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_CAP


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination that lets clients ask for smaller or larger pages, bounded."""

    page_size_query_param = "page_size"
    max_page_size = 100


class CappedPageNumberPagination(PageNumberPagination):
    """For search results: ``count`` stops at 1,000 and ``count_capped`` says so."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        assert isinstance(paginator, CappedCountPaginator)
        return Response(
            {
                "count": min(paginator.count, COUNT_CAP),
                "count_capped": paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {"type": "boolean"}
        return response
