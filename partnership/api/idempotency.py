"""``Idempotency-Key``: a write sent again with the same key by the same user gets the
first answer back and acts no second time, so a client may retry after a timeout
without paying a grant twice.

The key is claimed by inserting its row in the same transaction as the write. A second
request with the key waits on the row's unique index until the first commits, then
finds the row and replays its answer; if the first failed with a server error, it
rolled the claim back too and the second acts. The same key with another request is
refused (422)."""

import hashlib
import json
from collections.abc import Callable
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import QueryDict
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY = IdempotentRequest._meta.get_field("key").max_length


def _fingerprint(request: Request) -> str:
    """SHA-256 of what was sent, parsed: the raw body of a multipart request is gone
    once it is read, and the same JSON may be spaced differently."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {name: data.getlist(name) for name in sorted(data)}
    files = {}
    for name in sorted(request.FILES):
        files[name] = []
        for upload in request.FILES.getlist(name):
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)
            files[name].append([upload.name, content.hexdigest()])
    sent = json.dumps([request.method, request.path, data, files], sort_keys=True, default=str)
    return hashlib.sha256(sent.encode()).hexdigest()


def _replay(claim: IdempotentRequest, fingerprint: str) -> Response:
    if claim.body_hash != fingerprint:
        return Response(
            {
                "detail": f"This {HEADER} was sent before with a different request. Use a "
                "new key for each new request."
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(claim.response_body, status=claim.response_status, headers={REPLAYED: "true"})


def idempotent(act: Callable) -> Callable:
    """Wrap an API write (a view method) so that a retry with the same key is
    harmless. Without the header the write acts as usual."""

    @wraps(act)
    def write(view, request: Request, *args, **kwargs) -> Response:
        key = request.headers.get(HEADER)
        if not key:
            return act(view, request, *args, **kwargs)
        if len(key) > MAX_KEY:
            return Response(
                {"detail": f"An {HEADER} is at most {MAX_KEY} characters."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        user=request.user,
                        key=key,
                        method=request.method,
                        path=request.path[:2000],
                        body_hash=fingerprint,
                        response_status=0,
                    )
            except IntegrityError:
                return _replay(
                    IdempotentRequest.objects.get(user=request.user, key=key), fingerprint
                )
            try:
                response = act(view, request, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - refusals are answers to keep too
                # DRF's own handling: a refusal becomes its response; anything else is
                # raised again, and the claim goes with the rolled-back transaction.
                response = view.handle_exception(error)
            claim.response_status = response.status_code
            claim.response_body = json.loads(JSONRenderer().render(response.data) or "null")
            claim.save(update_fields=["response_status", "response_body"])
            return response

    return write
