"""The board's decision on a bid. Mounted under bids/ (config/urls.py) so the page sits
beside the bid's own pages, though it lives in projects: approving a bid makes its
project."""

from django.urls import path

from . import bid_decisions

app_name = "bid_decisions"

urlpatterns: list = [
    path("<int:pk>/decision/", bid_decisions.bid_decide, name="decide"),
]
