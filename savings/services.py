"""Councils' savings returns: submitted as a new version of the quarter, certified
by the council's finance officer (s151 or deputy) before they count."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from partnership import financial_years
from partnership.errors import PortalError
from partnership.models import Notification, Organisation, Partnership
from partnership.notifications import notify
from programmes.models import PENNY
from projects.models import Project, Rag

from .models import (
    Agreement,
    ForecastReturn,
    OtherBenefit,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
    SavingsTotal,
)
from .permissions import can_change_savings_record
from .recipients import return_decided_recipients, return_submitted_recipients
from .return_files import SavingsRow

Status = SavingsReturn.Status
HUNDREDTH = Decimal("0.01")


class SavingsError(PortalError):
    pass


# The savings totals -------------------------------------------------------------------

_GRAIN_COLUMNS = [SavingsTotal._meta.get_field(name).column for name in SavingsTotal.GRAIN]


def _grouped_by_grain(entries: QuerySet[SavingsEntry]) -> QuerySet:
    """``entries`` summed per row of the totals: the grain's columns, the sum, the count."""
    return (
        entries.order_by()
        .values_list(*_GRAIN_COLUMNS)
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by(*_GRAIN_COLUMNS)
    )


def _upsert_totals(rows: list[tuple], *, programme_null: bool) -> None:
    """Add each row's sum and count to its total, making the total if there is none.
    One statement per partial unique constraint; rows in key order, so that two
    transactions lock the totals they share in the same order."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(SavingsTotal._meta.db_table)
    columns = [*_GRAIN_COLUMNS, "amount", "entry_count"]
    keys = [
        column for column in _GRAIN_COLUMNS if not (programme_null and column == "programme_id")
    ]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES {placeholders} "
            f"ON CONFLICT ({', '.join(map(quote, keys))}) "
            f"WHERE {quote('programme_id')} IS {'' if programme_null else 'NOT '}NULL "
            f"DO UPDATE SET amount = {table}.amount + excluded.amount, "
            f"entry_count = {table}.entry_count + excluded.entry_count",
            [value for row in rows for value in row],
        )


def savings_totals_add(entries: QuerySet[SavingsEntry], *, sign: int = 1) -> None:
    """Add ``entries`` to the savings totals (``sign=-1``: take them away), in the
    caller's transaction. The caller passes entries that have just started to count
    (a certified return's) or are about to stop (a superseded certified return's); a
    total left with no entries is deleted. Concurrent calls add up: each total is
    changed by one upsert that locks its row, never read and written back."""
    rows = [(*key, sign * total, sign * count) for *key, total, count in _grouped_by_grain(entries)]
    programme_at = _GRAIN_COLUMNS.index("programme_id")
    _upsert_totals([row for row in rows if row[programme_at] is not None], programme_null=False)
    _upsert_totals([row for row in rows if row[programme_at] is None], programme_null=True)
    if sign < 0 and rows:
        SavingsTotal.objects.filter(
            organisation_id__in={row[0] for row in rows}, entry_count=0
        ).delete()


@transaction.atomic
def savings_totals_rebuild() -> int:
    """Recompute every savings total from the entries that count, and return how many
    totals there are. The bulk loaders call it after writing entries past the
    services; an administrator runs it with ``manage.py rebuild_savings_totals``.
    On PostgreSQL the totals are locked against writers (not readers) meanwhile, so a
    certification waits and then adds to the rebuilt totals."""
    quote = connection.ops.quote_name
    table = quote(SavingsTotal._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        select, params = _grouped_by_grain(SavingsEntry.objects.counted()).query.sql_with_params()
        columns = ", ".join(map(quote, [*_GRAIN_COLUMNS, "amount", "entry_count"]))
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
    return SavingsTotal.objects.count()


def _check_rows(*, organisation: Organisation, quarter: int, rows: list[SavingsRow]) -> None:
    """What a draft and a submitted return must both be: for a quarter, with rows of
    the council's own savings."""
    if not 1 <= quarter <= 4:
        raise SavingsError("A financial quarter is 1, 2, 3 or 4.", field="quarter")
    if not rows:
        raise SavingsError("A return needs at least one row of savings.")
    if any(row.organisation_id != organisation.pk for row in rows):
        raise SavingsError(f"Every row must be a saving of {organisation}.")


def _refuse_another_councils_officer(organisation: Organisation, by: User) -> None:
    if not can_change_savings_record(by, SavingsReturn(organisation=organisation)):
        raise SavingsError(f"Only {organisation}'s officers make its savings returns.")


_STALE_DRAFT = (
    "This draft was saved since you opened it, perhaps in another tab. Open the draft "
    "again to see what was saved, then make your changes again."
)


