"""Project delivery through the browser's eyes: officers log milestones with evidence and
write progress reports, programme managers verify and approve, finance records
payments; every form refuses people who may not use it."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from bids.models import Bid
from partnership.models import Decision, Role
from programmes.models import LedgerEntry
from programmes.selectors import budget_line_balance
from programmes.services import ledger_record
from projects.models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    MilestoneEvidence,
    ProgressReport,
    Project,
    ProjectRisk,
    Repayment,
)
from projects.selectors import project_money
from projects.services import (
    change_request_refuse,
    change_request_submit,
    milestone_add,
    milestone_log_achieved,
    milestone_reprofile,
    milestone_verify,
    payment_approve,
    payment_record_paid,
    progress_report_save,
    progress_report_submit,
)
from tests.concurrency import needs_postgres, run_together
from tests.error_summary import lands_on_a_field, summary_links
from tests.factories import (
    BidFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)
from tests.reading import page_words

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = datetime.date(2011, 9, 30)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def date_fields(name: str, day: datetime.date) -> dict:
    """A date as the GOV.UK date input posts it: day, month and year boxes."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def text(response) -> str:
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    """The part of a page from the heading with this id to the next heading like it."""
    start = page.index(f'id="{heading_id}"')
    end = page.find('<h2 class="govuk-heading-m"', start)
    return page[start : end if end != -1 else None]


