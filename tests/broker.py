"""A Celery broker that does not answer, as when Redis is down."""

from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app

# Nothing listens on port 1, so every connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:1/5"


def _forget_connections() -> None:
    # The app keeps pools of connections to the broker it first connected to.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Send tasks to a broker that refuses them rather than running them here."""
    before = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = UNREACHABLE, False
    _forget_connections()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        _forget_connections()
