"""Naming a round's scorers: the steering-group members who score its bids."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bids.models import Bid, Score
from bids.services import BidError, round_scorers_set
from partnership.models import Role
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    CriterionFactory,
    OrganisationFactory,
    PartnershipFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NOT_ELIGIBLE = (
    "cannot be named to score: only programme managers and board members of EM IEP, "
    "and officers of its member organisations, can score its bids."
)


def text(response) -> str:
    """The page's words, as a reader sees them."""
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def errors_in_summary(response) -> list[str]:
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    return [
        " ".join(unescape(m).split()) for m in re.findall(r'<a href="[^"]*">([^<]+)</a>', summary)
    ]


def named(bidding_round) -> set[str]:
    return set(bidding_round.scorers.values_list("username", flat=True))


@pytest.fixture
def partnership():
    return PartnershipFactory(short_name="EM IEP", name="East Midlands IEP")


@pytest.fixture
def north_kesteven(partnership):
    return OrganisationFactory(
        name="North Kesteven District Council",
        short_name="North Kesteven DC",
        partnership=partnership,
    )


@pytest.fixture
def bidding_round(partnership):
    bidding_round = BiddingRoundFactory(
        budget_line__programme__partnership=partnership, name="Efficiency projects"
    )
    CriterionFactory(bidding_round=bidding_round, name="Involves other councils", max_points=3)
    return bidding_round


@pytest.fixture
def pm(partnership):
    return user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership, username="pm")


@pytest.fixture
def councillor(partnership):
    return user_with_role(
        Role.Kind.BOARD_MEMBER,
        partnership=partnership,
        username="councillor",
        first_name="Board",
        last_name="Member",
    )


@pytest.fixture
def chief_executive(north_kesteven):
    return user_with_role(Role.Kind.OFFICER, organisation=north_kesteven, username="nk-chief")


@pytest.fixture
def outsider():
    """An officer of a council outside the partnership."""
    return user_with_role(
        Role.Kind.OFFICER, organisation=OrganisationFactory(), username="outsider"
    )


@pytest.fixture
def submitted_bid(bidding_round, north_kesteven):
    return BidFactory(
        bidding_round=bidding_round, sponsor=north_kesteven, status=Bid.Status.SUBMITTED
    )


# The service ---------------------------------------------------------------------------


def test_naming_and_removing_scorers_is_recorded_in_the_rounds_history(
    bidding_round, pm, councillor, chief_executive
):
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor, chief_executive], by=pm)
    assert named(bidding_round) == {"councillor", "nk-chief"}

    round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive], by=pm)
    assert named(bidding_round) == {"nk-chief"}

    latest = bidding_round.history.order_by("-history_date", "-history_id")
    assert [(row.history_change_reason, row.history_user) for row in latest[:2]] == [
        ("Scorers changed: removed Board Member", pm),
        ("Scorers changed: named Board Member, nk-chief", pm),
    ]
    # Each version keeps who the scorers were then.
    assert [{scorer.user.username for scorer in row.scorers.all()} for row in latest[:2]] == [
        {"nk-chief"},
        {"councillor", "nk-chief"},
    ]


def test_saving_the_same_scorers_changes_nothing_and_writes_no_history(
    bidding_round, pm, councillor
):
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)
    rows = bidding_round.history.count()

    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)

    assert bidding_round.history.count() == rows
    assert named(bidding_round) == {"councillor"}


@pytest.mark.parametrize(
    "who",
    ["an officer of a council outside the partnership", "a board member elsewhere", "finance"],
)
def test_only_the_partnerships_steering_group_can_be_named(bidding_round, pm, councillor, who):
    partnership = bidding_round.budget_line.programme.partnership
    stranger = {
        "an officer of a council outside the partnership": lambda: user_with_role(
            Role.Kind.OFFICER, organisation=OrganisationFactory(), username="stranger"
        ),
        "a board member elsewhere": lambda: user_with_role(
            Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory(), username="stranger"
        ),
        "finance": lambda: user_with_role(
            Role.Kind.FINANCE, partnership=partnership, username="stranger"
        ),
    }[who]()
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)

    with pytest.raises(BidError, match=f"^stranger {re.escape(NOT_ELIGIBLE)}$"):
        round_scorers_set(bidding_round=bidding_round, scorers=[stranger], by=pm)

    assert named(bidding_round) == {"councillor"}


def test_someone_named_before_losing_their_role_may_stay_until_removed(
    bidding_round, pm, councillor, chief_executive
):
    round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive], by=pm)
    chief_executive.portal_roles.all().delete()

    round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive, councillor], by=pm)
    assert named(bidding_round) == {"nk-chief", "councillor"}
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)
    assert named(bidding_round) == {"councillor"}
    with pytest.raises(BidError, match=re.escape(NOT_ELIGIBLE)):
        round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive], by=pm)


def test_an_inactive_account_cannot_be_named(bidding_round, pm, chief_executive):
    chief_executive.is_active = False
    chief_executive.save()

    with pytest.raises(BidError, match=re.escape(NOT_ELIGIBLE)):
        round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive], by=pm)

    assert named(bidding_round) == set()


def test_programme_managers_and_administrators_name_scorers(
    bidding_round, pm, councillor, chief_executive
):
    administrator = user_with_role(Role.Kind.ADMINISTRATOR)
    elsewhere = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())
    assert pm.has_perm("bids.name_scorers", bidding_round)
    assert administrator.has_perm("bids.name_scorers", bidding_round)
    for user in (councillor, chief_executive, elsewhere):
        assert not user.has_perm("bids.name_scorers", bidding_round)


# The pages -----------------------------------------------------------------------------


