"""/healthz: whether this instance can serve requests, for load balancers and
container health checks. It reports which dependency failed, never why (no error
text leaves the server; the log has it).

Only the database makes it answer 503: without it no page can be served. Pages are
served without the broker (a job asked for is marked as not sent, to be tried again)
and without the cache (pages are derived afresh), so taking every web instance out of
service because Redis is down would turn a degraded portal into none (ADR 0019)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer")
        return "unavailable"
    return "ok"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={"socket_timeout": BROKER_TIMEOUT_SECONDS},
        ) as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception:
        logger.exception("Health check: the Celery broker did not answer")
        return "unavailable"
    return "ok"


def _cache() -> str:
    if not settings.CACHE_URL:
        return "not configured"
    try:
        cache.get("healthz")
    except RedisError:
        logger.exception("Health check: the cache did not answer")
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker(), "cache": _cache()}
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
