"""The bidding pages: rounds, bids drafted and submitted in the browser, scoring, the
ranked table and its downloads, and the fund-in-rank-order plan. The April 2011 EM IEP
round of the demo data is the reference: the pages must show the board paper's table."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bids.models import Bid, BiddingRound, InterestDeclaration, Score
from partnership.models import Organisation, Partnership, Role
from projects.models import Project
from reports.demo.fixture_files import rows
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    CriterionFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)

D = Decimal
TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n% outline business case\n"


# Reading pages ----------------------------------------------------------------------


def text(response) -> str:
    """The page's words, as a reader sees them (tags dropped, spaces collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_body = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[list[str]]:
    """The cells of each body row of the page's first table."""
    reader = _TableReader()
    html = response.content.decode()
    reader.feed(html[html.index("<table") : html.index("</table>")])
    return reader.rows


def errors_in_summary(response) -> list[str]:
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    found = re.findall(r'<a href="[^"]*">([^<]+)</a>', summary)
    return [" ".join(unescape(message).split()) for message in found]


# The April 2011 round, from the demo data -------------------------------------------


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the tests of TestTheApril2011Round: each test runs
    inside it and rolls back its own changes; the data goes when the class is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_demo", "--no-users", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def april_round(demo, db) -> BiddingRound:
    return BiddingRound.objects.get(
        budget_line__programme__partnership__short_name="EM IEP",
        name="Efficiency project bids 2011/13",
    )


@pytest.fixture
def em_iep(demo, db) -> Partnership:
    return Partnership.objects.get(short_name="EM IEP")


@pytest.fixture
def board(em_iep):
    return user_with_role(Role.Kind.BOARD_MEMBER, partnership=em_iep)


@pytest.fixture
def manager(em_iep):
    return user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=em_iep)


PAPER = rows("em_iep/em_project_bids_2011_13.csv")


def _payback(row) -> str:
    """The paper's payback as the table prints it (two places, or a dash)."""
    figure = row["payback_years_computed"]
    return f"{Decimal(figure):.2f}" if figure else "–"