def pdf(name: str = "go-live-report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def em_iep():
    """Shared ICT, North Kesteven's £100,000 project with Rutland as partner, paid on
    two milestones (£60,000 and £40,000), and the people who work on it."""
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    nottinghamshire = OrganisationFactory(
        name="Nottinghamshire County Council", partnership=partnership
    )
    rutland = OrganisationFactory(name="Rutland County Council", partnership=partnership)
    line = funded_budget_line(D("750000"), name="Projects", programme__partnership=partnership)
    project = ProjectFactory(
        reference="EMIEP-2011-01",
        title="Shared ICT",
        budget_line=line,
        lead_organisation=north_kesteven,
        grant_awarded=D("100000"),
        starts_on=datetime.date(2011, 5, 1),
        ends_on=datetime.date(2013, 3, 31),
    )
    project.partners.add(rutland)
    ledger_record(
        programme=line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=D("100000"),
        occurred_on=datetime.date(2011, 4, 12),
        budget_line=line,
        subject=project,
        by=None,
    )
    for title, due_on, amount in (
        ("Shared service desk live", SEPTEMBER, D("60000")),
        ("Data centre merged", datetime.date(2012, 3, 31), D("40000")),
    ):
        milestone_add(project=project, title=title, due_on=due_on, payment_amount=amount, by=None)
    return {
        "partnership": partnership,
        "project": project,
        "line": line,
        "first": project.milestones.get(position=1),
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "other_officer": user_with_role(Role.Kind.OFFICER, organisation=nottinghamshire),
        "partner_officer": user_with_role(Role.Kind.OFFICER, organisation=rutland),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
        "finance": user_with_role(Role.Kind.FINANCE, partnership=partnership),
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
    }


def log_first_milestone(em_iep) -> Milestone:
    return milestone_log_achieved(
        milestone=em_iep["first"], achieved_on=SEPTEMBER, delivered="Desk live", by=None
    )


def approved_payment(em_iep) -> GrantPayment:
    milestone = log_first_milestone(em_iep)
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    return payment_approve(payment=milestone.payment, by=em_iep["manager"], approved_on=SEPTEMBER)


def schedule_rows(client) -> list[dict]:
    response = client.get(reverse("projects:payment-schedule-csv"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


# The demo data, end to end


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # demo users are only made while DEBUG is on
    call_command("load_demo", stdout=io.StringIO())


def test_the_three_approved_april_2011_projects_each_carry_milestones_and_a_payment_profile(
    demo,
):
    projects = Project.objects.filter(reference__startswith="EMIEP-2011-").order_by("reference")

    assert [p.reference for p in projects] == ["EMIEP-2011-01", "EMIEP-2011-02", "EMIEP-2011-03"]
    for project in projects:
        assert project.milestones.count() == 3
        assert sum(p.amount for p in project.payments.all()) == project.grant_awarded
        assert all(p.milestone_id for p in project.payments.all())


def test_a_demo_milestone_is_logged_verified_approved_and_paid_and_the_export_follows_it(
    client, demo
):
    project = Project.objects.get(reference="EMIEP-2011-01")
    milestone = project.milestones.get(position=1)
    payment = milestone.payment
    users = {name: User.objects.get(username=name) for name in ("manager", "finance")}
    officer = User.objects.get(username="officer-north-kesteven")

    # The officer of North Kesteven logs the milestone with a file and a link.
    client.force_login(officer)
    response = client.post(
        reverse("projects:milestone-log", args=[milestone.pk]),
        {
            **date_fields("achieved_on", SEPTEMBER),
            "delivered": "Partners signed the agreement; the project plan was agreed.",
            "files": pdf("signed-agreement.pdf"),
            "links": "https://www.n-kesteven.gov.uk/shared-ict",
        },
        follow=True,
    )
    assert "is logged as achieved" in text(response)
    assert "signed-agreement.pdf" in text(response)
    assert milestone.evidence.count() == 2

    # The programme manager verifies it: the payment falls due.
    client.force_login(users["manager"])
    assert milestone.title in text(client.get(reverse("projects:milestones-awaiting-verification")))
    response = client.post(reverse("projects:milestone-verify", args=[milestone.pk]), follow=True)
    assert "Its grant payment is now due" in text(response)

    client.force_login(users["finance"])
    row = next(r for r in schedule_rows(client) if r["Milestone"].startswith("1. Partners"))
    assert (row["Project reference"], row["Status"], row["Amount"]) == (
        "EMIEP-2011-01",
        "Due",
        str(payment.amount),
    )
    assert row["Accountable body"] == "North Kesteven District Council"

    # The programme manager approves it for release today; finance records it paid.
    client.force_login(users["manager"])
    client.post(reverse("projects:payment-approve", args=[payment.pk]))
    client.force_login(users["finance"])
    today = timezone.localdate()
    response = client.post(
        reverse("projects:payment-record", args=[payment.pk]),
        {**date_fields("paid_on", today), "reference": "BACS-0001"},
        follow=True,
    )
    assert "recorded as paid" in text(response)

    row = next(r for r in schedule_rows(client) if r["Milestone"].startswith("1. Partners"))
    assert (row["Status"], row["Paid on"], row["Remittance reference"]) == (
        "Paid",
        today.isoformat(),
        "BACS-0001",
    )
    assert row["Approved by"] == "manager"
    assert project_money(project).paid == payment.amount


# Logging a milestone


def test_an_officer_logs_a_milestone_with_evidence_and_the_manager_sees_it_waiting(client, em_iep):
    client.force_login(em_iep["officer"])
    milestone = em_iep["first"]

    response = client.post(
        reverse("projects:milestone-log", args=[milestone.pk]),
        {
            **date_fields("achieved_on", SEPTEMBER),
            "delivered": "Shared service desk went live for both councils",
            "files": [pdf("go-live-report.pdf"), pdf("user-survey.pdf")],
        },
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACHIEVED
    assert milestone.achieved_on == SEPTEMBER
    assert sorted(e.file.name.rsplit("/", 1)[-1] for e in milestone.evidence.all()) == [
        "go-live-report.pdf",
        "user-survey.pdf",
    ]
    client.force_login(em_iep["manager"])
    page = text(client.get(milestone.get_absolute_url()))
    assert "Verify milestone" in page
    assert "go-live-report.pdf" in page


def test_evidence_attached_to_a_refused_log_is_kept_for_the_next_try(client, em_iep):
    client.force_login(em_iep["officer"])
    url = reverse("projects:milestone-log", args=[em_iep["first"].pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    refused = client.post(
        url,
        {
            **date_fields("achieved_on", tomorrow),
            "delivered": "Desk live",
            "files": [pdf("go-live-report.pdf"), pdf("user-survey.pdf")],
        },
    )

    assert refused.status_code == 400
    assert "You attached go-live-report.pdf, user-survey.pdf. They are kept" in page_words(refused)
    tokens = re.findall(r'name="files_held" value="([^"]+)"', refused.content.decode())
    assert len(tokens) == 2
    assert not em_iep["first"].evidence.exists()

    client.post(
        url,
        {**date_fields("achieved_on", SEPTEMBER), "delivered": "Desk live", "files_held": tokens},
    )

    assert sorted(e.file.name.rsplit("/", 1)[-1] for e in em_iep["first"].evidence.all()) == [
        "go-live-report.pdf",
        "user-survey.pdf",
    ]


def test_evidence_is_downloaded_only_by_those_who_may_see_the_project(client, em_iep):
    client.force_login(em_iep["officer"])
    client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {**date_fields("achieved_on", SEPTEMBER), "delivered": "Live", "files": pdf()},
    )
    evidence = MilestoneEvidence.objects.get()
    url = reverse("projects:evidence-download", args=[evidence.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="go-live-report.pdf"' in response["Content-Disposition"]

    client.force_login(em_iep["other_officer"])
    assert client.get(url).status_code == 404


def test_a_milestone_achieved_before_its_project_started_is_refused_on_the_date(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {
            **date_fields("achieved_on", datetime.date(2011, 4, 30)),
            "delivered": "Live",
            "links": "https://example.org/go-live",
        },
    )

    assert response.status_code == 400
    [(href, message)] = summary_links(text(response))
    assert message == "A milestone cannot be achieved before the project starts, on 1 May 2011."
    assert lands_on_a_field(text(response), href)
    em_iep["first"].refresh_from_db()
    assert em_iep["first"].status == Milestone.Status.PLANNED


def test_logging_a_milestone_without_evidence_shows_the_error_summary_and_the_field(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {"achieved_on_0": "31", "achieved_on_1": "2", "achieved_on_2": "2011", "delivered": ""},
    )

    page = text(response)
    assert response.status_code == 400
    assert "<title>Error: Log milestone 1 as achieved" in page
    assert "govuk-error-summary" in page
    assert "Enter a real date" in page
    assert "Say what was delivered" in page
    assert "Upload a file or give a link that shows it was delivered" in page
    assert 'href="#id_delivered"' in page
    assert Milestone.objects.get(pk=em_iep["first"].pk).status == Milestone.Status.PLANNED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("installer.pdf", b"MZ\x90\x00 a program, not a PDF", "is not a real PDF file"),
        ("notes.txt", b"plain text", "must be a PDF, Word"),
        ("budget.xlsx", b"PK\x03\x04 but not a workbook", "is not a real XLSX file"),
        ("photo.png", b"\xff\xd8\xff\xe0 a JPEG called PNG", "is not a real PNG file"),
        ("figures.csv", b"\x00\x01\x02 binary", "is not a real CSV file"),
        ("huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "must be smaller than 10MB"),
    ],
)
def test_an_evidence_file_is_refused_when_its_content_or_size_is_wrong(
    client, em_iep, name, content, message
):
    client.force_login(em_iep["officer"])

    response = client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {
            **date_fields("achieved_on", SEPTEMBER),
            "delivered": "Live",
            "files": SimpleUploadedFile(name, content),
        },
    )

    assert response.status_code == 400
    assert message in text(response)
    assert not MilestoneEvidence.objects.exists()


def test_genuine_office_and_image_files_are_accepted_as_evidence(client, em_iep, tmp_path):
    workbook_path = tmp_path / "spend.xlsx"
    Workbook().save(workbook_path)
    client.force_login(em_iep["officer"])

    response = client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {
            **date_fields("achieved_on", SEPTEMBER),
            "delivered": "Live",
            "files": [
                SimpleUploadedFile("spend.xlsx", workbook_path.read_bytes()),
                SimpleUploadedFile(
                    "figures.csv", "Council,Saving\nNorth Kesteven,£1,000\n".encode()
                ),
                SimpleUploadedFile("desk.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
            ],
        },
    )

    assert response.status_code == 302
    assert MilestoneEvidence.objects.count() == 3


def test_a_date_achieved_in_the_future_is_refused_on_its_field(client, em_iep):
    client.force_login(em_iep["officer"])
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = client.post(
        reverse("projects:milestone-log", args=[em_iep["first"].pk]),
        {**date_fields("achieved_on", tomorrow), "delivered": "Live", "links": "https://x.org/"},
    )

    assert "The date achieved cannot be in the future." in text(response)
    assert not MilestoneEvidence.objects.exists()


def test_the_programme_manager_returns_a_milestone_and_the_officer_sees_why(client, em_iep):
    milestone = log_first_milestone(em_iep)
    client.force_login(em_iep["manager"])

    empty = client.post(reverse("projects:milestone-return", args=[milestone.pk]), {"comment": ""})
    assert "Say what the officer needs to change" in text(empty)
    client.post(
        reverse("projects:milestone-return", args=[milestone.pk]),
        {"comment": "Attach the go-live report"},
    )

    client.force_login(em_iep["officer"])
    page = text(client.get(reverse("projects:milestone-log", args=[milestone.pk])))
    assert "Attach the go-live report" in page
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RETURNED
    assert milestone.payment.status == GrantPayment.Status.SCHEDULED


def test_verifying_makes_the_linked_payment_due(client, em_iep):
    milestone = log_first_milestone(em_iep)
    client.force_login(em_iep["manager"])

    client.post(reverse("projects:milestone-verify", args=[milestone.pk]))

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.VERIFIED
    assert milestone.verified_by == em_iep["manager"]
    assert milestone.payment.status == GrantPayment.Status.DUE


def test_verifying_asks_the_manager_to_confirm_and_does_nothing_until_they_do(client, em_iep):
    milestone = log_first_milestone(em_iep)
    client.force_login(em_iep["manager"])

    detail = client.get(milestone.get_absolute_url())
    assert 'href="{}"'.format(reverse("projects:milestone-verify", args=[milestone.pk])) in (
        detail.content.decode()
    )
    page = text(client.get(reverse("projects:milestone-verify", args=[milestone.pk])))

    assert "Are you sure milestone 1 is achieved?" in page
    assert "its grant payment of £" in page
    assert "falls due" in page
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.ACHIEVED


def test_verifying_a_milestone_twice_is_refused_on_the_confirmation_page(client, em_iep):
    milestone = log_first_milestone(em_iep)
    client.force_login(em_iep["manager"])
    url = reverse("projects:milestone-verify", args=[milestone.pk])
    client.post(url)

    response = client.post(url)

    assert response.status_code == 400
    assert "There is a problem" in text(response)


def test_an_officer_cannot_verify_their_own_milestone(client, em_iep):
    milestone = log_first_milestone(em_iep)
    client.force_login(em_iep["officer"])

    response = client.post(reverse("projects:milestone-verify", args=[milestone.pk]))

    assert response.status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.ACHIEVED


def test_every_reprofile_is_listed_with_the_baseline_and_drawn_on_the_timeline(client, em_iep):
    client.force_login(em_iep["officer"])
    url = reverse("projects:milestone-reprofile", args=[em_iep["first"].pk])

    client.post(
        url, {**date_fields("new_forecast_on", datetime.date(2011, 12, 31)), "reason": "Supplier"}
    )
    client.post(
        url, {**date_fields("new_forecast_on", datetime.date(2012, 2, 28)), "reason": "Vacancy"}
    )
    same = client.post(
        url, {**date_fields("new_forecast_on", datetime.date(2012, 2, 28)), "reason": "Again"}
    )

    assert "The new forecast date is the same as the current one." in text(same)
    milestone_page = text(client.get(em_iep["first"].get_absolute_url()))
    assert "Baseline: 30 Sep 2011" in milestone_page
    assert milestone_page.index("Supplier") < milestone_page.index("Vacancy")
    assert "31 Dec 2011" in milestone_page
    project_page = text(client.get(em_iep["project"].get_absolute_url()))
    assert "baseline 30 Sep 2011, forecast 28 Feb 2012 (151 days late)" in project_page
    assert "<svg" in project_page
    assert "Re-profiled: Vacancy" in project_page  # the history


# Grant payments


def test_the_programme_manager_withholds_a_payment_with_a_reason(client, em_iep):
    payment = em_iep["first"].payment
    client.force_login(em_iep["manager"])

    empty = client.post(reverse("projects:payment-withhold", args=[payment.pk]), {"reason": ""})
    assert "Say why the payment is withheld" in text(empty)
    client.post(
        reverse("projects:payment-withhold", args=[payment.pk]), {"reason": "Evidence missing"}
    )

    payment.refresh_from_db()
    assert (payment.status, payment.withheld_reason) == ("withheld", "Evidence missing")
    assert "Lift the hold" in text(client.get(payment.get_absolute_url()))

    client.post(reverse("projects:payment-release", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.status == "scheduled"  # its milestone is not verified yet


def test_approving_a_payment_asks_to_confirm_and_approves_only_on_the_button(client, em_iep):
    milestone = log_first_milestone(em_iep)
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    payment = milestone.payment
    client.force_login(em_iep["manager"])
    url = reverse("projects:payment-approve", args=[payment.pk])

    page = text(client.get(url))
    assert "Are you sure you want to approve" in page
    assert "North Kesteven District Council" in page
    payment.refresh_from_db()
    assert payment.status == GrantPayment.Status.DUE

    response = client.post(url, follow=True)
    assert "approved for release" in text(response)
    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == ("approved", em_iep["manager"])


def test_each_date_of_a_milestone_and_its_payment_says_who_took_the_step(client, em_iep):
    for role, name in (("officer", "Delivery"), ("manager", "Programme"), ("finance", "Finance")):
        em_iep[role].first_name, em_iep[role].last_name = name, "Lead"
        em_iep[role].save()
    milestone = milestone_log_achieved(
        milestone=em_iep["first"],
        achieved_on=SEPTEMBER,
        delivered="Desk live",
        by=em_iep["officer"],
    )
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    payment = payment_approve(
        payment=milestone.payment, by=em_iep["manager"], approved_on=SEPTEMBER
    )
    payment_record_paid(
        payment=payment, paid_on=SEPTEMBER, reference="BACS-1", by=em_iep["finance"]
    )
    client.force_login(em_iep["manager"])

    milestone_page = page_words(client.get(milestone.get_absolute_url()))
    payment_page = page_words(client.get(payment.get_absolute_url()))
    project_page = page_words(client.get(em_iep["project"].get_absolute_url()))

    assert "Achieved 30 September 2011 by Delivery Lead" in milestone_page
    assert "Verified 30 September 2011 by Programme Lead" in milestone_page
    assert "Approved for release 30 September 2011 by Programme Lead" in payment_page
    assert "Paid 30 September 2011 by Finance Lead" in payment_page
    assert "30 Sep 2011 by Delivery Lead" in project_page
    assert "30 Sep 2011 by Finance Lead" in project_page


def test_a_replayed_record_payment_is_refused_with_the_message_and_pays_once(client, em_iep):
    payment = approved_payment(em_iep)
    client.force_login(em_iep["finance"])
    url = reverse("projects:payment-record", args=[payment.pk])
    data = {**date_fields("paid_on", datetime.date(2011, 10, 14)), "reference": "BACS-0001"}

    first = client.post(url, data)
    replayed = client.post(url, data)

    assert first.status_code == 302
    assert replayed.status_code == 400
    assert (
        "This payment was already recorded as paid on 14 October 2011 (reference BACS-0001)."
        in text(replayed)
    )
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count() == 1
    assert project_money(em_iep["project"]).paid == D("60000.00")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_record_payment_posts_at_the_same_moment_pay_once(em_iep):
    payment = approved_payment(em_iep)
    url = reverse("projects:payment-record", args=[payment.pk])
    clients = [Client(), Client()]
    for finance in clients:
        finance.force_login(em_iep["finance"])

    responses = run_together(
        *(
            lambda finance=finance, reference=reference: finance.post(
                url, {**date_fields("paid_on", SEPTEMBER), "reference": reference}
            )
            for finance, reference in zip(clients, ("BACS-A", "BACS-B"), strict=True)
        )
    )

    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400)
    assert "This payment was already recorded as paid on 30 September 2011" in text(refused)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count() == 1


def test_a_payment_that_would_take_payments_above_the_award_is_refused(client, em_iep):
    payment = approved_payment(em_iep)
    GrantPayment.objects.filter(pk=payment.pk).update(amount=D("100000.01"))
    client.force_login(em_iep["finance"])

    response = client.post(
        reverse("projects:payment-record", args=[payment.pk]),
        {**date_fields("paid_on", datetime.date(2011, 10, 14)), "reference": "BACS-0001"},
    )

    assert "above the £100,000.00 awarded" in text(response)
    assert GrantPayment.objects.get(pk=payment.pk).status == GrantPayment.Status.APPROVED
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).exists()


def test_a_payment_not_yet_approved_cannot_be_recorded_as_paid(client, em_iep):
    payment = em_iep["first"].payment
    client.force_login(em_iep["finance"])

    response = client.post(
        reverse("projects:payment-record", args=[payment.pk]),
        {**date_fields("paid_on", SEPTEMBER), "reference": "BACS-1"},
    )

    assert "scheduled cannot become paid" in text(response)


def test_finance_cannot_approve_a_payment_and_the_manager_cannot_record_one(client, em_iep):
    payment = approved_payment(em_iep)
    client.force_login(em_iep["finance"])
    assert client.post(reverse("projects:payment-approve", args=[payment.pk])).status_code == 403
    client.force_login(em_iep["manager"])
    assert client.get(reverse("projects:payment-record", args=[payment.pk])).status_code == 403


# Who may use which form

PROJECT_FORMS = [
    "projects:milestone-add",
    "projects:risk-add",
    "projects:change-request-add",
    "projects:project-close",
    "projects:repayment-add",
    "projects:clawback-add",
]


def every_form_url(em_iep) -> list[tuple[str, str]]:
    """(method, url) of every page that changes the project or its records."""
    project, milestone = em_iep["project"], em_iep["first"]
    risk = ProjectRisk.objects.create(
        project=project, risk="Supplier delay", likelihood=3, impact=4, owner="Head of ICT"
    )
    report = ProgressReport.objects.create(
        project=project, financial_year=2011, quarter=1, rag="green", narrative="On track"
    )
    change = ChangeRequest.objects.create(
        project=project, kind="scope", reason="More councils", requested_by=em_iep["officer"]
    )
    project.invest_to_save = True
    project.save()
    repayment = Repayment.objects.create(
        project=project, due_on=datetime.date(2013, 4, 30), amount=D("1000")
    )
    clawback = Clawback.objects.create(
        project=project, amount=D("1000"), reason="x", demanded_on=SEPTEMBER
    )
    urls = [("get", reverse(name, args=[project.pk])) for name in PROJECT_FORMS] + [
        ("get", reverse("projects:progress-report-edit", args=[project.pk, 2011, 2])),
        ("get", reverse("projects:milestone-log", args=[milestone.pk])),
        ("get", reverse("projects:milestone-reprofile", args=[milestone.pk])),
        ("get", reverse("projects:milestone-return", args=[milestone.pk])),
        ("get", reverse("projects:milestone-verify", args=[milestone.pk])),
        ("get", reverse("projects:payment-approve", args=[milestone.payment.pk])),
        ("get", reverse("projects:payment-withhold", args=[milestone.payment.pk])),
        ("post", reverse("projects:payment-release", args=[milestone.payment.pk])),
        ("get", reverse("projects:payment-record", args=[milestone.payment.pk])),
        ("post", reverse("projects:progress-report-submit", args=[report.pk])),
        ("post", reverse("projects:progress-report-correct", args=[report.pk])),
        ("get", reverse("projects:risk-edit", args=[risk.pk])),
        ("get", reverse("projects:change-request-decide", args=[change.pk])),
        ("get", reverse("projects:repayment-record", args=[repayment.pk])),
        ("get", reverse("projects:clawback-record", args=[clawback.pk])),
    ]
    return urls + [("post", url) for method, url in urls if method == "get"]


def test_an_officer_of_another_council_is_refused_on_every_form(client, em_iep):
    client.force_login(em_iep["other_officer"])

    for method, url in every_form_url(em_iep):
        response = getattr(client, method)(url, {})

        assert response.status_code == 404, (method, url)
    assert Milestone.objects.filter(status=Milestone.Status.PLANNED).count() == 2
    assert not GrantPayment.objects.exclude(status=GrantPayment.Status.SCHEDULED).exists()


def test_a_partner_councils_officer_and_a_board_member_read_but_change_nothing(client, em_iep):
    urls = every_form_url(em_iep)
    for user in (em_iep["partner_officer"], em_iep["board"]):
        client.force_login(user)
        assert client.get(em_iep["project"].get_absolute_url()).status_code == 200

        for method, url in urls:
            assert getattr(client, method)(url, {}).status_code == 403, (user, method, url)


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_from_every_form(client, em_iep):
    for method, url in every_form_url(em_iep):
        response = getattr(client, method)(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Progress reports and the risk register


def report_data(**overrides) -> dict:
    """A progress report form as posted, with a spend table of the project's eight
    quarters (2011/12 Q1 to 2012/13 Q4)."""
    data = {
        "rag": "amber",
        "rag_schedule": "red",
        "rag_budget": "green",
        "narrative": "Desk live a quarter late",
        "risks_and_issues": "Supplier delay",
        "spend_to_date": "25,000",
        "savings_to_date": "£5,000.00",
        "form-TOTAL_FORMS": "8",
        "form-INITIAL_FORMS": "8",
    }
    quarters = [(2011, q) for q in range(1, 5)] + [(2012, q) for q in range(1, 5)]
    for index, (year, quarter) in enumerate(quarters):
        data |= {
            f"form-{index}-financial_year": year,
            f"form-{index}-quarter": quarter,
            f"form-{index}-forecast": "",
            f"form-{index}-actual": "",
        }
    data |= {"form-1-forecast": "30000", "form-1-actual": "25000"}
    return data | overrides


def test_a_progress_report_is_drafted_submitted_read_only_and_corrected_as_a_new_version(
    client, em_iep
):
    project = em_iep["project"]
    risk = ProjectRisk.objects.create(
        project=project, risk="Supplier delay", likelihood=3, impact=4, owner="Head of ICT"
    )
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[project.pk, 2011, 2])

    form_page = text(client.get(edit))
    assert "2011/12 Q1" in form_page and "2012/13 Q4" in form_page  # one spend row a quarter
    response = client.post(edit, report_data(risks=[risk.pk]), follow=True)
    assert "The draft report is saved" in text(response)
    report = ProgressReport.objects.get()
    assert (report.status, report.rag, report.rag_schedule, report.spend_to_date) == (
        "draft",
        "amber",
        "red",
        D("25000.00"),
    )
    assert list(report.risks.all()) == [risk]
    assert [(s.financial_year, s.quarter, s.forecast, s.actual) for s in report.spend.all()] == [
        (2011, 2, D("30000.00"), D("25000.00"))
    ]

    client.post(reverse("projects:progress-report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    read_only = client.get(edit, follow=True)
    assert "This report is submitted. Correct it to make a new version." in text(read_only)
    assert "Correct this report" in text(read_only)

    response = client.post(
        reverse("projects:progress-report-correct", args=[report.pk]), follow=True
    )
    assert "Version 2 is a draft copy" in text(response)
    client.post(edit, report_data(rag="green", narrative="Desk live; corrected figures"))
    correction = ProgressReport.objects.get(version=2)
    assert (correction.status, correction.rag) == ("draft", "green")
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUPERSEDED
    assert "Version 1" in text(client.get(correction.get_absolute_url()))


def test_figures_left_blank_in_a_report_read_not_given_not_nil(client, em_iep):
    project = em_iep["project"]
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[project.pk, 2011, 2])

    client.post(edit, report_data(spend_to_date="", savings_to_date=""))

    report = ProgressReport.objects.get()
    assert (report.spend_to_date, report.savings_to_date) == (None, None)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(client.get(report.get_absolute_url()))))
    assert "Spend to date Not given" in page
    assert "Cashable savings to date Not given" in page
    assert "£0" not in page


def test_a_report_without_a_narrative_is_not_submitted(client, em_iep):
    report = progress_report_save(
        project=em_iep["project"], financial_year=2011, quarter=2, by=None, rag="green"
    )
    client.force_login(em_iep["officer"])

    response = client.post(
        reverse("projects:progress-report-submit", args=[report.pk]), follow=True
    )

    assert "Write the narrative before submitting." in text(response)
    assert ProgressReport.objects.get().status == ProgressReport.Status.DRAFT


def test_a_report_form_with_errors_lists_them_all(client, em_iep):
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[em_iep["project"].pk, 2011, 2])

    response = client.post(edit, report_data(rag="", **{"form-1-actual": "lots"}))

    page = text(response)
    assert "Choose the overall RAG status" in page
    assert "2011/12 Q2 actual spend: Enter an amount in pounds, like 25,000" in page
    assert not ProgressReport.objects.exists()


def test_no_report_is_written_for_a_quarter_still_to_come(client, em_iep):
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[em_iep["project"].pk, 2099, 1])

    response = client.post(edit, report_data())

    assert "A report cannot be written for a quarter still to come." in text(response)


def test_a_report_on_a_project_with_no_risks_is_drawn_without_the_risks_question(
    client, em_iep, caplog
):
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[em_iep["project"].pk, 2011, 2])

    page = text(client.get(edit))

    assert "overall rag" in page.lower()
    assert "Risks from the register" not in page
    assert not [r for r in caplog.records if "Could not resolve form field" in r.getMessage()]


def test_risks_are_added_to_the_register_and_changed(client, em_iep):
    project = em_iep["project"]
    client.force_login(em_iep["officer"])

    client.post(
        reverse("projects:risk-add", args=[project.pk]),
        {
            "risk": "Supplier delay",
            "likelihood": "3",
            "impact": "4",
            "owner": "Head of ICT",
            "mitigation": "Weekly calls",
            "status": "open",
        },
    )
    risk = ProjectRisk.objects.get()
    client.post(
        reverse("projects:risk-edit", args=[risk.pk]),
        {
            "risk": "Supplier delay",
            "likelihood": "1",
            "impact": "4",
            "owner": "Head of ICT",
            "status": "closed",
        },
    )

    risk.refresh_from_db()
    assert (risk.project, risk.likelihood, risk.status) == (project, 1, "closed")
    page = text(client.get(project.get_absolute_url()))
    assert "Supplier delay" in page
    assert "Head of ICT" in page


# Change requests, closure, repayments and clawback


def test_an_extension_is_approved_with_a_board_decision_from_the_partnerships_meetings(
    client, em_iep
):
    project = em_iep["project"]
    meeting = MeetingFactory(partnership=em_iep["partnership"], held_on=datetime.date(2012, 11, 26))
    decision = Decision.objects.create(meeting=meeting, text="Delivery extended by six months")
    elsewhere = Decision.objects.create(meeting=MeetingFactory(), text="Another partnership's")
    client.force_login(em_iep["officer"])
    client.post(
        reverse("projects:change-request-add", args=[project.pk]),
        {
            "kind": "end_date",
            "reason": "Slippage",
            **date_fields("new_ends_on", datetime.date(2013, 9, 30)),
        },
    )
    change = ChangeRequest.objects.get()
    client.force_login(em_iep["manager"])
    decide = reverse("projects:change-request-decide", args=[change.pk])

    page = text(client.get(decide))
    assert "Delivery extended by six months" in page
    assert "Another partnership" not in page
    without = client.post(decide, {"outcome": "approve"})
    assert "Record the board decision that allowed the extension." in text(without)
    other = client.post(decide, {"outcome": "approve", "decision": elsewhere.pk})
    assert "Select a valid choice" in text(other)
    client.post(decide, {"outcome": "approve", "decision": decision.pk})

    project.refresh_from_db()
    change.refresh_from_db()
    assert project.ends_on == datetime.date(2013, 9, 30)
    assert (change.status, change.decision, change.previous_ends_on) == (
        "approved",
        decision,
        datetime.date(2013, 3, 31),
    )
    assert "31 March 2013 to 30 September 2013" in text(client.get(change.get_absolute_url()))


def test_a_change_request_names_what_it_changes_and_can_be_refused_with_a_note(client, em_iep):
    project = em_iep["project"]
    client.force_login(em_iep["officer"])
    add = reverse("projects:change-request-add", args=[project.pk])
    missing = client.post(add, {"kind": "grant", "reason": "Two more councils"})
    assert "Enter the new grant" in text(missing)
    client.post(
        add, {"kind": "grant", "reason": "Two more councils", "new_grant_awarded": "150,000"}
    )
    change = ChangeRequest.objects.get()
    assert change.new_grant_awarded == D("150000.00")
    client.force_login(em_iep["manager"])
    decide = reverse("projects:change-request-decide", args=[change.pk])

    no_note = client.post(decide, {"outcome": "refuse"})
    assert "Say why the request is refused." in text(no_note)
    client.post(decide, {"outcome": "refuse", "note": "No budget left this year"})

    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REFUSED
    assert Project.objects.get(pk=project.pk).grant_awarded == D("100000.00")


def test_more_grant_approved_through_a_change_request_is_committed_from_the_line(client, em_iep):
    project = em_iep["project"]
    change = ChangeRequest.objects.create(
        project=project,
        kind="grant",
        reason="More councils",
        new_grant_awarded=D("150000"),
        requested_by=em_iep["officer"],
    )
    client.force_login(em_iep["manager"])

    client.post(reverse("projects:change-request-decide", args=[change.pk]), {"outcome": "approve"})

    assert project_money(project).committed == D("150000.00")
    assert budget_line_balance(em_iep["line"]).available == D("600000.00")


def test_closing_a_project_asks_for_confirmation_then_returns_the_unspent_grant(client, em_iep):
    payment = approved_payment(em_iep)
    payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="BACS-1", by=None)
    project = em_iep["project"]
    client.force_login(em_iep["manager"])
    url = reverse("projects:project-close", args=[project.pk])
    report = {
        "delivered": "Shared service desk",
        "savings_realised": "90000",
        "lessons_learnt": "Start procurement earlier",
    }

    confirm = client.post(url, report)
    assert "Are you sure you want to close the project?" in text(confirm)
    assert "£40,000 of grant committed but not paid goes back" in text(confirm)
    assert Project.objects.get(pk=project.pk).status != Project.Status.CLOSED

    response = client.post(url, {**report, "confirm": "yes"}, follow=True)

    assert "EMIEP-2011-01 is closed." in text(response)
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED
    assert project.closure.unspent_returned == D("40000.00")
    assert project.payments.get(milestone__position=2).status == GrantPayment.Status.CANCELLED
    assert budget_line_balance(em_iep["line"]).available == D("690000.00")
    assert "Start procurement earlier" in text(response)


