"""Who is told when a milestone or grant payment moves: the people who act next on
it (``partnership.notifications``). Each is one query, and never reaches anyone the
project is hidden from: the lead council's own officers and finance, the finance of
its partnership, and the partnership's programme managers."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from partnership.notifications import role_holders
from partnership.scopes import Kind

from .models import GrantPayment, Milestone, Project


def _managers(project: Project) -> Q:
    return Q(kind=Kind.PROGRAMME_MANAGER, partnership_id=project.programme.partnership_id)


def _council(project: Project, *kinds: str) -> Q:
    return Q(kind__in=kinds, organisation_id=project.lead_organisation_id)


def milestone_logged_recipients(milestone: Milestone) -> QuerySet[User]:
    """The programme managers, who verify it."""
    return role_holders(_managers(milestone.project))


def milestone_verified_recipients(milestone: Milestone) -> QuerySet[User]:
    """The lead council's officers, whose grant payment it makes due."""
    return role_holders(_council(milestone.project, Kind.OFFICER))


def payment_approved_recipients(payment: GrantPayment) -> QuerySet[User]:
    """Finance, who pay it: the accountable body's and the partnership's."""
    project = payment.project
    return role_holders(
        _council(project, Kind.FINANCE)
        | Q(kind=Kind.FINANCE, partnership_id=project.programme.partnership_id)
    )


def payment_paid_recipients(payment: GrantPayment) -> QuerySet[User]:
    """The lead council's officers and finance, who receive it."""
    return role_holders(_council(payment.project, Kind.OFFICER, Kind.FINANCE))
