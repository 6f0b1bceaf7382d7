from django.urls import path

app_name = "bids"

urlpatterns: list = []
