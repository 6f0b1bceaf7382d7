from django.urls import path

from . import open_data_views, pack_urls, views

app_name = "reports"

# The home page is routed in config/urls.py: settings name it "home", outside this
# app's namespace, as the page to land on after signing in.
urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.dashboard_download, name="dashboard-download"),
    *pack_urls.urlpatterns,
    # Open to anyone, signed in or not (partnership.sign_in_middleware.OPEN_TO_ALL).
    path("open-data/<slug:slug>/", open_data_views.published_grants, name="open-data"),
    path(
        "open-data/<slug:slug>/360giving.json",
        open_data_views.grants_json,
        name="open-data-json",
    ),
    path(
        "open-data/<slug:slug>/360giving.xlsx",
        open_data_views.grants_xlsx,
        name="open-data-xlsx",
    ),
]
