"""The check-and-submit page's error summary: the page has no inputs of its own, so
each refusal links to the box on the bid's edit page where it is put right."""

import datetime

import pytest
from django.urls import reverse

from bids.models import Bid
from partnership.models import Role
from tests.error_summary import field_ids, summary_links
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    funded_budget_line,
    user_with_role,
)

TODAY = datetime.date.today()


@pytest.fixture
def partnership(db):
    return PartnershipFactory(short_name="EM IEP", name="East Midlands IEP")


@pytest.fixture
def council(partnership):
    return OrganisationFactory(name="North Kesteven District Council", partnership=partnership)


@pytest.fixture
def open_round(partnership):
    return BiddingRoundFactory(
        budget_line=funded_budget_line(programme__partnership=partnership),
        name="Efficiency projects",
        opens_on=TODAY - datetime.timedelta(days=5),
        closes_on=TODAY + datetime.timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("description", "field", "message"),
    [
        ("", "description", "Describe the project before submitting the bid."),
        ("One ICT service", "business_case", "Attach the outline business case."),
    ],
)
def test_a_refused_submission_links_to_the_box_on_the_edit_page(
    client, council, open_round, description, field, message
):
    bid = BidFactory(bidding_round=open_round, sponsor=council, description=description)
    client.force_login(user_with_role(Role.Kind.OFFICER, organisation=council))

    response = client.post(reverse("bids:bid-submit", args=[bid.pk]))

    page = response.content.decode()
    edit = reverse("bids:bid-update", args=[bid.pk])
    assert response.status_code == 400
    assert f"<title>Error: Check and submit bid {bid.number}" in page
    assert page.count("There is a problem") == 1
    assert summary_links(page) == [(f"{edit}#id_{field}", message)]
    assert f"id_{field}" in field_ids(client.get(edit).content.decode())
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT
