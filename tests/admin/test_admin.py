"""The admin site, as officers, programme managers, board members and administrators
use it: what each sees, what each may change, and the history it keeps."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from bids.models import Bid, InterestDeclaration, Score
from partnership.models import Action, AgendaItem, Attendance, Decision, Meeting, Theme
from programmes.models import BudgetLine, LedgerEntry
from projects.models import GrantPayment, MilestoneReprofile, ProgressReport, Project, Repayment
from savings.models import (
    ForecastReturn,
    OtherBenefit,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
)
from tests.factories import (
    BidFactory,
    CriterionFactory,
    GrantPaymentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    UserFactory,
    funded_budget_line,
    programme_agreement,
    user_with_role,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2011, 6, 30)


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def staff(kind: str, **scope):
    return user_with_role(kind, is_staff=True, **scope)


def one_of_everything(superuser) -> None:
    """A row of every model, linked as in life, so every page has something to show."""
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership)
    SubRegionFactory(partnership=partnership).members.add(council)
    Theme.objects.create(partnership=partnership, name="Efficiency")
    meeting = Meeting.objects.create(partnership=partnership, held_on=ON)
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Bids for funding")
    Decision.objects.create(meeting=meeting, agenda_item=item, text="Approve the bids.")
    Action.objects.create(meeting=meeting, text="Write to councils", owner="Programme manager")
    Attendance.objects.create(
        meeting=meeting, kind="member", role_as_recorded="Councillor", organisation=council
    )
    line = funded_budget_line(programme__partnership=partnership)
    criterion = CriterionFactory(bidding_round__budget_line=line)
    bid = BidFactory(bidding_round=criterion.bidding_round, sponsor=council, status="submitted")
    Score.objects.create(bid=bid, criterion=criterion, scorer=superuser, points=2)
    InterestDeclaration.objects.create(bid=bid, user=superuser, reason="Member of the council")
    project = ProjectFactory(budget_line=line, lead_organisation=council, bid=bid)
    milestone = MilestoneFactory(project=project)
    MilestoneReprofile.objects.create(
        milestone=milestone,
        previous_forecast_on=milestone.forecast_on,
        new_forecast_on=ON,
        reason="Supplier late",
        by=superuser,
    )
    GrantPaymentFactory(project=project, milestone=milestone)
    ProgressReport.objects.create(project=project, financial_year=2011, quarter=1, rag="green")
    Repayment.objects.create(project=project, due_on=ON, amount=Decimal("10000.00"))
    savings_return = SavingsReturn.objects.create(
        organisation=council, financial_year=2010, quarter=4
    )
    SavingsEntryFactory(organisation=council, project=project, savings_return=savings_return)
    SavingsTarget.objects.create(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2010,
        basis="percentage",
        percentage=Decimal("3.00"),
        baseline=Decimal("10000000.00"),
    )
    ForecastReturn.objects.create(
        organisation=council, financial_year=2011, rag="amber", returned_on=ON
    )
    OtherBenefit.objects.create(project=project, unit="tonnes of CO2", quantity=Decimal("12"))


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_every_admin_page_opens_for_a_superuser(client, model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    one_of_everything(superuser)
    client.force_login(superuser)

    assert client.get(url(model, "changelist")).status_code == 200
    row = model._default_manager.first()
    if row is not None:
        assert client.get(url(model, "change", row.pk)).status_code == 200
        assert client.get(url(model, "history", row.pk)).status_code == 200
    request = RequestFactory().get("/")
    request.user = superuser
    addable = admin.site._registry[model].has_add_permission(request)
    assert client.get(url(model, "add")).status_code == (200 if addable else 403)


@pytest.fixture
def two_councils():
    """Two member councils of one partnership, each leading a project."""
    partnership = PartnershipFactory()
    ours, theirs = (OrganisationFactory(partnership=partnership) for _ in range(2))
    line = funded_budget_line(programme__partnership=partnership)
    return {
        "partnership": partnership,
        "ours": ProjectFactory(budget_line=line, lead_organisation=ours, title="Shared revenues"),
        "theirs": ProjectFactory(budget_line=line, lead_organisation=theirs, title="Joint waste"),
    }


@pytest.fixture
def elsewhere():
    """A project of another partnership."""
    line = funded_budget_line(programme__partnership=PartnershipFactory())
    return ProjectFactory(budget_line=line, title="Elsewhere")


def test_a_programme_manager_sees_their_own_partnerships_projects_only(
    client, two_councils, elsewhere
):
    client.force_login(staff("programme_manager", partnership=two_councils["partnership"]))

    page = client.get(url(Project, "changelist"))

    assert page.status_code == 200
    assert set(page.context["cl"].result_list) == {two_councils["ours"], two_councils["theirs"]}
    assert "Shared revenues" in page.text
    assert "Elsewhere" not in page.text


def test_a_programme_manager_cannot_open_or_change_another_partnerships_project(
    client, two_councils, elsewhere
):
    client.force_login(staff("programme_manager", partnership=two_councils["partnership"]))

    assert client.get(url(Project, "change", elsewhere.pk)).status_code == 404
    assert client.get(url(Project, "history", elsewhere.pk)).status_code in {403, 404}
    refused = client.post(url(Project, "change", elsewhere.pk), {"title": "Taken over"})

    assert refused.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Elsewhere"


def change_form_data(page) -> dict:
    """What a browser sends back from a change page when nothing is edited."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [getattr(item, "pk", item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def test_a_change_made_in_the_admin_shows_in_the_history_with_who_made_it(client, two_councils):
    project = two_councils["ours"]
    MilestoneFactory(project=project)
    manager = staff("programme_manager", partnership=two_councils["partnership"])
    client.force_login(manager)
    data = change_form_data(client.get(url(Project, "change", project.pk)))

    saved = client.post(url(Project, "change", project.pk), {**data, "title": "Shared revenues 2"})

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    history = client.get(url(Project, "history", project.pk))
    assert history.status_code == 200
    latest = project.history.first()
    assert latest.history_user == manager
    assert latest.title == "Shared revenues 2"
    assert manager.username in history.text
    assert "Shared revenues 2" in history.text


