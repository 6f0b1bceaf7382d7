from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.models import Organisation, Partnership
from partnership.scopes import Kind, Scope, scope_of


@dataclass(frozen=True)
class HeldRole:
    kind: str
    label: str
    partnerships: list[Partnership]
    organisations: list[Organisation]


def _held_roles(scope: Scope) -> list[HeldRole]:
    """Each kind of role the user holds, with the partnerships and organisations it
    covers (and the partnerships those organisations belong to), in three queries
    whatever the number of roles."""
    partnerships = Partnership.objects.in_bulk(scope.partnership_ids(*Kind.values))
    organisations = Organisation.objects.prefetch_related("partnerships").in_bulk(
        scope.organisation_ids(*Kind.values)
    )
    return [
        HeldRole(
            kind=kind,
            label=Kind(kind).label,
            partnerships=sorted(
                (partnerships[pk] for pk in scope.partnerships.get(kind, ())),
                key=lambda partnership: partnership.name,
            ),
            organisations=sorted(
                (organisations[pk] for pk in scope.organisations.get(kind, ())),
                key=lambda organisation: organisation.name,
            ),
        )
        for kind in scope.kinds
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"roles": _held_roles(scope_of(request.user))})