def _locked_draft(organisation: Organisation, financial_year: int, quarter: int):
    return (
        SavingsReturn.objects.drafts()
        .select_for_update()
        .filter(organisation=organisation, financial_year=financial_year, quarter=quarter)
        .first()
    )


@transaction.atomic
def savings_return_save_draft(
    *,
    organisation: Organisation,
    financial_year: int,
    quarter: int,
    rows: list[SavingsRow],
    source: str,
    revision: int | None,
    by: User,
) -> SavingsReturn:
    """Save the council's draft return for a quarter, to be carried on with or
    submitted later; a draft counts in no figure. ``revision`` is the draft's when
    the officer's page was drawn (None when there was no draft): if the draft was
    saved since, in another tab or by a colleague, the save is refused rather than
    overwriting it."""
    _refuse_another_councils_officer(organisation, by)
    _check_rows(organisation=organisation, quarter=quarter, rows=rows)
    draft = _locked_draft(organisation, financial_year, quarter)
    if draft is None:
        draft = SavingsReturn(
            organisation=organisation,
            financial_year=financial_year,
            quarter=quarter,
            version=0,
            status=Status.DRAFT,
        )
    elif draft.revision != revision:
        raise SavingsError(_STALE_DRAFT)
    draft.draft = {"source": source, "rows": [row.as_json() for row in rows]}
    draft.revision += 1
    draft._history_user = by
    draft.save()
    return draft


@transaction.atomic
def savings_return_discard_draft(*, draft: SavingsReturn, by: User) -> None:
    """Delete a draft return, which never counted (its history keeps it)."""
    _refuse_another_councils_officer(draft.organisation, by)
    draft = SavingsReturn.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Status.DRAFT:
        raise SavingsError("This return was submitted: it is no longer a draft.")
    draft._history_user = by
    draft.delete()


@transaction.atomic
def savings_return_submit(
    *,
    organisation: Organisation,
    financial_year: int,
    quarter: int,
    rows: list[SavingsRow],
    by: User,
    draft_revision: int | None = None,
) -> SavingsReturn:
    """Submit the council's return for a quarter. Any earlier return for the quarter
    is kept, marked superseded; the new one waits for sign-off. A certified return
    superseded stops counting, so its entries leave the savings totals.

    The quarter's draft, if there is one, becomes the return. ``draft_revision`` is
    the draft the officer checked: if it was saved or discarded since, the
    submission is refused, so that what is submitted is what was checked."""
    _check_rows(organisation=organisation, quarter=quarter, rows=rows)
    draft = _locked_draft(organisation, financial_year, quarter)
    if draft_revision is not None and (draft is None or draft.revision != draft_revision):
        raise SavingsError(_STALE_DRAFT)
    earlier = list(
        SavingsReturn.objects.made()
        .select_for_update()
        .filter(organisation=organisation, financial_year=financial_year, quarter=quarter)
    )
    latest_version = max((r.version for r in earlier), default=0)
    for previous in earlier:
        if previous.status != Status.SUPERSEDED:
            counted = previous.status == Status.CERTIFIED
            SavingsReturn.LIFECYCLE.move(previous, Status.SUPERSEDED, by=by, error=SavingsError)
            previous.save(update_fields=["status"])
            if counted:
                savings_totals_add(previous.entries.all(), sign=-1)
    savings_return = draft or SavingsReturn(
        organisation=organisation,
        financial_year=financial_year,
        quarter=quarter,
        status=Status.DRAFT,
    )
    SavingsReturn.LIFECYCLE.move(
        savings_return, Status.AWAITING_SIGN_OFF, by=by, error=SavingsError
    )
    savings_return.version = latest_version + 1
    savings_return.draft = None
    savings_return.submitted_by = by
    savings_return.submitted_at = timezone.now()
    savings_return.save()
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
    notify(
        event=Notification.Event.RETURN_SUBMITTED,
        obj=savings_return,
        subject=str(savings_return),
        recipients=return_submitted_recipients(savings_return),
        by=by,
    )
    return savings_return


def _decide(savings_return: SavingsReturn, status: str, by: User) -> SavingsReturn:
    """Lock the return and give it the certifier's decision."""
    savings_return = SavingsReturn.objects.select_for_update().get(pk=savings_return.pk)
    SavingsReturn.LIFECYCLE.move(savings_return, status, by=by, error=SavingsError)
    return savings_return


@transaction.atomic
def savings_return_certify(*, savings_return: SavingsReturn, by: User, comment: str = ""):
    """The finance officer signs the return off; from now on its savings count, and
    are added to the savings totals."""
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
    savings_totals_add(savings_return.entries.all())
    _notify_decided(savings_return, Notification.Event.RETURN_CERTIFIED, by)
    return savings_return


