"""A person's API tokens, under their account: the list, making one (its key shown
this once) and revoking one. Routed by ``partnership.api_token_urls``; nobody sees or
revokes another's (``ApiToken.objects.of``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from . import api_tokens
from .api_token_forms import ApiTokenForm
from .errors import PortalError
from .form_errors import add_service_error
from .form_pages import confirm_page, posted, render_form
from .models import ApiToken


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.of(request.user).live()
    return render(request, "partnership/apitoken_list.html", {"tokens": tokens})


@never_cache
@login_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    """On success the key is shown on this response and never again: it is not
    stored, so it cannot go through a redirect and a later page."""
    form = ApiTokenForm(posted(request))
    if form.is_valid():
        try:
            token, key = api_tokens.api_token_create(**form.cleaned_data, by=request.user)
        except PortalError as error:
            add_service_error(form, error)
        else:
            return render(
                request, "partnership/apitoken_created.html", {"token": token, "key": key}
            )
    return render_form(
        request, "partnership/apitoken_form.html", {"heading": "Create an API token"}, form
    )


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.of(request.user).live(), pk=pk)
    return confirm_page(
        request,
        "partnership/apitoken_revoke.html",
        {"token": token},
        act=lambda: api_tokens.api_token_revoke(token=token, by=request.user),
        done=f"The token “{token.name}” is revoked. The API no longer accepts it.",
        next_url="api-tokens:list",
        # The page has no inputs: the link goes to its button.
        link=lambda _error: "#submit",
    )
