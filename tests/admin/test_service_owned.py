"""The admin never writes past the services: only the support team signs in to it,
fields a service owns are read-only, and settled records are neither changed nor
deleted, whoever asks."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bids.models import Bid
from bids.services import bid_approve
from partnership.models import Action, AgendaItem, Attendance, Decision, Meeting
from projects.models import GrantPayment, Project
from projects.services import (
    milestone_add,
    milestone_log_achieved,
    milestone_verify,
    payment_approve,
    payment_record_paid,
    project_create_from_bid,
)
from savings.models import ForecastReturn, OtherBenefit, SavingsEntry, SavingsReturn, SavingsTarget
from savings.services import savings_target_set
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    SavingsEntryFactory,
    UserFactory,
    funded_budget_line,
    programme_agreement,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def partnership():
    return PartnershipFactory()


@pytest.fixture
def council(partnership):
    return OrganisationFactory(partnership=partnership)


@pytest.fixture
def manager(partnership):
    return user_with_role("programme_manager", partnership=partnership, is_staff=True)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "kind, scoped_to",
    [
        ("officer", "organisation"),
        ("board_member", "partnership"),
        ("finance", "partnership"),
        ("finance", "organisation"),
    ],
)
def test_officers_board_members_and_finance_are_turned_away_from_the_admin_even_as_staff(
    client, partnership, council, kind, scoped_to
):
    scope = {"organisation": council} if scoped_to == "organisation" else {}
    user = user_with_role(kind, partnership=partnership if not scope else None, **scope)
    user.is_staff = True
    user.save()
    bid = BidFactory(
        bidding_round__budget_line=funded_budget_line(programme__partnership=partnership),
        sponsor=council,
    )
    client.force_login(user)

    for page in (reverse("admin:index"), url(Bid, "changelist"), url(Bid, "change", bid.pk)):
        refused = client.get(page)
        assert refused.status_code == 302, page
        assert refused.url.startswith(reverse("admin:login"))
    posted = client.post(url(Bid, "change", bid.pk), {"title": "Renamed"})
    assert posted.status_code == 302
    bid.refresh_from_db()
    assert bid.title != "Renamed"
    home = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") not in home


def test_the_admin_sign_in_refuses_an_officer_with_a_clear_message(client, council):
    officer = user_with_role("officer", organisation=council, is_staff=True)
    officer.set_password("partnership-demo")
    officer.save()

    page = client.post(
        reverse("admin:login"), {"username": officer.username, "password": "partnership-demo"}
    )

    assert page.status_code == 200
    assert "for administrators and programme managers" in page.text
    assert "_auth_user_id" not in client.session


def test_a_programme_manager_uses_the_admin_and_is_shown_the_link(client, manager):
    client.force_login(manager)

    assert client.get(reverse("admin:index")).status_code == 200
    assert f'href="{reverse("admin:index")}">Admin</a>' in client.get(reverse("home")).text


@pytest.fixture
def submitted_bid(partnership, council):
    line = funded_budget_line(programme__partnership=partnership)
    return BidFactory(
        bidding_round__budget_line=line,
        sponsor=council,
        status="submitted",
        grant_requested=Decimal("45000.00"),
    )


def test_a_submitted_bid_is_read_only_in_the_admin(client, manager, submitted_bid):
    client.force_login(manager)

    page = client.get(url(Bid, "change", submitted_bid.pk))
    posted = client.post(
        url(Bid, "change", submitted_bid.pk), {"grant_requested": "95000.00", "agreed_points": "7"}
    )
    deleted = client.post(url(Bid, "delete", submitted_bid.pk), {"post": "yes"})

    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text
    assert (posted.status_code, deleted.status_code) == (403, 403)
    submitted_bid.refresh_from_db()
    assert (submitted_bid.grant_requested, submitted_bid.agreed_points) == (
        Decimal("45000.00"),
        None,
    )


def test_an_approved_bid_is_read_only_even_for_a_superuser(client, superuser, submitted_bid):
    Bid.objects.filter(pk=submitted_bid.pk).update(
        status="approved", grant_allocated=Decimal("45000.00")
    )
    client.force_login(superuser)

    posted = client.post(url(Bid, "change", submitted_bid.pk), {"grant_requested": "900000.00"})

    assert posted.status_code == 403
    submitted_bid.refresh_from_db()
    assert submitted_bid.grant_requested == Decimal("45000.00")


def test_a_draft_bids_assessment_and_status_cannot_be_typed_in(client, superuser, submitted_bid):
    Bid.objects.filter(pk=submitted_bid.pk).update(status="draft")
    client.force_login(superuser)

    form = client.get(url(Bid, "change", submitted_bid.pk)).context["adminform"].form

    assert {"agreed_points", "recommendation", "status", "grant_allocated"}.isdisjoint(form.fields)
    assert "grant_requested" in form.fields


def test_an_entry_of_a_certified_return_cannot_be_changed_or_deleted(client, superuser, council):
    certified = SavingsReturn.objects.create(
        organisation=council,
        financial_year=2010,
        quarter=4,
        status="certified",
        certified_by=superuser,
        certified_at=timezone.now(),
    )
    entry = SavingsEntryFactory(
        organisation=council, savings_return=certified, amount=Decimal("25000.00")
    )
    client.force_login(superuser)

    posted = client.post(url(SavingsEntry, "change", entry.pk), {"amount": "250000.00"})
    deleted = client.post(url(SavingsEntry, "delete", entry.pk), {"post": "yes"})
    return_page = client.get(url(SavingsReturn, "change", certified.pk))

    assert (posted.status_code, deleted.status_code) == (403, 403)
    entry.refresh_from_db()
    assert entry.amount == Decimal("25000.00")
    assert return_page.context["has_change_permission"] is False
    assert client.get(url(SavingsReturn, "add")).status_code == 403


def test_an_entry_typed_outside_a_return_can_still_be_corrected(client, superuser, council):
    entry = SavingsEntryFactory(organisation=council, amount=Decimal("25000.00"))
    client.force_login(superuser)

    page = client.get(url(SavingsEntry, "change", entry.pk))

    assert page.context["has_change_permission"] is True
    assert "amount" in page.context["adminform"].form.fields


@pytest.fixture
def project(partnership, council):
    """A project made as in life, by approving its bid: its grant is committed."""
    line = funded_budget_line(programme__partnership=partnership)
    bid = BidFactory(
        bidding_round__budget_line=line,
        sponsor=council,
        title="Shared revenues",
        grant_requested=Decimal("100000"),
        status="submitted",
    )
    bid_approve(
        bid=bid,
        grant_allocated=Decimal("100000"),
        decision=None,
        by=None,
        decided_on=datetime.date(2011, 5, 1),
    )
    return project_create_from_bid(bid=bid, reference="EMIEP-2011-01", by=None)


def test_a_paid_payment_cannot_be_changed_or_deleted_even_by_a_superuser(
    client, superuser, project
):
    on = datetime.date(2011, 9, 30)
    milestone = milestone_add(
        project=project, title="Desk live", due_on=on, payment_amount=Decimal("40000"), by=None
    )
    milestone_log_achieved(milestone=milestone, achieved_on=on, delivered="Desk live", by=None)
    milestone_verify(milestone=milestone, by=superuser, verified_on=on)
    payment = payment_approve(payment=milestone.payment, by=superuser, approved_on=on)
    payment_record_paid(payment=payment, paid_on=on, reference="BACS-0001", by=superuser)
    client.force_login(superuser)

    page = client.get(url(GrantPayment, "change", payment.pk))
    posted = client.post(url(GrantPayment, "change", payment.pk), {"amount": "45000.00"})
    deleted = client.post(url(GrantPayment, "delete", payment.pk), {"post": "yes"})

    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False
    assert (posted.status_code, deleted.status_code) == (403, 403)
    payment.refresh_from_db()
    assert payment.amount == Decimal("40000.00")


def test_projects_are_not_added_in_the_admin_but_by_the_boards_decision(client, superuser):
    client.force_login(superuser)

    assert client.get(url(Project, "add")).status_code == 403
    assert (
        'href="{}"'.format(url(Project, "add")) not in client.get(url(Project, "changelist")).text
    )


def test_a_projects_grant_and_status_are_not_typed_in_the_admin(client, manager, project):
    client.force_login(manager)

    page = client.get(url(Project, "change", project.pk))
    form = page.context["adminform"].form
    deleted = client.post(url(Project, "delete", project.pk), {"post": "yes"})

    assert {"grant_awarded", "status", "budget_line", "programme", "bid"}.isdisjoint(form.fields)
    assert "title" in form.fields
    assert deleted.status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


def test_no_admin_list_offers_to_delete_rows_in_bulk(client, manager, project):
    client.force_login(manager)

    page = client.get(url(Project, "changelist"))

    assert "delete_selected" not in page.text


def test_approved_minutes_and_their_decisions_are_read_only(client, manager, partnership):
    meeting = Meeting.objects.create(
        partnership=partnership, held_on=datetime.date(2011, 4, 14), minutes_status="approved"
    )
    decision = Decision.objects.create(meeting=meeting, text="Approve the bids.")
    client.force_login(manager)

    meeting_page = client.get(url(Meeting, "change", meeting.pk))
    posted = client.post(url(Decision, "change", decision.pk), {"text": "Reject the bids."})
    deleted = client.post(url(Decision, "delete", decision.pk), {"post": "yes"})

    assert meeting_page.context["has_change_permission"] is False
    assert all(
        not inline.has_change_permission for inline in meeting_page.context["inline_admin_formsets"]
    )
    assert (posted.status_code, deleted.status_code) == (403, 403)
    decision.refresh_from_db()
    assert decision.text == "Approve the bids."


def test_a_meetings_minutes_status_is_not_typed_in_the_admin(client, manager, partnership):
    meeting = Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 4, 14))
    client.force_login(manager)

    form = client.get(url(Meeting, "change", meeting.pk)).context["adminform"].form

    assert "minutes_status" not in form.fields
    assert "title" in form.fields


def test_a_savings_target_set_in_the_admin_is_checked_and_recorded_by_the_service(
    client, manager, council
):
    client.force_login(manager)
    target = {
        "agreement": programme_agreement(council).pk,
        "organisation": council.pk,
        "financial_year": 2010,
        "basis": "percentage",
        "baseline": "10000000.00",
        "baseline_description": "2008/09 net revenue budget",
    }

    refused = client.post(url(SavingsTarget, "add"), {**target, "percentage": "103"})
    recorded = client.post(url(SavingsTarget, "add"), {**target, "percentage": "3"})

    assert refused.status_code == 200
    assert "Enter a percentage above 0 and up to 100." in refused.text
    assert recorded.status_code == 302
    saved = SavingsTarget.objects.get()
    assert (saved.percentage, saved.target_amount) == (Decimal("3.00"), Decimal("300000.00"))
    assert saved.history.first().history_user == manager


def test_a_savings_targets_council_and_year_stay_and_its_basis_is_checked_when_changed(
    client, manager, council
):
    target = savings_target_set(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2010,
        basis="percentage",
        percentage=Decimal("3"),
        baseline=Decimal("10000000"),
        by=None,
    )
    client.force_login(manager)
    change = url(SavingsTarget, "change", target.pk)

    page = client.get(change)
    refused = client.post(change, {"basis": "amount", "amount": ""})
    changed = client.post(change, {"basis": "amount", "amount": "250000.00"})

    assert {"agreement", "organisation", "financial_year"} <= set(
        page.context["adminform"].readonly_fields
    )
    assert "Enter a target amount above £0." in refused.text
    assert changed.status_code == 302
    target.refresh_from_db()
    assert (target.basis, target.target_amount, target.financial_year) == (
        "amount",
        Decimal("250000.00"),
        2010,
    )


def test_an_amber_forecast_typed_in_the_admin_needs_its_reason(client, superuser, council):
    # Councils return their own forecasts; in the admin only an administrator types one.
    client.force_login(superuser)
    forecast = {
        "organisation": council.pk,
        "financial_year": 2011,
        "rag": "amber",
        "returned_on": "2011-06-30",
    }

    refused = client.post(url(ForecastReturn, "add"), {**forecast, "comment": " "})
    recorded = client.post(
        url(ForecastReturn, "add"), {**forecast, "comment": "Care review slipped"}
    )

    assert "Say what puts the savings at risk." in refused.text
    assert recorded.status_code == 302
    assert ForecastReturn.objects.get().comment == "Care review slipped"


def test_another_benefit_is_recorded_by_the_service_and_then_only_read(client, manager, project):
    client.force_login(manager)
    benefit = {"project": project.pk, "quantity": "12", "description": ""}

    refused = client.post(url(OtherBenefit, "add"), {**benefit, "quantity": "0", "unit": "homes"})
    recorded = client.post(url(OtherBenefit, "add"), {**benefit, "unit": "people   trained"})
    made = OtherBenefit.objects.get()
    edit = client.post(url(OtherBenefit, "change", made.pk), {**benefit, "unit": "homes"})

    assert "Enter how many, above 0." in refused.text
    assert recorded.status_code == 302
    assert edit.status_code == 403
    made.refresh_from_db()
    assert (made.unit, made.quantity) == ("people trained", Decimal("12.00"))


def test_a_meeting_changed_in_the_admin_keeps_the_order_its_minutes_record(
    client, manager, partnership
):
    earlier = Meeting.objects.create(
        partnership=partnership, held_on=datetime.date(2011, 4, 14), minutes_status="approved"
    )
    later = Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 6, 9))
    earlier.minutes_approved_at = later
    earlier.save()
    client.force_login(manager)
    change = url(Meeting, "change", later.pk)
    meeting = {"title": "Board meeting", "place": "County Hall, Matlock", "starts_at": ""}
    no_inlines = {
        f"{prefix}-{count}": "0"
        for prefix in ("agenda_items", "attendance", "declarations", "decisions", "actions")
        for count in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    refused = client.post(change, {**meeting, **no_inlines, "held_on": "2011-04-01"})
    moved = client.post(change, {**meeting, **no_inlines, "held_on": "2011-06-16"})

    assert "This meeting approved the minutes of 14 April 2011" in refused.text
    assert moved.status_code == 302
    later.refresh_from_db()
    assert (later.held_on, later.place) == (datetime.date(2011, 6, 16), "County Hall, Matlock")
    assert later.history.first().history_user == manager


def test_a_second_board_meeting_the_same_day_is_refused_in_the_admin(client, manager, partnership):
    Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 4, 14))
    client.force_login(manager)

    refused = client.post(
        url(Meeting, "add"),
        {"partnership": partnership.pk, "title": "Board meeting", "held_on": "2011-04-14"},
    )

    assert refused.status_code == 200
    assert "The board already has a board meeting on 14 April 2011." in refused.text
    assert Meeting.objects.count() == 1


def test_a_decision_corrected_in_the_admin_stays_under_its_own_meetings_agenda(
    client, manager, partnership
):
    april = Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 4, 14))
    june = Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 6, 9))
    bids_item = AgendaItem.objects.create(meeting=april, number=4, title="Bids for funding")
    june_item = AgendaItem.objects.create(meeting=june, number=2, title="Savings returns")
    decision = Decision.objects.create(meeting=april, agenda_item=bids_item, text="Approve.")
    client.force_login(manager)

    refused = client.post(
        url(Decision, "change", decision.pk),
        {"meeting": april.pk, "agenda_item": june_item.pk, "text": "Approve."},
    )

    assert "Choose an item on this meeting’s agenda." in refused.text
    decision.refresh_from_db()
    assert decision.agenda_item == bids_item


def test_an_actions_completion_and_a_meetings_attendance_are_not_typed_in_the_admin(
    client, manager, partnership
):
    meeting = Meeting.objects.create(partnership=partnership, held_on=datetime.date(2011, 4, 14))
    action = Action.objects.create(meeting=meeting, text="Write to councils", owner="PM")
    Attendance.objects.create(meeting=meeting, kind="member", role_as_recorded="Councillor")
    client.force_login(manager)

    action_form = client.get(url(Action, "change", action.pk)).context["adminform"].form
    meeting_page = client.get(url(Meeting, "change", meeting.pk))
    attendance = next(
        inline
        for inline in meeting_page.context["inline_admin_formsets"]
        if inline.formset.model is Attendance
    )

    assert "done_on" not in action_form.fields
    assert not (attendance.has_add_permission or attendance.has_change_permission)


def _bid_posted(bid, **changes) -> dict:
    """The admin's change form of a draft bid as it stands, with ``changes``."""
    data = {
        "title": bid.title,
        "description": bid.description,
        "grant_requested": bid.grant_requested,
        "savings_claimed": bid.savings_claimed,
        "savings_basis": bid.savings_basis,
        "partners": [],
        **{
            f"{prefix}-{count}": "0"
            for prefix in ("scores", "declarations")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    return {**data, **changes}


@pytest.fixture
def open_round(partnership):
    today = timezone.localdate()
    return BiddingRoundFactory(
        budget_line=funded_budget_line(programme__partnership=partnership),
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
    )


def test_a_draft_bid_changed_in_the_admin_goes_through_the_bid_service(
    client, superuser, partnership, council, open_round
):
    # A draft is its council's own until submitted: only an administrator sees it here.
    draft = BidFactory(bidding_round=open_round, sponsor=council)
    partner = OrganisationFactory(partnership=partnership)
    client.force_login(superuser)

    changed = client.post(
        url(Bid, "change", draft.pk),
        _bid_posted(draft, grant_requested="95000.00", partners=[partner.pk]),
    )

    assert changed.status_code == 302
    draft.refresh_from_db()
    # A portal form opened before this change is refused: the bid's version moved on.
    assert (draft.grant_requested, draft.version) == (Decimal("95000.00"), 2)
    assert list(draft.partners.all()) == [partner]
    assert draft.history.first().history_user == superuser


def test_a_draft_bid_is_not_changed_in_the_admin_once_its_round_has_closed(
    client, superuser, council, submitted_bid
):
    Bid.objects.filter(pk=submitted_bid.pk).update(status="draft")
    client.force_login(superuser)

    refused = client.post(
        url(Bid, "change", submitted_bid.pk), _bid_posted(submitted_bid, grant_requested="1.00")
    )

    assert "The round closed on 4 March 2011." in refused.text
    submitted_bid.refresh_from_db()
    assert submitted_bid.grant_requested == Decimal("45000.00")


def test_a_bid_added_in_the_admin_is_numbered_in_its_round_by_the_service(
    client, manager, council, open_round
):
    BidFactory(bidding_round=open_round, number=1)
    client.force_login(manager)
    bid = BidFactory.build(bidding_round=open_round)

    added = client.post(
        url(Bid, "add"),
        _bid_posted(bid, bidding_round=open_round.pk, sponsor=council.pk, title="Shared ICT"),
    )

    assert added.status_code == 302
    made = Bid.objects.get(title="Shared ICT")
    assert (made.number, made.created_by, made.status) == (2, manager, "draft")
