"""The late and missing progress reports list, counted by the database and read a page
at a time, holds exactly the quarters each project's own record says are outstanding,
in order, on every page."""

import datetime

import pytest
from django.core.paginator import Paginator

from partnership.models import Role
from projects.models import ProgressReport, Project
from projects.selectors import late_progress_reports, project_delivery
from tests.factories import ProjectFactory, user_with_role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2012, 11, 15)  # the last quarter to end: 2012/13 quarter 2
Status = ProgressReport.Status


def report(project, year, quarter, status, version=1):
    ProgressReport.objects.create(
        project=project,
        financial_year=year,
        quarter=quarter,
        version=version,
        status=status,
        rag="green",
    )


@pytest.fixture
def projects():
    first = ProjectFactory(
        reference="A-1", starts_on=datetime.date(2011, 5, 1), ends_on=datetime.date(2013, 3, 31)
    )
    partnership = first.programme.partnership
    same_programme = {"programme": first.programme, "budget_line": first.budget_line}
    # Two versions of one quarter count once; a draft is outstanding, shown as a draft.
    report(first, 2011, 1, Status.SUPERSEDED)
    report(first, 2011, 1, Status.SUBMITTED, version=2)
    report(first, 2011, 3, Status.DRAFT)
    # Ends before the last quarter to end: its quarters stop at its own end.
    ProjectFactory(
        reference="B-2",
        starts_on=datetime.date(2011, 1, 10),
        ends_on=datetime.date(2011, 8, 31),
        **same_programme,
    )
    # Every quarter reported: not on the list at all.
    reported = ProjectFactory(
        reference="C-3",
        starts_on=datetime.date(2012, 4, 2),
        ends_on=datetime.date(2014, 3, 31),
        **same_programme,
    )
    report(reported, 2012, 1, Status.SUBMITTED)
    report(reported, 2012, 2, Status.SUBMITTED)
    # No dates of its own: the programme's run.
    ProjectFactory(reference="D-4", starts_on=None, ends_on=None, **same_programme)
    # Closed: never chased.
    ProjectFactory(
        reference="E-5",
        starts_on=datetime.date(2011, 4, 1),
        status=Project.Status.CLOSED,
        **same_programme,
    )
    # Starts after the last quarter to end: nothing due yet.
    ProjectFactory(reference="F-6", starts_on=datetime.date(2013, 1, 1), **same_programme)
    # Another partnership's: not this manager's to chase.
    ProjectFactory(reference="A-0", starts_on=datetime.date(2011, 4, 1))
    return partnership


def expected(partnership) -> list[tuple[str, int, int, bool]]:
    rows = []
    for project in Project.objects.filter(programme__partnership=partnership).order_by("reference"):
        delivery = project_delivery(project, TODAY, milestones=[])
        rows += [
            (project.reference, year, quarter, (year, quarter) in delivery.drafts)
            for year, quarter in delivery.reports_outstanding
        ]
    return rows


def as_tuples(rows) -> list[tuple[str, int, int, bool]]:
    return [(r.project.reference, r.financial_year, r.quarter, r.has_draft) for r in rows]


def test_the_list_counts_and_pages_through_exactly_the_outstanding_quarters(projects):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=projects)
    rows = late_progress_reports(manager, TODAY)
    want = expected(projects)

    assert len(rows) == len(want)
    assert as_tuples(rows[0 : len(rows)]) == want
    # Pages that begin and end inside one project's quarters.
    for per_page in (1, 2, 3, 5):
        paged = []
        for number in Paginator(rows, per_page).page_range:
            paged += as_tuples(Paginator(rows, per_page).page(number).object_list)
        assert paged == want


def test_the_list_shows_what_a_manager_would_chase(projects):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=projects)
    rows = as_tuples(late_progress_reports(manager, TODAY)[0:100])
    references = {reference for reference, *_ in rows}

    assert ("A-1", 2011, 1, False) not in rows  # submitted, in its second version
    assert ("A-1", 2011, 3, True) in rows  # a draft not submitted
    assert ("A-1", 2012, 2, False) in rows  # the last quarter to end
    assert ("A-1", 2012, 3, False) not in rows  # not ended yet
    assert [r for r in rows if r[0] == "B-2"] == [
        ("B-2", 2010, 4, False),
        ("B-2", 2011, 1, False),
        ("B-2", 2011, 2, False),
    ]
    assert not references & {"C-3", "E-5", "F-6", "A-0"}
    assert "D-4" in references
