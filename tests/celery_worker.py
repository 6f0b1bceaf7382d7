"""Real Celery workers for tests: separate processes fed through the broker, on a
queue of the test's own. They run only where CELERY_BROKER_URL is set, on PostgreSQL:
a worker reaches the test database only through a database server. For example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_dev \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/pytest -m celery_worker
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Exchange, Queue

from config.celery import app as celery_app
from partnership.models import BackgroundJob
from partnership.tasks import build_download, deliver_webhook
from reports.tasks import render_board_pack

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

# The jobs a test sends to its workers.
TASKS = (render_board_pack, build_download, deliver_webhook)

# Long enough for a cold worker to start and draw a small pack on a slow machine.
WAIT_SECONDS = 120


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(transactional_db, settings, tmp_path, monkeypatch):
    """Starts worker processes on a queue of their own, so no other worker on the same
    broker takes this test's task (nor these workers another's). ``app`` names the
    Celery app a worker runs; ``env`` adds to its environment."""
    queue = f"jobs-test-{uuid.uuid4().hex[:12]}"
    for task in TASKS:
        monkeypatch.setattr(
            task, "delay", lambda *args, task=task: task.apply_async(args, queue=queue)
        )
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    started = []

    def start(app: str = "config", **env: str) -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    f"--app={app}",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    f"--queues={queue}",
                    f"--hostname={queue}-{len(started) + 1}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=settings.BASE_DIR,
                env={
                    **os.environ,
                    "DATABASE_URL": database_url(),
                    "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
                    "CONN_MAX_AGE": "0",
                    **env,
                },
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
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


@pytest.fixture
def worker(start_worker):
    return start_worker()


def wait_for(done: Callable[[], bool], worker, what: str) -> None:
    """Poll ``done`` until it is true, failing with the worker's log if the worker
    stops or WAIT_SECONDS pass first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, f"the worker stopped:\n{worker.log.read_text()}"
        time.sleep(0.5)
    pytest.fail(f"{what}: not after {WAIT_SECONDS} s:\n{worker.log.read_text()}")


def wait_until(job: BackgroundJob, worker, *statuses: str) -> BackgroundJob:
    def reached() -> bool:
        job.refresh_from_db()
        return job.status in statuses

    wait_for(reached, worker, f"the job is not {' or '.join(statuses)}")
    return job


def wait_until_finished(job: BackgroundJob, worker) -> BackgroundJob:
    return wait_until(job, worker, BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED)
