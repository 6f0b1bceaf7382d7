"""What every projects service shares: the domain error and the lifecycle move."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from partnership.errors import PortalError


class ProjectError(PortalError):
    pass


def gbp(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def move(record, status: str, transitions: dict[str, set[str]], labels, by: User | None):
    """Set a new status if the lifecycle allows it, tagging the audit history."""
    if status not in transitions[record.status]:
        raise ProjectError(
            f"A {record._meta.verbose_name} that is {record.get_status_display().lower()} "
            f"cannot become {labels(status).label.lower()}."
        )
    record.status = status
    record._change_reason = f"Status changed to {labels(status).label}"
    record._history_user = by


def save_valid(record) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        raise ProjectError(" ".join(error.messages)) from error
    record.save()
