"""A ledger entry names the board decision that allowed it: recorded by the services
that act on a decision, chosen in the admin, and shown on the programme's ledger."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bids.services import bid_approve
from partnership.models import Decision, Meeting, Role
from programmes.models import LedgerEntry
from programmes.services import LedgerError, ledger_record
from projects.services import change_request_approve, change_request_submit
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db
D = Decimal
APRIL = datetime.date(2011, 4, 12)


@pytest.fixture
def line():
    return funded_budget_line(D("750000"))


def decision_of(partnership, text="The board approved the bids scoring 7."):
    meeting = Meeting.objects.create(partnership=partnership, held_on=APRIL)
    return Decision.objects.create(meeting=meeting, text=text)


def commit(line, decision, amount="1000"):
    return ledger_record(
        programme=line.programme,
        kind="commitment",
        amount=D(amount),
        occurred_on=APRIL,
        budget_line=line,
        decision=decision,
        by=None,
    )


def test_a_movement_names_only_a_decision_of_its_own_board(line):
    elsewhere = decision_of(PartnershipFactory(short_name="WM IEP"))
    with pytest.raises(LedgerError, match="not made by the board of"):
        commit(line, elsewhere)
    assert not LedgerEntry.objects.filter(kind="commitment").exists()

    ours = decision_of(line.programme.partnership)
    entry = commit(line, ours)
    assert LedgerEntry.objects.get(pk=entry.pk).decision == ours


def test_approving_a_bid_with_a_decision_stores_it_on_the_commitment(line):
    decision = decision_of(line.programme.partnership)
    bid = BidFactory(
        bidding_round=BiddingRoundFactory(budget_line=line),
        grant_requested=D("100000"),
        status="submitted",
    )
    bid_approve(bid=bid, grant_allocated=D("90000"), decision=decision, by=None)

    commitment = LedgerEntry.objects.get(kind="commitment")
    assert (commitment.amount, commitment.decision) == (D("90000.00"), decision)
    assert commitment.occurred_on == APRIL  # the meeting's date


def test_a_grant_variation_commits_its_difference_under_the_boards_decision(line):
    project = ProjectFactory(budget_line=line, grant_awarded=D("100000"))
    commit(line, None, "100000")
    decision = decision_of(line.programme.partnership, "Two more councils join Shared ICT.")
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Two more councils",
        new_grant_awarded=D("150000"),
        by=UserFactory(),
    )
    change_request_approve(request=request, by=UserFactory(), decision=decision)

    variation = LedgerEntry.objects.filter(kind="commitment").latest("pk")
    assert (variation.amount, variation.decision) == (D("50000.00"), decision)


def test_the_programme_ledger_links_an_entry_to_the_meeting_that_decided_it(client, line):
    decision = decision_of(line.programme.partnership)
    commit(line, decision, "320000")
    commit(line, None, "5000")
    board_member = user_with_role(Role.Kind.BOARD_MEMBER, partnership=line.programme.partnership)
    client.force_login(board_member)

    body = client.get(line.programme.get_absolute_url()).content.decode()

    meeting_link = f'href="{decision.meeting.get_absolute_url()}">Board meeting of 12 Apr 2011</a>'
    assert body.count(meeting_link) == 1  # the £320,000 entry, not the £5,000 one


def test_an_allocation_added_in_the_admin_names_the_decision_behind_it(client, line):
    partnership = line.programme.partnership
    other = line.programme.budget_lines.create(name="Care services")
    decision = decision_of(partnership, "£50,000 moved to care services.")
    elsewhere = decision_of(PartnershipFactory(), "Another board's")
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership, is_staff=True)
    client.force_login(manager)
    add = reverse("admin:programmes_ledgerentry_add")
    movement = {
        "programme": line.programme.pk,
        "kind": "reallocation",
        "amount": "50000.00",
        "occurred_on": "2011-04-12",
        "from_budget_line": line.pk,
        "budget_line": other.pk,
    }

    form = client.get(add).content.decode()
    refused = client.post(add, {**movement, "decision": elsewhere.pk})
    recorded = client.post(add, {**movement, "decision": decision.pk})

    assert f"{decision.meeting}: £50,000 moved to care services." in form
    assert "Another board" not in form  # the manager cannot see the other board
    assert "Select a valid choice" in refused.content.decode()
    assert recorded.status_code == 302
    entry = LedgerEntry.objects.get(kind="reallocation")
    assert (entry.amount, entry.decision) == (D("50000.00"), decision)


def test_a_long_ledger_is_read_fifty_entries_a_page(client, line):
    for number in range(60):
        commit(line, None, str(100 + number))
    client.force_login(
        user_with_role(Role.Kind.BOARD_MEMBER, partnership=line.programme.partnership)
    )
    url = line.programme.get_absolute_url()

    first = client.get(url).content.decode()
    second = client.get(url, {"ledger": 2}).content.decode()

    # Oldest first, fifty to a page, the rest on the next.
    ledger = LedgerEntry.objects.filter(programme=line.programme)
    assert first.count('<td class="govuk-table__cell govuk-table__cell--numeric">£') >= 50
    assert "£100.00" in first and "£100.00" not in second
    assert "£159.00" in second and "£159.00" not in first
    assert ledger.count() > 60
    assert 'aria-label="Ledger pages"' in first
