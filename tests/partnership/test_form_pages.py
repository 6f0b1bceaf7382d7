"""The one way a page acts on what is posted (partnership.form_pages), tried through
HTTP on pages made for the test: a form page that adds an organisation through a
service, and a button that does."""

import pytest
from django import forms
from django.db import transaction
from django.shortcuts import render
from django.urls import include, path

from partnership.errors import PortalError
from partnership.form_pages import button, confirm_page, form_page, posted
from partnership.govuk_forms import GovukForm
from partnership.models import Organisation
from tests.error_summary import lands_on_a_field, summary_links
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class OrganisationForm(GovukForm):
    name = forms.CharField(label="Name", error_messages={"required": "Enter a name"})
    short_name = forms.CharField(label="Short name", required=False)


@transaction.atomic
def organisation_add(*, name: str, short_name: str) -> Organisation:
    """Saves first, then refuses what the names ask for, as a service that checks late
    would: the refusal must leave nothing saved."""
    organisation = Organisation.objects.create(
        name=name, short_name=short_name, kind=Organisation.Kind.DISTRICT
    )
    if name == "Taken":
        raise PortalError("Another organisation has that name", field="name")
    if name == "Elsewhere":
        raise PortalError("Refused for a field the form lacks", field="gss_code")
    if name == "Nowhere":
        raise PortalError("Refused for no field")
    return organisation


def add_page(request, otherwise=None):
    form = OrganisationForm(posted(request))
    return form_page(
        request,
        "form_page.html",
        {"heading": "Add an organisation", "form": form},
        form,
        act=lambda data: organisation_add(**data),
        done=lambda organisation: f"{organisation.name} is added.",
        next_url="/added/",
        otherwise=otherwise,
    )


def add_page_falling_back(request):
    return add_page(request, otherwise="short_name")


def add_on_confirming(request):
    return confirm_page(
        request,
        "includes/error_summary.html",
        {},
        act=lambda: organisation_add(name=request.GET["name"], short_name=""),
        done="Added.",
        next_url="/added/",
        link=lambda error: f"/add/#id_{error.field}",
    )


def add_button(request):
    return button(
        request,
        lambda: organisation_add(name=request.POST["name"], short_name=""),
        done="Added.",
        next_url="/added/",
        refused_url="/not-added/",
    )


urlpatterns = [
    path("add/", add_page),
    path("add-falling-back/", add_page_falling_back),
    path("button/", add_button),
    path("confirm/", add_on_confirming),
    path("not-added/", lambda request: render(request, "base.html")),
    # The pages' layout links to the portal's own pages.
    path("", include("config.urls")),
]


@pytest.fixture
def client(client):
    client.force_login(UserFactory())
    return client


def flashed(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_a_get_shows_the_form_without_errors(client):
    response = client.get("/add/")
    assert response.status_code == 200
    assert summary_links(response.content.decode()) == []


def test_a_valid_post_calls_the_service_and_redirects_with_the_message(client):
    response = client.post("/add/", {"name": "Lancaster City Council"})
    assert response.status_code == 302
    assert response["Location"] == "/added/"
    assert flashed(response) == ["Lancaster City Council is added."]
    assert Organisation.objects.get().name == "Lancaster City Council"


def test_an_invalid_form_answers_400_with_the_summary_linking_to_the_field(client):
    response = client.post("/add/", {"name": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert summary_links(page) == [("#id_name", "Enter a name")]
    assert lands_on_a_field(page, "#id_name")
    assert "<title>Error: " in page
    assert not Organisation.objects.exists()


def test_a_refusal_lands_on_the_field_it_names_and_nothing_is_saved(client):
    response = client.post("/add/", {"name": "Taken"})
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == [
        ("#id_name", "Another organisation has that name")
    ]
    assert not Organisation.objects.exists()
    assert flashed(response) == []


def test_a_refusal_for_a_field_the_form_lacks_lands_on_the_fallback_field(client):
    response = client.post("/add-falling-back/", {"name": "Elsewhere"})
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == [
        ("#id_short_name", "Refused for a field the form lacks")
    ]
    assert not Organisation.objects.exists()


def test_a_refusal_without_a_field_or_fallback_is_shown_above_the_form(client):
    response = client.post("/add/", {"name": "Nowhere"})
    page = response.content.decode()
    assert response.status_code == 400
    # An error above the form links to its first input.
    assert summary_links(page) == [("#id_name", "Refused for no field")]
    assert 'class="govuk-error-summary"' in page
    assert not Organisation.objects.exists()


def test_a_button_goes_on_with_its_message(client):
    response = client.post("/button/", {"name": "Lancaster City Council"})
    assert response["Location"] == "/added/"
    assert flashed(response) == ["Added."]
    assert Organisation.objects.filter(name="Lancaster City Council").exists()


def test_a_refused_button_shows_the_refusal_in_a_banner(client):
    response = client.post("/button/", {"name": "Taken"}, follow=True)
    assert response.redirect_chain == [("/not-added/", 302)]
    page = response.content.decode()
    assert "govuk-notification-banner" in page
    assert "Another organisation has that name" in page
    assert not Organisation.objects.exists()


def test_a_confirmed_page_goes_on_with_its_message(client):
    response = client.post("/confirm/?name=Lancaster City Council")
    assert response["Location"] == "/added/"
    assert flashed(response) == ["Added."]


def test_a_refused_confirmation_answers_400_linking_where_it_is_put_right(client):
    response = client.post("/confirm/?name=Taken")
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == [
        ("/add/#id_name", "Another organisation has that name")
    ]
    assert not Organisation.objects.exists()
