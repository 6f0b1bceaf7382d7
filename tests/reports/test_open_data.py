"""A partnership's approved grants, published as open data under the 360Giving Data
Standard: a public page and JSON and XLSX files anyone may read without signing in,
holding only the grants the board approved from the date the partnership's manager
published from, with the payments made on each."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bids.models import Bid
from partnership.models import AgendaItem, Decision, Partnership, Role
from projects.models import GrantPayment, Project
from projects.services import payment_approve, payment_record_paid
from reports import open_data
from tests.factories import (
    BidFactory,
    GrantPaymentFactory,
    MeetingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    SubRegionFactory,
    committed_project,
    funded_budget_line,
    user_with_role,
)
from tests.reports.giving_checks import quality_problems, schema_errors

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 1)


def _decision(partnership, held_on):
    meeting = MeetingFactory(partnership=partnership, held_on=held_on)
    item = AgendaItem.objects.create(meeting=meeting, number=11, title="Project bids")
    return Decision.objects.create(meeting=meeting, agenda_item=item, text="Approved.")


def _grant(partnership, decision, *, lead, programme=None, **project):
    """A project from a bid the board approved with ``decision``, its grant committed
    on a funded budget line."""
    line = funded_budget_line(programme=programme or ProgrammeFactory(partnership=partnership))
    bid = BidFactory(
        bidding_round__budget_line=line,
        sponsor=lead,
        status=Bid.Status.APPROVED,
        grant_allocated=project.get("grant_awarded", Decimal("100000.00")),
        decision=decision,
    )
    return committed_project(
        line,
        lead,
        bid=bid,
        starts_on=datetime.date(2011, 5, 1),
        ends_on=datetime.date(2013, 3, 31),
        **project,
    )


def _pay(payment, paid_on):
    """Approve and pay ``payment`` as finance would, through the services."""
    GrantPayment.objects.filter(pk=payment.pk).update(status=GrantPayment.Status.DUE)
    manager = user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=payment.project.programme.partnership
    )
    payment_approve(payment=payment, by=manager, approved_on=paid_on)
    return payment_record_paid(payment=payment, paid_on=paid_on, reference="BACS", by=manager)


def _paid(project, amount, paid_on):
    return _pay(GrantPaymentFactory(project=project, amount=Decimal(amount)), paid_on)


@pytest.fixture
def grants():
    """EM IEP, publishing from 1 April 2011: Shared ICT (approved 12 April 2011, two
    payments made and one to come) is published; a grant approved before that date,
    and a bid referred back, are not."""
    partnership = PartnershipFactory(
        short_name="EM IEP",
        slug="em-iep",
        name="East Midlands Improvement and Efficiency Partnership",
        giving_prefix="360G-emiep",
        grants_published_from=datetime.date(2011, 4, 1),
    )
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council",
        gss_code="E07000139",
        org_id="GB-LAE-NKE",
        partnership=partnership,
    )
    april = _decision(partnership, datetime.date(2011, 4, 12))
    shared_ict = _grant(
        partnership,
        april,
        lead=north_kesteven,
        reference="EMIEP-2011-01",
        title="Shared ICT",
        outline="A shared ICT service for the Lincolnshire districts.",
        grant_awarded=Decimal("100000.00"),
    )
    _paid(shared_ict, "40000.00", datetime.date(2011, 10, 14))
    _paid(shared_ict, "30000.50", datetime.date(2012, 7, 20))
    GrantPaymentFactory(project=shared_ict, amount=Decimal("29999.50"))
    earlier = _grant(
        partnership,
        _decision(partnership, datetime.date(2010, 11, 26)),
        lead=north_kesteven,
        title="Approved before publishing began",
    )
    referred = BidFactory(
        bidding_round=shared_ict.bid.bidding_round,
        status=Bid.Status.REFERRED_BACK,
        decision=april,
        title="Referred back for more work",
    )
    return {
        "partnership": partnership,
        "shared_ict": shared_ict,
        "earlier": earlier,
        "referred": referred,
        "north_kesteven": north_kesteven,
    }


def _package(client, partnership) -> dict:
    response = client.get(f"/open-data/{partnership.slug}/360giving.json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_anyone_reads_the_published_grants_without_signing_in(client, grants):
    response = client.get("/open-data/em-iep/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Shared ICT" in page
    assert "360G-emiep-EMIEP-2011-01" in page
    assert "North Kesteven District Council" in page
    assert "£100,000" in page and "£70,001" in page
    assert "/open-data/em-iep/360giving.json" in page
    assert "/open-data/em-iep/360giving.xlsx" in page
    assert "Approved before publishing began" not in page
    assert "Referred back for more work" not in page


def test_the_360giving_file_describes_each_published_grant(client, grants):
    package = _package(client, grants["partnership"])

    assert package == {
        "grants": [
            {
                "id": "360G-emiep-EMIEP-2011-01",
                "title": "Shared ICT",
                "description": "A shared ICT service for the Lincolnshire districts.",
                "currency": "GBP",
                "amountAwarded": 100000.0,
                "amountDisbursed": 70000.5,
                "awardDate": "2011-04-12",
                "plannedDates": [{"startDate": "2011-05-01", "endDate": "2013-03-31"}],
                "recipientOrganization": [
                    {"id": "GB-LAE-NKE", "name": "North Kesteven District Council"}
                ],
                "beneficiaryLocation": [
                    {
                        "name": "North Kesteven District Council",
                        "countryCode": "GB",
                        "geoCode": "E07000139",
                        "geoCodeType": "NMD",
                    }
                ],
                "fundingOrganization": [
                    {
                        "id": "360G-emiep",
                        "name": "East Midlands Improvement and Efficiency Partnership",
                    }
                ],
                "grantProgramme": [
                    {
                        "code": package["grants"][0]["grantProgramme"][0]["code"],
                        "title": (
                            f"{grants['shared_ict'].programme.name}: "
                            f"{grants['shared_ict'].budget_line.name}"
                        ),
                    }
                ],
                "disbursementTransaction": [
                    {
                        "id": package["grants"][0]["disbursementTransaction"][0]["id"],
                        "transactionDate": "2011-10-14",
                        "value": 40000.0,
                        "currency": "GBP",
                    },
                    {
                        "id": package["grants"][0]["disbursementTransaction"][1]["id"],
                        "transactionDate": "2012-07-20",
                        "value": 30000.5,
                        "currency": "GBP",
                    },
                ],
                "dateModified": package["grants"][0]["dateModified"],
                "dataSource": "http://testserver/open-data/em-iep/360giving.json",
            }
        ]
    }


def test_the_360giving_file_passes_the_schema_and_quality_checks(client, grants):
    package = _package(client, grants["partnership"])

    assert schema_errors(package) == []
    assert quality_problems(package, prefix="360G-emiep", today=TODAY) == []


def test_the_checks_catch_a_file_that_breaks_the_standard(client, grants):
    """The checks can fail: a grant with no recipient, and one whose disbursed amount
    is not its payments, are both caught."""
    package = _package(client, grants["partnership"])
    grant = package["grants"][0]
    grant["amountDisbursed"] = 100.0
    broken = {"grants": [{**grant, "recipientOrganization": []}]}

    assert schema_errors(broken)
    assert quality_problems(package, prefix="360G-emiep", today=TODAY) == [
        "360G-emiep-EMIEP-2011-01: amountDisbursed is not the sum of its disbursements"
    ]


def test_the_spreadsheet_has_the_standards_column_titles_and_the_same_figures(client, grants):
    response = client.get("/open-data/em-iep/360giving.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["grants"]
    header, *rows = sheet.iter_rows(values_only=True)
    row = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1
    assert row["Identifier"] == "360G-emiep-EMIEP-2011-01"
    assert row["Amount Awarded"] == 100000
    assert row["Amount Disbursed"] == pytest.approx(70000.5)
    assert row["Recipient Org:Identifier"] == "GB-LAE-NKE"
    assert row["Beneficiary Location:Geographic Code"] == "E07000139"
    assert row["Beneficiary Location:Geographic Code Type"] == "NMD"
    assert row["Funding Org:Identifier"] == "360G-emiep"
    assert row["Award Date"] == "2011-04-12"


def test_a_title_that_reads_as_a_formula_is_text_in_the_spreadsheet(client, grants):
    Project.objects.filter(pk=grants["shared_ict"].pk).update(title='=HYPERLINK("x")')

    sheet = load_workbook(io.BytesIO(client.get("/open-data/em-iep/360giving.xlsx").content))
    header, row = sheet["grants"].iter_rows(values_only=True)
    cells = dict(zip(header, row, strict=True))

    assert cells["Title"] == '\'=HYPERLINK("x")'
    assert cells["Amount Awarded"] == 100000


def test_a_grant_to_a_sub_regions_programme_paid_to_its_accountable_body_is_a_regrant(grants):
    partnership = grants["partnership"]
    lincolnshire = SubRegionFactory(
        partnership=partnership, accountable_body=grants["north_kesteven"]
    )
    srp = ProgrammeFactory(partnership=partnership, sub_region=lincolnshire)
    regrant = _grant(
        partnership,
        grants["shared_ict"].bid.decision,
        lead=grants["north_kesteven"],
        programme=srp,
        title="Lincolnshire SRP fund",
    )

    records = {
        record["title"]: record for record in open_data.grant_records(partnership, "http://x/")
    }

    assert records["Lincolnshire SRP fund"]["regrantType"] == "FRG010"
    assert "regrantType" not in records["Shared ICT"]
    assert regrant.programme.sub_region == lincolnshire


def test_nothing_is_published_until_the_manager_publishes(client, grants):
    partnership = grants["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(grants_published_from=None)

    page = client.get("/open-data/em-iep/")
    assert page.status_code == 200
    assert "publishes no grants as open data yet" in page.content.decode()
    assert "Shared ICT" not in page.content.decode()
    assert client.get("/open-data/em-iep/360giving.json").status_code == 404
    assert client.get("/open-data/em-iep/360giving.xlsx").status_code == 404
    assert client.get("/open-data/no-such-partnership/").status_code == 404


def test_a_session_that_owes_its_two_factor_code_still_reads_the_open_data(client, grants):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=grants["partnership"])
    client.force_login(manager)
    session = client.session
    session.clear()  # signed in by password only: the code is still owed
    session.update({"_auth_user_id": str(manager.pk)})
    session.save()

    assert client.get("/open-data/em-iep/").status_code == 200
    assert client.get("/open-data/em-iep/360giving.json").status_code == 200


def test_the_public_page_answers_in_the_same_number_of_queries_however_many_grants(
    client, grants, django_assert_num_queries
):
    partnership = grants["partnership"]
    decision = grants["shared_ict"].bid.decision
    for _ in range(4):
        _paid(
            _grant(partnership, decision, lead=grants["north_kesteven"]),
            "10.00",
            datetime.date(2012, 1, 1),
        )
    # the partnership, the grants with their recipients, programmes and decisions
    # (each grant's last change a subquery), and their payments made
    with django_assert_num_queries(3):
        assert client.get("/open-data/em-iep/").status_code == 200


def test_a_programme_manager_publishes_the_grants_from_a_date(client, grants):
    partnership = grants["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(grants_published_from=None)
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)
    client.force_login(manager)

    response = client.post(
        "/partnerships/em-iep/open-data/",
        {"published_from_0": "1", "published_from_1": "4", "published_from_2": "2011"},
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.grants_published_from == datetime.date(2011, 4, 1)
    assert open_data.published_grants(partnership).get() == grants["shared_ict"]

    response = client.post("/partnerships/em-iep/open-data/stop/")
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.grants_published_from is None


@pytest.mark.parametrize("kind", [Role.Kind.BOARD_MEMBER, Role.Kind.FINANCE])
def test_only_a_programme_manager_decides_what_is_published(client, grants, kind):
    partnership = grants["partnership"]
    client.force_login(user_with_role(kind, partnership=partnership))

    assert client.get("/partnerships/em-iep/open-data/").status_code == 403
    response = client.post(
        "/partnerships/em-iep/open-data/",
        {"published_from_0": "1", "published_from_1": "1", "published_from_2": "2000"},
    )
    assert response.status_code == 403
    assert client.post("/partnerships/em-iep/open-data/stop/").status_code == 403
    partnership.refresh_from_db()
    assert partnership.grants_published_from == datetime.date(2011, 4, 1)


def test_a_partnership_without_a_360giving_prefix_cannot_publish(client):
    partnership = PartnershipFactory(slug="no-prefix", giving_prefix="")
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership))

    response = client.post(
        "/partnerships/no-prefix/open-data/",
        {"published_from_0": "1", "published_from_1": "4", "published_from_2": "2011"},
    )

    assert response.status_code == 400
    assert "has no 360Giving prefix yet" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.grants_published_from is None


def test_the_demo_partnerships_file_passes_and_disburses_exactly_its_paid_payments(
    client, settings
):
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    em_iep = Partnership.objects.get(short_name="EM IEP")
    # Finance pays the first milestone's payment of each project.
    paid = [
        _pay(project.payments.order_by("due_on").first(), datetime.date(2011, 10, 14))
        for project in Project.objects.filter(programme__partnership=em_iep)
    ]

    package = _package(client, em_iep)

    assert schema_errors(package) == []
    assert quality_problems(package, prefix="360G-emiep", today=TODAY) == []
    assert len(package["grants"]) == 3
    disbursed = {grant["id"]: Decimal(str(grant["amountDisbursed"])) for grant in package["grants"]}
    assert disbursed == {
        f"360G-emiep-{payment.project.reference}": payment.amount for payment in paid
    }
