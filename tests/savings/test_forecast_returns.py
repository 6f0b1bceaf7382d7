"""Forecast returns as the papers count them: "7 returns received; for 2011/12, 4 amber
and 1 red", the other two received but not rated, apart from those that made no
return; past years recorded; one return covering several years; per sub-region."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from savings.models import ForecastReturn
from savings.selectors import forecast_counts
from savings.services import SavingsError, forecast_return_record
from tests.factories import OrganisationFactory, SubRegionFactory, UserFactory
from tests.reading import page_words

from .test_views import council_url, error_summary

pytestmark = pytest.mark.django_db
RETURNED_ON = datetime.date(2011, 6, 30)
LINCOLNSHIRE = [
    "Boston Borough Council",
    "City of Lincoln Council",
    "East Lindsey District Council",
    "Lincolnshire County Council",
    "North Kesteven District Council",
    "South Holland District Council",
    "South Kesteven District Council",
    "West Lindsey District Council",
]
# Seven returns for 2011/12: four amber, one red and two with no rating; one body
# (West Lindsey) and the other sub-region's body made none.
RATINGS_2011 = ["amber", "amber", "amber", "amber", "red", "", ""]


@pytest.fixture
def lincolnshire(em_iep):
    partnership = em_iep["partnership"]
    sub_region = SubRegionFactory(partnership=partnership, name="Lincolnshire SRP")
    nottinghamshire = SubRegionFactory(partnership=partnership, name="Nottinghamshire SRP")
    councils = [
        em_iep["boston"]
        if name == "Boston Borough Council"
        else em_iep["council"]
        if name == "North Kesteven District Council"
        else OrganisationFactory(name=name, partnership=partnership)
        for name in LINCOLNSHIRE
    ]
    sub_region.members.add(*councils)
    rushcliffe = OrganisationFactory(name="Rushcliffe Borough Council", partnership=partnership)
    nottinghamshire.members.add(rushcliffe)
    for council, rag in zip(councils, RATINGS_2011, strict=False):
        forecast_return_record(
            organisation=council,
            financial_year=2011,
            rag=rag,
            comment="Savings at risk" if rag else "",
            returned_on=RETURNED_ON,
            by=None,
        )
    return {**em_iep, "sub_region": sub_region, "councils": councils, "rushcliffe": rushcliffe}


def test_seven_returns_four_amber_one_red_and_two_received_but_not_rated(lincolnshire):
    counts = forecast_counts(partnership=lincolnshire["partnership"], years=[2011])

    year = counts.area.years[0]
    assert (year.received, year.green, year.amber, year.red, year.not_rated) == (7, 0, 4, 1, 2)
    assert [body.name for body in year.not_returned] == [
        "Rushcliffe Borough Council",
        "West Lindsey District Council",
    ]
    by_sub_region = {area.area.name: area.years[0] for area in counts.sub_regions}
    assert by_sub_region["Lincolnshire SRP"].received == 7
    assert [b.name for b in by_sub_region["Lincolnshire SRP"].not_returned] == [
        "West Lindsey District Council"
    ]
    assert (
        by_sub_region["Nottinghamshire SRP"].received,
        len(by_sub_region["Nottinghamshire SRP"].not_returned),
    ) == (0, 1)


def test_the_forecasts_page_counts_received_not_rated_apart_and_narrows_to_a_sub_region(
    client, lincolnshire
):
    client.force_login(lincolnshire["board"])
    url = reverse("savings:forecasts")

    whole = page_words(client.get(url, {"partnership": "em-iep", "year": 2011}))
    narrowed = page_words(
        client.get(
            url,
            {"partnership": "em-iep", "year": 2011, "sub_region": lincolnshire["sub_region"].pk},
        )
    )

    # Received, green, amber, red, received not rated, no return.
    assert "2011/12 7 0 4 1 2 2" in whole
    assert "Lincolnshire SRP 2011/12 7 0 4 1 2 1" in whole
    assert "Nottinghamshire SRP 2011/12 0 0 0 0 0 1" in whole
    assert "2011/12 7 0 4 1 2 1" in narrowed
    assert "Rushcliffe" not in narrowed
    assert "No forecast returned for 2011/12 West Lindsey District Council" in narrowed


def test_a_sub_region_of_another_partnership_is_refused_on_the_forecasts_page(client, lincolnshire):
    client.force_login(lincolnshire["board"])
    stranger = SubRegionFactory(name="Elsewhere SRP")

    response = client.get(reverse("savings:forecasts"), {"year": 2011, "sub_region": stranger.pk})

    assert response.status_code == 200
    assert error_summary(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert "2011/12 7 0 4 1 2 2" in page_words(response)


def test_the_forecast_counts_download_as_a_csv_with_the_bodies_that_made_no_return(
    client, lincolnshire
):
    client.force_login(lincolnshire["manager"])

    response = client.get(reverse("savings:forecasts-csv"), {"partnership": "em-iep", "year": 2011})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response["Content-Disposition"] == 'attachment; filename="forecasts-em-iep-2011-12.csv"'
    assert rows[0] == [
        "Area",
        "Financial year",
        "Returns received",
        "Green",
        "Amber",
        "Red",
        "Received, not rated",
        "No return",
        "Bodies that made no return",
    ]
    assert rows[1:] == [
        [
            "East Midlands Improvement and Efficiency Partnership",
            "2011/12",
            "7",
            "0",
            "4",
            "1",
            "2",
            "2",
            "Rushcliffe Borough Council; West Lindsey District Council",
        ],
        [
            "Lincolnshire SRP",
            "2011/12",
            "7",
            "0",
            "4",
            "1",
            "2",
            "1",
            "West Lindsey District Council",
        ],
        [
            "Nottinghamshire SRP",
            "2011/12",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
            "Rushcliffe Borough Council",
        ],
    ]


def test_an_officer_records_a_past_years_return_received_without_a_rating(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.post(
        council_url("forecast-record", em_iep["council"]),
        {"financial_year": 2009, "rag": "not_rated", "comment": ""},
    )

    assert response["Location"] == council_url("council", em_iep["council"])
    forecast = ForecastReturn.objects.get()
    assert (forecast.financial_year, forecast.rag, forecast.rating) == (
        2009,
        "",
        "Received, not rated",
    )
    assert "2009/10 Received, not rated" in page_words(
        client.get(council_url("council", em_iep["council"]))
    )


def test_one_return_covers_several_years(client, em_iep):
    client.force_login(em_iep["officer"])

    client.post(
        council_url("forecast-record", em_iep["council"]),
        {"financial_year": 2008, "last_year": 2010, "rag": "green"},
    )

    assert list(
        em_iep["council"]
        .forecast_returns.order_by("financial_year")
        .values_list("financial_year", "rag")
    ) == [(2008, "green"), (2009, "green"), (2010, "green")]


def test_a_return_spanning_backwards_too_long_or_before_2000_is_refused(client, em_iep):
    client.force_login(em_iep["officer"])
    url = council_url("forecast-record", em_iep["council"])

    backwards = client.post(url, {"financial_year": 2010, "last_year": 2008, "rag": "green"})
    too_long = client.post(url, {"financial_year": 2005, "last_year": 2012, "rag": "green"})

    assert error_summary(backwards) == [
        "The last year the return covers cannot be before its first."
    ]
    assert error_summary(too_long) == ["A return covers at most 5 years."]
    with pytest.raises(SavingsError, match="from 2000/01"):
        forecast_return_record(
            organisation=em_iep["council"],
            financial_year=1999,
            rag="green",
            comment="",
            returned_on=RETURNED_ON,
            by=None,
        )
    assert not ForecastReturn.objects.exists()


def test_the_partnerships_manager_keys_in_a_return_and_a_board_member_cannot(client, em_iep):
    url = council_url("forecast-record", em_iep["council"])
    client.force_login(em_iep["board"])
    refused = client.post(url, {"financial_year": 2009, "rag": "green"})
    client.force_login(em_iep["manager"])
    recorded = client.post(url, {"financial_year": 2009, "rag": "green"})

    assert refused.status_code == 403
    assert recorded["Location"] == council_url("council", em_iep["council"])
    assert em_iep["council"].forecast_returns.get().financial_year == 2009


def test_a_sub_region_of_another_readable_partnership_is_reported_and_left_out(
    client, lincolnshire
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    elsewhere = SubRegionFactory(name="Elsewhere SRP")

    response = client.get(
        reverse("savings:forecasts"),
        {"partnership": "em-iep", "year": 2011, "sub_region": elsewhere.pk},
    )

    assert error_summary(response) == ["Choose a sub-region of EM IEP."]
    assert "2011/12 7 0 4 1 2 2" in page_words(response)