class TestTheApril2011Round:
    """The reference round of the demo data, as the board paper of 12 April 2011 shows
    it."""

    def test_the_april_2011_ranked_table_shows_all_26_bids_with_the_papers_points_and_figures(
        self, client, april_round, board
    ):
        client.force_login(board)

        response = client.get(reverse("bids:round-ranked", args=[april_round.pk]))

        assert response.status_code == 200
        shown = {row[0]: row for row in table_rows(response)}
        assert len(shown) == 26
        for row in PAPER:
            number, points, sponsor, project, grant, savings, _partnership, _practice, payback = (
                shown[row["bid_no"]][:9]
            )
            assert points == row["points"]
            assert sponsor == row["sponsoring_authority"]
            assert project == row["project"]
            assert grant == f"£{int(row['grant_requested_gbp']):,}"
            # The figure formatted as every sum of money is; the paper's words where
            # it gave no figure, labelled as the sponsor's.
            if row["savings_amount_gbp"]:
                assert savings.startswith(f"£{int(row['savings_amount_gbp']):,}")
            else:
                assert savings == (
                    f"No figure; the sponsor wrote “{row['cashable_savings_as_written']}”"
                )
            assert payback == _payback(row)
        assert shown["1"][:9] == [
            "1",
            "7",
            "North Kesteven DC",
            "Shared ICT",
            "£100,000",
            "£2,137,416 over 5 years",
            "Yes",
            "Yes",
            "0.23",
        ]
        assert "26 bids, requesting £2,103,290 in all." in text(response)

    def test_the_six_bids_scoring_5_or_more_request_542000_in_all(self, client, april_round, board):
        client.force_login(board)

        response = client.get(
            reverse("bids:round-ranked", args=[april_round.pk]), {"min_points": 5}
        )

        assert [row[3] for row in table_rows(response)] == [
            "Shared ICT",
            "Business Intelligence and e-sourcing",
            "EM Public Sector Network",
            "Fleet Management",
            "Carbon Reduction In Schools",
            "Changing Thinking for Leaner Services",
        ]
        assert "6 bids match the filters, requesting £542,000 in all." in text(response)

    def test_the_round_shows_430000_remaining_of_750000_after_the_board_approved_320000(
        self, client, april_round, board
    ):
        client.force_login(board)

        body = text(client.get(april_round.get_absolute_url()))

        assert "Available £750,000 Approved £320,000 Remaining £430,000" in body
        listed = text(client.get(reverse("bids:round-list")))
        assert "£750,000 £320,000 £430,000" in listed

    def test_the_three_bids_that_scored_7_became_projects_led_by_their_sponsors(self, april_round):
        projects = Project.objects.filter(bid__bidding_round=april_round).select_related(
            "lead_organisation"
        )

        assert sorted(
            (project.lead_organisation.name, project.grant_awarded) for project in projects
        ) == [
            ("Leicester City Council", D("125000.00")),
            ("North Kesteven District Council", D("100000.00")),
            ("Nottinghamshire County Council", D("95000.00")),
        ]

    def test_the_ranked_table_downloads_as_csv_and_xlsx_with_the_tables_26_rows(
        self, client, april_round, board
    ):
        client.force_login(board)
        url = reverse("bids:round-ranked-csv", args=[april_round.pk])

        response = client.get(url)
        lines = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )

        assert response["Content-Type"].startswith("text/csv")
        header, *data = lines
        assert header == [
            "No.",
            "Points",
            "Sponsoring authority",
            "Project",
            "Grant requested",
            "Savings as claimed",
            "Partnership project",
            "Builds on good practice",
            "Payback (years)",
            "Status",
            "Interests declared",
        ]
        assert len(data) == 26
        assert data[0][:9] == [
            "1",
            "7",
            "North Kesteven DC",
            "Shared ICT",
            "100000.00",
            "£2,137,416 over 5 years",
            "yes",
            "yes",
            "0.23",
        ]

        response = client.get(reverse("bids:round-ranked-xlsx", args=[april_round.pk]))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        xlsx_rows = list(sheet.iter_rows(values_only=True))

        assert list(xlsx_rows[0]) == header
        assert len(xlsx_rows) == 27
        assert xlsx_rows[1][:5] == (1, 7, "North Kesteven DC", "Shared ICT", 100000)

    def test_the_downloads_keep_the_filters_of_the_table(self, client, april_round, board):
        client.force_login(board)

        response = client.get(
            reverse("bids:round-ranked-csv", args=[april_round.pk]), {"min_points": 5}
        )

        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert len(lines) == 1 + 6

    def test_the_ranked_table_sorts_by_a_column_and_back(self, client, april_round, board):
        client.force_login(board)
        url = reverse("bids:round-ranked", args=[april_round.pk])

        by_grant = [row[4] for row in table_rows(client.get(url, {"sort": "-grant"}))]
        assert by_grant[:2] == ["£300,000", "£180,000"]
        by_payback = client.get(url, {"sort": "payback"})
        paybacks = [row[8] for row in table_rows(by_payback)]
        assert paybacks[:3] == ["0.01", "0.23", "0.42"]
        assert paybacks[-1] == "–"  # bids with no yearly saving sort last either way
        assert 'aria-sort="ascending"' in by_payback.content.decode()
        assert "?sort=-payback" in by_payback.content.decode()  # the heading reverses it
        unknown = table_rows(client.get(url, {"sort": "password"}))
        assert [row[0] for row in unknown[:3]] == ["1", "2", "3"]  # rank order

    def test_the_ranked_table_filters_by_status_and_sponsor(self, client, april_round, board):
        client.force_login(board)
        url = reverse("bids:round-ranked", args=[april_round.pk])
        nottingham = Organisation.objects.get(name="Nottingham City Council")

        referred = table_rows(client.get(url, {"status": "referred_back"}))
        assert sorted(int(row[0]) for row in referred) == [8, 9, 10, 16, 19, 24]
        by_sponsor = table_rows(client.get(url, {"sponsor": nottingham.pk}))
        assert [row[3] for row in by_sponsor] == [
            "Changing Thinking for Leaner Services",
            "Rethinking Development Services",
        ]
        wrong = client.get(url, {"min_points": "lots"})
        assert errors_in_summary(wrong) == ["Enter the lowest score as a whole number"]
        assert len(table_rows(wrong)) == 26  # a wrong filter is not applied


# Everything else builds its own data ------------------------------------------------


@pytest.fixture
def partnership(db):
    return PartnershipFactory(short_name="EM IEP", name="East Midlands IEP")


@pytest.fixture
def north_kesteven(partnership):
    return OrganisationFactory(name="North Kesteven District Council", partnership=partnership)


@pytest.fixture
def derbyshire(partnership):
    return OrganisationFactory(
        name="Derbyshire County Council", kind=Organisation.Kind.COUNTY, partnership=partnership
    )


@pytest.fixture
def line(partnership):
    return funded_budget_line(D("750000"), name="Projects", programme__partnership=partnership)


@pytest.fixture
def open_round(line):
    bidding_round = BiddingRoundFactory(
        budget_line=line,
        name="Efficiency projects",
        opens_on=TODAY - datetime.timedelta(days=5),
        closes_on=TODAY + datetime.timedelta(days=30),
    )
    for position, (name, points) in enumerate(
        [("Involves other councils", 3), ("Generates cashable savings", 2)], start=1
    ):
        CriterionFactory(
            bidding_round=bidding_round, name=name, max_points=points, position=position
        )
    return bidding_round


