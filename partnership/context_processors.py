from .models import Notification
from .navigation import menu_for
from .permissions import can_use_admin
from .scopes import scope_of


def portal(request):
    """The signed-in user's roles and menu, for the header and the home page. The
    menu's count of unread notifications is one query, read only by pages that draw
    the menu."""
    user = getattr(request, "user", None)
    scope = scope_of(user)
    signed_in = bool(user and user.is_authenticated)

    def unread() -> int:
        return Notification.objects.of(user).unread().count()

    return {
        "portal_scope": scope,
        "portal_menu": menu_for(user, request.path, unread_notifications=unread)
        if signed_in
        else [],
        "portal_can_use_admin": can_use_admin(user),
    }
