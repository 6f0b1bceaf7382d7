"""The public open-data pages: each partnership's published grants, and its
360Giving files. Anyone may read them, signed in or not: they hold only what the
partnership's manager chose to publish."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from partnership.models import Partnership

from . import open_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _records(request: HttpRequest, partnership: Partnership) -> list[dict]:
    source = request.build_absolute_uri(
        reverse("reports:open-data-json", kwargs={"slug": partnership.slug})
    )
    return open_data.grant_records(partnership, source)


@require_GET
def published_grants(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    return render(
        request,
        "reports/open_data_grants.html",
        {"partnership": partnership, "grants": _records(request, partnership)},
    )


def _published(slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not open_data.published_grants(partnership).exists():
        raise Http404("This partnership publishes no grants.")
    return partnership


@require_GET
def grants_json(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _published(slug)
    response = HttpResponse(
        open_data.as_json(_records(request, partnership)), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{slug}-360giving.json"'
    return response


@require_GET
def grants_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _published(slug)
    response = HttpResponse(open_data.as_xlsx(_records(request, partnership)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slug}-360giving.xlsx"'
    return response
