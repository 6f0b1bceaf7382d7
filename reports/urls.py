from django.urls import path

from . import pack_urls, views

app_name = "reports"

# The home page is routed in config/urls.py: settings name it "home", outside this
# app's namespace, as the page to land on after signing in.
urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.dashboard_download, name="dashboard-download"),
    *pack_urls.urlpatterns,
]
