"""The grant payment schedule as finance downloads it: one row per payment, as CSV or
XLSX, streamed so that 100,000 payments use bounded memory."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse

from partnership.exports import csv_response, xlsx_response

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
# Rows are fetched from the database this many at a time.
CHUNK_SIZE = 2000


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def payment_rows(payments: QuerySet[GrantPayment]) -> Iterator[list]:
    """One row per payment, in the order of ``payments`` (which must join the project,
    its lead organisation and programme, the milestone and the approver, as
    :func:`projects.selectors.payment_schedule` does): the query count stays the same
    however many rows there are."""
    for payment in payments.iterator(chunk_size=CHUNK_SIZE):
        project = payment.project
        milestone = payment.milestone
        yield [
            project.lead_organisation.name,
            project.lead_organisation.gss_code,
            project.programme.name,
            project.reference,
            project.title,
            f"{milestone.position}. {milestone.title}" if milestone else "",
            payment.due_on,
            payment.amount,
            payment.get_status_display(),
            _person(payment.approved_by),
            payment.approved_on,
            payment.paid_on,
            payment.reference,
        ]


def payment_schedule_csv(payments: QuerySet[GrantPayment], filename: str) -> HttpResponse:
    return csv_response(f"{filename}.csv", HEADER, payment_rows(payments))


def payment_schedule_xlsx(payments: QuerySet[GrantPayment], filename: str) -> HttpResponse:
    return xlsx_response(
        f"{filename}.xlsx", HEADER, payment_rows(payments), title="Grant payment schedule"
    )
