from .navigation import menu_for
from .permissions import can_use_admin
from .scopes import scope_of


def portal(request):
    """The signed-in user's roles and menu, for the header and the home page."""
    scope = scope_of(getattr(request, "user", None))
    return {
        "portal_scope": scope,
        "portal_menu": menu_for(scope, request.path) if scope.kinds else [],
        "portal_can_use_admin": can_use_admin(getattr(request, "user", None)),
    }
