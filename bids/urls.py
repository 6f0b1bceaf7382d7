from django.urls import path

from .views import bid_pages, round_pages

app_name = "bids"

urlpatterns: list = [
    path("rounds/", round_pages.round_list, name="round-list"),
    path("rounds/open/", round_pages.round_open, name="round-open"),
    path("rounds/<int:pk>/", round_pages.round_detail, name="round-detail"),
    path("rounds/<int:pk>/reopen/", round_pages.round_reopen, name="round-reopen"),
    path("rounds/<int:pk>/scorers/", round_pages.round_scorers, name="round-scorers"),
    path("rounds/<int:pk>/ranked/", round_pages.round_ranked, name="round-ranked"),
    path(
        "rounds/<int:pk>/ranking/publish/",
        round_pages.round_ranking_publish,
        name="round-ranking-publish",
    ),
    path(
        "rounds/<int:pk>/ranked.csv",
        round_pages.round_ranked_download,
        {"file_format": "csv"},
        name="round-ranked-csv",
    ),
    path(
        "rounds/<int:pk>/ranked.xlsx",
        round_pages.round_ranked_download,
        {"file_format": "xlsx"},
        name="round-ranked-xlsx",
    ),
    path(
        "rounds/<int:pk>/funding-plan/", round_pages.round_funding_plan, name="round-funding-plan"
    ),
    path("rounds/<int:round_pk>/bids/new/", bid_pages.bid_create, name="bid-create"),
    path("<int:pk>/", bid_pages.bid_detail, name="bid-detail"),
    path("<int:pk>/edit/", bid_pages.bid_update, name="bid-update"),
    path("<int:pk>/submit/", bid_pages.bid_submit, name="bid-submit"),
    path("<int:pk>/withdraw/", bid_pages.bid_withdraw, name="bid-withdraw"),
    path("<int:pk>/business-case/", bid_pages.bid_business_case, name="bid-business-case"),
    path("<int:pk>/score/", bid_pages.bid_score, name="bid-score"),
    path("<int:pk>/interest/", bid_pages.bid_declare_interest, name="bid-declare-interest"),
    path("<int:pk>/agreed-points/", bid_pages.bid_agree_points, name="bid-agree-points"),
    path("<int:pk>/recommendation/", bid_pages.bid_recommend, name="bid-recommend"),
]
