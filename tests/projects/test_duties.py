"""Duties kept apart: the council that receives a grant never records it as paid,
approves its own payment or verifies its own milestone, whatever roles its people
hold. The pages refuse it (403) and so do the services, for the admin and any API."""

import pytest
from django.urls import reverse

from partnership.models import Role
from projects.models import GrantPayment, Milestone, Repayment
from projects.permissions import can_record_payment
from projects.services import (
    ProjectError,
    milestone_verify,
    payment_approve,
    payment_record_paid,
)
from tests.factories import user_with_role
from tests.projects.test_views import (  # noqa: F401 - em_iep is a fixture
    SEPTEMBER,
    approved_payment,
    date_fields,
    em_iep,
    log_first_milestone,
)

pytestmark = pytest.mark.django_db

RECIPIENT = "North Kesteven District Council receives this grant, so someone outside it must"


@pytest.fixture
def recipients_finance(em_iep):  # noqa: F811
    return user_with_role(Role.Kind.FINANCE, organisation=em_iep["project"].lead_organisation)


@pytest.fixture
def manager_of_the_recipient(em_iep):  # noqa: F811
    """A programme manager of the partnership who is also an officer of North Kesteven."""
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=em_iep["partnership"])
    Role.objects.create(
        user=manager, kind=Role.Kind.OFFICER, organisation=em_iep["project"].lead_organisation
    )
    return manager


def test_the_recipients_finance_officer_cannot_record_its_own_grant_as_paid(
    client,
    em_iep,  # noqa: F811
    recipients_finance,
):
    payment = approved_payment(em_iep)
    url = reverse("projects:payment-record", args=[payment.pk])
    client.force_login(recipients_finance)

    assert client.get(url).status_code == 403
    posted = client.post(url, {**date_fields("paid_on", SEPTEMBER), "reference": "BACS-1"})
    assert posted.status_code == 403
    assert "Record as paid" not in client.get(payment.get_absolute_url()).content.decode()
    with pytest.raises(ProjectError, match=f"{RECIPIENT} record its payments as paid"):
        payment_record_paid(
            payment=payment, paid_on=SEPTEMBER, reference="BACS-1", by=recipients_finance
        )
    assert GrantPayment.objects.get(pk=payment.pk).status == GrantPayment.Status.APPROVED


def test_the_recipients_finance_officer_still_reads_its_payments_on_the_schedule(
    client,
    em_iep,  # noqa: F811
    recipients_finance,
):
    approved_payment(em_iep)
    client.force_login(recipients_finance)

    response = client.get(reverse("projects:payment-schedule"))

    assert response.status_code == 200
    assert "EMIEP-2011-01" in response.content.decode()


def test_only_the_partnerships_finance_records_repayments_received(
    em_iep,  # noqa: F811
    recipients_finance,
):
    repayment = Repayment(project=em_iep["project"])

    assert can_record_payment(em_iep["finance"], repayment)
    assert not can_record_payment(recipients_finance, repayment)


def test_a_manager_who_works_for_the_recipient_cannot_verify_its_milestone(
    client,
    em_iep,  # noqa: F811
    manager_of_the_recipient,
):
    milestone = log_first_milestone(em_iep)
    client.force_login(manager_of_the_recipient)

    response = client.post(reverse("projects:milestone-verify", args=[milestone.pk]))

    assert response.status_code == 403
    with pytest.raises(ProjectError, match=f"{RECIPIENT} verify its milestones"):
        milestone_verify(milestone=milestone, by=manager_of_the_recipient)
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.ACHIEVED


def test_a_manager_who_works_for_the_recipient_cannot_approve_its_payment(
    client,
    em_iep,  # noqa: F811
    manager_of_the_recipient,
):
    milestone = log_first_milestone(em_iep)
    milestone_verify(milestone=milestone, by=em_iep["manager"], verified_on=SEPTEMBER)
    payment = milestone.payment
    client.force_login(manager_of_the_recipient)

    response = client.post(reverse("projects:payment-approve", args=[payment.pk]))

    assert response.status_code == 403
    with pytest.raises(ProjectError, match=f"{RECIPIENT} approve its payments"):
        payment_approve(payment=payment, by=manager_of_the_recipient)
    assert GrantPayment.objects.get(pk=payment.pk).status == GrantPayment.Status.DUE
