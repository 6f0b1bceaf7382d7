"""Programmes, their funding sources and the money they hold, for the demo.

Money goes through the ledger service like any other movement, so the demo's balances
are derived exactly as real ones are.
"""

import datetime
from decimal import Decimal

from partnership.models import Partnership, SubRegion
from programmes.models import FundingSource, LedgerEntry, Programme
from programmes.services import ledger_record


def demo_programme(
    partnership: Partnership,
    name: str,
    *,
    slug: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    sub_region: SubRegion | None = None,
    description: str = "",
) -> Programme:
    programme, _ = Programme.objects.get_or_create(
        partnership=partnership,
        slug=slug,
        defaults={
            "name": name,
            "sub_region": sub_region,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "description": description,
        },
    )
    return programme


def demo_funding_source(
    programme: Programme,
    name: str,
    *,
    kind: str,
    expected_amount: Decimal | None,
    ring_fenced: bool = False,
    note: str = "",
) -> FundingSource:
    source, _ = FundingSource.objects.get_or_create(
        programme=programme,
        name=name,
        defaults={
            "kind": kind,
            "expected_amount": expected_amount,
            "ring_fenced": ring_fenced,
            "note": note,
        },
    )
    return source


def record_once(*, programme: Programme, kind: str, memo: str, **movement) -> LedgerEntry:
    """Record a movement with :func:`ledger_record` unless the programme already holds
    one of that kind with that memo. Each demo movement has its own memo, so the memo
    is what tells a second run that the money is already loaded."""
    existing = LedgerEntry.objects.filter(programme=programme, kind=kind, memo=memo).first()
    if existing is not None:
        return existing
    return ledger_record(programme=programme, kind=kind, memo=memo, by=None, **movement)
