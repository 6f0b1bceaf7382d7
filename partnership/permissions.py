"""Who may do what. Each app's ``permissions.py`` holds its own rules as
``can_<verb>_<entity>(user, obj)`` functions and registers them with django-rules, so
pages, the admin and the API all ask ``user.has_perm("app.verb_model", obj)`` and get
the same answer. Called without an object, a rule answers whether the user could do
it to some object (the admin uses that to show or hide a whole model).

The helpers here read the user's roles (``scope_of``) and are shared by every app.
"""

import rules

from .models import Meeting, Organisation, Partnership
from .scopes import Kind, scope_of


def is_administrator(user) -> bool:
    return scope_of(user).is_administrator


def can_add_or_remove_partnership(user, partnership: Partnership | None = None) -> bool:
    """Programme managers correct their partnership's record; making or removing a
    partnership is the administrator's."""
    return is_administrator(user)


def holds_role_in_partnership(user, partnership_id: int | None, *kinds: str) -> bool:
    """True for an administrator, or a holder of one of ``kinds`` in the partnership
    (in any partnership when ``partnership_id`` is None)."""
    scope = scope_of(user)
    if scope.is_administrator:
        return True
    if partnership_id is None:
        return bool(scope.partnership_ids(*kinds))
    return partnership_id in scope.partnership_ids(*kinds)


def holds_role_in_organisation(user, organisation_id: int | None, *kinds: str) -> bool:
    scope = scope_of(user)
    if scope.is_administrator:
        return True
    if organisation_id is None:
        return bool(scope.organisation_ids(*kinds))
    return organisation_id in scope.organisation_ids(*kinds)


def is_member_organisation_user(user, partnership: Partnership) -> bool:
    """An officer or finance officer of an organisation that belongs to the partnership."""
    organisations = scope_of(user).organisation_ids(Kind.OFFICER, Kind.FINANCE)
    return bool(organisations) and partnership.members.filter(pk__in=organisations).exists()


def can_view_partnership(user, partnership: Partnership | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if partnership is None:
        return True
    return holds_role_in_partnership(
        user, partnership.pk, Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER, Kind.FINANCE
    ) or is_member_organisation_user(user, partnership)


def can_change_partnership(user, partnership: Partnership | None = None) -> bool:
    return holds_role_in_partnership(
        user, partnership.pk if partnership else None, Kind.PROGRAMME_MANAGER
    )


def can_change_organisation(user, organisation: Organisation | None = None) -> bool:
    return is_administrator(user)


def can_view_organisation(user, organisation: Organisation | None = None) -> bool:
    return user.is_authenticated


def can_view_meeting(user, meeting: Meeting | None = None) -> bool:
    return can_view_partnership(user, meeting.partnership if meeting else None)


def can_change_meeting(user, meeting: Meeting | None = None) -> bool:
    return can_change_partnership(user, meeting.partnership if meeting else None)


def reads_whole_partnerships(user, obj=None) -> bool:
    """Lists that follow whole partnerships (projects, savings) are for their
    managers, board and finance, and an administrator's for every partnership."""
    scope = scope_of(user)
    return scope.is_administrator or bool(scope.readable_partnership_ids)


def can_use_admin(user) -> bool:
    """The admin site is for administrators and programme managers only."""
    scope = scope_of(user)
    return scope.is_administrator or bool(scope.managed_partnership_ids)


def can_manage_roles(user, obj=None) -> bool:
    return is_administrator(user)


def can_anonymise_user(user, person=None) -> bool:
    """Administrators remove the personal data of people who have left
    (``partnership.services.user_anonymise``, which refuses oneself and the last
    administrator with a reason)."""
    return is_administrator(user)


def via(rule, parent):
    """The same rule, asked of the object's parent: ``via(can_view_meeting,
    lambda item: item.meeting)`` for an agenda item."""

    def rule_of_child(user, obj=None) -> bool:
        return rule(user, parent(obj) if obj is not None else None)

    rule_of_child.__name__ = f"{rule.__name__}_via_parent"
    return rule_of_child


def register(app_label: str, model_name: str, *, view, change, add=None, delete=None) -> None:
    """Register one model's rules with django-rules; ``add`` and ``delete`` default to
    ``change``."""
    for verb, rule in (
        ("view", view),
        ("change", change),
        ("add", add or change),
        ("delete", delete or change),
    ):
        rules.set_perm(f"{app_label}.{verb}_{model_name}", rules.predicate(rule))


def can_view_download(user, download=None) -> bool:
    """A download is its requester's alone (``DownloadQuerySet.visible_to``)."""
    if download is None:
        return user.is_authenticated
    return download.requested_by_id == user.pk


register(
    "partnership",
    "partnership",
    view=can_view_partnership,
    change=can_change_partnership,
    add=can_add_or_remove_partnership,
    delete=can_add_or_remove_partnership,
)
for model_name in ("subregion", "theme"):
    of_partnership = lambda obj: obj.partnership  # noqa: E731
    register(
        "partnership",
        model_name,
        view=via(can_view_partnership, of_partnership),
        change=via(can_change_partnership, of_partnership),
    )
register("partnership", "organisation", view=can_view_organisation, change=can_change_organisation)
register("partnership", "role", view=can_manage_roles, change=can_manage_roles)
rules.set_perm("auth.anonymise_user", rules.predicate(can_anonymise_user))
register("partnership", "meeting", view=can_view_meeting, change=can_change_meeting)
for model_name in ("attendance", "agendaitem", "declaration", "decision", "action"):
    of_meeting = lambda obj: obj.meeting  # noqa: E731
    register(
        "partnership",
        model_name,
        view=via(can_view_meeting, of_meeting),
        change=via(can_change_meeting, of_meeting),
    )
# The meetings page the service navigation links to, asked by name by it and the menu.
rules.set_perm("partnership.list_meetings", rules.predicate(reads_whole_partnerships))
# Trying a failed download again is its requester's side of the job.
register("partnership", "download", view=can_view_download, change=can_view_download)


def can_view_notification(user, notification=None) -> bool:
    """A notification is its recipient's; an administrator reads them in the admin."""
    if notification is None:
        return user.is_authenticated
    return is_administrator(user) or notification.recipient_id == user.pk


def can_change_notification(user, notification=None) -> bool:
    # Made by the services that notify; marked read only by its recipient, on their
    # own notifications page.
    return False


register("partnership", "notification", view=can_view_notification, change=can_change_notification)


def is_own_api_token(user, token=None) -> bool:
    """A personal API token is its owner's alone to see and revoke: anyone signed in
    may make their own."""
    if token is None:
        return user.is_authenticated
    return token.user_id == user.pk


register("partnership", "apitoken", view=is_own_api_token, change=is_own_api_token)


def can_manage_webhooks(user, endpoint=None) -> bool:
    """A partnership's webhooks are set up by its programme managers (and
    administrators), who watch their deliveries too."""
    return can_change_partnership(user, endpoint.partnership if endpoint else None)


def can_change_webhook_delivery(user, delivery=None) -> bool:
    # Made by the events and moved only by the task that sends them.
    return False


register("partnership", "webhookendpoint", view=can_manage_webhooks, change=can_manage_webhooks)
register(
    "partnership",
    "webhookdelivery",
    view=via(can_manage_webhooks, lambda delivery: delivery.endpoint),
    change=can_change_webhook_delivery,
)
