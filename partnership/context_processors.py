from .models import Notification
from .navigation import menu_for
from .permissions import can_use_admin
from .scopes import scope_of


def portal(request):
    """The signed-in user's roles and menu, for the header and the home page, and how
    many of their notifications are unread (one query, on pages that show it)."""
    user = getattr(request, "user", None)
    scope = scope_of(user)
    return {
        "portal_scope": scope,
        "portal_menu": menu_for(user, request.path) if scope.kinds else [],
        "portal_can_use_admin": can_use_admin(user),
        # Templates call it, so pages without the header ask nothing.
        "portal_unread_notifications": lambda: (
            Notification.objects.of(user).unread().count() if user else 0
        ),
    }
