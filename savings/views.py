"""Read-only pages for councils' savings returns."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.object_pages import viewable_object_or_404

from . import selectors
from .models import SavingsReturn


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    savings_return = viewable_object_or_404(
        request,
        SavingsReturn.objects.visible_to(request.user).select_related("organisation"),
        pk=pk,
    )
    return render(
        request,
        "savings/savingsreturn_detail.html",
        {
            "savings_return": savings_return,
            "entries": selectors.savings_return_entries(savings_return),
        },
    )
