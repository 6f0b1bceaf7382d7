"""The meeting pages, through HTTP: what a programme manager records, what the board
reads, and who is turned away."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bids.models import Bid
from partnership.models import Action, AgendaItem, Attendance, Decision, Meeting, Partnership, Role
from partnership.services import Attendee, attendance_record, meeting_minutes_draft
from projects.models import ChangeRequest
from tests.error_summary import lands_on_a_field, summary_links
from tests.factories import (
    BidFactory,
    MeetingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2010, 11, 26)
APRIL = datetime.date(2011, 4, 12)


@pytest.fixture
def em_iep():
    """A board of 15 with a quorum of 5, a member council, and the people who use it."""
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership",
        short_name="EM IEP",
        slug="em-iep",
        board_size=15,
        quorum=5,
    )
    derbyshire = OrganisationFactory(name="Derbyshire County Council", partnership=partnership)
    return SimpleNamespace(
        partnership=partnership,
        derbyshire=derbyshire,
        november=MeetingFactory(partnership=partnership, held_on=NOVEMBER, place="Melton"),
        manager=user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
        board=user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
        derbyshire_officer=user_with_role(Role.Kind.OFFICER, organisation=derbyshire),
        outsider=user_with_role(Role.Kind.OFFICER, organisation=OrganisationFactory()),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def url(name: str, *args) -> str:
    return reverse(f"partnership:{name}", args=args)


def date_fields(name: str, date: datetime.date) -> dict[str, str]:
    """What the GOV.UK date input posts: day, month and year in three boxes."""
    return {f"{name}_0": str(date.day), f"{name}_1": str(date.month), f"{name}_2": str(date.year)}


def attendance_form(*rows: tuple[str, str, object], extra: int = 0) -> dict[str, str]:
    data = {
        "attendance-TOTAL_FORMS": str(len(rows) + extra),
        "attendance-INITIAL_FORMS": "0",
    }
    for index, (kind, role, organisation) in enumerate(rows):
        data[f"attendance-{index}-kind"] = kind
        data[f"attendance-{index}-role_as_recorded"] = role
        data[f"attendance-{index}-organisation"] = str(organisation.pk) if organisation else ""
    return data


# Scheduling a meeting


def test_programme_manager_schedules_a_meeting_and_lands_on_its_page(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-create", "em-iep"),
        {"title": "Board meeting", **date_fields("held_on", APRIL), "starts_at": "10.30"}
        | {"place": "County Hall, West Bridgford"},
        follow=True,
    )

    meeting = Meeting.objects.get(held_on=APRIL)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    body = text(response)
    assert "Meeting scheduled." in body
    assert "Tuesday 12 April 2011, 10:30 a.m." in body
    assert "County Hall, West Bridgford" in body


def test_a_meeting_without_a_date_shows_the_error_summary_and_the_field_error(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-create", "em-iep"), {"title": "Board meeting"}
    )

    body = text(response)
    assert response.status_code == 400
    assert "<title>Error: Schedule a meeting" in body
    assert "govuk-error-summary" in body
    assert '<a href="#id_held_on_0">Enter the date</a>' in body
    assert "govuk-form-group--error" in body
    assert not Meeting.objects.filter(held_on=APRIL).exists()


def test_a_second_board_meeting_on_the_same_day_is_refused_on_the_date(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-edit", MeetingFactory(partnership=em_iep.partnership, held_on=APRIL).pk),
        {"title": "Board meeting", **date_fields("held_on", NOVEMBER)},
    )

    body = text(response)
    assert response.status_code == 400
    message = "The board already has a board meeting on 26 November 2010."
    assert f'<a href="#id_held_on_0">{message}</a>' in body
    assert 'id="id_held_on_1_error"' in body


def test_meetings_list_shows_upcoming_soonest_first_and_past_latest_first(client, em_iep):
    today = timezone.localdate()
    for days in (30, 10):
        MeetingFactory(
            partnership=em_iep.partnership,
            held_on=today + datetime.timedelta(days=days),
            place=f"In {days} days",
        )
    MeetingFactory(partnership=em_iep.partnership, held_on=APRIL, place="Nottingham")

    body = text(signed_in(client, em_iep.board).get(url("meeting-list", "em-iep")))

    upcoming, past = body.split("Past meetings", 1)
    assert upcoming.index("In 10 days") < upcoming.index("In 30 days")
    assert past.index("Nottingham") < past.index("Melton")
    assert "Schedule a meeting" not in body


def test_meetings_list_pages_past_meetings_twenty_at_a_time(client, em_iep):
    for days in range(1, 25):
        MeetingFactory(partnership=em_iep.partnership, held_on=NOVEMBER - datetime.timedelta(days))

    client = signed_in(client, em_iep.board)
    first = text(client.get(url("meeting-list", "em-iep")))
    second = text(client.get(url("meeting-list", "em-iep"), {"past": 2}))

    assert first.count("Board meeting</a>") == 20
    assert second.count("Board meeting</a>") == 5
    assert 'href="?past=2"' in first
    assert 'aria-current="page">2</a>' in second


def test_meetings_list_costs_the_same_queries_for_2_meetings_as_for_40(client, em_iep):
    client = signed_in(client, em_iep.manager)
    today = timezone.localdate()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("meeting-list", "em-iep"))
        assert response.status_code == 200
        return len(captured)

    MeetingFactory(partnership=em_iep.partnership, held_on=today + datetime.timedelta(days=30))
    few = queries()
    for days in range(1, 20):
        MeetingFactory(partnership=em_iep.partnership, held_on=today + datetime.timedelta(days))
        MeetingFactory(partnership=em_iep.partnership, held_on=NOVEMBER - datetime.timedelta(days))

    # Session, user, roles, partnership; then a count and a page for each of the
    # upcoming and past lists; and the menu's unread notifications.
    assert queries() == few == 9


# Attendance and the quorum


@pytest.mark.parametrize(
    ("members", "tag", "summary"),
    [
        (4, 'govuk-tag--red">Not quorate', "4 of 15 members present, quorum 5"),
        (5, 'govuk-tag--green">Quorate', "5 of 15 members present, quorum 5"),
    ],
)
def test_meeting_page_checks_the_quorum_of_5_of_15(client, em_iep, members, tag, summary):
    attendance_record(
        meeting=em_iep.november,
        attendees=[Attendee("member", f"Councillor {n}") for n in range(members)]
        + [Attendee("officer", "Director, EM IEP"), Attendee("apologies", "Councillor")],
        by=None,
    )

    body = text(signed_in(client, em_iep.board).get(em_iep.november.get_absolute_url()))

    assert tag in body
    assert summary in body


def test_meeting_without_attendance_makes_no_claim_about_the_quorum(client, em_iep):
    body = text(signed_in(client, em_iep.board).get(em_iep.november.get_absolute_url()))

    assert "Attendance not recorded" in body
    assert "quorate" not in body.lower()


def test_programme_manager_records_attendance_a_row_per_person(client, em_iep):
    client = signed_in(client, em_iep.manager)
    form_page = text(client.get(url("meeting-attendance", em_iep.november.pk)))
    # A first list offers a row for every board member and a few more.
    assert form_page.count('name="attendance-') - form_page.count("attendance-TOTAL") > 3 * 20

    response = client.post(
        url("meeting-attendance", em_iep.november.pk),
        attendance_form(
            ("member", "Councillor", em_iep.derbyshire),
            ("member", "Councillor", em_iep.derbyshire),
            ("officer", "Director, EM IEP", None),
            ("apologies", "Councillor, Rutland CC", None),
            extra=3,
        ),
        follow=True,
    )

    body = text(response)
    assert "Attendance saved." in body
    assert "Board member present (2)" in body
    assert "Apologies (1)" in body
    assert f"Recorded by {em_iep.manager.username} on " in body
    assert set(em_iep.november.attendance.values_list("recorded_by", flat=True)) == {
        em_iep.manager.pk
    }
    assert list(
        em_iep.november.attendance.order_by("pk").values_list("organisation", flat=True)
    ) == [
        em_iep.derbyshire.pk,
        em_iep.derbyshire.pk,
        None,
        None,
    ]


def test_a_row_ticked_remove_leaves_the_attendance_list(client, em_iep):
    attendance_record(
        meeting=em_iep.november,
        attendees=[Attendee("member", "Chair"), Attendee("member", "Vice-chair")],
        by=None,
    )
    data = attendance_form(("member", "Chair", None), ("member", "Vice-chair", None))
    data |= {"attendance-INITIAL_FORMS": "2", "attendance-1-DELETE": "on"}

    signed_in(client, em_iep.manager).post(url("meeting-attendance", em_iep.november.pk), data)

    assert list(em_iep.november.attendance.values_list("role_as_recorded", flat=True)) == ["Chair"]


def test_a_half_filled_attendance_row_is_shown_with_its_error(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-attendance", em_iep.november.pk),
        attendance_form(("member", "Chair", None), ("member", "", None)),
    )

    body = text(response)
    assert response.status_code == 400
    assert '<a href="#id_attendance-1-role_as_recorded">Row 2: Enter their role' in body
    assert "govuk-input--error" in body
    assert not Attendance.objects.exists()


# Agenda, declarations and decisions


def test_an_agenda_item_with_its_pdf_report_appears_on_the_agenda(client, em_iep):
    report = SimpleUploadedFile("rieps.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    response = signed_in(client, em_iep.manager).post(
        url("agenda-item-add", em_iep.november.pk),
        {"number": "5", "title": "RIEPs future plans", "presenter": "Director", "page": "7"}
        | {"report": report},
        follow=True,
    )

    item = AgendaItem.objects.get(meeting=em_iep.november)
    body = text(response)
    assert "RIEPs future plans" in body
    assert f'href="{item.report.url}"' in body
    assert "Report for item 5 (PDF)" in body


def test_an_agenda_report_that_is_not_a_pdf_is_refused_on_the_field(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("agenda-item-add", em_iep.november.pk),
        {"number": "5", "title": "Bids", "report": SimpleUploadedFile("bids.xlsx", b"PK\x03\x04")},
    )

    body = text(response)
    assert '<a href="#id_report">The report must be a PDF.</a>' in body
    assert not AgendaItem.objects.exists()


def test_a_declaration_of_interest_is_recorded_against_its_item(client, em_iep):
    item = AgendaItem.objects.create(meeting=em_iep.november, number=11, title="Bids")

    response = signed_in(client, em_iep.manager).post(
        url("declaration-add", em_iep.november.pk),
        {
            "member": "Councillor, Derbyshire CC",
            "interest": "Chairs the board of a bidding trust",
            "agenda_item": item.pk,
        },
        follow=True,
    )

    body = text(response)
    assert "Declaration of interest recorded." in body
    assert "Chairs the board of a bidding trust" in body
    assert "11. Bids" in body


def test_a_decision_links_the_bids_and_change_requests_that_act_on_it(client, em_iep):
    item = AgendaItem.objects.create(meeting=em_iep.november, number=11, title="Bids")
    signed_in(client, em_iep.manager).post(
        url("decision-add", em_iep.november.pk),
        {"agenda_item": item.pk, "text": "The board approved the top-scoring bids."},
    )
    decision = Decision.objects.get()
    bid = BidFactory(
        bidding_round__budget_line__programme__partnership=em_iep.partnership,
        title="Shared ICT",
        # A submitted bid: a draft is its council's own, and the board could not open it.
        status=Bid.Status.SUBMITTED,
        decision=decision,
    )
    project = ProjectFactory(
        budget_line__programme__partnership=em_iep.partnership, title="Shared legal"
    )
    change = ChangeRequest.objects.create(
        project=project,
        kind=ChangeRequest.Kind.END_DATE,
        reason="Slippage",
        new_ends_on=datetime.date(2013, 9, 30),
        status=ChangeRequest.Status.APPROVED,
        requested_by=em_iep.manager,
        decision=decision,
    )

    body = text(signed_in(client, em_iep.board).get(em_iep.november.get_absolute_url()))

    assert "Item 11:</span> The board approved the top-scoring bids." in body
    assert f'href="{bid.get_absolute_url()}"' in body
    assert "Shared ICT" in body
    assert f'href="{change.get_absolute_url()}"' in body
    assert "Shared legal" in body


def test_an_officer_sees_another_councils_bid_named_on_a_decision_but_not_linked(client, em_iep):
    decision = Decision.objects.create(meeting=em_iep.november, text="Bids approved.")
    ours, theirs = (
        BidFactory(
            bidding_round__budget_line__programme__partnership=em_iep.partnership,
            sponsor=sponsor,
            title=title,
            status=Bid.Status.SUBMITTED,
            decision=decision,
        )
        for sponsor, title in (
            (em_iep.derbyshire, "Derbyshire shared ICT"),
            (OrganisationFactory(partnership=em_iep.partnership), "Rutland legal service"),
        )
    )

    response = signed_in(client, em_iep.derbyshire_officer).get(em_iep.november.get_absolute_url())
    body = text(response)

    assert f'<a class="govuk-link" href="{ours.get_absolute_url()}">{escape(ours)}</a>' in body
    assert f"<li>Bid: {escape(theirs)}</li>" in body
    assert f'href="{theirs.get_absolute_url()}"' not in body
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_meeting_page_costs_the_same_queries_for_1_decision_as_for_10_with_their_bids(
    client, em_iep
):
    client = signed_in(client, em_iep.board)
    page = em_iep.november.get_absolute_url()

    def decide(count: int) -> None:
        for _ in range(count):
            decision = Decision.objects.create(meeting=em_iep.november, text="Approved.")
            BidFactory.create_batch(
                3,
                bidding_round__budget_line__programme__partnership=em_iep.partnership,
                decision=decision,
            )
            Action.objects.create(meeting=em_iep.november, text="Report back", owner="SA")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    decide(1)
    few = queries()
    decide(9)

    # 15: the 13 it took before, which of its bids the reader may open (one query) and
    # the menu's unread notifications
    assert queries() == few == 15


def test_a_meeting_with_approved_minutes_offers_only_its_actions_to_change(client, em_iep):
    Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")
    em_iep.november.minutes_status = Meeting.MinutesStatus.APPROVED
    em_iep.november.save()

    body = text(signed_in(client, em_iep.manager).get(em_iep.november.get_absolute_url()))

    assert "The minutes are approved, so this record is final." in body
    assert "Record a decision" not in body
    assert "Add an action" not in body
    assert "Mark done" in body


# Actions


def test_an_action_is_added_tagged_overdue_marked_done_and_reopened(client, em_iep):
    client = signed_in(client, em_iep.manager)
    meeting_page = em_iep.november.get_absolute_url()
    actions_page = url("outstanding-actions", "em-iep")

    client.post(
        url("action-add", em_iep.november.pk),
        {"text": "Circulate the legacy plan", "owner": "Director, EM IEP"}
        | date_fields("due_on", datetime.date(2011, 1, 31)),
    )
    action = Action.objects.get()
    assert 'govuk-tag--red">Overdue' in text(client.get(meeting_page))
    listed = text(client.get(actions_page))
    assert "Circulate the legacy plan" in listed
    assert 'govuk-tag--red">Overdue' in listed

    done = client.post(url("action-complete", action.pk), {"next": actions_page}, follow=True)

    assert done.redirect_chain[-1][0] == actions_page
    assert "Action marked as done" in text(done)
    assert "No outstanding actions." in text(done)
    assert 'govuk-tag--green">Done' in text(client.get(meeting_page))

    reopened = client.post(url("action-reopen", action.pk), {"next": meeting_page}, follow=True)

    assert 'govuk-tag--red">Overdue' in text(reopened)
    assert "Circulate the legacy plan" in text(client.get(actions_page))
    assert action.history.count() == 3


def test_an_action_not_yet_due_is_outstanding_not_overdue(client, em_iep):
    Action.objects.create(
        meeting=em_iep.november,
        text="Report on underspend",
        owner="DH",
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )

    body = text(signed_in(client, em_iep.board).get(url("outstanding-actions", "em-iep")))

    assert 'govuk-tag--yellow">Outstanding' in body
    assert "Overdue" not in body
    assert "Mark done" not in body


def test_marking_an_action_done_twice_says_when_it_was_done(client, em_iep):
    action = Action.objects.create(
        meeting=em_iep.november, text="Circulate", owner="SA", done_on=APRIL
    )

    response = signed_in(client, em_iep.manager).post(
        url("action-complete", action.pk), follow=True
    )

    assert "This action was done on 12 April 2011." in text(response)


def test_the_next_page_after_a_button_must_be_on_this_site(client, em_iep):
    action = Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")

    response = signed_in(client, em_iep.manager).post(
        url("action-complete", action.pk), {"next": "https://example.com/"}
    )

    assert response["Location"] == em_iep.november.get_absolute_url()


# Minutes


def test_minutes_are_drafted_then_approved_only_at_a_later_meeting(client, em_iep):
    earlier = MeetingFactory(partnership=em_iep.partnership, held_on=datetime.date(2010, 9, 3))
    april = MeetingFactory(partnership=em_iep.partnership, held_on=APRIL)
    client = signed_in(client, em_iep.manager)

    drafted = client.post(url("minutes-draft", em_iep.november.pk), follow=True)
    assert 'govuk-tag--grey">Draft' in text(drafted)

    refused = client.post(url("minutes-approve", em_iep.november.pk), {"at_meeting": earlier.pk})

    body = text(refused)
    assert refused.status_code == 400
    assert (
        '<a href="#id_at_meeting">Minutes are approved at a later meeting of the same board.</a>'
        in body
    )
    em_iep.november.refresh_from_db()
    assert em_iep.november.minutes_status == Meeting.MinutesStatus.DRAFT

    approved = client.post(
        url("minutes-approve", em_iep.november.pk), {"at_meeting": april.pk}, follow=True
    )

    body = text(approved)
    assert "Minutes approved." in body
    assert 'govuk-tag--green">Approved' in body
    assert (
        f'at the <a class="govuk-link" href="{april.get_absolute_url()}">meeting of 12 April 2011'
        in body
    )


def test_minutes_of_a_meeting_not_yet_held_cannot_be_drafted(client, em_iep):
    upcoming = MeetingFactory(
        partnership=em_iep.partnership, held_on=timezone.localdate() + datetime.timedelta(days=3)
    )

    response = signed_in(client, em_iep.manager).post(
        url("minutes-draft", upcoming.pk), follow=True
    )

    assert "Minutes are drafted after the meeting." in text(response)
    upcoming.refresh_from_db()
    assert upcoming.minutes_status == Meeting.MinutesStatus.NONE


def test_approving_minutes_offers_only_meetings_of_the_same_board(client, em_iep):
    MeetingFactory(partnership=em_iep.partnership, held_on=APRIL)
    elsewhere = MeetingFactory(held_on=APRIL, title="Team Lancashire board")
    meeting_minutes_draft(meeting=em_iep.november, by=None)

    body = text(signed_in(client, em_iep.manager).get(url("minutes-approve", em_iep.november.pk)))

    assert "Board meeting, 12 April 2011" in body
    assert "Team Lancashire board" not in body
    assert f'value="{elsewhere.pk}"' not in body


# Who may change a meeting


def change_requests(meeting: Meeting, action: Action) -> list[tuple[str, dict]]:
    """Every POST that changes a meeting, with data a programme manager could send."""
    return [
        (url("meeting-create", meeting.partnership.slug), {"title": "Board meeting"}),
        (url("meeting-edit", meeting.pk), {"title": "Renamed", **date_fields("held_on", APRIL)}),
        (url("meeting-attendance", meeting.pk), attendance_form(("member", "Chair", None))),
        (url("agenda-item-add", meeting.pk), {"number": "1", "title": "Minutes"}),
        (url("declaration-add", meeting.pk), {"member": "Chair", "interest": "Trustee"}),
        (url("decision-add", meeting.pk), {"text": "Approved."}),
        (url("action-add", meeting.pk), {"text": "Report back", "owner": "SA"}),
        (url("minutes-draft", meeting.pk), {}),
        (url("minutes-approve", meeting.pk), {}),
        (url("action-complete", action.pk), {}),
        (url("action-reopen", action.pk), {}),
    ]


def test_a_board_member_reads_meetings_but_cannot_change_them(client, em_iep):
    action = Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")
    client = signed_in(client, em_iep.board)

    meeting_page = text(client.get(em_iep.november.get_absolute_url()))
    assert "Record attendance" not in meeting_page
    assert "Mark done" not in meeting_page
    for path, data in change_requests(em_iep.november, action):
        assert client.post(path, data).status_code == 403, path
        if not path.endswith(("/draft/", "/done/", "/reopen/")):
            assert client.get(path).status_code == 403, path

    em_iep.november.refresh_from_db()
    assert em_iep.november.title == "Board meeting"
    assert em_iep.november.minutes_status == Meeting.MinutesStatus.NONE
    assert not em_iep.november.attendance.exists()
    assert not em_iep.november.decisions.exists()
    assert em_iep.november.actions.get() == action
    assert not action.is_done


def test_an_officer_of_a_member_council_reads_meetings_but_cannot_change_them(client, em_iep):
    action = Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")
    client = signed_in(client, em_iep.derbyshire_officer)

    assert client.get(em_iep.november.get_absolute_url()).status_code == 200
    for path, data in change_requests(em_iep.november, action):
        assert client.post(path, data).status_code == 403, path


def test_an_officer_outside_the_partnership_finds_nothing(client, em_iep):
    action = Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")
    client = signed_in(client, em_iep.outsider)

    assert client.get(url("meeting-list", "em-iep")).status_code == 404
    assert client.get(url("outstanding-actions", "em-iep")).status_code == 404
    assert client.get(em_iep.november.get_absolute_url()).status_code == 404
    for path, data in change_requests(em_iep.november, action):
        assert client.post(path, data).status_code == 404, path


def test_a_programme_manager_of_another_partnership_cannot_change_this_one(client, em_iep):
    other = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())
    action = Action.objects.create(meeting=em_iep.november, text="Circulate", owner="SA")
    client = signed_in(client, other)

    for path, data in change_requests(em_iep.november, action):
        assert client.post(path, data).status_code == 404, path


def test_an_administrator_may_change_any_meeting(client, em_iep):
    admin = user_with_role(Role.Kind.ADMINISTRATOR)

    response = signed_in(client, admin).post(
        url("decision-add", em_iep.november.pk), {"text": "Approved."}
    )

    assert response.status_code == 302
    assert em_iep.november.decisions.get().text == "Approved."


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client, em_iep):
    path = url("meeting-list", "em-iep")

    response = client.get(path)

    assert response["Location"] == f"{reverse('login')}?next={path}"


# The demo board


def test_demo_meeting_of_26_november_2010_shows_its_record_and_approval(client):
    call_command("load_demo")
    em_iep = Partnership.objects.get(short_name="EM IEP")
    november = Meeting.objects.get(partnership=em_iep, held_on=NOVEMBER)
    april = Meeting.objects.get(partnership=em_iep, held_on=APRIL)
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=em_iep)

    body = text(signed_in(client, board).get(november.get_absolute_url()))

    members = november.attendance.filter(kind=Attendance.Kind.MEMBER).count()
    assert f"Board member present ({members})" in body
    assert f"{members} of 15 members present, quorum 5" in body
    assert "Apologies (" in body
    for record in [*november.decisions.all(), *november.actions.all()]:
        assert escape(record.text) in body
    assert 'govuk-tag--green">Approved' in body
    assert f'href="{april.get_absolute_url()}">meeting of 12 April 2011' in body


# The error summary on the meeting pages


def test_each_problem_with_a_meeting_links_from_the_summary_to_its_input(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-create", "em-iep"), {"title": "", "starts_at": "half ten"}
    )

    body = text(response)
    assert "<title>Error: Schedule a meeting" in body
    assert body.count("There is a problem") == 1
    assert summary_links(body) == [
        ("#id_title", "Enter the meeting’s title"),
        ("#id_held_on_0", "Enter the date"),
        ("#id_starts_at", "Enter a time such as 10:30 or 14:00"),
    ]
    assert all(lands_on_a_field(body, href) for href, _ in summary_links(body))
    assert not Meeting.objects.filter(title="").exists()


def test_each_problem_in_the_attendance_list_links_to_its_row(client, em_iep):
    response = signed_in(client, em_iep.manager).post(
        url("meeting-attendance", em_iep.november.pk),
        attendance_form(("member", "Chair", None), ("member", "", None), ("", "Director", None)),
    )

    body = text(response)
    assert "<title>Error: Attendance:" in body
    assert body.count("There is a problem") == 1
    assert summary_links(body) == [
        ("#id_attendance-1-role_as_recorded", "Row 2: Enter their role, for example Councillor"),
        ("#id_attendance-2-kind", "Row 3: Choose how they attended"),
    ]
    assert all(lands_on_a_field(body, href) for href, _ in summary_links(body))
    assert not Attendance.objects.exists()


def test_attendance_refused_once_the_minutes_are_approved_is_in_the_summary(client, em_iep):
    em_iep.november.minutes_status = Meeting.MinutesStatus.APPROVED
    em_iep.november.save()

    response = signed_in(client, em_iep.manager).post(
        url("meeting-attendance", em_iep.november.pk),
        attendance_form(("member", "Chair", None)),
    )

    body = text(response)
    message = "The minutes of this meeting are approved, so its record is final."
    assert "<title>Error: Attendance:" in body
    assert summary_links(body) == [("#id_attendance-0-kind", message)]
    assert lands_on_a_field(body, "#id_attendance-0-kind")
    assert not Attendance.objects.exists()
