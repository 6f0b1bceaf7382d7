"""A real Celery worker, fed through the broker, draws a board pack end to end.

Runs only where CELERY_BROKER_URL is set (for example redis://127.0.0.1:6379/0), on
PostgreSQL: the worker is a separate process, so it reaches the test database only
through a database server. For example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_dev \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/pytest tests/reports/test_celery_worker.py
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from programmes.models import LedgerEntry
from programmes.services import ledger_record
from reports.models import BoardPack
from reports.services import board_pack_request
from reports.tasks import render_board_pack
from tests.celery_worker import needs_a_worker, running_worker, wait_until
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    FundingSourceFactory,
    MeetingFactory,
    ProgrammeFactory,
    SubRegionFactory,
    user_with_role,
)

pytestmark = needs_a_worker


@pytest.fixture
def worker(transactional_db, settings, tmp_path, monkeypatch):
    with running_worker(
        render_board_pack, settings=settings, monkeypatch=monkeypatch, log=tmp_path / "worker.log"
    ) as process:
        yield process


def _wait_until_finished(pack: BoardPack, worker) -> BoardPack:
    def finished() -> bool:
        pack.refresh_from_db()
        return pack.is_finished

    wait_until(finished, worker, "the board pack")
    return pack


def test_a_worker_draws_the_pack_a_manager_asked_for(worker):
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
    manager = user_with_role("programme_manager", partnership=partnership)

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
