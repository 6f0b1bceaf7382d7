import rules

from partnership.permissions import (
    holds_role_in_organisation,
    holds_role_in_partnership,
    reads_whole_partnerships,
    register,
)
from partnership.scopes import Kind, scope_of
from projects.permissions import can_change_project, can_view_project


def can_view_savings_record(user, record=None) -> bool:
    """A council's savings records: its own officers and finance staff, and the
    managers, board and finance of any partnership it belongs to."""
    scope = scope_of(user)
    if record is None:
        return user.is_authenticated and bool(scope.kinds)
    if scope.is_administrator:
        return True
    if record.organisation_id in scope.organisation_ids(Kind.OFFICER, Kind.FINANCE):
        return True
    readable = scope.readable_partnership_ids
    return bool(readable) and record.organisation.partnerships.filter(pk__in=readable).exists()


def can_change_savings_record(user, record=None) -> bool:
    """Only the council's own officers enter its savings."""
    return holds_role_in_organisation(
        user, record.organisation_id if record else None, Kind.OFFICER
    )


def _manages_partnership_of(user, record, partnership_ids) -> bool:
    """Whether the user manages a partnership among ``partnership_ids`` (an
    administrator manages every one; with no record, any)."""
    scope = scope_of(user)
    if scope.is_administrator:
        return True
    managed = scope.managed_partnership_ids
    if record is None:
        return bool(managed)
    return bool(managed & set(partnership_ids(record)))


def can_set_savings_target(user, target=None) -> bool:
    """Programme managers set the targets of their partnerships' agreements."""
    return _manages_partnership_of(user, target, lambda t: [t.agreement.partnership_id])


def can_change_agreement(user, agreement=None) -> bool:
    """Programme managers record their partnerships' agreements."""
    return _manages_partnership_of(user, agreement, lambda a: [a.partnership_id])


def can_view_agreement(user, agreement=None) -> bool:
    """An agreement and its area-wide targets are read by those who read its
    partnership as a whole."""
    scope = scope_of(user)
    if agreement is None:
        return reads_whole_partnerships(user)
    return scope.is_administrator or agreement.partnership_id in scope.readable_partnership_ids


def can_view_savings_target(user, target=None) -> bool:
    """A council's target as its other savings records; an area-wide one as its
    agreement."""
    if target is not None and target.organisation_id is None:
        return can_view_agreement(user, target.agreement)
    return can_view_savings_record(user, target)


def can_record_forecast_return(user, forecast=None) -> bool:
    """A council's forecast returns are entered by its officers, or by the managers of
    its partnerships, who key in the returns councils sent them on paper."""
    return can_change_savings_record(user, forecast) or _manages_partnership_of(
        user, forecast, lambda f: f.organisation.partnerships.values_list("pk", flat=True)
    )


def can_certify_savings_return(user, savings_return=None) -> bool:
    """The council's finance officer (s151 or deputy) signs off its return."""
    return holds_role_in_organisation(
        user, savings_return.organisation_id if savings_return else None, Kind.FINANCE
    )


def can_manage_categories(user, category=None) -> bool:
    return holds_role_in_partnership(user, None, Kind.PROGRAMME_MANAGER)


def can_read_own_savings(user, obj=None) -> bool:
    """ "Our savings" is the page of the reader's own councils: their officers' and
    finance officers'."""
    return bool(scope_of(user).organisation_ids(Kind.OFFICER, Kind.FINANCE))


def can_list_returns_to_sign_off(user, obj=None) -> bool:
    """The returns awaiting sign-off are their councils' finance officers' to certify."""
    scope = scope_of(user)
    return scope.is_administrator or bool(scope.finance_organisation_ids)


def can_list_returns_due(user, obj=None) -> bool:
    """The returns due are their councils' officers' to submit."""
    return bool(scope_of(user).officer_organisation_ids)


for model_name in ("savingsreturn", "savingsentry"):
    register("savings", model_name, view=can_view_savings_record, change=can_change_savings_record)
register(
    "savings", "forecastreturn", view=can_view_savings_record, change=can_record_forecast_return
)
register("savings", "savingstarget", view=can_view_savings_target, change=can_set_savings_target)
register("savings", "agreement", view=can_view_agreement, change=can_change_agreement)
register(
    "savings",
    "savingscategory",
    view=lambda user, obj=None: user.is_authenticated,
    change=can_manage_categories,
)
register(
    "savings",
    "otherbenefit",
    view=lambda user, obj=None: can_view_project(user, obj.project if obj else None),
    change=lambda user, obj=None: can_change_project(user, obj.project if obj else None),
)
# The pages the service navigation links to, asked by name by those pages and the menu.
rules.set_perm("savings.read_own_savings", rules.predicate(can_read_own_savings))
rules.set_perm("savings.read_summary", rules.predicate(reads_whole_partnerships))
rules.set_perm("savings.list_returns_to_sign_off", rules.predicate(can_list_returns_to_sign_off))
rules.set_perm("savings.list_returns_due", rules.predicate(can_list_returns_due))
