"""Cutting a list into pages, the same way on every list page: the page number comes
from the query string (``?page=`` unless a page shows two lists), and a missing or bad
number shows the first or last page rather than an error. The GOV.UK pagination
component that links the pages is templates/includes/pagination.html."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, rows, *, per_page: int, param: str = "page") -> Page:
    return Paginator(rows, per_page).get_page(request.GET.get(param))