@transaction.atomic
def savings_return_send_back(*, savings_return: SavingsReturn, comment: str, by: User):
    """The certifier asks for changes; the officer then submits a new version. Only a
    return awaiting sign-off is sent back, and its savings never counted, so the
    savings totals stay as they were."""
    if not comment.strip():
        raise SavingsError("Say what needs to change.", field="comment")
    savings_return = _decide(savings_return, Status.RETURNED, by)
    savings_return.certifier_comment = comment
    savings_return.returned_by = by
    savings_return.returned_at = timezone.now()
    savings_return.save(update_fields=["status", "certifier_comment", "returned_by", "returned_at"])
    _notify_decided(savings_return, Notification.Event.RETURN_SENT_BACK, by)
    return savings_return


def _notify_decided(savings_return: SavingsReturn, event: str, by: User) -> None:
    notify(
        event=event,
        obj=savings_return,
        subject=str(savings_return),
        recipients=return_decided_recipients(savings_return),
        by=by,
    )


def _refuse_a_returns_entry(entry: SavingsEntry) -> None:
    if entry.savings_return_id is not None:
        raise SavingsError("A return's saving is corrected by a new version of the return.")


def _take_typed_entry_out(entry: SavingsEntry) -> None:
    """Lock a saving typed outside any return, as stored, and take it out of the
    totals. Locked by its own query: FOR UPDATE cannot go with the sum."""
    stored = SavingsEntry.objects.select_for_update().get(pk=entry.pk)
    _refuse_a_returns_entry(entry)
    _refuse_a_returns_entry(stored)
    savings_totals_add(SavingsEntry.objects.counted().filter(pk=entry.pk), sign=-1)


@transaction.atomic
def savings_entry_save(*, entry: SavingsEntry, by: User) -> SavingsEntry:
    """Record a saving typed outside any return (a programme's reported totals), or a
    correction of one; the savings totals move from what it was to what it is. A
    return's savings are corrected by a new version of the return instead."""
    if entry.pk is None:
        _refuse_a_returns_entry(entry)
    else:
        _take_typed_entry_out(entry)
    SavingsEntry.credit_to_project_programmes([entry])
    entry._history_user = by
    entry.save()
    savings_totals_add(SavingsEntry.objects.counted().filter(pk=entry.pk))
    return entry


@transaction.atomic
def savings_entry_delete(*, entry: SavingsEntry, by: User) -> None:
    """Delete a saving typed outside any return, and take it out of the savings totals."""
    _take_typed_entry_out(entry)
    entry._history_user = by
    entry.delete()


# One return rarely looks further ahead than this; a longer span is a typing slip.
FORECAST_SPAN_YEARS = 5


@transaction.atomic
def forecast_return_record(
    *,
    organisation: Organisation,
    financial_year: int,
    last_year: int | None = None,
    rag: str,
    comment: str,
    returned_on,
    by,
) -> ForecastReturn:
    """A council's RAG forecast return for ``financial_year`` and, when it covers
    several years, every year up to ``last_year``, each given ``rag``. A blank
    ``rag`` is a return received but not rated. Any year may be recorded, past ones
    included, from 2000/01 (when partnership records begin) to a few years ahead. A
    later return for a year replaces the earlier one (the history keeps it). Returns
    the first year's forecast."""
    last_year = financial_year if last_year is None else last_year
    if not financial_years.FIRST_YEAR <= financial_year <= financial_years.LAST_YEAR:
        raise SavingsError(
            f"Choose a year from {financial_years.label(financial_years.FIRST_YEAR)}.",
            field="financial_year",
        )
    if last_year < financial_year:
        raise SavingsError(
            "The last year the return covers cannot be before its first.", field="last_year"
        )
    if last_year - financial_year >= FORECAST_SPAN_YEARS:
        raise SavingsError(
            f"A return covers at most {FORECAST_SPAN_YEARS} years.", field="last_year"
        )
    if rag not in (*Rag.values, ""):
        raise SavingsError("Choose green, amber, red or received but not rated.", field="rag")
    if rag in (Rag.AMBER, Rag.RED) and not comment.strip():
        raise SavingsError("Say what puts the savings at risk.", field="comment")
    years = range(financial_year, last_year + 1)
    held = {
        forecast.financial_year: forecast
        for forecast in ForecastReturn.objects.select_for_update().filter(
            organisation=organisation, financial_year__in=years
        )
    }
    recorded = []
    for year in years:
        forecast = held.get(year) or ForecastReturn(organisation=organisation, financial_year=year)
        forecast.rag = rag
        forecast.comment = comment
        forecast.returned_on = returned_on
        forecast._history_user = by
        forecast.save()
        recorded.append(forecast)
    return recorded[0]


def _check_years(first_year: int | None, last_year: int | None) -> None:
    for field, year in (("first_year", first_year), ("last_year", last_year)):
        if year is None or not financial_years.FIRST_YEAR <= year <= financial_years.LAST_YEAR:
            raise SavingsError("Choose a financial year.", field=field)
    if last_year < first_year:
        raise SavingsError("The last year cannot be before the first.", field="last_year")


