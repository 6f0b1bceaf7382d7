"""Every savings entry a reader may see, as one table: CSV or XLSX, sent at once when
small and written in the background when large (``partnership.downloads``). At
national scale it reaches a million rows, which no summary table shows."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Right, TruncDate
from django.http import Http404, QueryDict
from django.utils import timezone

from partnership.downloads import Export, described, register
from partnership.exports import choice_label
from partnership.models import Organisation, Partnership, SubRegion
from partnership.scopes import Kind, scope_of

from . import selectors
from .forms import SavingsEntryFilterForm
from .models import SavingsEntry, SavingsReturn
from .permissions import can_view_savings_record

HEADER = [
    "Organisation",
    "GSS code",
    "Project reference",
    "Programme",
    "Financial year",
    "Quarter",
    "Category",
    "Status",
    "Cashable",
    "Amount",
    "Description",
    "Return",
    "Return status",
    "Return submitted on",
    "Return certified on",
]
# Filters naming something outside the reader's scope: a refusal, not a wider table.
SCOPE_FILTERS = {"partnership", "sub_region", "council"}
TEXT = CharField()


def savings_entry_filter(user: User, data: QueryDict | None) -> SavingsEntryFilterForm:
    """The download's filters, offering the partnerships, sub-regions and councils in
    ``user``'s scope; anyone with a role who may see savings records may download."""
    if not can_view_savings_record(user):
        raise PermissionDenied
    scope = scope_of(user)
    partnerships = Partnership.objects.visible_to(user)
    councils = Organisation.objects.all()
    if not scope.is_administrator:
        councils = councils.filter(
            Q(pk__in=scope.organisation_ids(Kind.OFFICER, Kind.FINANCE))
            | Q(partnerships__in=scope.readable_partnership_ids)
        ).distinct()
    return SavingsEntryFilterForm(
        data or None,
        partnerships=partnerships,
        periods=selectors.programme_periods(partnerships=partnerships),
        sub_regions=SubRegion.objects.filter(partnership__in=partnerships.values("pk")),
        councils=councils,
    )


def savings_entries(user: User, data: QueryDict | None) -> QuerySet[SavingsEntry]:
    """The entries ``user`` may see under the filters in ``data``."""
    form = savings_entry_filter(user, data)
    if form.is_bound and not form.is_valid():
        if SCOPE_FILTERS & set(form.errors):
            raise PermissionDenied
        raise Http404("No such filter.")
    chosen = form.cleaned_data if form.is_bound else {}
    return selectors.savings_entry_list(
        user=user,
        partnership=chosen.get("partnership"),
        period=form.periods.get(chosen.get("period") or ""),
        sub_region=chosen.get("sub_region"),
        organisation=chosen.get("council"),
        financial_year=chosen.get("year"),
        quarter=chosen.get("quarter"),
        status=chosen.get("status") or None,
        counted_only=chosen.get("returns") != "all",
    )


def _year_label(field: str) -> Concat:
    """A financial year as the portal writes it (2010/11), computed by the database."""
    return Concat(
        Cast(field, TEXT), Value("/"), Right(Cast(F(field) + 1, TEXT), 2), output_field=TEXT
    )


def savings_entry_rows(entries: QuerySet[SavingsEntry]) -> QuerySet:
    """One row per entry in ``entries``' order, in ``HEADER``'s columns, computed by
    the database so that PostgreSQL can write the CSV itself with COPY."""
    return entries.values_list(
        "organisation__name",
        "organisation__gss_code",
        "project__reference",
        "programme__name",
        _year_label("financial_year"),
        "quarter",
        "category__name",
        choice_label("status", SavingsEntry.Status),
        Case(When(cashable=True, then=Value("yes")), default=Value("no"), output_field=TEXT),
        "amount",
        "description",
        Case(
            When(
                savings_return__isnull=False,
                then=Concat(
                    _year_label("savings_return__financial_year"),
                    Value(" Q"),
                    Cast("savings_return__quarter", TEXT),
                    Value(" version "),
                    Cast("savings_return__version", TEXT),
                    output_field=TEXT,
                ),
            ),
            default=Value(""),
            output_field=TEXT,
        ),
        choice_label("savings_return__status", SavingsReturn.Status),
        TruncDate("savings_return__submitted_at"),
        TruncDate("savings_return__certified_at"),
    )


SAVINGS_ENTRIES = register(
    Export(
        name="savings.entries",
        title="Savings entries",
        header=HEADER,
        rows=lambda user, filters: savings_entry_rows(savings_entries(user, filters)),
        filename=lambda: f"savings-entries-{timezone.localdate():%Y-%m-%d}",
        describe=lambda user, filters: described(savings_entry_filter(user, filters)),
    )
)
