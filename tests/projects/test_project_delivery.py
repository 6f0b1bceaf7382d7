"""A project's status follows its milestones: in delivery from the first one logged,
completed when the last is verified."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Project
from projects.services import (
    milestone_add,
    milestone_log_achieved,
    milestone_return,
    milestone_verify,
    project_close,
)
from tests.factories import ProjectFactory, UserFactory, funded_budget_line

pytestmark = pytest.mark.django_db
DAY = datetime.date(2011, 9, 30)
Status = Project.Status


@pytest.fixture
def project():
    project = ProjectFactory(budget_line=funded_budget_line(Decimal("750000")))
    for title in ("Service desk live", "Data centre merged"):
        milestone_add(project=project, title=title, due_on=DAY, by=None)
    return project


def log(milestone):
    milestone_log_achieved(milestone=milestone, achieved_on=DAY, delivered="Done", by=None)


def status_of(project) -> str:
    project.refresh_from_db()
    return project.status


def test_a_project_is_in_delivery_from_its_first_milestone_logged(project):
    first = project.milestones.get(position=1)
    assert status_of(project) == Status.APPROVED
    log(first)
    assert status_of(project) == Status.IN_DELIVERY
    assert project.history.first().history_change_reason == "Status changed to In delivery"
    # A milestone sent back is still delivery under way.
    milestone_return(milestone=first, comment="Add the go-live report", by=UserFactory())
    assert status_of(project) == Status.IN_DELIVERY


def test_a_project_is_completed_when_its_last_milestone_is_verified(project):
    manager = UserFactory()
    first, last = project.milestones.order_by("position")
    log(first)
    milestone_verify(milestone=first, by=manager, verified_on=DAY)
    assert status_of(project) == Status.IN_DELIVERY
    log(last)
    milestone_verify(milestone=last, by=manager, verified_on=DAY)
    assert status_of(project) == Status.COMPLETED
    assert project.history.first().history_user == manager


def test_a_milestone_added_to_a_completed_project_puts_it_back_in_delivery(project):
    manager = UserFactory()
    for milestone in project.milestones.all():
        log(milestone)
        milestone_verify(milestone=milestone, by=manager, verified_on=DAY)
    milestone_add(project=project, title="Extra training", due_on=DAY, by=manager)
    assert status_of(project) == Status.IN_DELIVERY


def test_a_completed_project_is_closed_with_its_benefits_report(project):
    manager = UserFactory()
    for milestone in project.milestones.all():
        log(milestone)
        milestone_verify(milestone=milestone, by=manager, verified_on=DAY)
    project_close(
        project=project,
        delivered="A shared service desk",
        savings_realised=Decimal("0"),
        lessons_learnt="Start procurement early",
        by=manager,
    )
    assert status_of(project) == Status.CLOSED
