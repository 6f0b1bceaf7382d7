"""Who a user is in the portal: the partnerships and organisations their roles cover.

Every permission rule and every ``visible_to(user)`` queryset reads a user's roles
through :func:`scope_of`, so the roles are loaded once per request, not per object.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db import models


class Kind(models.TextChoices):
    """The kinds of role a user may hold (stored on ``partnership.Role``)."""

    OFFICER = "officer", "Officer"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    BOARD_MEMBER = "board_member", "Board member"
    FINANCE = "finance", "Finance"
    ADMINISTRATOR = "administrator", "Administrator"


@dataclass(frozen=True)
class Scope:
    is_administrator: bool = False
    # kind -> ids of the partnerships / organisations a role of that kind covers
    partnerships: dict[str, frozenset[int]] = field(default_factory=dict)
    organisations: dict[str, frozenset[int]] = field(default_factory=dict)

    def partnership_ids(self, *kinds: str) -> frozenset[int]:
        return frozenset().union(*(self.partnerships.get(kind, frozenset()) for kind in kinds))

    def organisation_ids(self, *kinds: str) -> frozenset[int]:
        return frozenset().union(*(self.organisations.get(kind, frozenset()) for kind in kinds))

    def has_kind(self, *kinds: str) -> bool:
        return any(self.partnerships.get(kind) or self.organisations.get(kind) for kind in kinds)

    @property
    def kinds(self) -> list[str]:
        held = [Kind.ADMINISTRATOR.value] if self.is_administrator else []
        return held + [
            kind.value for kind in Kind if kind != Kind.ADMINISTRATOR and self.has_kind(kind)
        ]

    @property
    def kind_labels(self) -> list[str]:
        return [Kind(kind).label for kind in self.kinds]

    # The partnerships whose records a user may read, whatever their role there.
    @property
    def readable_partnership_ids(self) -> frozenset[int]:
        return self.partnership_ids(Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER, Kind.FINANCE)

    @property
    def managed_partnership_ids(self) -> frozenset[int]:
        return self.partnership_ids(Kind.PROGRAMME_MANAGER)

    @property
    def officer_organisation_ids(self) -> frozenset[int]:
        return self.organisation_ids(Kind.OFFICER)

    @property
    def finance_organisation_ids(self) -> frozenset[int]:
        return self.organisation_ids(Kind.FINANCE)


NOBODY = Scope()


def scope_of(user: User | AnonymousUser | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    partnerships: dict[str, set[int]] = {}
    organisations: dict[str, set[int]] = {}
    is_administrator = user.is_superuser
    for kind, partnership_id, organisation_id in user.portal_roles.values_list(
        "kind", "partnership_id", "organisation_id"
    ):
        if kind == Kind.ADMINISTRATOR:
            is_administrator = True
        if partnership_id:
            partnerships.setdefault(kind, set()).add(partnership_id)
        if organisation_id:
            organisations.setdefault(kind, set()).add(organisation_id)
    scope = Scope(
        is_administrator=is_administrator,
        partnerships={k: frozenset(v) for k, v in partnerships.items()},
        organisations={k: frozenset(v) for k, v in organisations.items()},
    )
    user._portal_scope = scope
    return scope
