"""A real Celery worker, fed through the broker, draws a board pack end to end, and
another draws it when the first is killed mid-pack (tests/celery_worker.py says where
these tests run)."""

import datetime
from decimal import Decimal
from pathlib import Path

from programmes.models import LedgerEntry
from programmes.services import ledger_record
from reports.models import BoardPack
from reports.services import board_pack_request
from tests.celery_worker import needs_a_worker, wait_until, wait_until_finished
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
    pack = wait_until_finished(pack, worker)
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
    slow = start_worker("tests.slow_worker", **redelivered_after)

    pack = board_pack_request(meeting=meeting, kind=BoardPack.Kind.FULL, by=manager)
    pack = wait_until(pack, slow, BoardPack.Status.RUNNING)
    slow.kill()  # SIGKILL: no chance to say anything to the broker or the database
    slow.wait()
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (BoardPack.Status.RUNNING, 1)

    again = start_worker(**redelivered_after)
    pack = wait_until_finished(pack, again)
    assert pack.status == BoardPack.Status.DONE, pack.error
    assert pack.attempts == 2
    assert Path(pack.file.path).read_bytes().startswith(b"%PDF-")
    assert "Task reports.tasks.render_board_pack[" in again.log.read_text()
