"""Figures that mean what their labels say: the next milestone, and a milestone's
state, read the same on every page that shows them."""

import datetime
import re

import pytest
from django.urls import reverse

from partnership.models import Role
from tests.factories import (
    MilestoneFactory,
    OrganisationFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def late_project():
    """A project whose three milestones are all past their forecast, not achieved."""
    council = OrganisationFactory(name="North Kesteven District Council")
    project = ProjectFactory(
        reference="EMIEP-2011-01", title="Shared ICT", lead_organisation=council
    )
    today = datetime.date.today()
    for position, days_ago in ((1, 90), (2, 60), (3, 30)):
        day = today - datetime.timedelta(days=days_ago)
        MilestoneFactory(
            project=project,
            position=position,
            title=f"Stage {position}",
            due_on=day,
            forecast_on=day,
        )
    return project


def test_the_next_milestone_is_the_earliest_not_achieved_even_when_it_is_overdue(
    client, late_project
):
    client.force_login(
        user_with_role(Role.Kind.OFFICER, organisation=late_project.lead_organisation)
    )

    page = text(client.get(reverse("projects:my-projects")))

    first = late_project.milestones.get(position=1)
    assert f'{first.get_absolute_url()}">1. Stage 1</a>' in page
    assert "None" not in page


def test_a_milestone_shows_the_same_state_on_its_own_page_and_on_its_project(client, late_project):
    client.force_login(
        user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=late_project.programme.partnership)
    )
    milestone = late_project.milestones.get(position=1)

    own_page = text(client.get(milestone.get_absolute_url()))
    project_page = text(client.get(late_project.get_absolute_url()))

    assert 'govuk-tag--red">Overdue' in own_page
    assert ">Planned<" not in own_page
    assert project_page.count('govuk-tag--red">Overdue') == 3
    assert ">Planned<" not in project_page
