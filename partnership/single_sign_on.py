"""Optional single sign-on through a council's OpenID Connect provider, with
mozilla-django-oidc (docs/adr/0017). On only when settings.PORTAL_SINGLE_SIGN_ON
(OIDC_RP_CLIENT_ID and the provider's addresses are set).

The provider vouches for an e-mail address; the portal signs in the one active user
who has it, whatever its case, and refuses anyone else: it never makes users or
roles. The provider's sign-in stands in for the password only: the session then gives
the portal's own code where the user has an app or their roles require one.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .sign_in_views import signed_in_response

REFUSED_UNKNOWN = (
    "You cannot sign in with {email}: no one on the Partnership Portal has that e-mail "
    "address. Ask your partnership's administrator to add it to your account, or sign in "
    "with your username and password."
)
REFUSED = (
    "Signing in with your council account did not work. Try again, or sign in with your "
    "username and password."
)


class ExistingUserBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        # An address the provider says it has not verified proves nothing.
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def create_user(self, claims):
        self.request.portal_sign_on_refused = REFUSED_UNKNOWN.format(email=claims["email"])
        # Caught by the library, which then signs no one in.
        raise SuspiciousOperation("No portal user has the e-mail address given")


def _only_when_on(view):
    def view_when_on(request, *args, **kwargs):
        if not settings.PORTAL_SINGLE_SIGN_ON:
            raise Http404("Single sign-on is not set up")
        return view(request, *args, **kwargs)

    return view_when_on


class _Callback(OIDCAuthenticationCallbackView):
    def login_success(self):
        super().login_success()
        return signed_in_response(self.request, self.user, self.success_url)

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "portal_sign_on_refused", REFUSED))
        return super().login_failure()

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)


start = _only_when_on(OIDCAuthenticationRequestView.as_view())
callback = _only_when_on(_Callback.as_view())
