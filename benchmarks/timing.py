"""How the page benchmarks read a page: the queries it costs and how long it takes."""

import time
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Reading:
    response: object
    queries: int
    seconds: float


def read_page(client, url: str, params: dict | None = None) -> Reading:
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        response = client.get(url, params or {})
        seconds = time.monotonic() - started
    assert response.status_code == 200, url
    return Reading(response, len(queries), seconds)


def fastest_of_three(client, url: str, params: dict | None = None) -> float:
    """A regression slows every read; a busy machine slows only some."""
    return min(read_page(client, url, params).seconds for _ in range(3))
