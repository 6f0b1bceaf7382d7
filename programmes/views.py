"""Read-only pages for programmes and their budget lines."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.object_pages import viewable_object_or_404
from partnership.page_cache import kept_until_records_change
from partnership.pagination import page_of

from . import selectors
from .models import BudgetLine, LedgerEntry, Programme

LEDGER_PAGE_SIZE = 50


@login_required
@kept_until_records_change
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = viewable_object_or_404(
        request,
        Programme.objects.visible_to(request.user).select_related("partnership", "sub_region"),
        pk=pk,
    )
    # Asked of an unsaved entry of this programme: may the user read its ledger?
    may_read_ledger = request.user.has_perm(
        "programmes.view_ledgerentry", LedgerEntry(programme=programme)
    )
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "overview": selectors.programme_overview(programme, user=request.user),
            # Hundreds of entries a year at national scale: a page at a time.
            "ledger": (
                page_of(
                    request,
                    selectors.programme_ledger(programme, user=request.user),
                    per_page=LEDGER_PAGE_SIZE,
                    param="ledger",
                )
                if may_read_ledger
                else None
            ),
        },
    )


@login_required
def budget_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget_line = viewable_object_or_404(
        request,
        BudgetLine.objects.visible_to(request.user).select_related("programme__partnership"),
        pk=pk,
    )
    return render(
        request,
        "programmes/budgetline_detail.html",
        {
            "budget_line": budget_line,
            "overview": selectors.budget_line_overview(budget_line, user=request.user),
        },
    )
