"""Board pack pages: ask for a meeting's pack, watch it being produced, download it,
and try a failed one again. Routed by ``reports.pack_urls``."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from partnership.form_pages import button, form_page, posted
from partnership.models import Meeting
from partnership.object_pages import viewable_object_or_404
from partnership.private_files import private_file_response

from . import services
from .models import BoardPack

# Seconds between reloads of a pack's page while the pack is being produced.
REFRESH_EVERY = 5


class BoardPackRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which pack do you need?",
        choices=BoardPack.Kind.choices,
        initial=BoardPack.Kind.FULL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which pack to produce."},
    )


def _pack_or_404(request: HttpRequest, pk: int) -> BoardPack:
    return viewable_object_or_404(
        request,
        BoardPack.objects.visible_to(request.user).select_related(
            "meeting__partnership", "requested_by"
        ),
        pk=pk,
    )


@login_required
def meeting_packs(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The meeting's packs; programme managers ask for a new one here."""
    meeting = viewable_object_or_404(
        request,
        Meeting.objects.visible_to(request.user).select_related("partnership"),
        pk=meeting_pk,
    )
    if not request.user.has_perm("reports.read_boardpacks", meeting):
        raise PermissionDenied
    may_request = request.user.has_perm("reports.request_boardpack", meeting)
    if request.method == "POST" and not may_request:
        raise PermissionDenied
    form = BoardPackRequestForm(posted(request))
    packs = BoardPack.objects.visible_to(request.user).filter(meeting=meeting)
    return form_page(
        request,
        "reports/pack_list.html",
        {
            "meeting": meeting,
            "packs": packs.select_related("requested_by"),
            "form": form if may_request else None,
        },
        form,
        act=lambda data: services.board_pack_request(
            meeting=meeting, kind=data["kind"], by=request.user
        ),
        done=None,
        otherwise="kind",
    )


@login_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_or_404(request, pk)
    response = render(
        request,
        "reports/pack_detail.html",
        {
            "pack": pack,
            "refresh_every": REFRESH_EVERY,
            "may_retry": request.user.has_perm("reports.change_boardpack", pack),
        },
    )
    if not pack.is_finished:
        # Browsers reload on this header, so the page follows the job with no script.
        response.headers["Refresh"] = str(REFRESH_EVERY)
    return response


@login_required
def pack_download(request: HttpRequest, pk: int) -> FileResponse:
    pack = _pack_or_404(request, pk)
    if pack.status != BoardPack.Status.DONE:
        raise Http404("This pack is not ready.")
    return private_file_response(
        pack.file, content_type="application/pdf", filename=pack.download_name
    )


@login_required
@require_POST
def pack_retry(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_or_404(request, pk)
    if not request.user.has_perm("reports.change_boardpack", pack):
        raise PermissionDenied
    return button(
        request,
        lambda: services.board_pack_retry(pack=pack, by=request.user),
        done=None,
        refused_url=pack,
    )
