"""Personal API tokens (docs/adr/0022): a user makes one on their API tokens page,
names it and chooses whether it may write; the API then answers its bearer as that
user (``partnership.api.authentication``). The key is shown once and only its SHA-256
digest is stored: a key is 32 random bytes, so a fast digest is as safe as a slow
password hash and lets each request find its token in one indexed query.
"""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device

from .errors import PortalError
from .models import ApiToken
from .permissions import is_own_api_token
from .two_factor import two_factor_required

# Recognisable in logs and by secret scanners; the prefix shown on the page follows it.
KEY_START = "pp_"
PREFIX_LENGTH = 8
# A token's last use is recorded at most this often, not on every request.
LAST_USE_EVERY = datetime.timedelta(minutes=1)


class ApiTokenError(PortalError):
    pass


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, name: str, scope: str, by: User) -> tuple[ApiToken, str]:
    """Make a token for ``by`` and return it with its key, which is not kept and
    cannot be shown again. Someone whose role requires two-factor sign-in must have
    set it up first: a token goes around the sign-in pages."""
    name = name.strip()
    if not name:
        raise ApiTokenError("Enter a name for the token", field="name")
    if scope not in ApiToken.Scope.values:
        raise ApiTokenError("Choose what the token may do", field="scope")
    if two_factor_required(by) and not user_has_device(by):
        raise ApiTokenError(
            "Set up two-factor authentication before you create an API token",
        )
    key = KEY_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name,
        scope=scope,
        prefix=key[: len(KEY_START) + PREFIX_LENGTH],
        key_digest=digest(key),
    )
    return token, key


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke one of ``by``'s own tokens: the API refuses it from now on."""
    if not is_own_api_token(by, token):
        raise ApiTokenError("This token is someone else’s.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token of an active user with this key, or None. One query, and a
    second at most once a minute to record the token's last use."""
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(key_digest=digest(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        token.last_used_at = now
        # An update, not save(): two requests at once must not undo a revocation.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
