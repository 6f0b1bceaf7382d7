"""The partnership API: partnerships and sub-regions for those who work in them,
every public body for anyone signed in; the schema and its docs, served without a
CDN."""

import datetime

import pytest

from partnership.models import Action, Decision, Organisation, Role
from tests.api import listed, listed_ids, read
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    PartnershipFactory,
    SubRegionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnerships():
    em_iep = PartnershipFactory(short_name="EM IEP")
    lancashire = PartnershipFactory(short_name="Team Lancashire")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council",
        gss_code="E07000139",
        org_id="GB-LAE-NKE",
        partnership=em_iep,
    )
    lancaster = OrganisationFactory(
        name="Lancaster City Council", gss_code="E07000121", partnership=lancashire
    )
    lincolnshire = SubRegionFactory(partnership=em_iep, accountable_body=north_kesteven)
    lincolnshire.members.add(north_kesteven)
    return {
        "em_iep": em_iep,
        "lancashire": lancashire,
        "lincolnshire": lincolnshire,
        "fylde": SubRegionFactory(partnership=lancashire),
        "north_kesteven": north_kesteven,
        "lancaster": lancaster,
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
    }


def test_an_officer_reads_the_partnerships_and_sub_regions_of_their_council(client, partnerships):
    officer = partnerships["officer"]

    rows = listed(client, officer, "/api/v1/partnerships/")
    assert [(row["short_name"], row["members"]) for row in rows] == [
        ("EM IEP", [partnerships["north_kesteven"].pk])
    ]
    assert listed(client, officer, "/api/v1/sub-regions/") == [
        {
            "id": partnerships["lincolnshire"].pk,
            "partnership": partnerships["em_iep"].pk,
            "name": partnerships["lincolnshire"].name,
            "slug": partnerships["lincolnshire"].slug,
            "accountable_body": partnerships["north_kesteven"].pk,
            "members": [partnerships["north_kesteven"].pk],
        }
    ]
    lancashire = partnerships["lancashire"].pk
    assert read(client, officer, f"/api/v1/partnerships/{lancashire}/").status_code == 404
    fylde = partnerships["fylde"].pk
    assert read(client, officer, f"/api/v1/sub-regions/{fylde}/").status_code == 404


def test_organisations_are_read_by_anyone_signed_in_and_narrow_by_partnership(client, partnerships):
    officer = partnerships["officer"]
    everyone = set(Organisation.objects.values_list("pk", flat=True))

    assert listed_ids(client, officer, "/api/v1/organisations/") == everyone
    lancashire = partnerships["lancashire"].pk
    assert listed_ids(client, officer, "/api/v1/organisations/", partnership=lancashire) == {
        partnerships["lancaster"].pk
    }
    assert listed(client, officer, "/api/v1/organisations/", gss_code="E07000139") == [
        {
            "id": partnerships["north_kesteven"].pk,
            "name": "North Kesteven District Council",
            "short_name": "",
            "kind": "district",
            "gss_code": "E07000139",
            "org_id": "GB-LAE-NKE",
        }
    ]
    assert listed_ids(client, officer, "/api/v1/organisations/", org_id="GB-LAE-NKE") == {
        partnerships["north_kesteven"].pk
    }


@pytest.fixture
def meetings(partnerships):
    em_board = MeetingFactory(
        partnership=partnerships["em_iep"], held_on=datetime.date(2011, 4, 12)
    )
    lancashire_board = MeetingFactory(partnership=partnerships["lancashire"])
    records = {}
    for meeting in (em_board, lancashire_board):
        records[meeting.partnership_id] = {
            "meeting": meeting,
            "decision": Decision.objects.create(meeting=meeting, text="Approve bid 3"),
            "open": Action.objects.create(
                meeting=meeting, text="Write to councils", owner="SRP manager"
            ),
            "done": Action.objects.create(
                meeting=meeting,
                text="Circulate the minutes",
                owner="Secretary",
                due_on=datetime.date(2011, 5, 1),
                done_on=datetime.date(2011, 4, 20),
            ),
        }
    return records[partnerships["em_iep"].pk], records[partnerships["lancashire"].pk]


def test_member_councils_read_their_boards_meetings_decisions_and_actions(
    client, partnerships, meetings
):
    officer = partnerships["officer"]
    em_iep, lancashire = meetings

    assert listed(client, officer, "/api/v1/meetings/") == [
        {
            "id": em_iep["meeting"].pk,
            "partnership": partnerships["em_iep"].pk,
            "title": "Board meeting",
            "held_on": "2011-04-12",
            "starts_at": None,
            "place": "",
            "minutes_status": "none",
            "minutes_approved_at": None,
        }
    ]
    assert listed_ids(client, officer, "/api/v1/decisions/") == {em_iep["decision"].pk}
    assert listed_ids(client, officer, "/api/v1/actions/") == {
        em_iep["open"].pk,
        em_iep["done"].pk,
    }
    for url, record in (
        ("/api/v1/meetings/", "meeting"),
        ("/api/v1/decisions/", "decision"),
        ("/api/v1/actions/", "open"),
    ):
        assert read(client, officer, f"{url}{lancashire[record].pk}/").status_code == 404


def test_actions_narrow_to_those_done_or_not(client, partnerships, meetings):
    officer = partnerships["officer"]
    em_iep, _ = meetings

    assert listed_ids(client, officer, "/api/v1/actions/", done="true") == {em_iep["done"].pk}
    assert listed_ids(client, officer, "/api/v1/actions/", done="false") == {em_iep["open"].pk}
    assert listed_ids(client, officer, "/api/v1/decisions/", held_on_after="2011-05-01") == set()


def test_anonymous_readers_are_refused_with_a_message(client, partnerships):
    response = read(client, None, "/api/v1/organisations/")

    # 401, naming the scheme to use: a personal API token (docs/adr/0022).
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_pages_are_cut_at_the_size_asked_for(client, partnerships):
    for _ in range(3):
        OrganisationFactory()

    response = read(client, partnerships["officer"], "/api/v1/organisations/", page_size=2)

    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"].endswith("/api/v1/organisations/?page=2&page_size=2")


def test_the_schema_is_openapi_3_and_names_every_endpoint(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/projects/",
        "/api/v1/grant-payments/",
        "/api/v1/bids/",
        "/api/v1/savings-returns/",
        "/api/v1/budget-lines/{id}/",
    } <= set(schema["paths"])


def test_the_docs_page_loads_swagger_ui_from_the_portal_itself(client):
    response = client.get("/api/v1/docs/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
