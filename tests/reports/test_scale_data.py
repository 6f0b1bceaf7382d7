"""Synthetic scale data: the counts asked for, the same data for the same seed, and
data the portal's own selectors and pages read as consistent."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse

from bids.models import Bid, BiddingRound
from partnership.models import Organisation, Partnership, Role, SubRegion
from programmes.models import Programme
from programmes.selectors import budget_lines_with_balances, programme_balances
from projects.models import GrantPayment, Milestone, ProgressReport, Project
from projects.selectors import project_money
from reports.scale_data import ScaleDataError, generate_scale_data
from savings.models import SavingsEntry, SavingsReturn
from tests.factories import UserFactory
from tests.savings.test_totals import assert_totals_match_entries

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 4)


def digest() -> str:
    """A fingerprint of the data that ignores ids (which depend on the database)."""
    rows = [
        list(
            Project.objects.order_by("reference").values_list(
                "reference", "grant_awarded", "status", "starts_on", "lead_organisation__name"
            )
        ),
        list(
            Milestone.objects.order_by("project__reference", "position").values_list(
                "status", "forecast_on", "payment__amount", "payment__status"
            )
        ),
        list(
            SavingsEntry.objects.order_by(
                "amount",
                "organisation__name",
                "financial_year",
                "quarter",
                "category__slug",
                "status",
            ).values_list("amount", "organisation__name", "financial_year", "quarter")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class _Undo(Exception):
    pass


def digest_of(seed: int) -> str:
    """The digest of a data set generated and then rolled back, leaving the database
    as it was."""
    with pytest.raises(_Undo), transaction.atomic():
        generate_scale_data(scale="small", seed=seed, today=TODAY)
        result = digest()
        raise _Undo
    return result


@pytest.fixture
def small():
    return generate_scale_data(scale="small", seed=7, today=TODAY)


def test_small_scale_writes_the_counts_asked_for(small):
    assert Partnership.objects.count() == 1
    assert Organisation.objects.count() == 20
    assert SubRegion.objects.count() == 3
    assert Programme.objects.count() == 4
    assert Project.objects.count() == 200
    assert Milestone.objects.count() == GrantPayment.objects.count() == 2_000
    assert SavingsEntry.objects.count() == 2_000
    assert small["projects"] == 200
    assert small["savings entries"] == 2_000


def test_the_savings_totals_are_filled_from_the_entries_that_count(small):
    assert small["savings totals"] > 0
    assert_totals_match_entries()


def test_same_seed_gives_the_same_data():
    assert digest_of(7) == digest_of(7)


def test_a_different_seed_gives_different_data():
    assert digest_of(7) != digest_of(8)


def test_refuses_a_database_that_already_has_projects(small):
    with pytest.raises(ScaleDataError, match="already has projects"):
        generate_scale_data(scale="small", seed=7)
    with pytest.raises(CommandError, match="already has projects"):
        call_command("generate_scale_data", "--scale", "small", "--seed", "1")


def test_programme_balances_are_never_negative_and_commitments_are_the_grants(small):
    for programme in Programme.objects.all():
        balance = programme_balances(Programme.objects.filter(pk=programme.pk))[programme.pk]
        grants = programme.projects.aggregate(total=Sum("grant_awarded"))["total"]
        paid = GrantPayment.objects.filter(project__programme=programme, status="paid")
        assert balance.unallocated >= 0
        assert balance.available >= 0
        assert balance.unpaid >= 0
        assert balance.committed == grants
        assert balance.paid == paid.aggregate(total=Sum("amount"))["total"]
    for line in budget_lines_with_balances():
        assert line.available >= 0 and line.unpaid >= 0


def test_no_project_is_paid_or_scheduled_above_its_grant(small):
    for project in Project.objects.select_related("bid"):
        money = project_money(project)
        scheduled = project.payments.aggregate(total=Sum("amount"))["total"]
        assert money.committed == project.grant_awarded
        assert money.paid <= project.grant_awarded
        assert scheduled == project.grant_awarded


def test_payments_follow_their_milestones(small):
    assert not GrantPayment.objects.filter(status__in=["due", "approved", "paid"]).exclude(
        milestone__status="verified"
    )
    assert not GrantPayment.objects.filter(status="paid", paid_on__gt=TODAY)
    assert GrantPayment.objects.filter(status="paid").exists()
    assert Milestone.objects.filter(status="planned", forecast_on__lt=TODAY).exists()


def test_returns_are_partial_and_entries_follow_them(small):
    assert SavingsReturn.objects.filter(status="certified").exists()
    assert SavingsReturn.objects.exclude(status="certified").exists()
    assert SavingsEntry.objects.filter(savings_return=None).exists()
    assert not SavingsEntry.objects.exclude(project=None).exclude(programme=F("project__programme"))
    assert not SavingsEntry.objects.exclude(savings_return=None).exclude(
        organisation=F("savings_return__organisation")
    )
    assert ProgressReport.objects.exists()
    assert BiddingRound.objects.count() > Programme.objects.count()
    assert Bid.objects.filter(status="rejected").exists()


def test_every_page_reads_the_data(small, client):
    administrator = UserFactory()
    Role.objects.create(user=administrator, kind="administrator")
    client.force_login(administrator)
    partnership = Partnership.objects.get()
    project = Project.objects.filter(status="in_delivery").first()
    milestone = project.milestones.first()
    pages = [
        reverse("home"),
        reverse("reports:dashboard"),
        reverse("partnership:partnership-detail", args=[partnership.slug]),
        reverse("partnership:organisation-detail", args=[project.lead_organisation_id]),
        reverse("partnership:sub-region-detail", args=[SubRegion.objects.first().pk]),
        reverse("programmes:programme-detail", args=[project.programme_id]),
        reverse("programmes:budget-line-detail", args=[project.budget_line_id]),
        reverse("bids:round-list"),
        reverse("bids:round-detail", args=[project.bid.bidding_round_id]),
        reverse("bids:round-ranked", args=[project.bid.bidding_round_id]),
        reverse("bids:bid-detail", args=[project.bid_id]),
        reverse("projects:project-list"),
        reverse("projects:project-detail", args=[project.pk]),
        reverse("projects:project-history", args=[project.pk]),
        reverse("projects:milestone-detail", args=[milestone.pk]),
        reverse("projects:payment-schedule"),
        reverse("projects:payment-schedule-csv"),
        reverse("projects:payment-detail", args=[milestone.payment.pk]),
        reverse("savings:summary"),
        reverse("savings:forecasts"),
        reverse("savings:targets"),
        reverse("savings:return-detail", args=[SavingsReturn.objects.first().pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_the_command_prints_what_it_wrote(capsys):
    call_command("generate_scale_data", "--scale", "small", "--seed", "3")
    out = capsys.readouterr().out
    assert "200 projects" in out
    assert "small scale data (seed 3)" in out
    assert Decimal(Project.objects.aggregate(total=Sum("grant_awarded"))["total"]) > 0
