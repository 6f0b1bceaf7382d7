"""Personal API tokens on the API (docs/adr/0022): ``Authorization: Bearer <key>``
signs the request in as the token's user. A read-only token is refused any write,
and an address that keeps sending wrong or revoked tokens is made to wait."""

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied, Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from partnership.api_tokens import api_token_for_key


class TokenFailureThrottle(SimpleRateThrottle):
    """Counts the failed token sign-ins from one address (DRF's ``get_ident``, which
    honours ``NUM_PROXIES``); past the ``token_failures`` rate every token request
    from it is refused until the oldest failure ages out. Only failures count, so a
    client using a good token is never slowed down by this."""

    scope = "token_failures"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request) -> bool:
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def failed(self, request) -> None:
        self.blocked(request)
        self.throttle_success()


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header, looked up by digest among live tokens
    (``partnership.api_tokens``). The scope is enforced here rather than in a
    permission class, so that no view's own ``permission_classes`` can leave it out."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # the session, the next authentication class, may sign it in
        throttle = TokenFailureThrottle()
        if throttle.blocked(request):
            raise Throttled(
                throttle.wait(), detail="Too many requests with a wrong or revoked token."
            )
        try:
            user, token = super().authenticate(request)
        except AuthenticationFailed:
            throttle.failed(request)
            raise
        if request.method not in SAFE_METHODS and not token.may_write:
            raise PermissionDenied(
                "This token may only read. Create a read and write token on your "
                "API tokens page to make changes."
            )
        return user, token

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise AuthenticationFailed(
                "The token is not valid: it may have been revoked. Check it on your "
                "API tokens page."
            )
        return token.user, token
