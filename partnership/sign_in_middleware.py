"""Sessions that end after a while without a request, and that give their two-factor
code before any page."""

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .two_factor import HAS_DEVICE, session_owes_code

# How often a session's expiry is moved on: saving it on every request would write
# the session table for every page read.
TOUCHED_EVERY = 60
LAST_TOUCHED = "portal_touched_at"


class SessionKeptWhileActive:
    """A signed-in session expires SESSION_COOKIE_AGE after its last request (to the
    minute), not after it began."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if (
            request.user.is_authenticated
            and now - request.session.get(LAST_TOUCHED, 0) >= TOUCHED_EVERY
        ):
            # Modified, so SessionMiddleware saves it with a new expiry and cookie.
            request.session[LAST_TOUCHED] = now
        return self.get_response(request)


OPEN_TO_ALL = {
    "login",
    "logout",
    "two-factor-set-up",
    "two-factor-verify",
    "healthz",
    # Read before deciding to sign in, or to set up an app, as much as after.
    "accessibility-statement",
    "privacy-notice",
    # The published open data (reports.open_data_views) is public: a session that owes
    # its code reads it as anyone may.
    "open-data",
    "open-data-json",
    "open-data-xlsx",
}


class TwoFactorMiddleware:
    """Sends a signed-in session that still owes its two-factor code to give it (or to
    set up an app) before any page but signing out and the two-factor pages. It acts
    before the view is called, so a page kept in the cache for the session
    (partnership.page_cache wraps the view) is never reached either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name in OPEN_TO_ALL or not session_owes_code(
            request.session, request.user
        ):
            return None
        if request.session.get(HAS_DEVICE):
            return redirect("two-factor-verify")
        return redirect("two-factor-set-up")
