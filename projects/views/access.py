"""What every project page asks first: may this user see the object, and may they
do what the page offers?

Every view fetches its object among those the user may see (404 otherwise), checks
the rule for what the user asks to do (403 otherwise), and then acts through
partnership.form_pages: one service fed by a valid form, or one button.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from partnership.object_pages import viewable_object_or_404
from projects.models import Project
from projects.permissions import can_manage_delivery

# Every child page shows where it sits: the project, its lead and its programme.
OF_PROJECT = ("project__programme__partnership", "project__lead_organisation")
PAGE_SIZE = 25


def fetch_or_404(
    request: HttpRequest, queryset: QuerySet, pk: int, allowed: Callable | None = None
):
    """The object the user may see (404 otherwise), provided ``allowed(user, obj)``
    agrees when given (403 otherwise)."""
    obj = viewable_object_or_404(request, queryset.visible_to(request.user), pk=pk)
    if allowed is not None and not allowed(request.user, obj):
        raise PermissionDenied
    return obj


def project_or_404(request: HttpRequest, pk: int, allowed: Callable | None = None) -> Project:
    return fetch_or_404(
        request,
        Project.objects.select_related("programme__partnership", "lead_organisation"),
        pk,
        allowed,
    )


def of_project(allowed: Callable) -> Callable:
    """A rule about the project, asked of one of its records."""
    return lambda user, obj: allowed(user, obj.project)


def require_manager(request: HttpRequest) -> None:
    """Pages for programme managers across their partnerships' projects."""
    if not can_manage_delivery(request.user):
        raise PermissionDenied