def test_an_officer_cannot_close_their_project(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.get(reverse("projects:project-close", args=[em_iep["project"].pk]))

    assert response.status_code == 403


def test_invest_to_save_repayments_are_scheduled_received_once_and_flagged_when_overdue(
    client, em_iep
):
    project = em_iep["project"]
    project.invest_to_save = True
    project.save()
    client.force_login(em_iep["manager"])
    for due_on, amount in (
        (datetime.date(2013, 4, 30), "25000"),
        (datetime.date(2099, 4, 30), "10000"),
    ):
        client.post(
            reverse("projects:repayment-add", args=[project.pk]),
            {**date_fields("due_on", due_on), "amount": amount},
        )
    repayments = section(text(client.get(project.get_absolute_url())), "repayments")
    assert repayments.count('govuk-tag--red">Overdue') == 1  # the 2013 one, not yet received
    old = Repayment.objects.get(due_on=datetime.date(2013, 4, 30))
    client.force_login(em_iep["finance"])
    record = reverse("projects:repayment-record", args=[old.pk])
    data = {**date_fields("received_on", datetime.date(2013, 5, 2)), "reference": "RCPT-7"}

    client.post(record, data)
    again = client.post(record, data)

    assert "This repayment was received on 2 May 2013." in text(again)
    assert project_money(project).repaid == D("25000.00")
    repayments = section(text(client.get(project.get_absolute_url())), "repayments")
    assert 'govuk-tag--red">Overdue' not in repayments
    assert "RCPT-7" in repayments


def test_clawback_is_demanded_by_the_manager_and_its_refund_recorded_by_finance(client, em_iep):
    payment = approved_payment(em_iep)
    payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="BACS-1", by=None)
    project = em_iep["project"]
    client.force_login(em_iep["manager"])
    add = reverse("projects:clawback-add", args=[project.pk])
    data = {"reason": "Savings not made", **date_fields("demanded_on", datetime.date(2013, 3, 31))}

    too_much = client.post(add, {**data, "amount": "60000.01"})
    assert "Only £60,000.00 of the grant paid can still be clawed back." in text(too_much)
    client.post(add, {**data, "amount": "20000"})
    clawback = Clawback.objects.get()
    client.force_login(em_iep["finance"])
    client.post(
        reverse("projects:clawback-record", args=[clawback.pk]),
        {**date_fields("received_on", datetime.date(2013, 4, 15)), "reference": "RF-1"},
    )

    money = project_money(project)
    assert (money.committed, money.paid) == (D("80000.00"), D("40000.00"))
    assert budget_line_balance(em_iep["line"]).available == D("670000.00")