@pytest.fixture
def closed_round(line):
    return BiddingRoundFactory(
        budget_line=line,
        name="Last year's projects",
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=1),
    )


@pytest.fixture
def officer(north_kesteven):
    return user_with_role(Role.Kind.OFFICER, organisation=north_kesteven)


@pytest.fixture
def derbyshire_officer(derbyshire):
    return user_with_role(Role.Kind.OFFICER, organisation=derbyshire)


@pytest.fixture
def pm(partnership):
    return user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)


@pytest.fixture
def board_member(partnership):
    return user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)


def bid_form(**changes) -> dict:
    """What an officer types into the bid form."""
    return {
        "title": "Shared ICT",
        "description": "One ICT service for the district councils of Lincolnshire.",
        "is_partnership": "yes",
        "grant_requested": "£100,000",
        "savings_claimed": "2,137,416",
        "savings_basis": "over_years",
        "savings_years": "5",
        "builds_on_good_practice": "yes",
        "expected_breakeven": "Within 3 months",
        **changes,
    }


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type)


# Rounds


def test_a_programme_manager_opens_a_round_with_the_default_criteria_changed(client, pm, line):
    client.force_login(pm)
    url = reverse("bids:round-open")
    assert 'value="Involves other councils"' in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "budget_line": line.pk,
            "name": "Efficiency projects 2012",
            "amount_available": "£400,000",
            "opens_on_0": "1",
            "opens_on_1": "5",
            "opens_on_2": "2012",
            "closes_on_0": "30",
            "closes_on_1": "6",
            "closes_on_2": "2012",
            "guidance": "Bids from groups of councils.",
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "3",
            "criteria-0-name": "Involves other councils",
            "criteria-0-max_points": "4",
            "criteria-1-name": "Proven track record",
            "criteria-1-max_points": "3",
            "criteria-2-name": "",
            "criteria-2-max_points": "",
        },
    )

    bidding_round = BiddingRound.objects.get(name="Efficiency projects 2012")
    assert response.status_code == 302
    assert response["Location"] == bidding_round.get_absolute_url()
    assert bidding_round.amount_available == D("400000.00")
    assert list(bidding_round.criteria.values_list("name", "max_points")) == [
        ("Involves other councils", 4),
        ("Proven track record", 3),
    ]


def test_opening_a_round_shows_every_problem_in_the_error_summary(client, pm, line):
    client.force_login(pm)

    response = client.post(
        reverse("bids:round-open"),
        {
            "budget_line": line.pk,
            "name": "",
            "amount_available": "lots",
            "opens_on_0": "31",
            "opens_on_1": "2",
            "opens_on_2": "2012",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Involves other councils",
            "criteria-0-max_points": "",
        },
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [
        "Enter a name for the round",
        "Enter the amount available as an amount in pounds, like 100000",
        "Enter the date the round opens as a real date",
        "Enter the date the round closes",
        "Enter the maximum points for “Involves other councils”",
    ]
    assert 'href="#id_opens_on_0"' in response.content.decode()
    assert not BiddingRound.objects.exists()


def test_a_round_cannot_offer_more_than_its_budget_line_has(client, pm, line):
    client.force_login(pm)

    response = client.post(
        reverse("bids:round-open"),
        {
            "budget_line": line.pk,
            "name": "Too generous",
            "amount_available": "750000.01",
            **{f"opens_on_{i}": v for i, v in enumerate(["1", "5", "2012"])},
            **{f"closes_on_{i}": v for i, v in enumerate(["30", "6", "2012"])},
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Involves other councils",
            "criteria-0-max_points": "3",
        },
    )

    assert errors_in_summary(response) == ["Projects has only £750,000.00 uncommitted."]


def test_only_a_programme_manager_opens_rounds(client, board_member, officer, line):
    for user in (board_member, officer):
        client.force_login(user)
        assert client.get(reverse("bids:round-open")).status_code == 403


def test_a_further_round_offers_what_is_left_and_carries_the_chosen_referred_back_bids(
    client, pm, closed_round, north_kesteven
):
    referred = BidFactory(
        bidding_round=closed_round, status=Bid.Status.REFERRED_BACK, title="Mobile Framework"
    )
    BidFactory(bidding_round=closed_round, status=Bid.Status.REFERRED_BACK, title="Not carried")
    client.force_login(pm)
    url = reverse("bids:round-reopen", args=[closed_round.pk])
    assert f"Bid {referred.number}: Mobile Framework" in text(client.get(url))

    opens, closes = TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=40)
    response = client.post(
        url,
        {
            "name": "Further round",
            **{f"opens_on_{i}": v for i, v in enumerate([opens.day, opens.month, opens.year])},
            **{f"closes_on_{i}": v for i, v in enumerate([closes.day, closes.month, closes.year])},
            "carry": [referred.pk],
        },
    )

    further = BiddingRound.objects.get(name="Further round")
    assert response["Location"] == further.get_absolute_url()
    assert further.amount_available == D("750000.00")
    assert list(further.bids.values_list("title", "status")) == [("Mobile Framework", "draft")]


