"""Forecast returns on the dashboard and in the board pack: received, green, amber,
red, received but not rated, and who made no return."""

import datetime

import pytest
from django.urls import reverse

from reports.models import BoardPack
from savings.services import forecast_return_record
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    SubRegionFactory,
    user_with_role,
)
from tests.reading import page_words
from tests.reports.test_board_pack import _flat, _pages, _request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]


def _returns(year: int):
    """Lincolnshire's bodies and one of Nottinghamshire's: two amber, one red, one
    received but not rated, and one with no return."""
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership",
        short_name="EM IEP",
        slug="em-iep",
    )
    lincolnshire = SubRegionFactory(partnership=partnership, name="Lincolnshire SRP")
    nottinghamshire = SubRegionFactory(partnership=partnership, name="Nottinghamshire SRP")
    for name, sub_region, rag in (
        ("Boston Borough Council", lincolnshire, "amber"),
        ("East Lindsey District Council", lincolnshire, "amber"),
        ("City of Lincoln Council", lincolnshire, "red"),
        ("South Holland District Council", lincolnshire, ""),
        ("Rushcliffe Borough Council", nottinghamshire, None),
    ):
        council = OrganisationFactory(name=name, partnership=partnership)
        sub_region.members.add(council)
        if rag is not None:
            forecast_return_record(
                organisation=council,
                financial_year=year,
                rag=rag,
                comment="Savings at risk" if rag else "",
                returned_on=datetime.date(2011, 3, 31),
                by=None,
            )
    return partnership, lincolnshire


def test_the_dashboard_counts_the_years_forecast_returns_and_links_to_them(client):
    partnership, lincolnshire = _returns(2011)
    ProgrammeFactory(
        partnership=partnership,
        starts_on=datetime.date(2011, 4, 1),
        ends_on=datetime.date(2013, 3, 31),
    )
    client.force_login(user_with_role("board_member", partnership=partnership))

    whole = page_words(client.get(reverse("reports:dashboard"), {"year": 2011}))
    narrowed = client.get(
        reverse("reports:dashboard"), {"year": 2011, "sub_region": lincolnshire.pk}
    )

    assert (
        "Forecast returns for 2011/12 How the members of East Midlands Improvement and "
        "Efficiency Partnership rated their chances of delivering their savings that year. "
        "4 returns received 0 green 2 amber 1 red 1 received, not rated 1 no return"
    ) in whole
    assert (
        "How the members of Lincolnshire SRP rated their chances of delivering their savings "
        "that year. 4 returns received 0 green 2 amber 1 red 1 received, not rated 0 no return"
    ) in page_words(narrowed)
    link = f"/savings/forecasts/?partnership=em-iep&amp;year=2011&amp;sub_region={lincolnshire.pk}"
    assert f'href="{link}"' in narrowed.content.decode()
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_the_full_board_pack_has_the_forecast_returns_section(
    django_capture_on_commit_callbacks,
):
    partnership, _lincolnshire = _returns(2011)
    meeting = MeetingFactory(partnership=partnership, held_on=datetime.date(2011, 4, 12))
    manager = user_with_role("programme_manager", partnership=partnership)

    pack = _request(meeting, manager, django_capture_on_commit_callbacks)

    assert pack.status == BoardPack.Status.DONE, pack.error
    text = _flat(" ".join(_pages(pack)))
    assert "Savings forecast returns" in text
    # Received, green, amber, red, received not rated, no return.
    assert "Forecast returns: East Midlands Improvement and Efficiency Partnership" in text
    assert "2011/12 4 0 2 1 1 1" in text
    assert "2012/13 0 0 0 0 0 5" in text
    assert "Forecast returns: Lincolnshire SRP" in text
    assert "No return for 2011/12: Rushcliffe Borough Council." in text
