from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination that lets clients ask for smaller or larger pages, bounded."""

    page_size_query_param = "page_size"
    max_page_size = 100
