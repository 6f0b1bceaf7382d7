"""What every projects service shares: the domain error and the lifecycle move."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from partnership.errors import PortalError
from projects.permissions import acts_for_recipient


class ProjectError(PortalError):
    pass


def refuse_recipient(project, by: User | None, doing: str) -> None:
    """Refuse ``by`` doing what only someone apart from the grant's recipient may do
    (``projects.permissions.acts_for_recipient``)."""
    if by is not None and acts_for_recipient(by, project):
        raise ProjectError(
            f"{project.lead_organisation} receives this grant, so someone outside it must {doing}."
        )


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
