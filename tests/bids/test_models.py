from decimal import Decimal

import pytest

from bids.models import Bid
from tests.constraints import refused as constraint_refuses
from tests.factories import BidFactory

pytestmark = pytest.mark.django_db
D = Decimal


def refused(**fields) -> bool:
    return constraint_refuses(BidFactory, **fields)


def test_a_bid_allocation_can_never_exceed_the_request():
    assert refused(grant_requested=D("100000"), grant_allocated=D("100000.01"))
    assert refused(grant_requested=D("100000"), grant_allocated=D("-1"))
    assert not refused(grant_requested=D("100000"), grant_allocated=D("80000"))


def test_a_bid_must_request_some_grant():
    assert refused(grant_requested=D("0"))


def test_years_are_given_only_for_savings_claimed_over_years():
    assert refused(savings_basis="over_years", savings_years=None)
    assert refused(savings_basis="per_annum", savings_years=5)
    assert not refused(savings_basis="over_years", savings_years=5)


def test_none_specified_means_no_amount_and_an_amount_needs_a_basis():
    assert refused(savings_basis="none", savings_claimed=D("1000"))
    assert refused(savings_basis="per_annum", savings_claimed=None)
    assert not refused(savings_basis="none", savings_claimed=None)


def test_an_approved_bid_has_a_grant_allocated():
    assert refused(status="approved", grant_allocated=None)
    assert not refused(status="approved", grant_allocated=D("50000"))


def test_negative_savings_are_refused():
    assert refused(savings_claimed=D("-5"))
    assert refused(savings_claimed=D("50000"), savings_claimed_high=D("40000"))


# The April 2011 EM IEP bids table (item 11): payback is grant / annual cashable saving.
@pytest.mark.parametrize(
    ("grant", "claimed", "basis", "years", "annual", "payback", "five_year"),
    [
        # Shared ICT: 2,137,416 over 5 years
        ("100000", "2137416", "over_years", 5, "427483.20", "0.23", "2037416.00"),
        # Business Intelligence and e-sourcing: 301,500 over 2 years (counts 2 of 5)
        ("95000", "301500", "over_years", 2, "150750.00", "0.63", "206500.00"),
        # Carbon Reduction In Schools: 24,000 per annum
        ("22000", "24000", "per_annum", None, "24000", "0.92", "98000"),
        # Winter Gritting: 4,000 per annum
        ("32000", "4000", "per_annum", None, "4000", "8.00", "-12000"),
        # A one-off saving has no yearly figure; it counts once over five years
        ("50000", "80000", "one_off", None, None, None, "30000"),
        # Changing Thinking for Leaner Services: 100,000, period not given
        ("150000", "100000", "unspecified_period", None, None, None, None),
        # None specified
        ("64800", None, "none", None, None, None, None),
    ],
)
def test_savings_are_annualised_with_payback_and_five_year_return_for_each_basis(
    grant, claimed, basis, years, annual, payback, five_year
):
    bid = Bid(
        grant_requested=D(grant),
        savings_claimed=D(claimed) if claimed else None,
        savings_basis=basis,
        savings_years=years,
    )
    assert bid.annual_saving == (D(annual) if annual else None)
    assert bid.payback_years == (D(payback) if payback else None)
    assert bid.five_year_return == (D(five_year) if five_year else None)


def test_where_a_range_was_claimed_the_lower_figure_counts():
    # Drupal Framework: "15,000/ 30,000 annual saving", payback 6.14 years in the paper
    bid = Bid(
        grant_requested=D("92100"),
        savings_claimed=D("15000"),
        savings_claimed_high=D("30000"),
        savings_basis="per_annum",
    )
    assert bid.payback_years == D("6.14")