# Lists


def test_my_projects_shows_the_next_milestone_what_is_overdue_and_the_report_due(client, em_iep):
    today = datetime.date.today()
    project = em_iep["project"]
    project.ends_on = today + datetime.timedelta(days=400)
    project.save()
    MilestoneFactory(
        project=project,
        position=3,
        title="Savings evidenced",
        due_on=today + datetime.timedelta(days=30),
    )
    client.force_login(em_iep["officer"])

    page = text(client.get(reverse("projects:my-projects")))

    assert "EMIEP-2011-01 Shared ICT" in page
    assert "1. Shared service desk live</a>, 30 Sep 2011" in page  # next, though overdue
    # Milestones 1 and 2 in the overdue column, and 1 again as the next milestone.
    assert page.count('govuk-tag--red">Overdue') == 3
    year = today.year if today.month >= 4 else today.year - 1
    quarter = ((today.month - 4) % 12) // 3 + 1
    due = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    assert f"{due[0]}/{(due[0] + 1) % 100:02d} quarter {due[1]}" in page


def test_my_projects_lists_a_partner_councils_projects_but_not_another_councils(client, em_iep):
    elsewhere = ProjectFactory(title="Fleet Management")
    client.force_login(em_iep["partner_officer"])

    page = text(client.get(reverse("projects:my-projects")))

    assert "Shared ICT" in page
    assert elsewhere.title not in page