def test_a_past_version_can_be_read_but_not_reverted_to(client, two_councils):
    project = two_councils["ours"]
    first = project.history.last()
    project.title = "Renamed"
    project.save()
    client.force_login(staff("programme_manager", partnership=two_councils["partnership"]))
    version = reverse("admin:projects_project_simple_history", args=[project.pk, first.pk])

    assert client.get(version).status_code == 200
    assert client.post(version, {"title": "Shared revenues"}).status_code == 403
    project.refresh_from_db()
    assert project.title == "Renamed"


# What a programme manager's changelist asks the database, however many rows it
# lists: the session, the user and the user's roles (read once for every rule and
# scope); Django's own permissions of the user and of their groups (read once, for
# the auth app in the sidebar); the choices of each related-object filter; the count
# of rows and the count before filters; and the page of rows with their joins.
SIGNED_IN = 3 + 2
COUNTS_AND_ROWS = 2 + 1
PROJECT_QUERIES = SIGNED_IN + 3 + COUNTS_AND_ROWS  # partnership, sub-region, programme
BID_QUERIES = SIGNED_IN + 3 + COUNTS_AND_ROWS  # partnership, programme, round
# partnership, sub-region, programme, accountable body; the first and last due
# dates and the distinct dates, for the date links above the list
PAYMENT_QUERIES = SIGNED_IN + 4 + COUNTS_AND_ROWS + 2


