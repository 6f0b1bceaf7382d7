"""A council's savings records are read by its own officers and finance staff, and by
the managers, board and finance of every partnership it belongs to
(``savings.querysets.OrganisationOwnedQuerySet``)."""

from django.forms import formsets
from rest_framework import serializers as fields
from rest_framework import status
from rest_framework.exceptions import ValidationError

from partnership.api.access import PortalViewSet
from partnership.api.filters import LARGEST_ID
from partnership.api.writes import (
    bind,
    cleaned,
    form_data,
    form_errors,
    form_serializer,
    write,
)
from savings import services
from savings.forms import ReturnPeriodForm, ReturnUploadForm, SavingsRowForm, SavingsRowFormSet
from savings.models import ForecastReturn, SavingsEntry, SavingsReturn, SavingsTarget
from savings.permissions import can_change_savings_record
from savings.return_files import SavingsRow
from savings.views import council_for

from . import filters, serializers

ROWS = "rows"


def _organisation() -> fields.IntegerField:
    return fields.IntegerField(
        min_value=1, max_value=LARGEST_ID, help_text="The council whose return this is"
    )


class _Council(fields.Serializer):
    organisation = _organisation()


ReturnRows = form_serializer(
    ReturnPeriodForm,
    "SavingsReturnRows",
    leave_out=("revision",),
    organisation=_organisation(),
    rows=form_serializer(SavingsRowForm, "SavingsRow")(many=True),
)
ReturnFile = form_serializer(
    ReturnUploadForm, "SavingsReturnFile", leave_out=("revision",), organisation=_organisation()
)


class SavingsEntryViewSet(PortalViewSet):
    """Savings entries, those of returns not yet certified included (the summaries
    count only certified ones)."""

    serializer_class = serializers.SavingsEntrySerializer
    filterset_class = filters.SavingsEntryFilter
    ordering_fields = ["financial_year", "quarter", "amount"]

    def get_queryset(self):
        return SavingsEntry.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "quarter", "pk"
        )


class SavingsReturnViewSet(PortalViewSet):
    serializer_class = serializers.SavingsReturnSerializer
    filterset_class = filters.SavingsReturnFilter
    ordering_fields = ["financial_year", "quarter", "submitted_at"]

    def get_queryset(self):
        # Drafts are not yet returns: they are on their officers' pages alone.
        return (
            SavingsReturn.objects.made()
            .visible_to(self.request.user)
            .order_by("organisation", "-financial_year", "-quarter", "-version", "pk")
        )

    def _council(self, request):
        """The council named, when the user is one of its officers (as on the return
        pages): 404 for no such council, 403 for another's."""
        given = _Council(data=request.data)
        given.is_valid(raise_exception=True)
        return council_for(request, given.validated_data["organisation"], can_change_savings_record)

    def _submitted(self, request, organisation, period: dict, rows: list[SavingsRow]):
        made = services.savings_return_submit(
            organisation=organisation,
            financial_year=period["financial_year"],
            quarter=period["quarter"],
            rows=rows,
            by=request.user,
        )
        return self.answer(made, status.HTTP_201_CREATED)

    @write(
        summary="Submit the council's return for a quarter, row by row (its officers)",
        request=ReturnRows,
        response=serializers.SavingsReturnSerializer,
        status_code=status.HTTP_201_CREATED,
        detail=False,
    )
    def submit(self, request):
        organisation = self._council(request)
        period = ReturnPeriodForm(form_data(ReturnPeriodForm, request.data))
        rows = request.data.get(ROWS)
        rows = rows if isinstance(rows, list) else []
        formset = SavingsRowFormSet(_formset_data(rows), prefix=ROWS, organisation=organisation)
        # Both checked, so that every error is reported at once, as on the page.
        valid = [period.is_valid(), formset.is_valid()]
        if not all(valid):
            raise ValidationError(_row_errors(formset, period))
        return self._submitted(request, organisation, period.cleaned_data, formset.rows())

    @write(
        summary="Submit the council's return for a quarter as the filled-in CSV or XLSX "
        "template (its officers)",
        request=ReturnFile,
        response=serializers.SavingsReturnSerializer,
        status_code=status.HTTP_201_CREATED,
        detail=False,
        files=True,
    )
    def upload(self, request):
        organisation = self._council(request)
        data = cleaned(bind(ReturnUploadForm, request, organisation=organisation))
        return self._submitted(request, organisation, data, data["rows"])


class SavingsTargetViewSet(PortalViewSet):
    serializer_class = serializers.SavingsTargetSerializer
    filterset_class = filters.SavingsTargetFilter
    ordering_fields = ["financial_year"]

    def get_queryset(self):
        return SavingsTarget.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "pk"
        )


class ForecastReturnViewSet(PortalViewSet):
    serializer_class = serializers.ForecastReturnSerializer
    filterset_class = filters.ForecastReturnFilter
    ordering_fields = ["financial_year", "returned_on"]

    def get_queryset(self):
        return ForecastReturn.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "pk"
        )


def _formset_data(rows: list) -> dict:
    """The rows sent as the return page's rows would post them."""
    data = {
        f"{ROWS}-{formsets.TOTAL_FORM_COUNT}": len(rows),
        f"{ROWS}-{formsets.INITIAL_FORM_COUNT}": 0,
    }
    for number, row in enumerate(rows):
        if isinstance(row, dict):
            posted = form_data(SavingsRowForm, row)
            data |= {f"{ROWS}-{number}-{name}": posted[name] for name in posted}
    return data


def _row_errors(formset, period) -> dict:
    """The messages the return page shows, row by row, with those of the quarter."""
    errors = form_errors(period)
    if any(formset.errors):
        errors[ROWS] = [form_errors(row) for row in formset.forms]
    if formset.non_form_errors():
        errors["detail"] = " ".join(formset.non_form_errors())
    return errors
