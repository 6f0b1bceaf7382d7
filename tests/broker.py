"""A Celery broker that does not answer, as when Redis is down."""

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from unittest import mock

from config.celery import app

# Nothing listens on port 1, so every connection is refused at once.
REFUSING_PORT = 1


def _forget_connections() -> None:
    # The app keeps pools of connections to the broker it first connected to.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def _silent_port() -> Iterator[int]:
    # Connections are taken (the kernel completes them) but never answered.
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@contextmanager
def broker_unreachable(*, silent: bool = False) -> Iterator[None]:
    """Send tasks, rather than running them here, to a broker that refuses them or,
    when ``silent``, takes connections and never answers."""
    before = app.conf.broker_url, app.conf.task_always_eager
    with _silent_port() if silent else nullcontext(REFUSING_PORT) as port:
        url = f"redis://127.0.0.1:{port}/5"
        # Celery reads the broker from CELERY_BROKER_URL in the environment before its
        # own settings, so both say where it is.
        with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": url}):
            app.conf.broker_url, app.conf.task_always_eager = url, False
            _forget_connections()
            try:
                yield
            finally:
                app.conf.broker_url, app.conf.task_always_eager = before
                _forget_connections()
