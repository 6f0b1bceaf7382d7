from .scopes import scope_of


def portal(request):
    """The signed-in user's roles, for the header and the home page."""
    return {"portal_scope": scope_of(getattr(request, "user", None))}