def test_a_manager_names_two_scorers_then_removes_one(
    client, bidding_round, pm, councillor, chief_executive, outsider
):
    client.force_login(pm)
    round_page = client.get(bidding_round.get_absolute_url())
    url = reverse("bids:round-scorers", args=[bidding_round.pk])
    assert f'href="{url}"' in round_page.content.decode()
    assert "No one is named to score this round's bids." in text(round_page)

    page = client.get(url)
    body = text(page)
    assert "Board Member" in body
    assert "nk-chief (North Kesteven DC)" in body
    assert "outsider" not in body

    saved = client.post(url, {"scorers": [councillor.pk, chief_executive.pk]}, follow=True)
    body = text(saved)
    assert "The scorers of Efficiency projects are saved." in body
    assert "Named to score this round's bids: Board Member nk-chief (North Kesteven DC)" in body
    assert named(bidding_round) == {"councillor", "nk-chief"}

    client.post(url, {"scorers": [chief_executive.pk]})
    body = text(client.get(bidding_round.get_absolute_url()))
    assert "Named to score this round's bids: nk-chief (North Kesteven DC)" in body
    assert "Board Member" not in body
    assert named(bidding_round) == {"nk-chief"}

    # The page ticks the current scorers.
    ticked = re.findall(r'value="(\d+)"\s+checked', client.get(url).content.decode())
    assert ticked == [str(chief_executive.pk)]


def test_unticking_everyone_removes_every_scorer(client, bidding_round, pm, councillor):
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)
    client.force_login(pm)

    response = client.post(reverse("bids:round-scorers", args=[bidding_round.pk]), {})

    assert response.status_code == 302
    assert named(bidding_round) == set()


def test_a_named_scorer_scores_and_a_steering_member_not_named_cannot(
    client, bidding_round, pm, councillor, submitted_bid
):
    client.force_login(pm)
    client.post(
        reverse("bids:round-scorers", args=[bidding_round.pk]), {"scorers": [councillor.pk]}
    )
    criterion = bidding_round.criteria.get()
    score_url = reverse("bids:bid-score", args=[submitted_bid.pk])

    client.force_login(councillor)
    scored = client.post(score_url, {f"points_{criterion.pk}": "3", f"comment_{criterion.pk}": ""})
    assert scored.status_code == 302
    assert Score.objects.get(bid=submitted_bid).scorer == councillor

    client.force_login(
        user_with_role(
            Role.Kind.BOARD_MEMBER, partnership=bidding_round.budget_line.programme.partnership
        )
    )
    assert client.get(score_url).status_code == 403
    refused = client.post(score_url, {f"points_{criterion.pk}": "1", f"comment_{criterion.pk}": ""})
    assert refused.status_code == 403
    assert Score.objects.filter(bid=submitted_bid).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 403), ("board member", 403), ("manager of another partnership", 404)],
)
def test_only_the_partnerships_managers_open_the_scorers_page(
    client, bidding_round, pm, councillor, chief_executive, who, status
):
    user = {
        "officer": chief_executive,
        "board member": councillor,
        "manager of another partnership": user_with_role(
            Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory()
        ),
    }[who]
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)
    url = reverse("bids:round-scorers", args=[bidding_round.pk])
    client.force_login(user)

    assert client.get(url).status_code == status
    assert client.post(url, {"scorers": [chief_executive.pk]}).status_code == status
    assert named(bidding_round) == {"councillor"}
    if status == 403:
        assert f'href="{url}"' not in client.get(bidding_round.get_absolute_url()).content.decode()


def test_naming_someone_outside_the_steering_group_is_refused_and_nothing_changes(
    client, bidding_round, pm, councillor, chief_executive, outsider
):
    round_scorers_set(bidding_round=bidding_round, scorers=[councillor], by=pm)
    client.force_login(pm)

    response = client.post(
        reverse("bids:round-scorers", args=[bidding_round.pk]),
        {"scorers": [chief_executive.pk, outsider.pk]},
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == [f"outsider {NOT_ELIGIBLE}"]
    assert named(bidding_round) == {"councillor"}


def test_someone_who_is_not_a_user_is_refused(client, bidding_round, pm):
    client.force_login(pm)

    response = client.post(
        reverse("bids:round-scorers", args=[bidding_round.pk]), {"scorers": ["999999"]}
    )

    assert response.status_code == 400
    assert errors_in_summary(response) == ["Choose the scorers from the list"]
    assert named(bidding_round) == set()


def test_a_scorer_who_lost_their_role_is_listed_to_be_removed(
    client, bidding_round, pm, chief_executive
):
    round_scorers_set(bidding_round=bidding_round, scorers=[chief_executive], by=pm)
    chief_executive.portal_roles.all().delete()
    client.force_login(pm)

    page = text(client.get(reverse("bids:round-scorers", args=[bidding_round.pk])))

    assert "nk-chief – not in the partnership's steering group" in page


def test_the_round_page_lists_2_scorers_or_10_for_the_same_queries(
    client, bidding_round, pm, councillor, north_kesteven
):
    officers = [user_with_role(Role.Kind.OFFICER, organisation=north_kesteven) for _ in range(10)]
    client.force_login(councillor)

    def queries(scorers) -> int:
        round_scorers_set(bidding_round=bidding_round, scorers=scorers, by=pm)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(bidding_round.get_absolute_url())
        assert response.status_code == 200
        assert text(response).count("(North Kesteven DC)") == len(scorers)
        return len(captured)

    # Session, user, the user's roles, the round, whether the user is named to score
    # it, its criteria, its approved total, the bids, the scorers and their officer
    # roles in the partnership, and the user's unread notifications.
    assert queries(officers[:2]) == queries(officers) == 11
