"""The meeting page lists under each decision the money it moved, for those who may
read the ledger, in the same number of queries however many movements there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.models import Decision, Meeting, Role
from programmes.services import ledger_record
from tests.factories import OrganisationFactory, funded_budget_line, user_with_role

pytestmark = pytest.mark.django_db
D = Decimal
APRIL = datetime.date(2011, 4, 12)


@pytest.fixture
def line():
    return funded_budget_line(D("750000"), programme__name="Efficiency programme 2011-13")


@pytest.fixture
def meeting(line):
    return Meeting.objects.create(partnership=line.programme.partnership, held_on=APRIL)


def commit(line, decision, amount):
    return ledger_record(
        programme=line.programme,
        kind="commitment",
        amount=D(amount),
        occurred_on=APRIL,
        budget_line=line,
        decision=decision,
        by=None,
    )


def page(client, user, meeting) -> str:
    client.force_login(user)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_decision_lists_the_money_it_moved_with_its_programme(client, line, meeting):
    decision = Decision.objects.create(meeting=meeting, text="Shared ICT approved.")
    Decision.objects.create(meeting=meeting, text="Minutes of November approved.")
    commit(line, decision, "320000")
    commit(line, None, "5000")
    partnership = meeting.partnership
    board_member = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)
    officer = user_with_role(
        Role.Kind.OFFICER, organisation=OrganisationFactory(partnership=partnership)
    )

    body = page(client, board_member, meeting)
    officers_view = page(client, officer, meeting)

    moved = (
        "Commitment (grant approved): £320,000.00, "
        f'<a class="govuk-link" href="{line.programme.get_absolute_url()}">'
        "Efficiency programme 2011-13</a>"
    )
    assert body.count(moved) == 1
    assert "£5,000.00" not in body  # decided by nobody at this meeting
    # An officer reads the minutes but not the ledger, as on the programme page.
    assert "Shared ICT approved." in officers_view
    assert "£320,000.00" not in officers_view


def test_the_meeting_page_asks_the_same_queries_for_one_or_five_movements_a_decision(
    client, line, meeting
):
    board_member = user_with_role(Role.Kind.BOARD_MEMBER, partnership=meeting.partnership)
    decisions = [Decision.objects.create(meeting=meeting, text=f"Decision {n}") for n in range(3)]

    def queries(per_decision: int) -> int:
        client.force_login(board_member)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(meeting.get_absolute_url()).content.decode()
        assert body.count("Commitment (grant approved)") == len(decisions) * per_decision
        return len(captured)

    for decision in decisions:
        commit(line, decision, "1000")
    one = queries(1)
    for decision in decisions:
        for _ in range(4):
            commit(line, decision, "1000")

    assert queries(5) == one
