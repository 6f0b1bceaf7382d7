"""Writes to projects through the API, as the pages make them: the lead council's
officer logs a milestone with evidence and submits a progress report; the programme
manager verifies or returns it and approves the payment; the partnership's finance
records it paid. The same rules refuse the same people, with the same messages."""

import datetime

import pytest
from django.urls import reverse

from projects.models import GrantPayment, Milestone, ProgressReport
from projects.services import milestone_verify, progress_report_save
from tests.api import write
from tests.projects import test_duties, test_views
from tests.projects.test_views import (
    SEPTEMBER,
    approved_payment,
    date_fields,
    log_first_milestone,
    pdf,
)

# The project pages' own fixtures: the same project, people and duties kept apart.
em_iep = test_views.em_iep
recipients_finance = test_duties.recipients_finance
manager_of_the_recipient = test_duties.manager_of_the_recipient

pytestmark = pytest.mark.django_db


def _api(kind: str, pk: int, act: str) -> str:
    return f"/api/v1/{kind}/{pk}/{act}/"


def test_an_officer_logs_a_milestone_achieved_with_an_evidence_file(client, em_iep):
    milestone = em_iep["first"]

    response = write(
        client,
        em_iep["officer"],
        _api("milestones", milestone.pk, "log"),
        {"achieved_on": "2011-09-30", "delivered": "Desk live", "files": [pdf()]},
        multipart=True,
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "achieved"
    assert response.json()["achieved_on"] == "2011-09-30"
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACHIEVED
    assert [e.file.name.rsplit("/", 1)[-1] for e in milestone.evidence.all()] == [
        "go-live-report.pdf"
    ]


def test_a_log_without_evidence_is_refused_with_the_pages_message(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        _api("milestones", em_iep["first"].pk, "log"),
        {"achieved_on": "2011-09-30", "delivered": "Desk live"},
        multipart=True,
    )

    assert response.status_code == 400
    assert response.json() == {
        "files": ["Upload a file or give a link that shows it was delivered"]
    }
    em_iep["first"].refresh_from_db()
    assert em_iep["first"].status == Milestone.Status.PLANNED


def test_a_services_refusal_is_a_400_with_the_message_on_its_field(client, em_iep):
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = write(
        client,
        em_iep["officer"],
        _api("milestones", em_iep["first"].pk, "log"),
        {
            "achieved_on": future.isoformat(),
            "delivered": "Desk live",
            "links": "https://example.org/desk",
        },
        multipart=True,
    )

    assert response.status_code == 400
    assert response.json() == {"achieved_on": ["The date achieved cannot be in the future."]}


def test_a_nonsense_date_is_refused_as_the_page_refuses_it(client, em_iep):
    response = write(
        client,
        em_iep["finance"],
        _api("grant-payments", approved_payment(em_iep).pk, "record-paid"),
        {"paid_on": "31 February", "reference": "BACS-1"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["paid_on"]


def test_the_manager_verifies_a_logged_milestone_and_its_payment_falls_due(client, em_iep):
    milestone = log_first_milestone(em_iep)

    response = write(client, em_iep["manager"], _api("milestones", milestone.pk, "verify"))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert GrantPayment.objects.get(milestone=milestone).status == GrantPayment.Status.DUE


def test_verifying_twice_is_refused_with_the_lifecycles_message(client, em_iep):
    milestone = log_first_milestone(em_iep)
    write(client, em_iep["manager"], _api("milestones", milestone.pk, "verify"))

    again = write(client, em_iep["manager"], _api("milestones", milestone.pk, "verify"))

    assert again.status_code == 400
    assert "detail" in again.json()


def test_the_manager_returns_a_milestone_and_must_say_why(client, em_iep):
    milestone = log_first_milestone(em_iep)
    url = _api("milestones", milestone.pk, "return")

    empty = write(client, em_iep["manager"], url, {"comment": ""})
    returned = write(client, em_iep["manager"], url, {"comment": "Attach the go-live report"})

    assert empty.status_code == 400
    assert empty.json() == {"comment": ["Say what the officer needs to change"]}
    assert returned.status_code == 200
    assert returned.json()["review_comment"] == "Attach the go-live report"


def test_the_manager_approves_and_finance_records_the_payment_paid(client, em_iep):
    milestone = log_first_milestone(em_iep)
    write(client, em_iep["manager"], _api("milestones", milestone.pk, "verify"))
    payment = GrantPayment.objects.get(milestone=milestone)

    approved = write(client, em_iep["manager"], _api("grant-payments", payment.pk, "approve"))
    paid = write(
        client,
        em_iep["finance"],
        _api("grant-payments", payment.pk, "record-paid"),
        {"paid_on": datetime.date.today().isoformat(), "reference": "BACS-0001"},
    )

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid"
    assert paid.json()["reference"] == "BACS-0001"
    assert paid.json()["amount"] == "60000.00"


def test_an_officer_submits_a_draft_progress_report(client, em_iep):
    report = progress_report_save(
        project=em_iep["project"],
        financial_year=2011,
        quarter=2,
        by=em_iep["officer"],
        rag="green",
        narrative="On track",
    )

    response = write(client, em_iep["officer"], _api("progress-reports", report.pk, "submit"))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.submitted_by == em_iep["officer"]


def test_the_recipients_finance_cannot_record_its_own_grant_paid_with_the_api(
    client,
    em_iep,
    recipients_finance,
):
    payment = approved_payment(em_iep)

    response = write(
        client,
        recipients_finance,
        _api("grant-payments", payment.pk, "record-paid"),
        {"paid_on": datetime.date.today().isoformat(), "reference": "BACS-1"},
    )

    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == GrantPayment.Status.APPROVED


def _report(em_iep) -> ProgressReport:
    return progress_report_save(
        project=em_iep["project"], financial_year=2011, quarter=2, by=None, rag="green"
    )


def _logged(em_iep) -> Milestone:
    return log_first_milestone(em_iep)


def _due(em_iep) -> GrantPayment:
    milestone = log_first_milestone(em_iep)
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    return GrantPayment.objects.get(milestone=milestone)


# Each write: how to get its record, its page, its API path, what is posted (page
# fields, API body), and who must be refused; the page and the API refuse each alike.
WRITES = {
    "log": (
        lambda e: e["first"],
        "projects:milestone-log",
        ("milestones", "log"),
        {**date_fields("achieved_on", SEPTEMBER), "delivered": "Desk", "links": "https://a.uk"},
        {"achieved_on": "2011-09-30", "delivered": "Desk", "links": "https://a.uk"},
        ["other_officer", "partner_officer", "board", "finance"],
    ),
    "verify": (
        _logged,
        "projects:milestone-verify",
        ("milestones", "verify"),
        {},
        {},
        ["officer", "other_officer", "board", "finance", "manager_of_the_recipient"],
    ),
    "return": (
        _logged,
        "projects:milestone-return",
        ("milestones", "return"),
        {"comment": "More"},
        {"comment": "More"},
        ["officer", "partner_officer", "board", "finance", "manager_of_the_recipient"],
    ),
    "approve": (
        _due,
        "projects:payment-approve",
        ("grant-payments", "approve"),
        {},
        {},
        ["officer", "other_officer", "board", "finance", "manager_of_the_recipient"],
    ),
    "record-paid": (
        approved_payment,
        "projects:payment-record",
        ("grant-payments", "record-paid"),
        {**date_fields("paid_on", SEPTEMBER), "reference": "BACS-1"},
        {"paid_on": "2011-09-30", "reference": "BACS-1"},
        ["officer", "partner_officer", "board", "manager", "recipients_finance"],
    ),
    "submit-report": (
        _report,
        "projects:progress-report-submit",
        ("progress-reports", "submit"),
        {},
        {},
        ["other_officer", "partner_officer", "board", "finance"],
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_writes_refused_on_the_pages_are_refused_in_the_api(
    client,
    em_iep,
    recipients_finance,
    manager_of_the_recipient,
    name,
):
    make, page, (kind, act), posted, sent, refused = WRITES[name]
    obj = make(em_iep)
    people = {
        **em_iep,
        "recipients_finance": recipients_finance,
        "manager_of_the_recipient": manager_of_the_recipient,
    }
    before = type(obj).objects.get(pk=obj.pk).status
    for who in refused:
        client.force_login(people[who])
        on_page = client.post(reverse(page, args=[obj.pk]), posted)
        in_api = write(client, people[who], _api(kind, obj.pk, act), sent)
        assert on_page.status_code in (403, 404), (name, who, on_page.status_code)
        assert in_api.status_code == on_page.status_code, (name, who, in_api.content)
    assert type(obj).objects.get(pk=obj.pk).status == before
