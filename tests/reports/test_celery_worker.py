"""A real Celery worker, fed through the broker, draws a board pack end to end.

Runs only where CELERY_BROKER_URL is set (for example redis://127.0.0.1:6379/0), on
PostgreSQL: the worker is a separate process, so it reaches the test database only
through a database server. For example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_dev \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/pytest tests/reports/test_celery_worker.py
"""

import datetime
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Exchange, Queue

from config.celery import app as celery_app
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from reports.models import BoardPack
from reports.services import board_pack_request
from reports.tasks import render_board_pack
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    FundingSourceFactory,
    MeetingFactory,
    ProgrammeFactory,
    SubRegionFactory,
    user_with_role,
)

pytestmark = [
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

# Long enough for a cold worker to start and draw a small pack on a slow machine.
WAIT_SECONDS = 120


def _database_url() -> str:
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
    queue = f"board-packs-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(
        render_board_pack, "delay", lambda *args: render_board_pack.apply_async(args, queue=queue)
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
                    "DATABASE_URL": _database_url(),
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


def _wait_until(pack: BoardPack, worker, *statuses: str) -> BoardPack:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if pack.status in statuses:
            return pack
        assert worker.poll() is None, f"the worker stopped:\n{worker.log.read_text()}"
        time.sleep(0.5)
    pytest.fail(f"still {pack.status} after {WAIT_SECONDS} s:\n{worker.log.read_text()}")


def _wait_until_finished(pack: BoardPack, worker) -> BoardPack:
    return _wait_until(pack, worker, BoardPack.Status.DONE, BoardPack.Status.FAILED)


def _meeting_with_a_programme():
    meeting = MeetingFactory(held_on=datetime.date(2011, 4, 12))
    partnership = meeting.partnership
    programme = ProgrammeFactory(
        partnership=partnership,
        sub_region=SubRegionFactory(partnership=partnership, name="Lincolnshire"),
        name="Lincolnshire SRP Programme 2008/11",
        starts_on=datetime.date(2008, 4, 1),
        ends_on=datetime.date(2011, 3, 31),
    )
    ledger_record(
        programme=programme,
        kind=LedgerEntry.Kind.FUNDING,
        amount=Decimal("3982000.00"),
        occurred_on=datetime.date(2008, 4, 1),
        funding_source=FundingSourceFactory(programme=programme),
        by=None,
    )
    BidFactory(
        bidding_round=BiddingRoundFactory(budget_line__programme__partnership=partnership),
        title="Shared ICT",
        status="submitted",
        agreed_points=7,
    )
    return meeting


def test_a_worker_draws_the_pack_a_manager_asked_for(worker):
    meeting = _meeting_with_a_programme()
    manager = user_with_role("programme_manager", partnership=meeting.partnership)

    pack = board_pack_request(meeting=meeting, kind=BoardPack.Kind.FULL, by=manager)
    pack = _wait_until_finished(pack, worker)
    assert pack.status == BoardPack.Status.DONE, pack.error
    assert pack.attempts == 1
    pdf = Path(pack.file.path)
    assert pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF-")
    log = worker.log.read_text()
    assert "Task reports.tasks.render_board_pack[" in log  # drawn by the worker
    assert "succeeded" in log


def test_a_pack_whose_worker_was_killed_mid_pack_is_drawn_when_another_worker_starts(
    start_worker,
):
    meeting = _meeting_with_a_programme()
    manager = user_with_role("programme_manager", partnership=meeting.partnership)
    # The broker gives a task no worker acknowledged to another worker once this
    # long has passed since it was taken (in production, longer than any task runs).
    redelivered_after = {"CELERY_VISIBILITY_TIMEOUT": "1"}
    slow = start_worker("tests.slow_pack_worker", **redelivered_after)

    pack = board_pack_request(meeting=meeting, kind=BoardPack.Kind.FULL, by=manager)
    pack = _wait_until(pack, slow, BoardPack.Status.RUNNING)
    slow.kill()  # SIGKILL: no chance to say anything to the broker or the database
    slow.wait()
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (BoardPack.Status.RUNNING, 1)

    again = start_worker(**redelivered_after)
    pack = _wait_until_finished(pack, again)
    assert pack.status == BoardPack.Status.DONE, pack.error
    assert pack.attempts == 2
    assert Path(pack.file.path).read_bytes().startswith(b"%PDF-")
    assert "Task reports.tasks.render_board_pack[" in again.log.read_text()
