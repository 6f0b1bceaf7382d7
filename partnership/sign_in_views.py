"""Signing in: the password page, the two-factor pages, the e-mail sent when a
browser not seen before signs in (docs/adr/0016), and the account page that says how
the user signs in."""

import base64

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from .errors import PortalError
from .form_errors import add_service_error
from .form_pages import posted, render_form
from .forms import CodeForm
from .selectors import account_overview
from .two_factor import (
    HAS_DEVICE,
    RECOVERY_CODES,
    app_being_set_up,
    app_confirm,
    code_check,
    qr_code_svg,
    session_owes_code,
    session_signed_in,
    session_verified,
    two_factor_required,
)

# Signed so a browser cannot claim to be known to a user it never signed in as.
KNOWN_BROWSER_COOKIE = "portal_known_browser"
KNOWN_BROWSER_SALT = "partnership.sign_in_views.known_browser"
KNOWN_FOR = 2 * 365 * 24 * 60 * 60


class SignInView(auth_views.LoginView):
    """Django's sign-in, then the two-factor step when the session owes a code, and
    an e-mail to the user when the browser has not signed in as them before."""

    def form_valid(self, form):
        super().form_valid(form)
        return signed_in_response(self.request, form.get_user(), self.get_success_url())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "single_sign_on": settings.PORTAL_SINGLE_SIGN_ON,
            "single_sign_on_label": settings.PORTAL_SINGLE_SIGN_ON_LABEL,
        }


def signed_in_response(request: HttpRequest, user, next_url: str) -> HttpResponse:
    """Where a user goes once their password, or their council's single sign-on, has
    signed them in: on to the page they wanted, or first to give the portal's code."""
    session_signed_in(request.session, user)
    if session_owes_code(request.session, user):
        page = "two-factor-verify" if request.session[HAS_DEVICE] else "two-factor-set-up"
        response = redirect(f"{reverse(page)}?{urlencode({'next': next_url})}")
    else:
        response = redirect(next_url)
    known = _known_users(request)
    if str(user.pk) not in known:
        _email_new_browser(request, user)
        response.set_signed_cookie(
            KNOWN_BROWSER_COOKIE,
            ",".join([*known, str(user.pk)]),
            salt=KNOWN_BROWSER_SALT,
            max_age=KNOWN_FOR,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _known_users(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(KNOWN_BROWSER_COOKIE, default="", salt=KNOWN_BROWSER_SALT)
    return [pk for pk in value.split(",") if pk]


def _email_new_browser(request: HttpRequest, user) -> None:
    if not user.email:
        return
    context = {
        "user": user,
        "at": timezone.localtime(),
        "browser": request.headers.get("User-Agent", "an unknown browser"),
        "portal_url": settings.PORTAL_URL,
    }
    send_mail(
        "New sign-in to the Partnership Portal",
        render_to_string("emails/new_browser.txt", context),
        None,
        [user.email],
        # A mail server that is down must not stop the user signing in.
        fail_silently=True,
    )


def _next_page(request: HttpRequest) -> str:
    wanted = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Scan a QR code into an authenticator app and enter the code it shows; then the
    recovery codes, shown this once. A session that owes a code from an app already
    set up gives it first, so a stolen password cannot set up another app."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    # Read afresh, not from the session: whichever way the password was given.
    if session_owes_code(request.session, request.user) and user_has_device(request.user):
        return redirect("two-factor-verify")
    device = app_being_set_up(user=request.user)
    form = CodeForm(posted(request))
    if form.is_valid():
        try:
            codes = app_confirm(device=device, token=form.cleaned_data["token"])
        except PortalError as error:
            add_service_error(form, error)
        else:
            session_verified(request, device)
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next_url": _next_page(request)},
            )
    return render_form(
        request,
        "registration/two_factor_set_up.html",
        {
            "required": two_factor_required(request.user),
            "qr_code": qr_code_svg(device),
            # Grouped in fours, as authenticator apps show keys typed by hand.
            "key": " ".join(_in_fours(base64.b32encode(device.bin_key).decode())),
        },
        form,
    )


def _in_fours(text: str) -> list[str]:
    return [text[i : i + 4] for i in range(0, len(text), 4)]


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    if not user_has_device(request.user):
        return redirect("two-factor-set-up")
    form = CodeForm(posted(request))
    if form.is_valid():
        try:
            device = code_check(user=request.user, token=form.cleaned_data["token"])
        except PortalError as error:
            add_service_error(form, error)
        else:
            session_verified(request, device)
            return redirect(_next_page(request))
    return render_form(request, "registration/two_factor_verify.html", {}, form)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's name, roles and two-factor sign-in, with the way to set up
    an authenticator app (or a new one). Every signed-in user may open their own."""
    return render(
        request,
        "registration/account.html",
        {"account": account_overview(request.user), "recovery_codes": RECOVERY_CODES},
    )
