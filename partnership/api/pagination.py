from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Pages of 50 rows by default, up to 200 at the client's asking: each page costs
    one count and one query per relation whatever its size."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
