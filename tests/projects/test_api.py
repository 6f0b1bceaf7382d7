"""The projects API reads what the project pages show their reader: a council's
officers their own projects, a partnership's staff all of its projects, nobody
another partnership's; and it narrows them as the pages' filters do."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Role
from projects.models import ChangeRequest, PaymentChange, ProgressReport, ProgressReportSpend
from tests.api import listed, listed_ids, read
from tests.factories import (
    GrantPaymentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SubRegionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
MILESTONES = "/api/v1/milestones/"
PAYMENTS = "/api/v1/grant-payments/"


@pytest.fixture
def delivery():
    """Two councils of EM IEP, each leading a project with a milestone and its
    payment, Nottinghamshire a partner in North Kesteven's; and a project of another
    partnership."""
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(name="North Kesteven", partnership=partnership)
    nottinghamshire = OrganisationFactory(name="Nottinghamshire", partnership=partnership)
    leicester = OrganisationFactory(name="Leicester", partnership=partnership)
    lincolnshire = SubRegionFactory(partnership=partnership, name="Lincolnshire")
    lincolnshire.members.add(north_kesteven)
    shared_ict = ProjectFactory(
        reference="EMIEP-01",
        title="Shared ICT",
        lead_organisation=north_kesteven,
        budget_line__programme__partnership=partnership,
        status="in_delivery",
    )
    shared_ict.partners.add(nottinghamshire)
    fleet = ProjectFactory(
        reference="EMIEP-02",
        title="Fleet tracking",
        lead_organisation=leicester,
        budget_line=shared_ict.budget_line,
    )
    elsewhere = ProjectFactory(reference="TL-01", title="Another partnership's")
    payments = {}
    for project, due_on in (
        (shared_ict, datetime.date(2011, 9, 30)),
        (fleet, datetime.date(2012, 6, 30)),
        (elsewhere, datetime.date(2011, 9, 30)),
    ):
        milestone = MilestoneFactory(project=project, due_on=due_on)
        payments[project.reference] = GrantPaymentFactory(
            project=project, milestone=milestone, due_on=due_on
        )
    return {
        "partnership": partnership,
        "shared_ict": shared_ict,
        "fleet": fleet,
        "elsewhere": elsewhere,
        "payments": payments,
        "lincolnshire": lincolnshire,
        "leicester": leicester,
        "nk_officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "notts_officer": user_with_role(Role.Kind.OFFICER, organisation=nottinghamshire),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
    }


def test_an_officer_reads_their_councils_projects_and_no_others(client, delivery):
    rows = listed(client, delivery["nk_officer"], PROJECTS)

    assert [row["reference"] for row in rows] == ["EMIEP-01"]
    assert rows[0] == {
        "id": delivery["shared_ict"].pk,
        "reference": "EMIEP-01",
        "title": "Shared ICT",
        "outline": "",
        "programme": delivery["shared_ict"].programme_id,
        "budget_line": delivery["shared_ict"].budget_line_id,
        "lead_organisation": delivery["shared_ict"].lead_organisation_id,
        "partners": [delivery["shared_ict"].partners.get().pk],
        "theme": None,
        "bid": None,
        "status": "in_delivery",
        "grant_awarded": "100000.00",
        "invest_to_save": False,
        "savings_claimed": None,
        "starts_on": None,
        "ends_on": None,
    }


def test_a_partner_councils_officer_reads_the_project_they_are_partner_in(client, delivery):
    assert listed_ids(client, delivery["notts_officer"], PROJECTS) == {delivery["shared_ict"].pk}


def test_an_officer_cannot_open_another_councils_project(client, delivery):
    fleet = delivery["fleet"]

    response = read(client, delivery["nk_officer"], f"{PROJECTS}{fleet.pk}/")

    assert response.status_code == 404


def test_a_programme_manager_reads_every_project_of_their_partnership_only(client, delivery):
    assert listed_ids(client, delivery["manager"], PROJECTS) == {
        delivery["shared_ict"].pk,
        delivery["fleet"].pk,
    }
    elsewhere = delivery["elsewhere"]
    assert read(client, delivery["manager"], f"{PROJECTS}{elsewhere.pk}/").status_code == 404


def test_anonymous_readers_are_refused(client, delivery):
    for url in (PROJECTS, MILESTONES, PAYMENTS, f"{PROJECTS}{delivery['fleet'].pk}/"):
        assert read(client, None, url).status_code == 401


def test_project_filters_narrow_the_list(client, delivery):
    manager = delivery["manager"]

    assert listed_ids(client, manager, PROJECTS, status="in_delivery") == {
        delivery["shared_ict"].pk
    }
    assert listed_ids(client, manager, PROJECTS, lead_organisation=delivery["leicester"].pk) == {
        delivery["fleet"].pk
    }
    assert listed_ids(client, manager, PROJECTS, q="fleet") == {delivery["fleet"].pk}
    other_partnership = delivery["elsewhere"].programme.partnership_id
    assert listed_ids(client, manager, PROJECTS, partnership=other_partnership) == set()


def test_projects_sort_by_a_field(client, delivery):
    rows = listed(client, delivery["manager"], PROJECTS, ordering="-reference")

    assert [row["reference"] for row in rows] == ["EMIEP-02", "EMIEP-01"]


def test_milestones_and_payments_follow_their_projects(client, delivery):
    officer = delivery["nk_officer"]
    shared_ict = delivery["payments"]["EMIEP-01"]

    assert listed_ids(client, officer, MILESTONES) == {shared_ict.milestone_id}
    assert listed(client, officer, PAYMENTS) == [
        {
            "id": shared_ict.pk,
            "project": shared_ict.project_id,
            "milestone": shared_ict.milestone_id,
            "amount": "25000.00",
            "due_on": "2011-09-30",
            "status": "scheduled",
            "approved_on": None,
            "paid_on": None,
            "reference": "",
            "withheld_reason": "",
        }
    ]
    fleet = delivery["payments"]["EMIEP-02"]
    assert read(client, officer, f"{PAYMENTS}{fleet.pk}/").status_code == 404
    assert read(client, officer, f"{MILESTONES}{fleet.milestone_id}/").status_code == 404


def test_payments_narrow_as_the_schedule_does(client, delivery):
    manager = delivery["manager"]
    payments = delivery["payments"]

    assert listed_ids(client, manager, PAYMENTS, financial_year=2012) == {payments["EMIEP-02"].pk}
    assert listed_ids(client, manager, PAYMENTS, quarter=2) == {payments["EMIEP-01"].pk}
    assert listed_ids(client, manager, PAYMENTS, sub_region=delivery["lincolnshire"].pk) == {
        payments["EMIEP-01"].pk
    }
    assert listed_ids(
        client, manager, PAYMENTS, due_on_after="2012-01-01", due_on_before="2012-12-31"
    ) == {payments["EMIEP-02"].pk}


def test_milestones_narrow_by_project_and_financial_year(client, delivery):
    manager = delivery["manager"]
    fleet = delivery["fleet"]

    assert listed_ids(client, manager, MILESTONES, project=fleet.pk) == {fleet.milestones.get().pk}
    assert listed_ids(client, manager, MILESTONES, financial_year=2011) == {
        delivery["shared_ict"].milestones.get().pk
    }


def test_lists_answer_in_the_same_number_of_queries_however_many_rows(
    client, delivery, django_assert_num_queries
):
    manager = delivery["manager"]
    for _ in range(5):
        project = ProjectFactory(budget_line=delivery["fleet"].budget_line)
        project.partners.add(delivery["leicester"])
        GrantPaymentFactory(project=MilestoneFactory(project=project).project)
    client.force_login(manager)
    # session, user, the user's roles, the count, the page, and its partners
    with django_assert_num_queries(6):
        assert len(client.get(PROJECTS).json()["results"]) == 7
    # session, user, roles, the count, the page
    with django_assert_num_queries(5):
        assert len(client.get(PAYMENTS).json()["results"]) == 7
    with django_assert_num_queries(5):
        assert len(client.get(MILESTONES).json()["results"]) == 7


REPORTS = "/api/v1/progress-reports/"
CHANGES = "/api/v1/change-requests/"


def _report(project, *, quarter=2, **fields):
    report = ProgressReport.objects.create(
        project=project, financial_year=2011, quarter=quarter, rag="amber", **fields
    )
    ProgressReportSpend.objects.create(
        report=report, financial_year=2011, quarter=quarter, forecast=Decimal("5000.00")
    )
    return report


def test_progress_reports_follow_their_projects_with_the_spend_they_give(client, delivery):
    report = _report(
        delivery["shared_ict"], narrative="Two councils signed", spend_to_date=Decimal("4100.50")
    )
    _report(delivery["fleet"])
    officer = delivery["nk_officer"]

    assert listed(client, officer, REPORTS) == [
        {
            "id": report.pk,
            "project": delivery["shared_ict"].pk,
            "financial_year": 2011,
            "quarter": 2,
            "version": 1,
            "status": "draft",
            "rag": "amber",
            "rag_schedule": "",
            "rag_budget": "",
            "rag_benefits": "",
            "narrative": "Two councils signed",
            "risks_and_issues": "",
            "spend_to_date": "4100.50",
            "savings_to_date": None,
            "spend": [
                {"financial_year": 2011, "quarter": 2, "forecast": "5000.00", "actual": None}
            ],
            "risks": [],
            "submitted_by": None,
            "submitted_at": None,
        }
    ]
    fleet_report = delivery["fleet"].progress_reports.get()
    assert read(client, officer, f"{REPORTS}{fleet_report.pk}/").status_code == 404
    assert read(client, None, REPORTS).status_code == 401


def test_progress_reports_narrow_by_quarter_and_rag(client, delivery):
    second = _report(delivery["shared_ict"], quarter=2)
    third = _report(delivery["shared_ict"], quarter=3)
    third.rag = "red"
    third.save(update_fields=["rag"])
    manager = delivery["manager"]

    assert listed_ids(client, manager, REPORTS, quarter=2) == {second.pk}
    assert listed_ids(client, manager, REPORTS, rag="red") == {third.pk}
    assert [row["id"] for row in listed(client, manager, REPORTS, ordering="quarter")] == [
        second.pk,
        third.pk,
    ]


def _change_request(project, by, **fields):
    return ChangeRequest.objects.create(
        project=project, kind="profile", reason="Slippage", requested_by=by, **fields
    )


def test_change_requests_follow_their_projects_with_the_payments_they_reprofile(client, delivery):
    officer = delivery["nk_officer"]
    payment = delivery["payments"]["EMIEP-01"]
    request = _change_request(delivery["shared_ict"], officer)
    PaymentChange.objects.create(
        change_request=request,
        payment=payment,
        previous_amount=payment.amount,
        previous_due_on=payment.due_on,
        new_amount=Decimal("20000.00"),
        new_due_on=datetime.date(2012, 3, 31),
    )
    _change_request(delivery["fleet"], delivery["manager"])

    rows = listed(client, officer, CHANGES)

    assert [row["id"] for row in rows] == [request.pk]
    assert rows[0]["status"] == "pending"
    assert rows[0]["requested_by"] == officer.get_username()
    assert rows[0]["decided_by"] is None
    assert rows[0]["payment_changes"] == [
        {
            "payment": payment.pk,
            "previous_amount": "25000.00",
            "previous_due_on": "2011-09-30",
            "new_amount": "20000.00",
            "new_due_on": "2012-03-31",
        }
    ]
    fleet_request = delivery["fleet"].change_requests.get()
    assert read(client, officer, f"{CHANGES}{fleet_request.pk}/").status_code == 404
    assert read(client, None, CHANGES).status_code == 401


def test_change_requests_narrow_by_status_and_project(client, delivery):
    manager = delivery["manager"]
    pending = _change_request(delivery["shared_ict"], manager)
    refused = _change_request(delivery["fleet"], manager, status="refused")

    assert listed_ids(client, manager, CHANGES, status="refused") == {refused.pk}
    assert listed_ids(client, manager, CHANGES, project=delivery["shared_ict"].pk) == {pending.pk}


def test_reports_and_change_requests_answer_in_the_same_number_of_queries_however_many(
    client, delivery, django_assert_num_queries
):
    manager = delivery["manager"]
    for quarter in (1, 2, 3, 4):
        _report(delivery["fleet"], quarter=quarter)
        _change_request(delivery["fleet"], manager)
    client.force_login(manager)
    # session, user, roles, the count, the page (with who submitted), its spend and risks
    with django_assert_num_queries(7):
        assert len(client.get(REPORTS).json()["results"]) == 4
    # session, user, roles, the count, the page (with who asked and decided), its payments
    with django_assert_num_queries(6):
        assert len(client.get(CHANGES).json()["results"]) == 4
