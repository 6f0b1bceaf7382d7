"""Savings pages: councils' quarterly returns (entered in the browser or uploaded)
and their sign-off (``returns``), a council's own savings page with its forecasts and
other benefits (``councils``), and the partnership's summaries, forecasts and targets
(``summaries``). What every page does the same way lives here."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from partnership.models import Organisation

from ..models import SavingsReturn

PAGE_SIZE = 25


def council_url(organisation: Organisation) -> str:
    return reverse("savings:council", kwargs={"pk": organisation.pk})


def council_for(request: HttpRequest, pk: int, rule) -> Organisation:
    """The council a page is about, when ``rule`` lets the user at its savings records
    (asked of an unsaved return of the council, as the rules take a record)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rule(request.user, SavingsReturn(organisation=organisation)):
        raise PermissionDenied
    return organisation
