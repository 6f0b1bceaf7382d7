"""The OpenAPI schema tells the truth about the API: every list and detail response,
as each demo user reads it, matches the schema; and a short fuzz run (schemathesis),
of every endpoint as an administrator and of every write as the people who make it,
finds no server error and no response outside the schema."""

import datetime
import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bids.models import Bid
from config.wsgi import application
from partnership.models import Role
from projects.models import ChangeRequest, PaymentChange, ProgressReport, ProgressReportSpend
from projects.services import progress_report_save
from savings.models import SavingsReturn
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    CriterionFactory,
    FundingSourceFactory,
    GrantPaymentFactory,
    MilestoneFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    user_with_role,
)
from tests.permissions.test_visibility_agrees import DEMO_USERS
from tests.projects import test_views

SCHEMA = "/api/v1/schema/?format=json"


def _conforms(case, response) -> None:
    checks = [not_a_server_error, response_schema_conformance]
    case.validate_response(response, checks=checks)


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests made straight to the WSGI application, as Django's test client makes
    them: without closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session_cookie(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db
def test_every_response_of_every_endpoint_matches_the_schema_for_every_demo_user(
    settings, wsgi_in_test_transaction, django_user_model
):
    settings.DEBUG = True  # demo users are made only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())
    schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
    paths = schema.raw_schema["paths"]
    lists = [path for path in paths if "{" not in path and "get" in paths[path]]
    assert len(lists) >= 22
    read = 0
    for username in DEMO_USERS:
        cookies = _session_cookie(django_user_model.objects.get(username=username))
        for path in lists:
            case = schema[path]["GET"].Case(query={"page_size": 200})
            response = case.call(cookies=cookies)
            assert response.status_code == 200, (username, path)
            _conforms(case, response)
            rows = response.json()["results"]
            read += len(rows)
            if rows:
                # Every row listed opens, as its page does, and conforms too.
                detail = schema[f"{path}{{id}}/"]["GET"].Case(path_parameters={"id": rows[0]["id"]})
                response = detail.call(cookies=cookies)
                assert response.status_code == 200, (username, path, rows[0]["id"])
                _conforms(detail, response)
    assert read > 500


@pytest.mark.django_db
def test_the_api_survives_fuzzing_within_its_schema(wsgi_in_test_transaction):
    """A few generated requests to each endpoint, as an administrator over a little of
    everything, so that lists have rows and some ids are found."""
    payment = GrantPaymentFactory(project=MilestoneFactory().project)
    SubRegionFactory(partnership=payment.project.programme.partnership)
    FundingSourceFactory(programme=payment.project.programme)
    CriterionFactory(
        bidding_round=BidFactory(status=Bid.Status.SUBMITTED, agreed_points=5).bidding_round
    )
    administrator = user_with_role(Role.Kind.ADMINISTRATOR)
    report = ProgressReport.objects.create(
        project=payment.project, financial_year=2011, quarter=2, rag="green"
    )
    ProgressReportSpend.objects.create(report=report, financial_year=2011, quarter=2)
    change = ChangeRequest.objects.create(
        project=payment.project, kind="profile", reason="Slippage", requested_by=administrator
    )
    PaymentChange.objects.create(
        change_request=change,
        payment=payment,
        previous_amount=payment.amount,
        previous_due_on=payment.due_on,
        new_amount=payment.amount,
        new_due_on=payment.due_on,
    )
    entry = SavingsEntryFactory()
    SavingsReturn.objects.create(organisation=entry.organisation, financial_year=2010, quarter=1)
    cookies = _session_cookie(administrator)
    schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 44

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def survives(case):
            _conforms(case, case.call(cookies=cookies))

        survives()


# The project pages' own fixture: Shared ICT, its milestones and the people on it.
em_iep = test_views.em_iep


def _fuzz(operation, cookies, path_parameters: dict, body: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def survives(case):
        if "id" in (case.path_parameters or {}):
            case.path_parameters = path_parameters
        if isinstance(case.body, dict):
            case.body = {**case.body, **body}
        _conforms(case, case.call(cookies=cookies))

    survives()


@pytest.mark.django_db
def test_every_write_survives_fuzzing_as_the_people_who_make_it(
    wsgi_in_test_transaction, em_iep, settings
):
    """Generated bodies for every write, sent by an officer of the lead council, the
    programme manager and finance, at records they may act on: each answer is in the
    schema (a refusal a 4xx with its message), never a server error. Records change as
    the writes succeed, so later cases meet the lifecycle's refusals too."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "100000/minute"},
    }
    today = datetime.date.today()
    council = em_iep["project"].lead_organisation
    bidding_round = BiddingRoundFactory(
        budget_line=em_iep["line"],
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
    )
    records = {
        "milestones": em_iep["first"].pk,
        "grant-payments": em_iep["first"].payment.pk,
        "progress-reports": progress_report_save(
            project=em_iep["project"], financial_year=2011, quarter=2, by=None, rag="green"
        ).pk,
        "bids": BidFactory(bidding_round=bidding_round, sponsor=council).pk,
        "bidding-rounds": bidding_round.pk,
    }
    SavingsCategoryFactory()
    schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
    writes = [result.ok() for result in schema.get_all_operations() if result.ok().method == "post"]
    assert len(writes) >= 11
    for person in ("officer", "manager", "finance"):
        cookies = _session_cookie(em_iep[person])
        for operation in writes:
            kind = operation.path.split("/")[3]
            _fuzz(operation, cookies, {"id": records.get(kind, 1)}, {"organisation": council.pk})
