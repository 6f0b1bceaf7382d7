"""The weekly reminders: each officer is e-mailed what is due on their council's
projects, each programme manager the milestones waiting for them. The task takes the
day as an argument, so these tests fix it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.models import Role
from projects.models import ProgressReport
from projects.selectors import reminder_digests
from projects.services import milestone_add, milestone_log_achieved
from projects.tasks import send_delivery_reminders
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2011, 9, 20)


def project_of(lead, line, reference, milestones):
    project = ProjectFactory(
        reference=reference,
        lead_organisation=lead,
        budget_line=line,
        grant_awarded=D("100000"),
        starts_on=datetime.date(2011, 5, 1),
        ends_on=datetime.date(2013, 3, 31),
    )
    for title, due_on in milestones:
        milestone_add(project=project, title=title, due_on=due_on, by=None)
    return project


@pytest.fixture
def em_iep(settings):
    settings.PORTAL_URL = "https://portal.example.org"
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(name="North Kesteven District Council")
    nottinghamshire = OrganisationFactory(name="Nottinghamshire County Council")
    quiet = OrganisationFactory(name="Rutland County Council")
    line = funded_budget_line(programme__partnership=partnership)
    shared_ict = project_of(
        north_kesteven,
        line,
        "EMIEP-2011-01",
        [
            ("Partners signed up", datetime.date(2011, 8, 31)),  # overdue
            ("Service desk live", datetime.date(2011, 10, 4)),  # due within 14 days
            ("Data centre merged", datetime.date(2012, 3, 31)),  # later
        ],
    )
    fleet = project_of(
        nottinghamshire,
        line,
        "EMIEP-2011-02",
        [
            ("Vehicles tracked", datetime.date(2011, 7, 1)),
            ("Drivers trained", datetime.date(2011, 9, 25)),
        ],
    )
    milestone_log_achieved(
        milestone=fleet.milestones.get(position=1),
        achieved_on=datetime.date(2011, 7, 1),
        delivered="Trackers fitted",
        by=None,
    )
    # Nottinghamshire reported on 2011/12 Q1, so only North Kesteven owes a report.
    ProgressReport.objects.create(
        project=fleet, financial_year=2011, quarter=1, rag="green", status="submitted"
    )
    return {
        "shared_ict": shared_ict,
        "nk_officer": user_with_role(
            Role.Kind.OFFICER, organisation=north_kesteven, email="officer@n-kesteven.gov.uk"
        ),
        "nk_officer_without_email": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "notts_officer": user_with_role(
            Role.Kind.OFFICER, organisation=nottinghamshire, email="officer@notts.gov.uk"
        ),
        "quiet_officer": user_with_role(
            Role.Kind.OFFICER, organisation=quiet, email="officer@rutland.gov.uk"
        ),
        "manager": user_with_role(
            Role.Kind.PROGRAMME_MANAGER, partnership=partnership, email="manager@emiep.org.uk"
        ),
        "other_manager": user_with_role(
            Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory(), email="pm@else.org"
        ),
        "board": user_with_role(
            Role.Kind.BOARD_MEMBER, partnership=partnership, email="board@emiep.org.uk"
        ),
    }


def outbox_for(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_each_officer_gets_their_councils_milestones_and_reports_due(em_iep, tasks_run_here):
    sent = send_delivery_reminders.delay(today=TODAY.isoformat()).get()

    assert sent == 3
    (message,) = outbox_for("officer@n-kesteven.gov.uk")
    assert (
        message.subject == "Partnership Portal: Your projects: milestones and progress reports due"
    )
    body = message.body
    assert "as of 20 September 2011" in body
    overdue = body[body.index("OVERDUE MILESTONES") : body.index("MILESTONES DUE IN THE NEXT 14")]
    assert "EMIEP-2011-01" in overdue and "Partners signed up" in overdue
    assert "Forecast for 31 August 2011" in overdue
    soon = body[body.index("MILESTONES DUE IN THE NEXT 14") : body.index("PROGRESS REPORTS DUE")]
    assert "Service desk live" in soon
    assert "Data centre merged" not in body
    assert "EMIEP-2011-01" in body[body.index("PROGRESS REPORTS DUE") :]
    assert "2011/12 quarter 1" in body
    milestone = em_iep["shared_ict"].milestones.get(position=1)
    assert f"https://portal.example.org{milestone.get_absolute_url()}" in body
    assert "https://portal.example.org/projects/" in body


def test_an_officer_is_told_only_about_their_own_councils_projects(em_iep):
    send_delivery_reminders(today=TODAY.isoformat())

    (message,) = outbox_for("officer@notts.gov.uk")
    assert "EMIEP-2011-01" not in message.body
    assert "Drivers trained" in message.body
    # Its first milestone is logged and its 2011/12 Q1 report is in.
    assert "Vehicles tracked" not in message.body
    assert "PROGRESS REPORTS DUE" not in message.body


def test_the_programme_manager_gets_the_milestones_awaiting_verification(em_iep):
    send_delivery_reminders(today=TODAY.isoformat())

    (message,) = outbox_for("manager@emiep.org.uk")
    assert message.subject == "Partnership Portal: 1 milestone awaiting your verification"
    assert "EMIEP-2011-02" in message.body
    assert "Vehicles tracked" in message.body
    assert "Nottinghamshire County Council" in message.body
    assert "Achieved on 1 July 2011" in message.body


def test_people_with_nothing_due_without_an_address_or_another_role_get_no_email(em_iep):
    send_delivery_reminders(today=TODAY.isoformat())

    recipients = {address for message in mail.outbox for address in message.to}
    assert "officer@rutland.gov.uk" not in recipients
    assert "pm@else.org" not in recipients
    assert "board@emiep.org.uk" not in recipients
    assert "" not in recipients


def test_a_milestone_logged_is_no_longer_chased(em_iep):
    for milestone in em_iep["shared_ict"].milestones.filter(position__in=[1, 2]):
        milestone_log_achieved(
            milestone=milestone, achieved_on=datetime.date(2011, 9, 1), delivered="Done", by=None
        )

    send_delivery_reminders(today=TODAY.isoformat())

    (message,) = outbox_for("officer@n-kesteven.gov.uk")
    assert "OVERDUE MILESTONES" not in message.body
    assert "MILESTONES DUE IN THE NEXT 14 DAYS" not in message.body
    assert "PROGRESS REPORTS DUE" in message.body
    (manager_message,) = outbox_for("manager@emiep.org.uk")
    assert "3 milestones awaiting your verification" in manager_message.subject


def test_finding_the_digests_costs_the_same_queries_for_2_officers_as_for_12(em_iep):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reminder_digests(TODAY)
        return len(captured)

    before = queries()
    line = em_iep["shared_ict"].budget_line
    for number in range(10):
        council = OrganisationFactory()
        user_with_role(Role.Kind.OFFICER, organisation=council, email=f"o{number}@x.gov.uk")
        project_of(council, line, f"X-{number}", [("Step", datetime.date(2011, 9, 25))])

    # Roles with their users, the projects, their milestones and progress reports, and
    # the milestones awaiting verification.
    assert queries() == before == 5


def test_the_task_runs_for_today_when_no_day_is_given(em_iep):
    UserFactory()  # a user with no role is never e-mailed

    assert send_delivery_reminders() >= 1


def test_the_weekly_beat_entry_names_the_reminder_task_celery_knows(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["projects-delivery-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1}  # Mondays
