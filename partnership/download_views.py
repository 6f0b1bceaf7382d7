"""A person's downloads: the list of files they asked for, each one's progress page,
the file itself and a retry. Routed by ``partnership.download_urls``."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from . import downloads
from .exports import CSV_TYPE, XLSX_TYPE
from .form_pages import button
from .models import Download
from .object_pages import viewable_object_or_404
from .pagination import page_of
from .private_files import private_file_response

# Seconds between reloads of a download's page while its file is being written.
REFRESH_EVERY = 3
CONTENT_TYPES = {Download.Format.CSV: CSV_TYPE, Download.Format.XLSX: XLSX_TYPE}


def _download_or_404(request: HttpRequest, pk: int) -> Download:
    return viewable_object_or_404(request, Download.objects.visible_to(request.user), pk=pk)


@login_required
def download_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnership/download_list.html",
        {"page": page_of(request, Download.objects.visible_to(request.user), per_page=25)},
    )


@login_required
def download_detail(request: HttpRequest, pk: int) -> HttpResponse:
    download = _download_or_404(request, pk)
    response = render(
        request,
        "partnership/download_detail.html",
        {"download": download, "refresh_every": REFRESH_EVERY},
    )
    if not download.is_finished:
        # Browsers reload on this header, so the page follows the job with no script.
        response.headers["Refresh"] = str(REFRESH_EVERY)
    return response


@login_required
def download_file(request: HttpRequest, pk: int) -> FileResponse:
    download = _download_or_404(request, pk)
    if download.status != Download.Status.DONE:
        raise Http404("This file is not ready.")
    return private_file_response(download.file, content_type=CONTENT_TYPES[download.file_format])


@login_required
@require_POST
def download_retry(request: HttpRequest, pk: int) -> HttpResponse:
    download = _download_or_404(request, pk)
    return button(
        request,
        lambda: downloads.download_retry(download=download, by=request.user),
        done=None,
        refused_url=download,
    )
