from .navigation import menu_for
from .permissions import can_use_admin
from .scopes import scope_of


def portal(request):
    """The signed-in user's roles and menu, for the header and the home page."""
    user = getattr(request, "user", None)
    scope = scope_of(user)
    return {
        "portal_scope": scope,
        "portal_menu": menu_for(user, request.path) if scope.kinds else [],
        "portal_can_use_admin": can_use_admin(user),
    }
