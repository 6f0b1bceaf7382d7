"""The full board pack PDF of a meeting whose bidding round closed with 200 bids (from
40 councils, each bid with 2 partner councils and scored by 3 scorers on 3 criteria; 40
approved), drawn by ``reports.services.board_pack_render``, which the Celery task calls,
here called directly.

Budget: under 10 seconds (2.2 to 2.5 s measured on SQLite, 2.7 to 2.9 s on
PostgreSQL), for a PDF of 21 pages that lists every bid."""

import datetime
import io
import re
import time
from decimal import Decimal

import pytest
from pypdf import PdfReader

from bids.models import Bid, Criterion, Score
from partnership.models import AgendaItem
from reports.models import BoardPack
from reports.services import board_pack_render
from tests.factories import (
    BiddingRoundFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
    funded_budget_line,
)

BIDS = 200
APPROVED = 40
TIME_BUDGET_SECONDS = 10
D = Decimal
BASES = ("per_annum", "over_years", "one_off", "unspecified_period", "none")


def _savings(number: int) -> dict:
    basis = BASES[number % len(BASES)]
    if basis == "none":
        return {"savings_basis": basis}
    return {
        "savings_basis": basis,
        "savings_claimed": D(20000 + number * 1000),
        "savings_years": 5 if basis == "over_years" else None,
    }


@pytest.mark.django_db
def test_a_board_pack_of_a_200_bid_round_is_drawn_within_10_seconds():
    line = funded_budget_line(D("750000.00"), name="Projects")
    partnership = line.programme.partnership
    councils = [OrganisationFactory(partnership=partnership) for _ in range(40)]
    bidding_round = BiddingRoundFactory(
        budget_line=line,
        amount_available=D("750000.00"),
        opens_on=datetime.date(2011, 1, 10),
        closes_on=datetime.date(2011, 3, 4),
    )
    bids = Bid.objects.bulk_create(
        Bid(
            bidding_round=bidding_round,
            number=number,
            title=f"Shared service bid {number:03d}",
            sponsor=councils[number % len(councils)],
            grant_requested=D(10000 + number * 500),
            is_partnership=number % 3 != 0,
            builds_on_good_practice=(True, False, None)[number % 3],
            status="approved" if number <= APPROVED else "submitted",
            grant_allocated=D(10000 + number * 500) if number <= APPROVED else None,
            recommendation="approve" if number <= APPROVED else "",
            agreed_points=9 - number * 9 // BIDS,
            **_savings(number),
        )
        for number in range(1, BIDS + 1)
    )
    Bid.partners.through.objects.bulk_create(
        Bid.partners.through(bid_id=bid.pk, organisation_id=councils[(index + step) % 40].pk)
        for index, bid in enumerate(bids)
        for step in (1, 2)
    )
    criteria = [
        Criterion.objects.create(
            bidding_round=bidding_round, name=f"Criterion {n}", max_points=3, position=n
        )
        for n in range(3)
    ]
    scorers = [UserFactory() for _ in range(3)]
    Score.objects.bulk_create(
        Score(bid=bid, criterion=criterion, scorer=scorer, points=bid.agreed_points // 3)
        for bid in bids
        for criterion in criteria
        for scorer in scorers
    )
    meeting = MeetingFactory(partnership=partnership, held_on=datetime.date(2011, 4, 12))
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=number, title=f"Item {number}")
        for number in range(1, 13)
    )
    pack = BoardPack.objects.create(meeting=meeting, kind=BoardPack.Kind.FULL)

    started = time.monotonic()
    pack = board_pack_render(pack_id=pack.pk)
    elapsed = time.monotonic() - started

    assert pack.status == BoardPack.Status.DONE, pack.error
    with pack.file.open("rb") as pdf:
        document = pdf.read()
    assert document.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(document)).pages
    # About ten bids a landscape page: tens of pages, not a handful nor hundreds.
    assert 10 <= len(pages) <= 100, f"{len(pages)} pages"
    text = " ".join(page.extract_text() for page in pages)
    assert set(re.findall(r"Shared service bid (\d{3})", text)) == {
        f"{number:03d}" for number in range(1, BIDS + 1)
    }
    assert elapsed < TIME_BUDGET_SECONDS, f"{elapsed:.1f} s"
    print(f"\n{BIDS} bids: {elapsed:.1f} s, {len(pages)} pages, {len(document) // 1024} KB")