def test_the_rounds_list_shows_only_the_rounds_a_user_may_see(client, open_round, officer):
    elsewhere = BiddingRoundFactory(name="Another partnership's round")
    client.force_login(officer)

    body = text(client.get(reverse("bids:round-list")))

    assert "Efficiency projects" in body
    assert elsewhere.name not in body
    assert "Open a bidding round" not in body


def test_the_rounds_list_counts_its_rounds_without_reading_their_bids(client, open_round, officer):
    BidFactory(bidding_round=open_round, status=Bid.Status.SUBMITTED)
    client.force_login(officer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("bids:round-list"))

    assert response.status_code == 200
    count = next(query["sql"] for query in captured if "COUNT(" in query["sql"].upper())
    # A join on the bids would make the count read every bid of every round in view.
    assert '"bids_bid"' not in count


# Bids


def test_a_business_case_attached_to_a_bid_refused_for_its_title_is_kept(
    client, officer, open_round
):
    client.force_login(officer)
    url = reverse("bids:bid-create", args=[open_round.pk])

    refused = client.post(
        url, {**bid_form(title=""), "business_case": upload("case.pdf", PDF, "application/pdf")}
    )

    assert errors_in_summary(refused) == ["Enter the project title"]
    assert "You attached case.pdf. It is kept: choose a file only to replace it." in text(refused)
    token = re.search(r'name="business_case_held" value="([^"]+)"', refused.content.decode())
    assert not Bid.objects.exists()

    # Sent again with the title and no file chosen: the held file is the business case.
    client.post(url, {**bid_form(), "business_case_held": token.group(1)})

    bid = Bid.objects.get()
    assert bid.business_case.name.endswith("case.pdf")
    assert bid.business_case.read() == PDF


def test_a_forged_held_file_token_is_ignored(client, officer, open_round):
    client.force_login(officer)

    client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {**bid_form(), "business_case_held": "held-uploads/x/secret.pdf"},
    )

    assert not Bid.objects.get().business_case


def test_every_aria_controls_on_the_bid_form_names_a_part_of_the_page(client, officer, open_round):
    client.force_login(officer)

    page = client.get(reverse("bids:bid-create", args=[open_round.pk])).content.decode()

    controlled = re.findall(r'aria-controls="([^"]+)"', page)
    assert "conditional_savings_basis_1" in controlled  # "Over a number of years" reveals
    assert [target for target in controlled if f'id="{target}"' not in page] == []


def test_the_partners_offered_are_the_partnerships_members_other_than_the_sponsor(
    client, officer, open_round, derbyshire
):
    OrganisationFactory(name="Cheshire East Council")  # of no partnership of the round
    client.force_login(officer)

    page = client.get(reverse("bids:bid-create", args=[open_round.pk])).content.decode()

    partners = page[page.index("Partner organisations") : page.index("Is this a partnership")]
    assert 'type="checkbox"' in partners
    assert "Derbyshire County Council" in partners
    assert "North Kesteven District Council" not in partners  # the sponsor
    assert "Cheshire East Council" not in partners


def test_a_partner_from_outside_the_partnership_is_refused_on_the_field(
    client, officer, open_round
):
    outsider = OrganisationFactory(name="Cheshire East Council")
    client.force_login(officer)

    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]), bid_form(partners=[outsider.pk])
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == ["Choose partner organisations from the list"]
    assert not Bid.objects.exists()


def test_an_officer_drafts_a_bid_for_their_council_and_sees_the_derived_figures(
    client, officer, open_round, derbyshire
):
    client.force_login(officer)

    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {
            **bid_form(partners=[derbyshire.pk]),
            "business_case": upload("case.pdf", PDF, "application/pdf"),
        },
    )

    bid = Bid.objects.get()
    assert response["Location"] == bid.get_absolute_url()
    assert bid.status == Bid.Status.DRAFT
    assert bid.sponsor.name == "North Kesteven District Council"
    assert list(bid.partners.all()) == [derbyshire]
    assert bid.grant_requested == D("100000.00")
    body = text(client.get(bid.get_absolute_url()))
    assert "£2,137,416 over 5 years" in body
    assert "Annual cashable saving £427,483" in body
    assert "Payback 0.23 years" in body
    assert "Five-year return £2,037,416" in body
    assert "Check and submit the bid" in body
    assert "Created as a draft" in body


