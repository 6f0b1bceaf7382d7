from django.db import models
from django.db.models import Q

from .scopes import Kind, scope_of


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(
            Q(pk__in=scope.readable_partnership_ids)
            | Q(members__in=scope.organisation_ids(*_ORGANISATION_KINDS))
        ).distinct()


class SubRegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sub-regions of the partnerships the user may read."""
        if scope_of(user).is_administrator:
            return self.all()
        partnerships = self.model._meta.get_field("partnership").related_model.objects
        return self.filter(partnership__in=partnerships.visible_to(user).values("pk"))


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(
            Q(partnership__in=scope.readable_partnership_ids)
            | Q(partnership__members__in=scope.organisation_ids(*_ORGANISATION_KINDS))
        ).distinct()


_ORGANISATION_KINDS = (Kind.OFFICER, Kind.FINANCE)


class MeetingChildQuerySet(models.QuerySet):
    """A meeting's decisions and actions are read by whoever may read the meeting."""

    def visible_to(self, user):
        meetings = self.model._meta.get_field("meeting").related_model.objects
        return self.filter(meeting__in=meetings.visible_to(user).values("pk"))


class DownloadQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A download holds what its requester's roles let them see, so it is theirs
        # alone; even an administrator reads the table itself rather than their file.
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # An administrator reads everyone's in the admin; the notifications page lists
        # only the reader's own (``of``).
        if scope_of(user).is_administrator:
            return self.all()
        return self.of(user)

    def of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class ApiTokenQuerySet(models.QuerySet):
    def of(self, user):
        """The user's own tokens: nobody lists or revokes another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def live(self):
        return self.filter(revoked_at__isnull=True)


class WebhookEndpointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The endpoints of the partnerships the user manages; an administrator's, all."""
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(partnership__in=scope.managed_partnership_ids)


class WebhookDeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        endpoints = self.model._meta.get_field("endpoint").related_model.objects
        return self.filter(endpoint__in=endpoints.visible_to(user).values("pk"))
