"""Read pages kept for their reader until the records change.

A page that only reads (the dashboard, the lists, the savings summary) is rendered
once per reader, address and day, and served again from the cache until any record
is written. At national scale such a page costs a few hundred milliseconds to derive
and a few to serve again, so fifty readers at once are served in time.

Nothing is ever served from records that have since changed: every write gives the
records a new version (a random token in the cache), and pages are kept under the
version read before they were rendered. Writes are seen on the database connection
itself (``watch_writes``, installed on every connection), so services, the admin,
bulk updates and raw SQL all count, with no list of models or signals to keep in
step. A write that goes round the connection (PostgreSQL ``COPY`` in
``generate_scale_data``) calls ``records_changed`` itself.

A page is kept per browser session and CSRF cookie, not shared by readers who see
the same records: what a page shows and links depends on who reads it, and its
forms carry that session's CSRF token. Every web process must share the cache, so
production sets ``CACHE_URL`` (Redis); ADR 0007 says why this design.

A cache that does not answer is passed by: pages are derived afresh and nothing is
kept, and writes go through. A process that found it silent starts a new version as
soon as it answers again, since a write made meanwhile could not change the version
(ADR 0019).
"""

import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from redis.exceptions import RedisError

VERSION_KEY = "records-version"
# Long enough to serve a morning of reads; pages kept under an old version simply
# expire, as no read asks for them again.
KEPT_FOR = 60 * 60

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
# Tables no kept page reads: sessions, Celery's schedule, and a download's progress,
# written every few thousand rows while it runs.
NOT_RECORDS = ("django_session", "django_celery_", "partnership_download")


logger = logging.getLogger(__name__)

# Set while this process owes the records a new version: it could not reach the cache,
# and a write it made meanwhile would have left pages kept before it in place.
_change_missed = threading.Event()


@contextmanager
def _passed_by_when_silent() -> Iterator[None]:
    try:
        yield
    except RedisError:
        logger.warning("The cache did not answer: pages are derived afresh", exc_info=True)
        _change_missed.set()


def records_version() -> str | None:
    """The records' current version; None when the cache does not answer."""
    version = None
    with _passed_by_when_silent():
        if _change_missed.is_set():
            _change_missed.clear()
            records_changed()
        version = cache.get(VERSION_KEY)
        if version is None:
            # add(): readers arriving together after the key was lost agree on one token.
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    return version


def records_changed() -> None:
    with _passed_by_when_silent():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to the records changes their version at
    once (so reads later in the same transaction derive afresh) and again when its
    transaction commits (so a page derived by another process from the records as
    they were before the commit is not kept under the version it read)."""
    result = execute(sql, params, many, context)
    written = _WRITE.match(sql)
    if written and not written[1].startswith(NOT_RECORDS):
        records_changed()
        connection = context["connection"]
        if connection.in_atomic_block and not any(
            callback is records_changed for _ids, callback, _robust in connection.run_on_commit
        ):
            transaction.on_commit(records_changed, using=connection.alias)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """Installed for every new database connection (``connection_created``)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def _page_key(request: HttpRequest, version: str) -> str:
    reader = "|".join(
        (
            request.session.session_key or "",
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            request.get_full_path(),
            # Pages count what is late or due from today.
            timezone.localdate().isoformat(),
        )
    )
    return f"page:{version}:{hashlib.sha256(reader.encode()).hexdigest()}"


def _csrf_secret_kept(request: HttpRequest) -> bool:
    # A page rendered with a CSRF secret the reader's cookie does not hold yet carries
    # tokens only the cookie set on this response will accept.
    sent = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return bool(sent) and request.META.get("CSRF_COOKIE") == sent


def kept_until_records_change(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a signed-in reader's GET of ``view`` from the cache while no record has
    changed. A page with a message waiting to be shown is rendered afresh (the message
    lives in the session, not the records), and only a whole 200 response that sets
    no cookie, whose forms the reader's CSRF cookie accepts, is kept."""

    @wraps(view)
    def read(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        version = records_version()
        if version is None:
            return view(request, *args, **kwargs)
        key = _page_key(request, version)
        kept = None
        with _passed_by_when_silent():
            kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and _csrf_secret_kept(request)
        ):
            with _passed_by_when_silent():
                cache.set(key, (response.content, response["Content-Type"]), KEPT_FOR)
        return response

    return read
