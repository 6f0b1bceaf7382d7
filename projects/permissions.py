import rules

from partnership.permissions import (
    holds_role_in_organisation,
    holds_role_in_partnership,
    reads_whole_partnerships,
    register,
    via,
)
from partnership.scopes import Kind, scope_of

from .models import GrantPayment, Project, Repayment


def can_view_project(user, project: Project | None = None) -> bool:
    scope = scope_of(user)
    if project is None:
        return user.is_authenticated and bool(scope.kinds)
    if scope.is_administrator:
        return True
    if project.programme.partnership_id in scope.readable_partnership_ids:
        return True
    if project.lead_organisation_id in scope.organisation_ids(Kind.OFFICER, Kind.FINANCE):
        return True
    officer_of = scope.officer_organisation_ids
    return bool(officer_of) and project.partners.filter(pk__in=officer_of).exists()


def can_change_project(user, project: Project | None = None) -> bool:
    """The lead council's officers and the partnership's programme managers; partner
    councils read only."""
    if project is None:
        return holds_role_in_organisation(user, None, Kind.OFFICER) or holds_role_in_partnership(
            user, None, Kind.PROGRAMME_MANAGER
        )
    return holds_role_in_organisation(
        user, project.lead_organisation_id, Kind.OFFICER
    ) or holds_role_in_partnership(user, project.programme.partnership_id, Kind.PROGRAMME_MANAGER)


def can_report_on_project(user, project: Project | None = None) -> bool:
    """Logging milestones as achieved, re-profiling them, writing the progress reports
    and asking for a change are the lead council's officers' (README, "Roles"). The
    programme managers, who may otherwise change the project, verify and decide what
    the council reports, so they never report it themselves."""
    return holds_role_in_organisation(
        user, project.lead_organisation_id if project else None, Kind.OFFICER
    )


def acts_for_recipient(user, project: Project) -> bool:
    """Whether the user works for the council that receives the project's grant (its
    lead organisation). Duties are kept apart: that council never approves or records
    its own grant's payments, or its repayments, and never verifies its own
    milestones, whatever other role its people hold. The services refuse it too."""
    return project.lead_organisation_id in scope_of(user).organisation_ids(
        Kind.OFFICER, Kind.FINANCE
    )


def can_approve_payment(user, payment: GrantPayment | Repayment | None = None) -> bool:
    if payment is None:
        return holds_role_in_partnership(user, None, Kind.PROGRAMME_MANAGER)
    return holds_role_in_partnership(
        user, payment.project.programme.partnership_id, Kind.PROGRAMME_MANAGER
    ) and not acts_for_recipient(user, payment.project)


def can_record_payment(user, payment: GrantPayment | Repayment | None = None) -> bool:
    """The paying body's finance, the partnership's, records payments made and
    repayments and refunds received; never the council that receives the grant."""
    if payment is None:
        return holds_role_in_partnership(user, None, Kind.FINANCE)
    return holds_role_in_partnership(
        user, payment.project.programme.partnership_id, Kind.FINANCE
    ) and not acts_for_recipient(user, payment.project)


def can_change_payment(user, payment: GrantPayment | Repayment | None = None) -> bool:
    return can_approve_payment(user, payment) or can_record_payment(user, payment)


def can_manage_delivery(user, project: Project | None = None) -> bool:
    """Verifying milestones, deciding change requests, closing the project and setting
    its repayments and clawback fall to the programme managers of its partnership:
    the people who approve its grant payments, and never someone of the council that
    receives the grant."""
    if project is None:
        return holds_role_in_partnership(user, None, Kind.PROGRAMME_MANAGER)
    return holds_role_in_partnership(
        user, project.programme.partnership_id, Kind.PROGRAMME_MANAGER
    ) and not acts_for_recipient(user, project)


def can_add_project(user, project: Project | None = None) -> bool:
    """Projects come from approved bids or the programme manager's own awards."""
    return can_manage_delivery(user, project)


def can_list_own_projects(user, obj=None) -> bool:
    """ "My projects" lists the projects of the officer's own councils."""
    return bool(scope_of(user).officer_organisation_ids)


def can_read_payment_schedule(user, obj=None) -> bool:
    """Those who approve or record payments work from the schedule, and a council's
    finance officers read their own council's payments there."""
    return (
        can_record_payment(user)
        or can_approve_payment(user)
        or holds_role_in_organisation(user, None, Kind.FINANCE)
    )


register(
    "projects",
    "project",
    view=can_view_project,
    change=can_change_project,
    add=can_add_project,
    delete=can_add_project,
)
of_project = lambda obj: obj.project  # noqa: E731
for model_name in ("milestone", "projectrisk", "changerequest", "projectclosure"):
    register(
        "projects",
        model_name,
        view=via(can_view_project, of_project),
        change=via(can_change_project, of_project),
    )
register(
    "projects",
    "progressreport",
    view=via(can_view_project, of_project),
    change=via(can_report_on_project, of_project),
)
for model_name, parent in (
    ("milestoneevidence", lambda obj: obj.milestone.project),
    ("progressreportspend", lambda obj: obj.report.project),
):
    register(
        "projects",
        model_name,
        view=via(can_view_project, parent),
        change=via(can_change_project, parent),
    )
register(
    "projects",
    "paymentchange",
    view=via(can_view_project, lambda obj: obj.change_request.project),
    change=via(can_change_project, lambda obj: obj.change_request.project),
)
register(
    "projects",
    "milestonereprofile",
    view=via(can_view_project, lambda obj: obj.milestone.project),
    change=via(can_change_project, lambda obj: obj.milestone.project),
)
register(
    "projects", "grantpayment", view=via(can_view_project, of_project), change=can_change_payment
)
register("projects", "clawback", view=via(can_view_project, of_project), change=can_change_payment)
# Finance records repayments received; the schedule itself is agreed at approval.
register("projects", "repayment", view=via(can_view_project, of_project), change=can_change_payment)
# The lists the service navigation links to, asked by name by their pages and the menu.
rules.set_perm("projects.report_on_project", rules.predicate(can_report_on_project))
rules.set_perm("projects.list_own_projects", rules.predicate(can_list_own_projects))
rules.set_perm("projects.list_projects", rules.predicate(reads_whole_partnerships))
rules.set_perm("projects.read_payment_schedule", rules.predicate(can_read_payment_schedule))
