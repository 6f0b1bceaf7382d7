"""What every API view asks first, as its page does: which rows the user may see
(the app's ``visible_to(user)``) and, for one object, the app's view rule
(``partnership.object_pages.viewable_object_or_404``)."""

from rest_framework import viewsets

from partnership.object_pages import viewable_object_or_404


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail endpoint over ``get_queryset()``, which each app scopes to
    the user. Reads only: writes will go through the apps' services."""

    def get_object(self):
        return viewable_object_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])