def test_an_officer_of_several_councils_chooses_which_sponsors_the_bid(
    client, open_round, north_kesteven, derbyshire
):
    officer = user_with_role(Role.Kind.OFFICER, organisation=north_kesteven)
    Role.objects.create(user=officer, kind=Role.Kind.OFFICER, organisation=derbyshire)
    client.force_login(officer)
    url = reverse("bids:bid-create", args=[open_round.pk])

    missing = client.post(url, bid_form())
    assert errors_in_summary(missing) == ["Choose the council sponsoring the bid"]
    client.post(url, bid_form(sponsor=derbyshire.pk))

    assert Bid.objects.get().sponsor == derbyshire


def test_the_bid_form_explains_each_mistake_and_keeps_what_was_typed(client, officer, open_round):
    client.force_login(officer)

    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        bid_form(title="", grant_requested="a lot", savings_years="", savings_claimed="5,000"),
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [
        "Enter the project title",
        "Enter the grant requested as an amount in pounds, like 100000",
        "Enter the number of years the savings are claimed over",
    ]
    html = response.content.decode()
    assert 'href="#id_savings_years"' in html
    assert 'value="5,000"' in html
    assert not Bid.objects.exists()


def test_a_savings_claim_needs_an_amount_unless_none_is_specified(client, officer, open_round):
    client.force_login(officer)
    url = reverse("bids:bid-create", args=[open_round.pk])

    no_amount = client.post(url, bid_form(savings_claimed="", savings_basis="per_annum"))
    assert errors_in_summary(no_amount) == [
        "Enter the cashable savings claimed, or choose None specified"
    ]
    amount_but_none = client.post(url, bid_form(savings_basis="none"))
    assert errors_in_summary(amount_but_none) == [
        "Choose the period the savings are claimed over, or remove the amount"
    ]
    assert 'href="#id_savings_basis_0"' in amount_but_none.content.decode()
    client.post(url, bid_form(savings_claimed="", savings_basis="none", savings_years="5"))
    bid = Bid.objects.get()
    assert (bid.savings_claimed, bid.savings_basis, bid.savings_years) == (None, "none", None)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "application/x-msdownload",
            "The outline business case must be a PDF or Word document (.pdf, .doc or .docx)",
        ),
        (
            "case.pdf",
            b"MZ\x90\x00 not really a PDF",
            "application/pdf",
            "The selected file is not a real PDF document: its name ends in .pdf but its "
            "contents are not PDF. Save it again as a PDF or Word document",
        ),
        (
            "case.docx",
            b"PK\x03\x04 a zip that is not a Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "The selected file is not a real Word document: its name ends in .docx but its "
            "contents are not Word. Save it again as a PDF or Word document",
        ),
        ("case.pdf", b"", "application/pdf", "The selected file is empty"),
    ],
)
def test_a_business_case_that_is_not_a_real_pdf_or_word_file_is_refused(
    client, officer, open_round, name, content, content_type, message
):
    client.force_login(officer)

    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {**bid_form(), "business_case": upload(name, content, content_type)},
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [message]
    assert not Bid.objects.exists()


def test_a_business_case_over_10_mb_is_refused(client, officer, open_round):
    client.force_login(officer)
    too_big = PDF + b"0" * (10 * 1024 * 1024)

    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {**bid_form(), "business_case": upload("case.pdf", too_big, "application/pdf")},
    )

    assert errors_in_summary(response) == ["The outline business case must be smaller than 10 MB"]


