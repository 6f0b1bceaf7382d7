"""Each programme with its balances from the ledger, and their totals: the one row type
behind the board pack's balance tables and the dashboard's spend figures."""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from programmes.models import Programme
from programmes.selectors import ProgrammeBalance, programme_balances

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProgrammeBalanceRow:
    programme: Programme
    balance: ProgrammeBalance


def balance_rows(programmes: Iterable[Programme]) -> list[ProgrammeBalanceRow]:
    """Each programme, in the order given, with its balances (three queries with the
    programmes' own)."""
    programmes = list(programmes)
    balances = programme_balances(Programme.objects.filter(pk__in=[p.pk for p in programmes]))
    return [ProgrammeBalanceRow(programme, balances[programme.pk]) for programme in programmes]


def balance_totals(rows: Iterable[ProgrammeBalanceRow]) -> ProgrammeBalance:
    """The rows' balances added up, figure by figure."""
    balances = [row.balance for row in rows]
    return ProgrammeBalance(
        **{
            field.name: sum((getattr(balance, field.name) for balance in balances), ZERO)
            for field in fields(ProgrammeBalance)
        }
    )
