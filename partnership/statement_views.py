"""The accessibility statement and the privacy notice: linked from the footer of every
page, and read without signing in, by anyone deciding whether to use the portal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Partnership


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/accessibility_statement.html")


def privacy_notice(request: HttpRequest) -> HttpResponse:
    # The partnerships are the controllers of the data they hold here.
    partnerships = Partnership.objects.only("name", "short_name")
    return render(request, "partnership/privacy_notice.html", {"partnerships": partnerships})
