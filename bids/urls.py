from django.urls import path

from . import views

app_name = "bids"

urlpatterns: list = [
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/", views.bid_detail, name="bid-detail"),
]
