"""Councils' savings returns: submitted as a new version of the quarter, certified
by the council's finance officer (s151 or deputy) before they count."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from partnership.errors import PortalError
from partnership.models import Organisation

from .models import ForecastReturn, SavingsEntry, SavingsReturn
from .return_files import SavingsRow

Status = SavingsReturn.Status


class SavingsError(PortalError):
    pass


@transaction.atomic
def savings_return_submit(
    *,
    organisation: Organisation,
    financial_year: int,
    quarter: int,
    rows: list[SavingsRow],
    by: User,
) -> SavingsReturn:
    """Submit the council's return for a quarter. Any earlier return for the quarter
    is kept, marked superseded; the new one waits for sign-off."""
    if not 1 <= quarter <= 4:
        raise SavingsError("A financial quarter is 1, 2, 3 or 4.", field="quarter")
    if not rows:
        raise SavingsError("A return needs at least one row of savings.")
    if any(row.organisation_id != organisation.pk for row in rows):
        raise SavingsError(f"Every row must be a saving of {organisation}.")
    earlier = list(
        SavingsReturn.objects.select_for_update().filter(
            organisation=organisation, financial_year=financial_year, quarter=quarter
        )
    )
    latest_version = max((r.version for r in earlier), default=0)
    for previous in earlier:
        if previous.status != Status.SUPERSEDED:
            previous.status = Status.SUPERSEDED
            previous._history_user = by
            previous.save(update_fields=["status"])
    savings_return = SavingsReturn.objects.create(
        organisation=organisation,
        financial_year=financial_year,
        quarter=quarter,
        version=latest_version + 1,
        status=Status.AWAITING_SIGN_OFF,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    SavingsEntry.objects.bulk_create(
        SavingsEntry(
            savings_return=savings_return,
            organisation_id=row.organisation_id,
            project_id=row.project_id,
            category_id=row.category_id,
            financial_year=row.financial_year,
            quarter=row.quarter,
            cashable=row.cashable,
            status=row.status,
            amount=row.amount,
            description=row.description,
        )
        for row in rows
    )
    return savings_return


def _awaiting(savings_return: SavingsReturn) -> SavingsReturn:
    savings_return = SavingsReturn.objects.select_for_update().get(pk=savings_return.pk)
    if savings_return.status != Status.AWAITING_SIGN_OFF:
        raise SavingsError(
            f"This return is {savings_return.get_status_display().lower()}, not awaiting sign-off."
        )
    return savings_return


@transaction.atomic
def savings_return_certify(*, savings_return: SavingsReturn, by: User, comment: str = ""):
    """The finance officer signs the return off; from now on its savings count."""
    savings_return = _awaiting(savings_return)
    if savings_return.submitted_by_id == by.pk:
        raise SavingsError(
            "A return is certified by someone other than the officer who submitted it."
        )
    savings_return.status = Status.CERTIFIED
    savings_return.certified_by = by
    savings_return.certified_at = timezone.now()
    savings_return.certifier_comment = comment
    savings_return._history_user = by
    savings_return.save(
        update_fields=["status", "certified_by", "certified_at", "certifier_comment"]
    )
    return savings_return


@transaction.atomic
def savings_return_send_back(*, savings_return: SavingsReturn, comment: str, by: User):
    """The certifier asks for changes; the officer then submits a new version."""
    if not comment.strip():
        raise SavingsError("Say what needs to change.", field="comment")
    savings_return = _awaiting(savings_return)
    savings_return.status = Status.RETURNED
    savings_return.certifier_comment = comment
    savings_return._history_user = by
    savings_return.save(update_fields=["status", "certifier_comment"])
    return savings_return


def forecast_return_record(
    *, organisation: Organisation, financial_year: int, rag: str, comment: str, returned_on, by
) -> ForecastReturn:
    """A council's RAG forecast for a future year; a later return replaces it (the
    history keeps the earlier one)."""
    if rag in ("amber", "red") and not comment.strip():
        raise SavingsError("Say what puts the savings at risk.", field="comment")
    forecast, _ = ForecastReturn.objects.update_or_create(
        organisation=organisation,
        financial_year=financial_year,
        defaults={"rag": rag, "comment": comment, "returned_on": returned_on},
    )
    return forecast