def test_a_word_business_case_is_accepted_and_downloaded_only_by_those_who_see_the_bid(
    client, officer, derbyshire_officer, open_round
):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    client.force_login(officer)
    # Some browsers do not know a .docx, and send it as any file: its contents decide.
    response = client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {
            **bid_form(),
            "business_case": upload("case.docx", docx.getvalue(), "application/octet-stream"),
        },
    )
    assert response.status_code == 302, errors_in_summary(response)
    bid = Bid.objects.get()
    url = reverse("bids:bid-business-case", args=[bid.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == docx.getvalue()
    client.force_login(derbyshire_officer)
    assert client.get(url).status_code == 404


def test_an_officer_of_another_council_cannot_see_or_change_a_draft_bid(
    client, open_round, derbyshire, officer
):
    bid = BidFactory(bidding_round=open_round, sponsor=derbyshire)
    client.force_login(officer)

    for name in ("bid-detail", "bid-update", "bid-submit", "bid-withdraw"):
        assert client.get(reverse(f"bids:{name}", args=[bid.pk])).status_code == 404
    assert client.post(reverse("bids:bid-update", args=[bid.pk]), bid_form()).status_code == 404
    assert "Shared service" not in text(client.get(open_round.get_absolute_url()))


def test_a_board_member_sees_submitted_bids_but_cannot_change_them(
    client, open_round, board_member, north_kesteven
):
    bid = BidFactory(bidding_round=open_round, sponsor=north_kesteven, status="submitted")
    client.force_login(board_member)

    assert client.get(bid.get_absolute_url()).status_code == 200
    assert client.get(reverse("bids:bid-withdraw", args=[bid.pk])).status_code == 403
    assert client.get(reverse("bids:bid-score", args=[bid.pk])).status_code == 403
    assert client.get(reverse("bids:bid-recommend", args=[bid.pk])).status_code == 403


def test_an_officer_changes_a_draft_and_the_page_keeps_the_business_case(
    client, officer, open_round, north_kesteven
):
    client.force_login(officer)
    client.post(
        reverse("bids:bid-create", args=[open_round.pk]),
        {**bid_form(), "business_case": upload("case.pdf", PDF, "application/pdf")},
    )
    bid = Bid.objects.get()
    url = reverse("bids:bid-update", args=[bid.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()

    response = client.post(url, bid_form(title="Shared ICT and telephony", version=bid.version))

    bid.refresh_from_db()
    assert response["Location"] == bid.get_absolute_url()
    assert bid.title == "Shared ICT and telephony"
    assert bid.version == 2
    assert bid.business_case.name.endswith(".pdf")


def test_a_stale_form_is_refused_with_the_services_message_and_keeps_the_officers_input(
    client, officer, open_round, north_kesteven
):
    bid = BidFactory(bidding_round=open_round, sponsor=north_kesteven, title="Shared ICT")
    client.force_login(officer)
    stale = bid.version
    client.post(
        reverse("bids:bid-update", args=[bid.pk]), bid_form(title="Saved first", version=stale)
    )

    response = client.post(
        reverse("bids:bid-update", args=[bid.pk]), bid_form(title="Saved second", version=stale)
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [
        "Someone else changed this bid since you opened it. Reload it to see their changes, "
        "then make yours again."
    ]
    assert 'value="Saved second"' in response.content.decode()
    bid.refresh_from_db()
    assert bid.title == "Saved first"


def test_nothing_can_be_changed_after_the_round_closes(
    client, officer, closed_round, north_kesteven
):
    bid = BidFactory(bidding_round=closed_round, sponsor=north_kesteven, title="Shared ICT")
    client.force_login(officer)

    page = text(client.get(bid.get_absolute_url()))
    assert "Change the bid" not in page
    assert "Check and submit the bid" not in page
    assert "cannot be changed or submitted outside those dates" in page
    assert client.get(reverse("bids:bid-update", args=[bid.pk])).status_code == 302
    refused = client.post(
        reverse("bids:bid-update", args=[bid.pk]), bid_form(title="Late", version=bid.version)
    )
    assert refused.status_code == 400
    assert errors_in_summary(refused) == [
        f"The round closed on {closed_round.closes_on:%-d %B %Y}."
    ]
    assert client.post(reverse("bids:bid-submit", args=[bid.pk])).status_code == 302
    assert client.get(reverse("bids:bid-create", args=[closed_round.pk])).status_code == 302
    bid.refresh_from_db()
    assert (bid.title, bid.status) == ("Shared ICT", Bid.Status.DRAFT)


def test_submitting_needs_a_description_and_business_case_then_sends_the_bid(
    client, officer, open_round, north_kesteven
):
    bid = BidFactory(bidding_round=open_round, sponsor=north_kesteven, description="")
    client.force_login(officer)
    url = reverse("bids:bid-submit", args=[bid.pk])
    assert "Check your bid before you submit it" in text(client.get(url))

    refused = client.post(url)
    assert refused.status_code == 400
    assert errors_in_summary(refused) == ["Describe the project before submitting the bid."]
    edit = reverse("bids:bid-update", args=[bid.pk])
    assert f'href="{edit}#id_description"' in refused.content.decode()

    client.post(
        edit,
        {
            **bid_form(version=bid.version),
            "business_case": upload("case.pdf", PDF, "application/pdf"),
        },
    )
    response = client.post(url)

    bid.refresh_from_db()
    assert response["Location"] == bid.get_absolute_url()
    assert bid.status == Bid.Status.SUBMITTED
    body = text(client.get(bid.get_absolute_url()))
    assert "Status changed to Submitted" in body
    assert f"Submitted {timezone.localdate():%-d %B %Y} by {officer.username}" in body
    assert "Change the bid" not in body


def test_the_check_page_links_each_answer_to_its_field_on_the_edit_page(
    client, officer, open_round, north_kesteven
):
    bid = BidFactory(bidding_round=open_round, sponsor=north_kesteven)
    client.force_login(officer)
    edit = reverse("bids:bid-update", args=[bid.pk])

    response = client.get(reverse("bids:bid-submit", args=[bid.pk]))

    page = response.content.decode()
    for anchor in ("id_partners_1", "id_grant_requested", "id_savings_claimed", "id_business_case"):
        assert f'href="{edit}#{anchor}"' in page
    assert "Change the grant requested" in text(response)
    # The bid's own page, not a check page, has none.
    assert "govuk-summary-list__actions" not in client.get(bid.get_absolute_url()).content.decode()
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_an_officer_withdraws_a_bid_after_confirming(client, officer, open_round, north_kesteven):
    bid = BidFactory(bidding_round=open_round, sponsor=north_kesteven, status="submitted")
    client.force_login(officer)
    url = reverse("bids:bid-withdraw", args=[bid.pk])

    assert "Are you sure you want to withdraw" in text(client.get(url))
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    client.post(url)

    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN
    assert client.get(url).status_code == 403  # nothing left to withdraw


# Scoring, recommendation and the funding plan


@pytest.fixture
def submitted_bid(open_round, north_kesteven):
    return BidFactory(
        bidding_round=open_round,
        sponsor=north_kesteven,
        status=Bid.Status.SUBMITTED,
        title="Shared ICT",
    )


def score_form(bid, *points_and_comments) -> dict:
    data = {}
    for criterion, (points, comment) in zip(
        bid.bidding_round.criteria.all(), points_and_comments, strict=True
    ):
        data[f"points_{criterion.pk}"] = points
        data[f"comment_{criterion.pk}"] = comment
    return data


def test_two_scorers_score_each_criterion_and_the_manager_records_the_agreed_total(
    client, pm, submitted_bid, open_round
):
    scorer = UserFactory(username="steering-group-member")
    open_round.scorers.add(scorer)
    url = reverse("bids:bid-score", args=[submitted_bid.pk])

    client.force_login(pm)
    client.post(url, score_form(submitted_bid, ("3", "Five councils"), ("2", "Pays back fast")))
    client.force_login(scorer)
    client.post(url, score_form(submitted_bid, ("2", "Two councils"), ("2", "")))

    assert Score.objects.filter(bid=submitted_bid).count() == 4
    client.force_login(pm)
    body = text(client.get(submitted_bid.get_absolute_url()))
    assert f"{pm.username} 5" in body
    assert "steering-group-member 4" in body
    assert "Five councils" in body
    agreed = client.post(reverse("bids:bid-agree-points", args=[submitted_bid.pk]), {"points": "5"})
    submitted_bid.refresh_from_db()
    assert agreed.status_code == 302
    assert submitted_bid.agreed_points == 5
    too_many = client.post(
        reverse("bids:bid-agree-points", args=[submitted_bid.pk]), {"points": "6"}
    )
    assert errors_in_summary(too_many) == ["The agreed total must be 5 or fewer"]


def test_a_score_above_the_criterions_maximum_is_refused_and_none_is_kept(
    client, pm, submitted_bid
):
    client.force_login(pm)

    response = client.post(
        reverse("bids:bid-score", args=[submitted_bid.pk]),
        score_form(submitted_bid, ("3", ""), ("4", "")),
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [
        "The points for “Generates cashable savings” must be 2 or fewer"
    ]
    assert not Score.objects.exists()


def test_a_scorer_who_declares_an_interest_is_kept_from_scoring_and_it_shows_on_the_table(
    client, pm, submitted_bid, open_round
):
    client.force_login(pm)
    client.post(
        reverse("bids:bid-declare-interest", args=[submitted_bid.pk]),
        {"reason": "My council is a partner"},
    )

    assert InterestDeclaration.objects.get().reason == "My council is a partner"
    assert client.get(reverse("bids:bid-score", args=[submitted_bid.pk])).status_code == 403
    assert "Score this bid" not in text(client.get(submitted_bid.get_absolute_url()))
    ranked = table_rows(client.get(reverse("bids:round-ranked", args=[open_round.pk])))
    assert ranked[0][10] == f"{pm.username}: My council is a partner"


def test_an_officer_cannot_score_or_recommend_their_own_bid(client, officer, submitted_bid):
    client.force_login(officer)

    assert client.get(reverse("bids:bid-score", args=[submitted_bid.pk])).status_code == 403
    assert client.get(reverse("bids:bid-agree-points", args=[submitted_bid.pk])).status_code == 403
    assert client.get(reverse("bids:bid-recommend", args=[submitted_bid.pk])).status_code == 403
    assert (
        client.get(reverse("bids:round-funding-plan", args=[submitted_bid.bidding_round_id]))
    ).status_code == 403


@pytest.mark.parametrize("status", [Bid.Status.WITHDRAWN, Bid.Status.APPROVED])
def test_the_agreed_total_of_a_withdrawn_or_approved_bid_cannot_be_changed(
    client, pm, open_round, status
):
    allocated = D("100000") if status == Bid.Status.APPROVED else None
    bid = BidFactory(
        bidding_round=open_round, status=status, agreed_points=5, grant_allocated=allocated
    )
    client.force_login(pm)

    refused = client.post(reverse("bids:bid-agree-points", args=[bid.pk]), {"points": "2"})

    assert refused.status_code == 403
    bid.refresh_from_db()
    assert bid.agreed_points == 5
    assert "Record the agreed total" not in text(client.get(bid.get_absolute_url()))


def test_a_referral_back_recommendation_needs_the_work_to_be_named(client, pm, submitted_bid):
    client.force_login(pm)
    url = reverse("bids:bid-recommend", args=[submitted_bid.pk])

    refused = client.post(url, {"recommendation": "refer_back", "recommendation_note": ""})
    assert errors_in_summary(refused) == ["Say what further work the bid needs."]
    client.post(
        url, {"recommendation": "refer_back", "recommendation_note": "Quantify the savings"}
    )

    submitted_bid.refresh_from_db()
    assert submitted_bid.recommendation == Bid.Recommendation.REFER_BACK
    assert submitted_bid.recommendation_note == "Quantify the savings"


def test_the_funding_plan_funds_in_rank_order_and_records_recommendations(client, pm, open_round):
    for number, points, grant in [
        (1, 7, "400000"),
        (2, 6, "300000"),
        (3, 5, "300000"),
        (4, 2, "10000"),
    ]:
        BidFactory(
            bidding_round=open_round,
            number=number,
            agreed_points=points,
            grant_requested=D(grant),
            status=Bid.Status.SUBMITTED,
            title=f"Bid with {points} points",
        )
    client.force_login(pm)
    url = reverse("bids:round-funding-plan", args=[open_round.pk])

    response = client.get(url, {"minimum_points": "5"})

    funded = [row[2] for row in table_rows(response) if "Funded" in row[4] and "Not" not in row[4]]
    assert funded == ["Bid with 7 points", "Bid with 6 points"]
    body = text(response)
    assert "The plan funds £700,000" in body
    assert "Left after the plan £50,000" in body
    assert "Scored below 5" in body
    assert "Not enough left in the round" in body

    client.post(url, {"minimum_points": "5"})

    assert sorted(
        Bid.objects.filter(recommendation="approve").values_list("number", flat=True)
    ) == [1, 2]


# Bounded queries


def test_the_ranked_table_costs_the_same_queries_for_5_bids_as_for_30(
    client, board_member, line, derbyshire
):
    client.force_login(board_member)
    small, large = (BiddingRoundFactory(budget_line=line) for _ in range(2))
    for bidding_round, count in ((small, 5), (large, 30)):
        criterion = CriterionFactory(bidding_round=bidding_round)
        for _ in range(count):
            bid = BidFactory(
                bidding_round=bidding_round, status=Bid.Status.SUBMITTED, agreed_points=3
            )
            bid.partners.add(derbyshire)
            Score.objects.create(bid=bid, criterion=criterion, scorer=board_member, points=3)
            InterestDeclaration.objects.create(bid=bid, user=board_member, reason="A partner")

    def queries(bidding_round) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("bids:round-ranked", args=[bidding_round.pk]))
        assert response.status_code == 200
        return len(captured)

    # Session, user, the user's roles, the round, whether the board has decided its
    # bids, whether the user is named to score it, its approved total, the sponsors to
    # filter by, the bids with their sponsors and decisions, their declarations and the
    # declaring users, and which of the bids the user may open. The table shows no
    # partners or scores, so they are not fetched. And the menu's unread notifications.
    assert queries(small) == queries(large) == 13


def test_a_bid_page_costs_a_named_scorer_the_same_queries_for_1_score_as_for_6(
    client, open_round, north_kesteven
):
    scorer = UserFactory()
    open_round.scorers.add(scorer)
    criteria = [CriterionFactory(bidding_round=open_round) for _ in range(6)]
    one, six = (
        BidFactory(bidding_round=open_round, sponsor=north_kesteven, status=Bid.Status.SUBMITTED)
        for _ in range(2)
    )
    Score.objects.create(bid=one, criterion=criteria[0], scorer=scorer, points=2)
    for criterion in criteria:
        Score.objects.create(bid=six, criterion=criterion, scorer=scorer, points=2)
    client.force_login(scorer)

    def queries(bid) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(bid.get_absolute_url())
        assert response.status_code == 200
        assert f"{scorer.username} {bid.scores.count() * 2}" in text(response)
        return len(captured)

    assert queries(one) == queries(six)


def test_a_round_with_several_named_scorers_lists_each_bid_once(
    client, pm, submitted_bid, open_round
):
    open_round.scorers.add(UserFactory(), UserFactory())
    client.force_login(pm)

    rows_shown = table_rows(client.get(reverse("bids:round-ranked", args=[open_round.pk])))

    assert [row[3] for row in rows_shown] == ["Shared ICT"]
