from django.db import models
from django.db.models import Exists, OuterRef, Q

from partnership.models import Partnership
from partnership.scopes import Kind, scope_of


class OrganisationOwnedQuerySet(models.QuerySet):
    """Savings records belong to one organisation: its officers and finance staff see
    them, and so does anyone who manages, sits on the board of or does finance for a
    partnership the organisation is a member of."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(self._organisations_records(scope))

    @staticmethod
    def _organisations_records(scope) -> Q:
        in_partnership = Partnership.members.through.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            partnership_id__in=scope.readable_partnership_ids,
        )
        return Q(organisation__in=scope.organisation_ids(Kind.OFFICER, Kind.FINANCE)) | Q(
            Exists(in_partnership)
        )


class SavingsEntryQuerySet(OrganisationOwnedQuerySet):
    def counted(self):
        """Savings that count in summaries: those recorded directly (e.g. a programme's
        reported totals) and those of certified returns."""
        return self.filter(Q(savings_return__isnull=True) | Q(savings_return__status="certified"))


class SavingsReturnQuerySet(OrganisationOwnedQuerySet):
    def visible_to(self, user):
        """A draft is seen by its council's officers alone: it is not yet a return."""
        officer_of = scope_of(user).organisation_ids(Kind.OFFICER)
        return super().visible_to(user).filter(~Q(status="draft") | Q(organisation__in=officer_of))

    def drafts(self):
        return self.filter(status="draft")

    def made(self):
        """Returns submitted, whatever became of them since: not drafts."""
        return self.exclude(status="draft")

    def current(self):
        """The return of each quarter that no later version replaced."""
        return self.exclude(status__in=["draft", "superseded"])


class SavingsTargetQuerySet(OrganisationOwnedQuerySet):
    def visible_to(self, user):
        """A council's target as its other records; an area-wide target (no council) to
        those who read its agreement's partnership as a whole."""
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(
            self._organisations_records(scope)
            | Q(
                organisation__isnull=True, agreement__partnership__in=scope.readable_partnership_ids
            )
        )
