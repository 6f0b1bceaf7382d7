"""A bid's figures as pages and downloads both write them."""

from django import template

from bids.selectors import bid_savings_as_claimed

register = template.Library()

register.filter("savings_as_claimed", bid_savings_as_claimed)
