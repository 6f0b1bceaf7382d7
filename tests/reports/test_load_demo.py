"""`manage.py load_demo` loads the two partnerships of the seed documents, with every
figure the board papers print, and can be run again without doubling anything."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from bids.models import Bid, BiddingRound
from partnership.models import Meeting, Organisation, Partnership, Role
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from programmes.selectors import (
    budget_line_balance,
    funds_received_by_sub_region,
    programme_balance,
)
from projects.models import Project
from projects.selectors import project_money
from reports.demo.fixture_files import money, rows
from reports.demo.users import DEMO_PASSWORD
from savings.models import SavingsEntry
from tests.savings.test_totals import assert_totals_match_entries

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug_on(settings):
    # pytest-django runs tests with DEBUG off, where demo users are never made.
    settings.DEBUG = True


@pytest.fixture
def em_iep():
    load()
    return Partnership.objects.get(short_name="EM IEP")


@pytest.fixture
def april_round(em_iep):
    return BiddingRound.objects.get(budget_line__programme__partnership=em_iep)


@pytest.fixture
def projects_line(em_iep):
    return BudgetLine.objects.get(
        programme__name="Improvement and Efficiency Programme 2011/13", name="Projects"
    )


def test_em_iep_has_five_sub_regions_whose_allocations_match_the_board_paper(em_iep):
    allocations = funds_received_by_sub_region(Programme.objects.filter(partnership=em_iep))
    by_name = {
        sub_region.name: allocations[sub_region.pk] for sub_region in em_iep.sub_regions.all()
    }

    assert by_name == {
        row["srp"]: money(row["grant_allocation_gbp"])
        for row in rows("em_iep/em_srp_savings_2011.csv")
    }
    assert sum(by_name.values()) == Decimal("19385000.00")


def test_each_srp_reports_delivered_and_forecast_savings_adding_up_to_its_potential(em_iep):
    for row in rows("em_iep/em_srp_savings_2011.csv"):
        programme = Programme.objects.get(sub_region__name=row["srp"])
        entries = SavingsEntry.objects.filter(programme=programme)
        delivered = entries.get(status=SavingsEntry.Status.DELIVERED)

        assert delivered.amount == money(row["delivered_savings_gbp"])
        assert delivered.organisation == programme.sub_region.accountable_body
        assert entries.aggregate(total=Sum("amount"))["total"] == money(
            row["total_potential_savings_gbp"]
        )


def test_the_demos_savings_totals_are_filled_from_its_entries(em_iep):
    assert SavingsEntry.objects.exists()
    assert_totals_match_entries()


def test_councils_carry_their_ons_gss_codes(em_iep):
    codes = dict(Organisation.objects.values_list("short_name", "gss_code"))

    assert codes["Lancaster"] == "E07000121"
    assert codes["Derbyshire CC"] == "E10000007"
    assert codes["North Kesteven DC"] == "E07000139"
    assert codes["Leicestershire Police"] == ""


def test_the_april_2011_round_holds_26_bids_requesting_2103290(april_round):
    bids = april_round.bids.all()

    assert april_round.amount_available == Decimal("750000.00")
    assert april_round.criteria.count() == 3
    assert bids.count() == 26
    assert bids.aggregate(total=Sum("grant_requested"))["total"] == Decimal("2103290.00")


def test_the_six_highest_scoring_bids_request_542000(april_round):
    top = april_round.bids.filter(agreed_points__gte=5)

    assert top.count() == 6
    assert top.aggregate(total=Sum("grant_requested"))["total"] == Decimal("542000.00")


def test_bids_keep_the_savings_as_claimed(april_round):
    bids = {bid.number: bid for bid in april_round.bids.all()}

    assert bids[1].savings_basis == Bid.SavingsBasis.OVER_YEARS
    assert bids[1].savings_years == 5
    assert bids[11].savings_claimed_high == Decimal("30000.00")
    assert bids[13].savings_basis == Bid.SavingsBasis.NONE
    assert bids[13].savings_claimed is None
    assert bids[12].builds_on_good_practice is None
    assert bids[18].sponsor.name == "Derbyshire Sport"


def test_the_board_approves_the_three_bids_scoring_7_leaving_430000(april_round, projects_line):
    approved = april_round.bids.filter(status=Bid.Status.APPROVED)
    line = budget_line_balance(projects_line)

    assert sorted(approved.values_list("title", flat=True)) == [
        "Business Intelligence and e-sourcing",
        "EM Public Sector Network",
        "Shared ICT",
    ]
    assert approved.aggregate(total=Sum("grant_allocated"))["total"] == Decimal("320000.00")
    assert {bid.decision.meeting.held_on.isoformat() for bid in approved} == {"2011-04-12"}
    assert line.allocated == Decimal("750000.00")
    assert line.available == Decimal("430000.00")


def test_six_bids_are_referred_back_and_the_rest_stay_submitted(april_round):
    referred = april_round.bids.filter(status=Bid.Status.REFERRED_BACK)

    assert referred.count() == 6
    assert set(referred.values_list("recommendation", flat=True)) == {"refer_back"}
    assert "Melton BC" in {bid.sponsor.short_name for bid in referred}
    assert april_round.bids.filter(status=Bid.Status.SUBMITTED).count() == 17


def test_each_approved_bid_becomes_a_project_with_its_grant_committed(april_round):
    projects = Project.objects.order_by("reference")

    assert [(p.lead_organisation.name, p.grant_awarded) for p in projects] == [
        ("North Kesteven District Council", Decimal("100000.00")),
        ("Nottinghamshire County Council", Decimal("95000.00")),
        ("Leicester City Council", Decimal("125000.00")),
    ]
    for project in projects:
        assert project.bid.bidding_round == april_round
        assert project.milestones.count() == 3
        assert project.payments.aggregate(total=Sum("amount"))["total"] == project.grant_awarded
        assert project_money(project).committed == project.grant_awarded


def test_the_legacy_programme_allocates_its_17m_to_seven_budget_lines(em_iep):
    programme = Programme.objects.get(name="Improvement and Efficiency Programme 2011/13")
    balance = programme_balance(programme)
    invest_to_save = programme.funding_sources.get(kind=FundingSource.Kind.INVEST_TO_SAVE)

    assert programme.budget_lines.count() == 7
    assert balance.funds_received == Decimal("1700000.00")
    assert balance.allocated == Decimal("1700000.00")
    assert invest_to_save.expected_amount == Decimal("366000.00")
    assert not invest_to_save.ring_fenced
    assert not invest_to_save.ledger_entries.exists()


def test_the_november_2010_minutes_are_approved_at_the_april_2011_meeting(em_iep):
    november = Meeting.objects.get(partnership=em_iep, held_on="2010-11-26")

    assert november.minutes_approved_at.held_on.isoformat() == "2011-04-12"
    assert november.minutes_approved_at.agenda_items.count() == 13
    assert november.attendance.count() == 31
    assert november.actions.count() == 9
    assert november.decisions.count() == 25


def test_team_lancashire_has_its_15_authorities_six_themes_and_three_clusters():
    load()
    team = Partnership.objects.get(short_name="Team Lancashire")
    programme = Programme.objects.get(partnership=team, sub_region=None)
    mid_lancashire = team.sub_regions.get(name="Mid Lancashire")

    assert team.members.count() == 15
    assert team.themes.count() == 6
    assert team.sub_regions.count() == 3
    assert sorted(mid_lancashire.members.values_list("short_name", flat=True)) == [
        "Chorley",
        "Lancaster",
        "Preston",
        "South Ribble",
        "West Lancashire",
    ]
    assert programme_balance(programme).funds_received == Decimal("3300000.00")
    assert programme.ledger_entries.filter(kind=LedgerEntry.Kind.FUNDING).count() == 3
    assert programme_balance(mid_lancashire.programmes.get()).funds_received == Decimal("100000.00")


def test_team_lancashire_holds_the_countys_csr07_target_of_36m_a_year_cashable():
    load()
    team = Partnership.objects.get(short_name="Team Lancashire")

    agreement = team.agreements.get()
    targets = agreement.targets.order_by("financial_year")

    assert (agreement.name, agreement.get_kind_display(), agreement.members.count()) == (
        "CSR07 efficiency target across Lancashire",
        "National indicator",
        15,
    )
    assert [
        (t.financial_year, t.organisation, t.target_amount, t.cashable_only) for t in targets
    ] == [(year, None, Decimal("36000000.00"), True) for year in (2008, 2009, 2010)]


def _snapshot() -> dict[str, object]:
    counts = {
        model._meta.label: model.objects.count()
        for app in ("auth", "partnership", "programmes", "bids", "projects", "savings")
        for model in apps.get_app_config(app).get_models()
    }
    return {
        **counts,
        "ledger": LedgerEntry.objects.aggregate(total=Sum("amount"))["total"],
        "savings": SavingsEntry.objects.aggregate(total=Sum("amount"))["total"],
    }


def test_loading_twice_gives_the_same_data(debug_on):
    load()
    first = _snapshot()

    load()

    assert _snapshot() == first


def test_with_debug_off_no_demo_users_are_created():
    output = load()

    assert not User.objects.exists()
    assert "Demo users skipped" in output


def test_no_users_option_loads_the_data_without_users(debug_on):
    output = load("--no-users")

    assert not User.objects.exists()
    assert Bid.objects.count() == 26
    assert "--no-users" in output


def test_each_demo_user_signs_in_with_the_demo_password_and_holds_one_role(debug_on, client):
    load()

    roles = {
        user.username: [
            (
                role.kind,
                getattr(role.partnership, "short_name", None),
                getattr(role.organisation, "name", None),
            )
            for role in Role.objects.filter(user=user)
        ]
        for user in User.objects.all()
    }

    assert roles == {
        "manager": [("programme_manager", "EM IEP", None)],
        "board": [("board_member", "EM IEP", None)],
        "finance": [("finance", "EM IEP", None)],
        "admin": [("administrator", None, None)],
        "officer-north-kesteven": [("officer", None, "North Kesteven District Council")],
        "officer-nottinghamshire": [("officer", None, "Nottinghamshire County Council")],
        "officer-leicester": [("officer", None, "Leicester City Council")],
        "officer-lancaster": [("officer", None, "Lancaster City Council")],
        "finance-north-kesteven": [("finance", None, "North Kesteven District Council")],
    }
    for user in User.objects.all():
        signed_in = client.post(
            reverse("login"), {"username": user.username, "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.is_staff == (user.username in ("admin", "manager"))
        assert user.is_superuser == (user.username == "admin")
