from django.db import models
from django.db.models import Exists, OuterRef, Q

from partnership.models import Partnership
from partnership.scopes import Kind, scope_of

# A condition every row meets. Not Q(): Q() | other is just other, which would
# narrow an administrator's rows as soon as a caller widens the visibility.
EVERYTHING = ~Q(pk__in=[])


def programme_visibility(user, via: str = "") -> Q:
    """The programmes a user may read: every programme of a partnership they manage,
    sit on the board of or do finance for, or that their organisation is a member of.
    ``via`` is the lookup path from the queried model to its programme."""
    scope = scope_of(user)
    if scope.is_administrator:
        return EVERYTHING
    partnership = f"{via}partnership"
    organisations = scope.organisation_ids(Kind.OFFICER, Kind.FINANCE)
    member_of = Partnership.members.through.objects.filter(
        partnership_id=OuterRef(f"{partnership}_id"), organisation_id__in=organisations
    )
    return Q(**{f"{partnership}__in": scope.readable_partnership_ids}) | Q(Exists(member_of))


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(programme_visibility(user))


class BudgetLineQuerySet(models.QuerySet):
    """Budget lines and funding sources are read with their programme."""

    def visible_to(self, user):
        return self.filter(programme_visibility(user, via="programme__"))


class LedgerEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ledger is for programme managers, board members and finance."""
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(programme__partnership__in=scope.readable_partnership_ids)
