"""Who is told when a savings return moves (``partnership.notifications``): one query
each."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from partnership.notifications import role_holders
from partnership.scopes import Kind

from .models import SavingsReturn


def return_submitted_recipients(savings_return: SavingsReturn) -> QuerySet[User]:
    """The council's finance officers, who certify it, and the programme managers of
    the partnerships the council belongs to, who follow its savings."""
    organisation_id = savings_return.organisation_id
    return role_holders(
        Q(kind=Kind.FINANCE, organisation_id=organisation_id)
        | Q(kind=Kind.PROGRAMME_MANAGER, partnership__members=organisation_id)
    )


def return_decided_recipients(savings_return: SavingsReturn) -> QuerySet[User]:
    """The officer who submitted it, who puts it right when it is sent back."""
    return User.objects.filter(pk=savings_return.submitted_by_id, is_active=True)
