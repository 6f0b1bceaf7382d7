"""What every API view asks first, as its page does: which rows the user may see
(the app's ``visible_to(user)``) and, for one object, the app's view rule
(``partnership.object_pages.viewable_object_or_404``)."""

from rest_framework import status, viewsets
from rest_framework.response import Response

from partnership.object_pages import viewable_object_or_404


class PortalViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail endpoint over ``get_queryset()``, which each app scopes to
    the user. Writes are actions that call the apps' services
    (``partnership.api.writes.write``)."""

    def get_object(self):
        return viewable_object_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    def answer(self, obj, status_code: int = status.HTTP_200_OK) -> Response:
        """The record a write made or changed, read again as a GET of it would show it."""
        return Response(
            self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code
        )
