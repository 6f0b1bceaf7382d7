"""Bids written through the API as on the bid pages: a council's officer drafts a bid
in an open round with its business case, changes it and submits it; another council,
the board and the programme manager cannot, and the same messages refuse the same
mistakes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bids.models import Bid
from bids.services import bid_create
from tests.api import write
from tests.bids import test_views
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The bid pages' own fixtures: EM IEP, its open and closed rounds, and its people.
partnership = test_views.partnership
north_kesteven = test_views.north_kesteven
derbyshire = test_views.derbyshire
line = test_views.line
open_round = test_views.open_round
closed_round = test_views.closed_round
officer = test_views.officer
derbyshire_officer = test_views.derbyshire_officer
pm = test_views.pm

BID = {
    "title": "Shared revenues and benefits",
    "description": "One service for two councils",
    "is_partnership": "yes",
    "grant_requested": "120000",
    "savings_basis": "per_annum",
    "savings_claimed": "80000",
    "builds_on_good_practice": "yes",
}


def _case() -> SimpleUploadedFile:
    return SimpleUploadedFile("case.pdf", test_views.PDF, content_type="application/pdf")


def _draft(bidding_round, sponsor, **fields) -> Bid:
    return bid_create(
        bidding_round=bidding_round,
        sponsor=sponsor,
        by=None,
        title=BID["title"],
        description=BID["description"],
        grant_requested=BID["grant_requested"],
        **fields,
    )


def test_an_officer_drafts_a_bid_with_its_business_case_for_their_council(
    client, open_round, officer, north_kesteven, derbyshire
):
    response = write(
        client,
        officer,
        f"/api/v1/bidding-rounds/{open_round.pk}/bids/",
        {**BID, "partners": [derbyshire.pk], "business_case": _case()},
        multipart=True,
    )

    assert response.status_code == 201, response.content
    made = response.json()
    assert made["status"] == "draft"
    assert made["sponsor"] == north_kesteven.pk
    assert made["partners"] == [derbyshire.pk]
    assert made["grant_requested"] == "120000.00"
    bid = Bid.objects.get(pk=made["id"])
    assert bid.created_by == officer
    assert bid.business_case.read() == test_views.PDF


def test_a_bid_is_refused_with_the_forms_messages(client, open_round, officer):
    response = write(
        client,
        officer,
        f"/api/v1/bidding-rounds/{open_round.pk}/bids/",
        {**BID, "title": "", "savings_basis": "none"},
        multipart=True,
    )

    assert response.status_code == 400
    assert response.json() == {
        "title": ["Enter the project title"],
        "savings_basis": ["Choose the period the savings are claimed over, or remove the amount"],
    }
    assert not Bid.objects.exists()


def test_a_bid_in_a_closed_round_is_refused_with_the_services_message(
    client, closed_round, officer
):
    response = write(
        client, officer, f"/api/v1/bidding-rounds/{closed_round.pk}/bids/", BID, multipart=True
    )

    assert response.status_code == 400
    assert response.json() == {"detail": f"The round closed on {closed_round.closes_on:%-d %B %Y}."}


def test_the_officer_changes_the_draft_at_the_version_they_read(
    client, open_round, officer, north_kesteven
):
    bid = _draft(open_round, north_kesteven)
    url = f"/api/v1/bids/{bid.pk}/change/"

    renamed = {**BID, "title": "Shared benefits", "version": bid.version}
    changed = write(client, officer, url, renamed, multipart=True)
    stale = write(client, officer, url, {**BID, "version": bid.version}, multipart=True)

    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Shared benefits"
    assert stale.status_code == 400
    assert stale.json()["detail"].startswith("Someone else changed this bid since you opened it")


def test_the_officer_submits_the_bid_once_it_has_a_business_case(
    client, open_round, officer, north_kesteven
):
    bid = _draft(open_round, north_kesteven)
    url = f"/api/v1/bids/{bid.pk}/submit/"

    without_case = write(client, officer, url)
    write(
        client,
        officer,
        f"/api/v1/bids/{bid.pk}/change/",
        {**BID, "version": bid.version, "business_case": _case()},
        multipart=True,
    )
    submitted = write(client, officer, url)

    assert without_case.status_code == 400
    assert without_case.json() == {"business_case": ["Attach the outline business case."]}
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"


@pytest.mark.parametrize("act", ["change", "submit"])
def test_writes_to_a_bid_refused_on_the_pages_are_refused_in_the_api(
    client, open_round, north_kesteven, derbyshire_officer, pm, partnership, act
):
    bid = _draft(open_round, north_kesteven, business_case=_case())
    board = user_with_role("board_member", partnership=partnership)
    page = reverse(f"bids:bid-{'update' if act == 'change' else act}", args=[bid.pk])
    for user in (derbyshire_officer, pm, board):
        client.force_login(user)
        on_page = client.post(page, {**BID, "version": bid.version})
        in_api = write(
            client,
            user,
            f"/api/v1/bids/{bid.pk}/{act}/",
            {**BID, "version": bid.version},
            multipart=act == "change",
        )
        assert on_page.status_code in (403, 404), (user, on_page.status_code)
        assert in_api.status_code == on_page.status_code, (user, in_api.content)
    bid.refresh_from_db()
    assert (bid.status, bid.version) == (Bid.Status.DRAFT, 1)


def test_drafting_a_bid_refused_on_the_page_is_refused_in_the_api(
    client, open_round, pm, partnership
):
    board = user_with_role("board_member", partnership=partnership)
    for user in (pm, board):
        client.force_login(user)
        on_page = client.post(reverse("bids:bid-create", args=[open_round.pk]), BID)
        in_api = write(
            client, user, f"/api/v1/bidding-rounds/{open_round.pk}/bids/", BID, multipart=True
        )
        assert on_page.status_code == 403
        assert in_api.status_code == 403
    assert not Bid.objects.exists()
