"""The one way a read-only page fetches the object it shows.

Every detail page asks the same two questions: is the object among those the user may
see (``Model.objects.visible_to(user)``, where the model has a scope), and does the
app's permission rule agree (``<app>.view_<model>``)? Asking both here keeps the pages
from drifting apart.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404


def viewable_object_or_404(
    request: HttpRequest, queryset: models.QuerySet, **lookup
) -> models.Model:
    """The object matching ``lookup`` in ``queryset``, which the caller scopes with
    ``visible_to(request.user)`` where the model offers it (404 when absent), provided
    the user holds ``<app>.view_<model>`` on it (403 otherwise)."""
    obj = get_object_or_404(queryset, **lookup)
    opts = obj._meta
    if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}", obj):
        raise PermissionDenied
    return obj


class Openable:
    """Which of the objects a page links to its reader may open, so that the page
    links only those and names the others (``{% link_if_visible %}``).

    The answer is the detail page's own first question, ``visible_to(user)``, asked
    once per model for every object of that model the page shows: a page's query
    count stays the same however many links it draws.
    """

    def __init__(self, user, objects):
        by_model: dict[type[models.Model], set[int]] = {}
        for obj in objects:
            if obj is not None:
                by_model.setdefault(type(obj), set()).add(obj.pk)
        self._visible = {
            model: set(
                model._default_manager.visible_to(user)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            for model, ids in by_model.items()
        }

    def __contains__(self, obj: models.Model) -> bool:
        return obj.pk in self._visible.get(type(obj), ())
