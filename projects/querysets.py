from django.db import models
from django.db.models import Exists, OuterRef, Q

from partnership.scopes import Kind, scope_of
from programmes.querysets import EVERYTHING


def project_visibility(user, project_model, via: str = "") -> Q:
    """Projects a user may read: all of a partnership they manage, sit on the board
    of or do finance for; those their council leads or is a partner in; those their
    accountable body receives grant for (finance). ``via`` is the lookup path from
    the queried model to its project."""
    scope = scope_of(user)
    if scope.is_administrator:
        return EVERYTHING
    partner_of = project_model.partners.through.objects.filter(
        project_id=OuterRef(f"{via}pk" if via else "pk"),
        organisation_id__in=scope.officer_organisation_ids,
    )
    return (
        Q(**{f"{via}programme__partnership__in": scope.readable_partnership_ids})
        | Q(**{f"{via}lead_organisation__in": scope.organisation_ids(Kind.OFFICER, Kind.FINANCE)})
        | Q(Exists(partner_of))
    )


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(project_visibility(user, self.model))


class ProjectChildQuerySet(models.QuerySet):
    """Rows that belong to one project (milestones, payments, reports) are visible
    exactly when their project is."""

    def visible_to(self, user):
        project_model = self.model._meta.get_field("project").related_model
        return self.filter(project_visibility(user, project_model, via="project__"))
