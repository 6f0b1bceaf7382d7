"""Officers see their own council's bids ranked, with their points; the ranking of all
the round's bids (page, CSV and XLSX) reaches member councils' officers and finance
officers only once the board has decided every bid, or once a programme manager
publishes it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bids.models import Bid
from partnership.models import Role
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

OWN = "Shared revenues and benefits"
OTHERS = "Joint waste collection"


@pytest.fixture
def round_():
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(name="North Kesteven DC", partnership=partnership)
    boston = OrganisationFactory(name="Boston BC", partnership=partnership)
    bidding_round = BiddingRoundFactory(
        budget_line=funded_budget_line(programme__partnership=partnership)
    )
    for sponsor, title, points in ((north_kesteven, OWN, 7), (boston, OTHERS, 5)):
        BidFactory(
            bidding_round=bidding_round,
            sponsor=sponsor,
            title=title,
            status=Bid.Status.SUBMITTED,
            agreed_points=points,
        )
    return {
        "round": bidding_round,
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "council finance": user_with_role(Role.Kind.FINANCE, organisation=north_kesteven),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
    }


def titles_seen(client, bidding_round) -> dict[str, set[str]]:
    """The bid titles in the ranked table's page, CSV and XLSX."""
    page = client.get(reverse("bids:round-ranked", args=[bidding_round.pk]))
    assert page.status_code == 200
    csv_file = client.get(reverse("bids:round-ranked-csv", args=[bidding_round.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(csv_file.streaming_content).decode("utf-8-sig"))))
    xlsx_file = client.get(reverse("bids:round-ranked-xlsx", args=[bidding_round.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_file.streaming_content))).active
    body = page.content.decode()
    return {
        "page": {title for title in (OWN, OTHERS) if title in body},
        "csv": {row[3] for row in rows[1:]},
        "xlsx": {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)},
    }


def test_before_the_board_decides_an_officer_sees_only_its_own_bid_ranked(client, round_):
    client.force_login(round_["officer"])

    assert titles_seen(client, round_["round"]) == {"page": {OWN}, "csv": {OWN}, "xlsx": {OWN}}


def test_before_the_board_decides_a_councils_finance_officer_sees_no_bids_ranked(client, round_):
    client.force_login(round_["council finance"])

    assert titles_seen(client, round_["round"]) == {"page": set(), "csv": set(), "xlsx": set()}


@pytest.mark.parametrize("reader", ["officer", "council finance"])
def test_once_the_board_has_decided_every_bid_the_whole_ranking_is_shown(client, round_, reader):
    Bid.objects.filter(title=OWN).update(status=Bid.Status.REFERRED_BACK)
    Bid.objects.filter(title=OTHERS).update(status=Bid.Status.REJECTED)
    client.force_login(round_[reader])

    everything = {OWN, OTHERS}
    assert titles_seen(client, round_["round"]) == {
        "page": everything,
        "csv": everything,
        "xlsx": everything,
    }


def test_while_one_bid_awaits_the_board_the_ranking_stays_closed(client, round_):
    Bid.objects.filter(title=OWN).update(status=Bid.Status.REFERRED_BACK)
    client.force_login(round_["officer"])

    assert titles_seen(client, round_["round"])["csv"] == {OWN}


def test_a_programme_manager_publishes_the_ranking_before_the_board_decides(client, round_):
    bidding_round = round_["round"]
    publish = reverse("bids:round-ranking-publish", args=[bidding_round.pk])
    client.force_login(round_["officer"])
    assert client.post(publish).status_code == 403

    client.force_login(round_["manager"])
    ranked = client.get(reverse("bids:round-ranked", args=[bidding_round.pk])).content.decode()
    assert "Publish the ranking to member councils" in ranked
    assert client.post(publish).status_code == 302

    client.force_login(round_["officer"])
    seen = titles_seen(client, bidding_round)
    assert seen["csv"] == seen["xlsx"] == {OWN, OTHERS}
    # The other council's bid is named, not linked: its page stays closed to them.
    page = client.get(reverse("bids:round-ranked", args=[bidding_round.pk])).content.decode()
    other = Bid.objects.get(title=OTHERS)
    assert f'href="{other.get_absolute_url()}"' not in page
    assert client.get(other.get_absolute_url()).status_code in (403, 404)