def test_my_projects_is_for_officers(client, em_iep):
    client.force_login(em_iep["manager"])

    assert client.get(reverse("projects:my-projects")).status_code == 403


def test_the_programme_manager_filters_and_pages_through_the_partnerships_projects(client, em_iep):
    for number in range(30):
        ProjectFactory(
            reference=f"EMIEP-X-{number:02d}",
            budget_line=em_iep["line"],
            status=Project.Status.IN_DELIVERY if number % 2 else Project.Status.APPROVED,
        )
    ProjectFactory(title="Another partnership's project")
    client.force_login(em_iep["manager"])

    first = text(client.get(reverse("projects:project-list")))
    in_delivery = text(client.get(reverse("projects:project-list"), {"status": "in_delivery"}))
    second = text(client.get(reverse("projects:project-list"), {"page": 2}))

    assert "EMIEP-2011-01" in first
    assert "Another partnership" not in first + second
    assert "Next" in first and 'aria-label="Page 2"' in first
    assert in_delivery.count("EMIEP-X-") == 15
    assert "EMIEP-2011-01" not in in_delivery


def rows_of(page: str) -> list[str]:
    """The project references in the list's table, top to bottom."""
    return re.findall(r">(EMIEP-[\w-]+) ", page)


def test_the_projects_list_is_searched_and_sorted_by_its_headings(client, em_iep):
    lancaster = OrganisationFactory(name="Lancaster City Council", short_name="Lancaster")
    for reference, title, grant, lead in (
        ("EMIEP-2011-02", "Revenues and benefits partnership", "250000", None),
        ("EMIEP-2011-03", "Procurement hub", "70000", lancaster),
    ):
        ProjectFactory(
            reference=reference,
            title=title,
            grant_awarded=D(grant),
            budget_line=em_iep["line"],
            lead_organisation=lead or em_iep["project"].lead_organisation,
        )
    client.force_login(em_iep["manager"])
    url = reverse("projects:project-list")

    page = text(client.get(url))
    assert rows_of(page) == ["EMIEP-2011-01", "EMIEP-2011-02", "EMIEP-2011-03"]
    assert 'aria-sort="ascending"' in page  # by reference, as the heading says
    by_grant = text(client.get(url, {"sort": "-grant"}))
    assert rows_of(by_grant) == ["EMIEP-2011-02", "EMIEP-2011-01", "EMIEP-2011-03"]
    # The heading sorted by links to the other way round, keeping the filters.
    grant_heading = re.search(r'aria-sort="descending">\s*<a [^>]*href="\?([^"]+)"', by_grant)
    assert grant_heading.group(1) == "sort=grant"
    by_lead = text(client.get(url, {"sort": "lead", "status": "approved"}))
    assert rows_of(by_lead)[0] == "EMIEP-2011-03"  # Lancaster before North Kesteven
    assert "?sort=-lead&amp;status=approved" in by_lead
    assert rows_of(text(client.get(url, {"q": "procurement"}))) == ["EMIEP-2011-03"]
    assert rows_of(text(client.get(url, {"q": "lancaster"}))) == ["EMIEP-2011-03"]
    assert rows_of(text(client.get(url, {"q": "2011-02"}))) == ["EMIEP-2011-02"]
    assert "No projects match." in text(client.get(url, {"q": "nothing like it"}))
    # An unknown sort falls back to the reference order rather than failing.
    assert rows_of(text(client.get(url, {"sort": "payload"}))) == rows_of(page)


