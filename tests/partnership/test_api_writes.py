"""What every API write shares: an ``Idempotency-Key`` makes a retry harmless (the
first answer comes back, nothing is done twice, even when both arrive at once); the
same key with another request is refused; writes are throttled; and a write signed in
by the session needs its CSRF token."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from partnership.api.idempotency import REPLAYED
from partnership.models import IdempotentRequest
from programmes.models import LedgerEntry
from projects.models import GrantPayment
from tests.api import write
from tests.concurrency import needs_postgres, run_together
from tests.projects import test_views
from tests.projects.test_views import approved_payment

# The project pages' own fixture: Shared ICT and the people who work on it.
em_iep = test_views.em_iep


def _record(payment: GrantPayment) -> str:
    return f"/api/v1/grant-payments/{payment.pk}/record-paid/"


def _paid(reference: str = "BACS-0001") -> dict:
    return {"paid_on": datetime.date.today().isoformat(), "reference": reference}


def _payments_recorded() -> int:
    return LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count()


@pytest.mark.django_db
def test_a_payment_recorded_again_with_the_same_key_is_recorded_once(client, em_iep):
    payment = approved_payment(em_iep)
    first = write(client, em_iep["finance"], _record(payment), _paid(), Idempotency_Key="pay-1")
    again = write(client, em_iep["finance"], _record(payment), _paid(), Idempotency_Key="pay-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers[REPLAYED] == "true"
    assert REPLAYED not in first.headers
    assert _payments_recorded() == 1


@pytest.mark.django_db
def test_without_a_key_the_second_request_is_refused_by_the_lifecycle(client, em_iep):
    payment = approved_payment(em_iep)
    write(client, em_iep["finance"], _record(payment), _paid())

    again = write(client, em_iep["finance"], _record(payment), _paid())

    assert again.status_code == 400
    assert _payments_recorded() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_does_nothing(client, em_iep):
    payment = approved_payment(em_iep)
    write(client, em_iep["finance"], _record(payment), _paid("BACS-1"), Idempotency_Key="k")

    other = write(client, em_iep["finance"], _record(payment), _paid("BACS-2"), Idempotency_Key="k")

    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    payment.refresh_from_db()
    assert payment.reference == "BACS-1"


@pytest.mark.django_db
def test_a_refusal_is_kept_as_the_keys_answer_too(client, em_iep):
    payment = approved_payment(em_iep)
    refused = write(client, em_iep["board"], _record(payment), _paid(), Idempotency_Key="b")
    replayed = write(client, em_iep["board"], _record(payment), _paid(), Idempotency_Key="b")

    assert refused.status_code == replayed.status_code == 403
    assert replayed.headers[REPLAYED] == "true"


@pytest.mark.django_db
def test_keys_are_each_users_own(client, em_iep):
    """Another user's key of the same name is a different request, not a replay."""
    milestone = test_views.log_first_milestone(em_iep)
    url = f"/api/v1/milestones/{milestone.pk}/return/"
    write(client, em_iep["manager"], url, {"comment": "More"}, Idempotency_Key="same")

    officer = write(client, em_iep["officer"], url, {"comment": "More"}, Idempotency_Key="same")

    assert officer.status_code == 403
    assert REPLAYED not in officer.headers
    assert IdempotentRequest.objects.filter(key="same").count() == 2


@pytest.mark.django_db
def test_writes_beyond_the_rate_are_throttled(client, em_iep, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "2/minute"},
    }
    milestone = test_views.log_first_milestone(em_iep)
    url = f"/api/v1/milestones/{milestone.pk}/return/"

    answers = [write(client, em_iep["manager"], url, {"comment": ""}).status_code for _ in range(3)]
    read = client.get(f"/api/v1/milestones/{milestone.pk}/")

    assert answers == [400, 400, 429]
    assert read.status_code == 200


@pytest.mark.django_db
def test_a_session_signed_write_needs_its_csrf_token(em_iep):
    milestone = test_views.log_first_milestone(em_iep)
    url = f"/api/v1/milestones/{milestone.pk}/verify/"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(em_iep["manager"])

    without = browser.post(url, content_type="application/json")
    # A page with a form sets the token's cookie.
    browser.get(reverse("projects:milestone-verify", args=[milestone.pk]))
    token = browser.cookies["csrftoken"].value
    with_token = browser.post(url, content_type="application/json", headers={"X-CSRFToken": token})

    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]
    assert with_token.status_code == 200


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_moment_pay_once(em_iep):
    """Both arrive together: one records the payment; the other waits for it and gets
    its answer back, rather than recording it again or failing on the lifecycle."""
    payment = approved_payment(em_iep)

    def send():
        client = Client()
        return write(client, em_iep["finance"], _record(payment), _paid(), Idempotency_Key="same")

    first, second = run_together(send, send)

    assert first.status_code == second.status_code == 200, (first.content, second.content)
    assert first.json() == second.json()
    assert sorted(REPLAYED in answer.headers for answer in (first, second)) == [False, True]
    assert _payments_recorded() == 1
