"""Two-factor sign-in: who must use it, the devices that give codes, and what a
session records about it (docs/adr/0016).

A user's authenticator app is a confirmed django-otp ``TOTPDevice``; their recovery
codes are the tokens of one ``StaticDevice``, each used once. What the session knows
is kept in it at sign-in, so checking it costs no query on later requests.
"""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import PortalError
from .scopes import Kind, scope_of

# Finance includes the accountable body's s151 officer, who signs its returns.
REQUIRED_FOR = (Kind.PROGRAMME_MANAGER, Kind.FINANCE)
RECOVERY_CODES = 10
# Session keys: the device that gave this session's code, and whether the user had a
# device when they signed in with their password.
VERIFIED = "portal_two_factor_device"
HAS_DEVICE = "portal_two_factor_has_device"


class TwoFactorError(PortalError):
    pass


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether the user's roles oblige them to sign in with a code."""
    if not settings.PORTAL_REQUIRE_2FA:
        return False
    scope = scope_of(user)
    return scope.is_administrator or user.is_staff or scope.has_kind(*REQUIRED_FOR)


def session_signed_in(session: SessionBase, user: User) -> None:
    """Called once the password is right: whether this session will ask for a code."""
    session[HAS_DEVICE] = user_has_device(user)


def session_owes_code(session: SessionBase, user: User | AnonymousUser) -> bool:
    """A signed-in session must give a code if the user has set up an app (by choice
    or because their role requires it) and it has not yet given one."""
    if not user.is_authenticated or VERIFIED in session:
        return False
    return bool(session.get(HAS_DEVICE)) or two_factor_required(user)


def session_verified(request, device: Device) -> None:
    # A new session key too: pages kept for the session before it gave its code
    # (partnership.page_cache keys them by session) are never served after.
    request.session.cycle_key()
    request.session[VERIFIED] = device.persistent_id
    request.session[HAS_DEVICE] = True


def app_being_set_up(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator app the user is setting up, made if need be."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's key as a QR code for an authenticator app to scan, inline SVG."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


@transaction.atomic
def app_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app the user is setting up with a code it shows, and give them new
    recovery codes (returned once, never shown again). Any app set up before is
    replaced."""
    _refuse_while_throttled([device])
    if not device.verify_token(token):
        raise TwoFactorError(
            "The code is not right: enter the 6-digit code your app shows now", field="token"
        )
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def code_check(*, user: User, token: str) -> Device:
    """The device that accepts ``token``: a code from the app, or a recovery code,
    which is then used up. Wrong codes slow each device down (django-otp's
    throttling)."""
    token = "".join(token.split()).lower()
    devices = list(devices_for_user(user))
    _refuse_while_throttled(devices)
    for device in devices:
        if device.verify_token(token):
            return device
    raise TwoFactorError(
        "The code is not right: enter the 6-digit code your app shows now, or a recovery code",
        field="token",
    )


def _refuse_while_throttled(devices: list[Device]) -> None:
    # Each wrong code makes the next wait longer (django-otp's throttling): say so,
    # rather than call a right code wrong.
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise TwoFactorError(
            "Too many wrong codes: wait a minute, then enter the code your app shows now",
            field="token",
        )


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """Remove the user's app and recovery codes (they lost their phone, or it was
    stolen) and end their sessions, which gave a code from that app: they sign in and
    set up again. Recorded in the user's history in the admin."""
    signed_out_everywhere(user)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Reset two-factor authentication",
        single_object=True,
    )


def signed_out_everywhere(user: User) -> None:
    """Remove the user's apps and recovery codes and end every session of theirs: what
    an administrator's reset and anonymising someone who has left both do."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    # Sessions are not indexed by user, so each live one is read; idle sessions end
    # after SESSION_COOKIE_AGE, so only those of the last half hour or so are live.
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