def test_the_projects_list_costs_the_same_queries_for_5_projects_as_for_25(client, em_iep):
    client.force_login(em_iep["manager"])
    other_line = funded_budget_line(programme__partnership=em_iep["partnership"])
    for count, line in ((5, em_iep["line"]), (25, other_line)):
        for _ in range(count - (1 if line == em_iep["line"] else 0)):
            project = ProjectFactory(budget_line=line)
            MilestoneFactory(project=project)
            MilestoneFactory(project=project)
            ProgressReport.objects.create(
                project=project, financial_year=2011, quarter=1, rag="green"
            )

    def queries(programme) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("projects:project-list"), {"programme": programme.pk})
        assert response.status_code == 200
        return len(captured)

    # Session, user, roles, the programme choices and the chosen one, the count and the
    # page of projects, their milestones and reports, the awaiting count.
    assert queries(em_iep["line"].programme) == queries(other_line.programme)


def test_the_manager_sees_milestones_awaiting_verification_and_late_reports(client, em_iep):
    log_first_milestone(em_iep)
    report = progress_report_save(
        project=em_iep["project"],
        financial_year=2011,
        quarter=1,
        by=None,
        rag="green",
        narrative="Started",
    )
    progress_report_submit(report=report, by=None)
    progress_report_save(
        project=em_iep["project"], financial_year=2011, quarter=2, by=None, rag="amber"
    )
    client.force_login(em_iep["manager"])

    awaiting = text(client.get(reverse("projects:milestones-awaiting-verification")))
    late = text(client.get(reverse("projects:late-progress-reports")))

    assert "1. Shared service desk live" in awaiting
    assert "2011/12 quarter 1" not in late  # submitted
    assert "2011/12 quarter 2" in late
    assert "Draft, not submitted" in late
    assert "2012/13 quarter 4" in late
    assert late.count("EMIEP-2011-01</a>") == 7  # the project's 8 quarters less the one submitted
    client.force_login(em_iep["finance"])
    assert client.get(reverse("projects:late-progress-reports")).status_code == 403