def open_changelist(client, model, rows: int) -> None:
    page = client.get(url(model, "changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [5, 30])
def test_the_project_changelist_takes_as_many_queries_for_30_rows_as_for_5(
    client, django_assert_num_queries, rows
):
    partnership = PartnershipFactory()
    line = funded_budget_line(programme__partnership=partnership)
    ProjectFactory.create_batch(rows, budget_line=line)
    client.force_login(staff("programme_manager", partnership=partnership))

    with django_assert_num_queries(PROJECT_QUERIES):
        open_changelist(client, Project, rows)


@pytest.mark.parametrize("rows", [5, 30])
def test_the_bid_changelist_takes_as_many_queries_for_30_rows_as_for_5(
    client, django_assert_num_queries, rows
):
    partnership = PartnershipFactory()
    line = funded_budget_line(programme__partnership=partnership)
    BidFactory.create_batch(rows, bidding_round__budget_line=line, status="submitted")
    client.force_login(staff("programme_manager", partnership=partnership))

    with django_assert_num_queries(BID_QUERIES):
        open_changelist(client, Bid, rows)


@pytest.mark.parametrize("rows", [5, 30])
def test_the_grant_payment_changelist_takes_as_many_queries_for_30_rows_as_for_5(
    client, django_assert_num_queries, rows
):
    partnership = PartnershipFactory()
    line = funded_budget_line(programme__partnership=partnership)
    for _ in range(rows):
        milestone = MilestoneFactory(project__budget_line=line)
        GrantPaymentFactory(project=milestone.project, milestone=milestone)
    client.force_login(staff("programme_manager", partnership=partnership))

    with django_assert_num_queries(PAYMENT_QUERIES):
        open_changelist(client, GrantPayment, rows)


def test_budget_lines_list_their_balances_from_the_ledger(client):
    line = funded_budget_line(amount=Decimal("750000.00"), name="Projects")
    client.force_login(staff("programme_manager", partnership=line.programme.partnership))

    page = client.get(url(BudgetLine, "changelist"))

    row = page.context["cl"].result_list[0]
    assert (row.allocated, row.committed, row.available) == (Decimal("750000"), 0, 750000)
    assert "£750,000" in page.text


def test_bids_list_the_saving_a_year_payback_and_five_year_return(client):
    bid = BidFactory(
        status="submitted",
        grant_requested=Decimal("120000.00"),
        savings_claimed=Decimal("300000.00"),
        savings_basis="over_years",
        savings_years=3,
    )
    partnership = bid.bidding_round.budget_line.programme.partnership
    client.force_login(staff("programme_manager", partnership=partnership))

    page = client.get(url(Bid, "changelist"))

    assert "£100,000" in page.text  # a year, over three years
    assert "1.20" in page.text  # years of saving to repay the grant
    assert "£180,000" in page.text  # three years of saving less the grant


def test_savings_are_filtered_by_financial_years_written_as_the_papers_write_them(client):
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership)
    SavingsEntryFactory(organisation=council, financial_year=2010)
    SavingsEntryFactory(organisation=council, financial_year=2011, amount=Decimal("7.00"))
    client.force_login(staff("programme_manager", partnership=partnership))

    page = client.get(url(SavingsEntry, "changelist"))
    years = client.get(url(SavingsEntry, "changelist"), {"financial_year": "2011"})

    assert "2010/11" in page.text and "2011/12" in page.text
    assert [entry.financial_year for entry in years.context["cl"].result_list] == [2011]


def test_a_programme_manager_is_offered_only_the_programmes_of_their_partnerships(client):
    partnership = PartnershipFactory()
    ours = ProgrammeFactory(partnership=partnership, name="Ours")
    ProgrammeFactory(name="Elsewhere")
    client.force_login(staff("programme_manager", partnership=partnership))

    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "savings", "model_name": "savingsentry", "field_name": "programme"},
    )

    assert [result["text"] for result in found.json()["results"]] == [ours.name]


def test_a_ledger_entry_cannot_be_edited_or_deleted_even_by_a_superuser(client):
    line = funded_budget_line()
    entry = LedgerEntry.objects.get(budget_line=line)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(url(LedgerEntry, "change", entry.pk))
    edit = client.post(url(LedgerEntry, "change", entry.pk), {"amount": "1.00"})
    delete = client.post(url(LedgerEntry, "delete", entry.pk), {"post": "yes"})

    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert (edit.status_code, delete.status_code) == (403, 403)
    entry.refresh_from_db()
    assert entry.amount == Decimal("750000.00")


def test_a_ledger_entry_added_in_the_admin_is_checked_against_the_balance(client):
    line = funded_budget_line(amount=Decimal("750000.00"))
    manager = staff("programme_manager", partnership=line.programme.partnership)
    client.force_login(manager)
    movement = {
        "programme": line.programme.pk,
        "kind": "commitment",
        "occurred_on": "2011-05-01",
        "budget_line": line.pk,
        "memo": "Shared revenues and benefits",
    }

    refused = client.post(url(LedgerEntry, "add"), {**movement, "amount": "750000.01"})
    recorded = client.post(url(LedgerEntry, "add"), {**movement, "amount": "320000.00"})

    assert refused.status_code == 200
    assert "£750,000.00 left" in refused.text
    assert recorded.status_code == 302
    entry = LedgerEntry.objects.get(kind="commitment")
    assert (entry.amount, entry.recorded_by) == (Decimal("320000.00"), manager)


def test_a_programme_manager_sees_the_decisions_of_their_own_partnerships_meetings_only(client):
    ours, theirs = PartnershipFactory(), PartnershipFactory()
    for partnership, text in ((ours, "Approve the bids."), (theirs, "Defer the review.")):
        meeting = Meeting.objects.create(partnership=partnership, held_on=ON)
        Decision.objects.create(meeting=meeting, text=text)
    client.force_login(staff("programme_manager", partnership=ours))

    page = client.get(url(Decision, "changelist"))
    other = Decision.objects.get(meeting__partnership=theirs)

    assert [decision.text for decision in page.context["cl"].result_list] == ["Approve the bids."]
    assert client.get(url(Decision, "change", other.pk)).status_code == 404
