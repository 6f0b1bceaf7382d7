from partnership.permissions import (
    can_view_partnership,
    holds_role_in_partnership,
    register,
    via,
)
from partnership.scopes import Kind

from .models import LedgerEntry, Programme


def can_view_programme(user, programme: Programme | None = None) -> bool:
    return can_view_partnership(user, programme.partnership if programme else None)


def can_change_programme(user, programme: Programme | None = None) -> bool:
    return holds_role_in_partnership(
        user, programme.partnership_id if programme else None, Kind.PROGRAMME_MANAGER
    )


def can_view_ledger_entry(user, entry: LedgerEntry | None = None) -> bool:
    return holds_role_in_partnership(
        user,
        entry.programme.partnership_id if entry else None,
        Kind.PROGRAMME_MANAGER,
        Kind.BOARD_MEMBER,
        Kind.FINANCE,
    )


def can_record_ledger_entry(user, entry: LedgerEntry | None = None) -> bool:
    """Ledger entries are recorded, never edited: corrections are new entries."""
    return holds_role_in_partnership(
        user,
        entry.programme.partnership_id if entry else None,
        Kind.PROGRAMME_MANAGER,
        Kind.FINANCE,
    )


def never(user, obj=None) -> bool:
    return False


register("programmes", "programme", view=can_view_programme, change=can_change_programme)
for model_name in ("budgetline", "fundingsource"):
    of_programme = lambda obj: obj.programme  # noqa: E731
    register(
        "programmes",
        model_name,
        view=via(can_view_programme, of_programme),
        change=via(can_change_programme, of_programme),
    )
register(
    "programmes",
    "ledgerentry",
    view=can_view_ledger_entry,
    add=can_record_ledger_entry,
    change=never,
    delete=never,
)