# The project page


def test_the_project_page_shows_grant_partners_profile_reports_requests_risks_and_history(
    client, em_iep
):
    project = em_iep["project"]
    milestone_reprofile(
        milestone=em_iep["first"],
        new_forecast_on=datetime.date(2011, 12, 31),
        reason="Supplier delay",
        by=em_iep["officer"],
    )
    ProjectRisk.objects.create(
        project=project, risk="Key staff leave", likelihood=2, impact=5, owner="Head of ICT"
    )
    ChangeRequest.objects.create(
        project=project,
        kind="scope",
        reason="Add Rutland's libraries",
        requested_by=em_iep["officer"],
    )
    client.force_login(em_iep["manager"])

    page = text(client.get(project.get_absolute_url()))

    assert "£100,000" in page  # awarded
    assert "Rutland County Council" in page
    assert "Shared service desk live" in page and "Data centre merged" in page
    assert "Re-profiled: Supplier delay" in page
    assert em_iep["officer"].username in page  # who re-profiled, from the history
    assert "Key staff leave" in page
    assert "Add Rutland" in page
    assert "Timeline: baseline against forecast" in page


def test_the_project_page_costs_the_same_queries_for_2_milestones_as_for_12(client, em_iep):
    client.force_login(em_iep["manager"])
    small = ProjectFactory(budget_line=em_iep["line"], grant_awarded=D("1000000"))
    large = ProjectFactory(budget_line=em_iep["line"], grant_awarded=D("1000000"))
    for project, count in ((small, 2), (large, 12)):
        for number in range(count):
            milestone = milestone_add(
                project=project,
                title=f"Step {number}",
                due_on=SEPTEMBER,
                payment_amount=D("1000"),
                by=em_iep["officer"],
            )
            milestone_reprofile(
                milestone=milestone,
                new_forecast_on=datetime.date(2012, 1, 1),
                reason="Late",
                by=em_iep["officer"],
            )
            ProjectRisk.objects.create(
                project=project, risk=f"Risk {number}", likelihood=1, impact=1, owner="x"
            )
    ContentType.objects.get_for_model(Project)  # cached once per process

    def queries(project) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries(small) == queries(large)


def test_the_full_history_names_who_changed_what(client, em_iep):
    milestone = log_first_milestone(em_iep)
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    client.force_login(em_iep["board"])

    page = text(client.get(reverse("projects:project-history", args=[em_iep["project"].pk])))

    assert "Status changed to Verified" in page
    assert "Achieved, awaiting verification → Verified" in page
    assert em_iep["manager"].username in page


