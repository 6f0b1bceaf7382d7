"""What the support found by hand, tried again as each demo role on the demo
partnerships: nothing that only a service may do can be done in the admin."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from bids.models import Bid
from partnership.models import Meeting
from projects.models import GrantPayment, Project

pytestmark = pytest.mark.django_db

SUPPORT = ["manager", "admin"]
PORTAL_ONLY = [
    "officer-north-kesteven",
    "officer-nottinghamshire",
    "officer-leicester",
    "officer-lancaster",
    "board",
    "finance",
    "finance-north-kesteven",
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # demo users are made only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def sign_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.parametrize("username", PORTAL_ONLY)
def test_a_demo_user_outside_the_support_team_cannot_open_the_admin(client, demo, username):
    sign_in(client, username)
    bid = Bid.objects.exclude(status="draft").first()

    for page in (reverse("admin:index"), url(Bid, "change", bid.pk)):
        assert client.get(page).status_code == 302
    grant = bid.grant_requested
    client.post(url(Bid, "change", bid.pk), {"grant_requested": "95000.00"})
    bid.refresh_from_db()
    assert bid.grant_requested == grant


@pytest.mark.parametrize("username", SUPPORT)
def test_the_support_team_cannot_change_what_the_services_own(client, demo, username):
    sign_in(client, username)
    # The demo has no paid payment or certified return yet: those are tried in
    # test_service_owned.py, on records the services made.
    submitted = Bid.objects.filter(status="submitted").first()
    approved = Bid.objects.filter(status="approved").first()
    payment = GrantPayment.objects.first()
    assert all((submitted, approved, payment)), "the demo data has each record"

    for model, row, data in [
        (Bid, submitted, {"grant_requested": "95000.00", "agreed_points": "7"}),
        (Bid, approved, {"grant_requested": "900000.00"}),
        (GrantPayment, payment, {"amount": "45000.00"}),
    ]:
        before = model.objects.values().get(pk=row.pk)
        changed = client.post(url(model, "change", row.pk), data)
        deleted = client.post(url(model, "delete", row.pk), {"post": "yes"})
        assert (changed.status_code, deleted.status_code) == (403, 403), (model, username)
        assert model.objects.values().get(pk=row.pk) == before

    assert client.get(url(Project, "add")).status_code == 403
    project = Project.objects.first()
    project_form = client.get(url(Project, "change", project.pk)).context["adminform"].form
    assert {"grant_awarded", "status"}.isdisjoint(project_form.fields)
    meeting = Meeting.objects.exclude(minutes_status="approved").first()
    meeting_form = client.get(url(Meeting, "change", meeting.pk)).context["adminform"].form
    assert "minutes_status" not in meeting_form.fields
