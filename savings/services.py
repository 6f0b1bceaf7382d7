"""Councils' savings returns: submitted as a new version of the quarter, certified
by the council's finance officer (s151 or deputy) before they count."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from partnership import financial_years
from partnership.errors import PortalError
from partnership.models import Organisation
from programmes.models import PENNY
from projects.models import Project

from .models import ForecastReturn, OtherBenefit, SavingsEntry, SavingsReturn, SavingsTarget
from .return_files import SavingsRow

Status = SavingsReturn.Status
HUNDREDTH = Decimal("0.01")


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
            SavingsReturn.LIFECYCLE.move(previous, Status.SUPERSEDED, by=by, error=SavingsError)
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
    entries = [
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
    ]
    SavingsEntry.credit_to_project_programmes(entries)
    SavingsEntry.objects.bulk_create(entries)
    return savings_return


def _decide(savings_return: SavingsReturn, status: str, by: User) -> SavingsReturn:
    """Lock the return and give it the certifier's decision."""
    savings_return = SavingsReturn.objects.select_for_update().get(pk=savings_return.pk)
    SavingsReturn.LIFECYCLE.move(savings_return, status, by=by, error=SavingsError)
    return savings_return


@transaction.atomic
def savings_return_certify(*, savings_return: SavingsReturn, by: User, comment: str = ""):
    """The finance officer signs the return off; from now on its savings count."""
    savings_return = _decide(savings_return, Status.CERTIFIED, by)
    if savings_return.submitted_by_id == by.pk:
        raise SavingsError(
            "A return is certified by someone other than the officer who submitted it."
        )
    savings_return.certified_by = by
    savings_return.certified_at = timezone.now()
    savings_return.certifier_comment = comment
    savings_return.save(
        update_fields=["status", "certified_by", "certified_at", "certifier_comment"]
    )
    return savings_return


@transaction.atomic
def savings_return_send_back(*, savings_return: SavingsReturn, comment: str, by: User):
    """The certifier asks for changes; the officer then submits a new version."""
    if not comment.strip():
        raise SavingsError("Say what needs to change.", field="comment")
    savings_return = _decide(savings_return, Status.RETURNED, by)
    savings_return.certifier_comment = comment
    savings_return.save(update_fields=["status", "certifier_comment"])
    return savings_return


@transaction.atomic
def forecast_return_record(
    *, organisation: Organisation, financial_year: int, rag: str, comment: str, returned_on, by
) -> ForecastReturn:
    """A council's RAG forecast for a future year; a later return replaces it (the
    history keeps the earlier one)."""
    if rag in ("amber", "red") and not comment.strip():
        raise SavingsError("Say what puts the savings at risk.", field="comment")
    forecast = ForecastReturn.objects.select_for_update().filter(
        organisation=organisation, financial_year=financial_year
    ).first() or ForecastReturn(organisation=organisation, financial_year=financial_year)
    forecast.rag = rag
    forecast.comment = comment
    forecast.returned_on = returned_on
    forecast._history_user = by
    forecast.save()
    return forecast


@transaction.atomic
def savings_target_set(
    *,
    organisation: Organisation,
    financial_year: int,
    basis: str,
    percentage: Decimal | None = None,
    baseline: Decimal | None = None,
    baseline_description: str = "",
    amount: Decimal | None = None,
    by: User,
) -> SavingsTarget:
    """Record a council's target for a year: a percentage of a baseline, or an amount.
    A target already set for that year is replaced (its history keeps the earlier)."""
    if not financial_years.FIRST_YEAR <= financial_year <= financial_years.LAST_YEAR:
        raise SavingsError("Choose a financial year.", field="financial_year")
    if basis == SavingsTarget.Basis.PERCENTAGE:
        if percentage is None or not 0 < percentage <= 100:
            raise SavingsError("Enter a percentage above 0 and up to 100.", field="percentage")
        if baseline is None or baseline <= 0:
            raise SavingsError(
                "Enter the baseline the percentage is of, above £0.", field="baseline"
            )
        amount = None
    elif basis == SavingsTarget.Basis.AMOUNT:
        if amount is None or amount <= 0:
            raise SavingsError("Enter a target amount above £0.", field="amount")
        percentage = baseline = None
        baseline_description = ""
    else:
        raise SavingsError("Choose a percentage of a baseline or an amount.", field="basis")
    target = SavingsTarget.objects.select_for_update().filter(
        organisation=organisation, financial_year=financial_year
    ).first() or SavingsTarget(organisation=organisation, financial_year=financial_year)
    target.basis = basis
    target.percentage = percentage if percentage is None else percentage.quantize(HUNDREDTH)
    target.baseline = baseline if baseline is None else baseline.quantize(PENNY)
    target.baseline_description = baseline_description.strip()
    target.amount = amount if amount is None else amount.quantize(PENNY)
    target._history_user = by
    target.save()
    return target


def other_benefit_record(
    *,
    project: Project,
    unit: str,
    quantity: Decimal,
    financial_year: int | None = None,
    description: str = "",
    by: User,
) -> OtherBenefit:
    """Record a project's benefit counted in its own unit (tonnes of CO2 a year,
    people trained, apprenticeship starts, homes)."""
    # Benefits are summed per unit, so "people  trained" and "people trained" must match.
    unit = " ".join(unit.split())
    if not unit:
        raise SavingsError(
            "Enter the unit the benefit is counted in, like people trained.", field="unit"
        )
    if quantity is None or quantity <= 0:
        raise SavingsError("Enter how many, above 0.", field="quantity")
    benefit = OtherBenefit(
        project=project,
        unit=unit,
        quantity=quantity,
        financial_year=financial_year,
        description=description.strip(),
    )
    benefit._history_user = by
    benefit.save()
    return benefit