def test_an_officer_reprofiles_payments_and_the_original_schedule_stays_on_the_request(
    client, em_iep
):
    project = em_iep["project"]
    first, second = project.payments.order_by("due_on")
    client.force_login(em_iep["officer"])
    add = reverse("projects:change-request-add", args=[project.pk])
    form_page = text(client.get(add))
    assert "The payment schedule" in form_page
    assert "1. Shared service desk live: £60,000.00 due 30 September 2011" in form_page

    later = datetime.date(2011, 12, 31)
    too_much = client.post(
        add,
        {"kind": "profile", "reason": "Desk slipped", f"payment_{first.pk}_amount": "70,000"},
    )
    assert "The payments would add up to £110,000.00, more than the £100,000.00" in text(too_much)
    assert not ChangeRequest.objects.exists()

    client.post(
        add,
        {
            "kind": "profile",
            "reason": "Desk slipped a quarter; more paid on the data centre",
            f"payment_{first.pk}_amount": "£50,000",
            **date_fields(f"payment_{first.pk}_due_on", later),
            f"payment_{second.pk}_amount": "50000",
        },
    )
    change = ChangeRequest.objects.get()
    client.force_login(em_iep["manager"])
    client.post(reverse("projects:change-request-decide", args=[change.pk]), {"outcome": "approve"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.amount, first.due_on, second.amount) == (D("50000.00"), later, D("50000.00"))
    request_page = text(client.get(change.get_absolute_url()))
    assert "Payments re-profiled" in request_page
    assert "£60,000.00 due 30 September 2011" in request_page  # was
    assert "£50,000.00 due 31 December 2011" in request_page  # became
    project_page = text(client.get(project.get_absolute_url()))
    assert "31 December 2011" in project_page
    payment_page = text(client.get(first.get_absolute_url()))
    assert "Re-profiled" in payment_page
    assert "£60,000.00 due 30 September 2011" in payment_page


def test_a_grant_cut_below_the_payments_still_scheduled_is_refused_on_the_form(client, em_iep):
    project = em_iep["project"]
    second = project.payments.get(milestone__position=2)
    client.force_login(em_iep["officer"])
    add = reverse("projects:change-request-add", args=[project.pk])
    refused = client.post(add, {"kind": "grant", "reason": "Cut", "new_grant_awarded": "80000"})
    assert "more than the new grant of £80,000.00" in text(refused)

    client.post(
        add,
        {
            "kind": "grant",
            "reason": "Cut",
            "new_grant_awarded": "80000",
            f"payment_{second.pk}_amount": "20000",
        },
    )
    change = ChangeRequest.objects.get()
    client.force_login(em_iep["manager"])
    client.post(reverse("projects:change-request-decide", args=[change.pk]), {"outcome": "approve"})
    second.refresh_from_db()
    assert second.amount == D("20000.00")
    assert project_money(project).committed == D("80000.00")
    assert budget_line_balance(em_iep["line"]).available == D("670000.00")


def test_a_mistyped_payment_is_named_in_the_error(client, em_iep):
    project = em_iep["project"]
    first = project.payments.get(milestone__position=1)
    client.force_login(em_iep["officer"])
    page = text(
        client.post(
            reverse("projects:change-request-add", args=[project.pk]),
            {
                "kind": "profile",
                "reason": "x",
                f"payment_{first.pk}_amount": "sixty thousand",
                **date_fields(f"payment_{first.pk}_due_on", SEPTEMBER)
                | {f"payment_{first.pk}_due_on_1": "13"},
            },
        )
    )
    assert "Enter the new amount of the payment due 30 September 2011 in pounds" in page
    assert "Enter a real new due date for the payment due 30 September 2011" in page
    assert not ChangeRequest.objects.exists()


def test_the_programme_manager_adds_a_milestone_within_the_award(client, em_iep):
    project = em_iep["project"]
    add = reverse("projects:milestone-add", args=[project.pk])
    client.force_login(em_iep["officer"])
    assert client.get(add).status_code == 403
    assert "Add a milestone" not in text(client.get(project.get_absolute_url()))

    client.force_login(em_iep["manager"])
    assert "Add a milestone" in text(client.get(project.get_absolute_url()))
    page = text(client.get(add))
    assert "Left to schedule" in page and "£0.00" in page
    # The award is fully scheduled: a paid milestone would go over it.
    over = client.post(
        add,
        {
            "title": "Benefits realised",
            **date_fields("due_on", datetime.date(2012, 9, 30)),
            "payment_amount": "5,000",
        },
    )
    assert "The payments would add up to £105,000.00, more than the £100,000.00" in text(over)
    assert project.milestones.count() == 2

    client.post(
        add,
        {
            "title": "Benefits realised",
            **date_fields("due_on", datetime.date(2012, 9, 30)),
            "payment_amount": "0",
        },
    )
    milestone = project.milestones.get(position=3)
    assert (milestone.title, milestone.due_on, milestone.forecast_on) == (
        "Benefits realised",
        datetime.date(2012, 9, 30),
        datetime.date(2012, 9, 30),
    )
    assert not GrantPayment.objects.filter(milestone=milestone).exists()


def test_a_milestone_without_an_outcome_or_date_is_refused_on_its_fields(client, em_iep):
    project = em_iep["project"]
    client.force_login(em_iep["manager"])
    page = text(client.post(reverse("projects:milestone-add", args=[project.pk]), {}))
    assert "Enter the outcome the milestone delivers" in page
    assert "Enter the date the milestone is due" in page
    assert project.milestones.count() == 2


def test_the_error_summary_leads_to_the_first_kind_of_change(client, em_iep):
    project = em_iep["project"]
    client.force_login(em_iep["officer"])
    page = text(client.post(reverse("projects:change-request-add", args=[project.pk]), {}))
    # The radios that reveal a further question are numbered from 0.
    assert 'href="#id_kind_0">Choose what you want to change' in page
    assert 'id="id_kind_0"' in page


def test_each_problem_with_a_report_links_from_the_summary_to_its_input(client, em_iep):
    client.force_login(em_iep["officer"])
    edit = reverse("projects:progress-report-edit", args=[em_iep["project"].pk, 2011, 2])
    later = reverse("projects:progress-report-edit", args=[em_iep["project"].pk, 2099, 1])
    # The third row repeats the second's quarter.
    repeated = {"form-2-financial_year": "2011", "form-2-quarter": "2"}

    page = text(client.post(edit, report_data(rag="", **{"form-1-actual": "lots"}, **repeated)))
    too_soon = text(client.post(later, report_data()))

    assert "<title>Error: Progress report" in page
    assert page.count("There is a problem") == 1
    assert summary_links(page) == [
        ("#id_rag_1", "Choose the overall RAG status"),
        ("#id_form-0-forecast", "Give each quarter's spend once"),
        ("#id_form-1-actual", "2011/12 Q2 actual spend: Enter an amount in pounds, like 25,000"),
    ]
    assert summary_links(too_soon) == [
        ("#id_rag_1", "A report cannot be written for a quarter still to come.")
    ]
    for body in (page, too_soon):
        assert all(lands_on_a_field(body, href) for href, _ in summary_links(body))
    assert not ProgressReport.objects.exists()


def test_the_projects_list_narrows_to_projects_behind_schedule(client, em_iep):
    # EMIEP-2011-01's milestones fell due in 2011 and 2012 and are not achieved.
    delivered = ProjectFactory(reference="EMIEP-2011-02", budget_line=em_iep["line"])
    early = milestone_add(project=delivered, title="Done", due_on=SEPTEMBER, by=None)
    milestone_log_achieved(milestone=early, achieved_on=SEPTEMBER, delivered="Yes", by=None)
    ahead = ProjectFactory(reference="EMIEP-2011-03", budget_line=em_iep["line"])
    milestone_add(project=ahead, title="Later", due_on=datetime.date(2099, 3, 31), by=None)
    client.force_login(em_iep["manager"])
    url = reverse("projects:project-list")

    page = text(client.get(url))
    assert "Only projects with an overdue milestone" in page
    assert rows_of(page) == ["EMIEP-2011-01", "EMIEP-2011-02", "EMIEP-2011-03"]
    assert rows_of(text(client.get(url, {"behind": "on"}))) == ["EMIEP-2011-01"]


def test_the_manager_sees_change_requests_awaiting_decision_of_their_partnership(client, em_iep):
    project = em_iep["project"]
    officer = em_iep["officer"]
    pending = change_request_submit(
        project=project, kind="scope", reason="Add Rutland", new_scope="Wider", by=officer
    )
    decided = change_request_submit(
        project=project, kind="scope", reason="Add Lincoln", new_scope="Wider", by=officer
    )
    change_request_refuse(request=decided, by=em_iep["manager"], note="Not this year")
    elsewhere = ProjectFactory(reference="TL-2011-01", title="Another partnership's project")
    change_request_submit(
        project=elsewhere, kind="scope", reason="Theirs", new_scope="x", by=UserFactory()
    )
    client.force_login(em_iep["manager"])

    listing = text(client.get(reverse("projects:change-requests-awaiting-decision")))
    projects_page = text(client.get(reverse("projects:project-list")))

    assert listing.count(pending.get_absolute_url()) == 1
    assert decided.get_absolute_url() not in listing
    assert "TL-2011-01" not in listing
    assert "Change requests awaiting decision</a> (1)" in projects_page
    for user in (officer, em_iep["board"], em_iep["finance"]):
        client.force_login(user)
        assert client.get(reverse("projects:change-requests-awaiting-decision")).status_code == 403


def test_finance_sees_the_approved_bid_named_but_not_linked_and_the_manager_opens_it(
    client, em_iep
):
    project = em_iep["project"]
    bid = BidFactory(
        bidding_round__budget_line=em_iep["line"],
        sponsor=project.lead_organisation,
        title="Shared ICT for North Kesteven",
        status=Bid.Status.APPROVED,
        grant_requested=D("100000"),
        grant_allocated=D("100000"),
    )
    project.bid = bid
    project.save(update_fields=["bid"])
    named = f"Bid {bid.number}: Shared ICT for North Kesteven"

    client.force_login(em_iep["finance"])
    body = text(client.get(project.get_absolute_url()))
    assert f'<dd class="govuk-summary-list__value">{named}</dd>' in body
    assert f'href="{bid.get_absolute_url()}"' not in body
    assert client.get(bid.get_absolute_url()).status_code == 404

    client.force_login(em_iep["manager"])
    body = text(client.get(project.get_absolute_url()))
    assert f'<a class="govuk-link" href="{bid.get_absolute_url()}">{named}</a>' in body
    assert client.get(bid.get_absolute_url()).status_code == 200