@transaction.atomic
def agreement_save(
    *,
    agreement: Agreement | None = None,
    partnership: Partnership | None = None,
    kind: str,
    name: str,
    first_year: int,
    last_year: int,
    members,
    by: User,
) -> Agreement:
    """Record an agreement that sets savings targets, or change one: its kind, name,
    years and member bodies, who must be members of its partnership. Its targets
    must stay within its years and members."""
    if agreement is None:
        if partnership is None:
            raise SavingsError("Choose the partnership.", field="partnership")
        agreement = Agreement(partnership=partnership)
    else:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if kind not in Agreement.Kind.values:
        raise SavingsError("Choose what kind of agreement it is.", field="kind")
    name = " ".join(name.split())
    if not name:
        raise SavingsError("Enter the agreement's name.", field="name")
    _check_years(first_year, last_year)
    members = list(members)
    if not members:
        raise SavingsError("Choose the bodies the agreement covers.", field="members")
    partnership_members = set(agreement.partnership.members.values_list("pk", flat=True))
    strangers = [member.name for member in members if member.pk not in partnership_members]
    if strangers:
        raise SavingsError(
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a member "
            f"of {agreement.partnership}.",
            field="members",
        )
    if agreement.pk is not None:
        targets = agreement.targets.all()
        if targets.exclude(financial_year__range=(first_year, last_year)).exists():
            raise SavingsError(
                "The agreement has targets outside those years: change them first.",
                field="last_year",
            )
        if targets.exclude(organisation=None).exclude(organisation__in=members).exists():
            raise SavingsError(
                "A body left out has targets under this agreement: change them first.",
                field="members",
            )
    duplicate = Agreement.objects.filter(partnership=agreement.partnership, name=name)
    if duplicate.exclude(pk=agreement.pk).exists():
        raise SavingsError("The partnership already has an agreement of that name.", field="name")
    agreement.kind, agreement.name = kind, name
    agreement.first_year, agreement.last_year = first_year, last_year
    agreement._history_user = by
    agreement.save()
    agreement.members.set(members)
    return agreement


@transaction.atomic
def savings_target_set(
    *,
    agreement: Agreement,
    organisation: Organisation | None = None,
    financial_year: int,
    basis: str,
    percentage: Decimal | None = None,
    baseline: Decimal | None = None,
    baseline_description: str = "",
    amount: Decimal | None = None,
    cashable_only: bool = False,
    by: User,
) -> SavingsTarget:
    """Record an agreement's target for one of its members, or with no organisation
    for all its members together, for a year of the agreement: a percentage of a
    baseline (which may be recorded later) or an amount. A target the agreement
    already set for that body and year is replaced (its history keeps the earlier);
    other agreements' targets stay as they are."""
    if agreement is None:
        raise SavingsError("Choose the agreement.", field="agreement")
    if financial_year not in agreement.years:
        raise SavingsError(
            f"{agreement.name} covers {financial_years.label(agreement.first_year)} to "
            f"{financial_years.label(agreement.last_year)}: choose one of those years.",
            field="financial_year",
        )
    if organisation is not None and not agreement.members.filter(pk=organisation.pk).exists():
        raise SavingsError(
            f"{organisation} is not a member of {agreement.name}.", field="organisation"
        )
    if basis == SavingsTarget.Basis.PERCENTAGE:
        if percentage is None or not 0 < percentage <= 100:
            raise SavingsError("Enter a percentage above 0 and up to 100.", field="percentage")
        if baseline is not None and baseline <= 0:
            raise SavingsError(
                "Enter the baseline the percentage is of, above £0, or leave it blank until "
                "it is known.",
                field="baseline",
            )
        amount = None
    elif basis == SavingsTarget.Basis.AMOUNT:
        if amount is None or amount <= 0:
            raise SavingsError("Enter a target amount above £0.", field="amount")
        percentage = baseline = None
        baseline_description = ""
    else:
        raise SavingsError("Choose a percentage of a baseline or an amount.", field="basis")
    # Unordered: the default order joins the (nullable) council, and PostgreSQL locks
    # no row on the nullable side of an outer join.
    target = SavingsTarget.objects.select_for_update().filter(
        agreement=agreement, organisation=organisation, financial_year=financial_year
    ).order_by().first() or SavingsTarget(
        agreement=agreement, organisation=organisation, financial_year=financial_year
    )
    target.basis = basis
    target.percentage = percentage if percentage is None else percentage.quantize(HUNDREDTH)
    target.baseline = baseline if baseline is None else baseline.quantize(PENNY)
    target.baseline_description = baseline_description.strip()
    target.amount = amount if amount is None else amount.quantize(PENNY)
    target.cashable_only = cashable_only
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
