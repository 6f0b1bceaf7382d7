"""What every projects service shares: the domain error and the lifecycle move."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from partnership.errors import PortalError


class ProjectError(PortalError):
    pass


def gbp(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def move(record, status: str, by: User | None) -> None:
    """Move a projects record along the lifecycle its model declares."""
    type(record).LIFECYCLE.move(record, status, by=by, error=ProjectError)


def save_valid(record) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        raise ProjectError(" ".join(error.messages)) from error
    record.save()
