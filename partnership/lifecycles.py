"""The one way a status moves in the portal. Each model declares a :class:`Lifecycle`
beside its status choices, listing where every state may go; services move records
only through :meth:`Lifecycle.move`, which refuses any other move with a message for
the user (django-oscar's ``Order.set_status``)."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import models

from .errors import PortalError


class Lifecycle:
    def __init__(
        self,
        states: type[models.TextChoices],
        transitions: dict[str, set[str]],
        *,
        field: str = "status",
        refusals: dict[tuple[str, str], str | Callable[[models.Model], str]] | None = None,
    ):
        # Every state must say where it can go, so a state nothing reaches shows up here.
        if set(transitions) != set(states.values):
            raise ValueError(f"{states.__qualname__}'s lifecycle must list every state.")
        self.states = states
        self.transitions = transitions
        self.field = field
        # Messages that read better than the general one, by (from, to); a callable
        # is given the record, for a message that names its dates.
        self.refusals = refusals or {}

    def allows(self, record: models.Model, to: str) -> bool:
        return to in self.transitions[getattr(record, self.field)]

    def move(
        self,
        record: models.Model,
        to: str,
        *,
        by: User | None,
        error: type[PortalError] = PortalError,
    ) -> None:
        """Set the new state, tagging the audit history; the caller saves."""
        current = getattr(record, self.field)
        if not self.allows(record, to):
            refusal = self.refusals.get((current, to))
            if callable(refusal):
                refusal = refusal(record)
            raise error(refusal or self._refusal(record, current, to))
        setattr(record, self.field, to)
        field = record._meta.get_field(self.field).verbose_name.capitalize()
        record._change_reason = f"{field} changed to {self._label(to)}"
        record._history_user = by

    def _label(self, state: str) -> str:
        return self.states(state).label

    def _refusal(self, record: models.Model, current: str, to: str) -> str:
        noun = record._meta.verbose_name
        article = "An" if noun[0] in "aeiou" else "A"
        return (
            f"{article} {noun} that is {self._label(current).lower()} "
            f"cannot become {self._label(to).lower()}."
        )
