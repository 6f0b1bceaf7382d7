"""A real Celery worker for tests: a separate process fed through the broker.

Such tests run only where CELERY_BROKER_URL is set (for example
redis://127.0.0.1:6379/0), on PostgreSQL: the worker reaches the test database only
through a database server. Mark a test module with ``needs_a_worker`` and start one
with :func:`running_worker` for the tasks it should take.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Exchange, Queue

from config.celery import app as celery_app

needs_a_worker = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="needs CELERY_BROKER_URL, the broker a real worker listens to",
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker is another process: it reaches the test database on PostgreSQL",
    ),
]

# Long enough for a cold worker to start and do a small job on a slow machine.
WAIT_SECONDS = 120


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(
    *tasks, settings, monkeypatch, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """A worker process taking ``tasks`` on a queue of its own, so no other worker on
    the same broker takes this test's tasks (nor this worker another's); ``env`` adds
    to its environment. Its output is written to ``log`` (``process.log``)."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    for task in tasks:
        monkeypatch.setattr(
            task, "delay", lambda *args, task=task: task.apply_async(args, queue=queue)
        )
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    worker_env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "CONN_MAX_AGE": "0",
        **(env or {}),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app=config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                f"--queues={queue}",
                f"--hostname={queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=worker_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.task_always_eager = was_eager
        # Declared here too, so that this connection knows the bindings it deletes.
        with celery_app.connection_for_write() as broker:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(broker.default_channel)
            bound.declare()
            bound.delete()
            bound.exchange.delete()


def wait_until(done: Callable[[], bool], worker: subprocess.Popen, what: str) -> None:
    """Poll ``done`` until it is true, failing with the worker's log if the worker
    stops or WAIT_SECONDS pass first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, f"the worker stopped:\n{worker.log.read_text()}"
        time.sleep(0.5)
    pytest.fail(f"{what}: not after {WAIT_SECONDS} s:\n{worker.log.read_text()}")
