"""The grant payment schedule as finance downloads it: one row per payment, as CSV or
XLSX, sent at once when small and written in the background when large
(``partnership.downloads``)."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.http import QueryDict
from django.utils import timezone

from partnership.downloads import Export, described, register
from partnership.exports import choice_label

from . import selectors
from .forms import PaymentScheduleFilter
from .models import GrantPayment

HEADER = [
    "Accountable body",
    "GSS code",
    "Programme",
    "Project reference",
    "Project title",
    "Milestone",
    "Due date",
    "Amount",
    "Status",
    "Approved by",
    "Approved on",
    "Paid on",
    "Remittance reference",
]


def payment_schedule_filter(user: User, data: QueryDict | None) -> PaymentScheduleFilter:
    """The schedule's filters over the payments ``user`` may see; only those who
    approve or record payments work from the schedule."""
    if not user.has_perm("projects.read_payment_schedule"):
        raise PermissionDenied
    return PaymentScheduleFilter(data or None, queryset=selectors.payment_schedule(user), user=user)


def payment_schedule_rows(payments: QuerySet[GrantPayment]) -> QuerySet:
    """One row per payment in ``payments``' order, in ``HEADER``'s columns, computed
    by the database so that PostgreSQL can write the CSV itself with COPY."""
    text = CharField()
    return payments.values_list(
        "project__lead_organisation__name",
        "project__lead_organisation__gss_code",
        "project__programme__name",
        "project__reference",
        "project__title",
        Coalesce(
            Concat(Cast("milestone__position", text), Value(". "), "milestone__title"),
            Value(""),
            output_field=text,
        ),
        "due_on",
        "amount",
        choice_label("status", GrantPayment.Status),
        Coalesce(
            NullIf(
                Trim(Concat("approved_by__first_name", Value(" "), "approved_by__last_name")),
                Value(""),
            ),
            F("approved_by__username"),
            Value(""),
            output_field=text,
        ),
        "approved_on",
        "paid_on",
        "reference",
    )


PAYMENT_SCHEDULE = register(
    Export(
        name="projects.payment_schedule",
        title="Grant payment schedule",
        header=HEADER,
        rows=lambda user, filters: payment_schedule_rows(payment_schedule_filter(user, filters).qs),
        filename=lambda: f"grant-payment-schedule-{timezone.localdate():%Y-%m-%d}",
        describe=lambda user, filters: described(payment_schedule_filter(user, filters).form),
    )
)
