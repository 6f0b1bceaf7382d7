"""gunicorn's settings for the web process (docker-compose.yml and the Dockerfile
start it with ``-c config/gunicorn.conf.py``). Every setting can be overridden from
the environment, so a bigger machine needs no new image.

Pages answer in well under a second and anything longer (exports past a few
thousand rows, board packs) is a Celery job, so a request that is still running
after ``GUNICORN_TIMEOUT`` seconds is a fault, not work to wait for. Threads let
one worker serve the next request while another waits on PostgreSQL or a slow
client, which sync workers cannot.
"""

import multiprocessing
import os


def _number(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core and one spare. Web processes keep nothing of their own
# (sessions live in PostgreSQL, files in the shared private-files volume), so more machines
# simply run more of them behind the proxy.
workers = _number("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _number("GUNICORN_THREADS", 4)
timeout = _number("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then so a slow leak never grows without bound.
max_requests = _number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
accesslog = "-"
