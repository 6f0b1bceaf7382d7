from django.urls import path

from .views import councils, returns, summaries

app_name = "savings"

urlpatterns: list = [
    path("", summaries.savings_summary, name="summary"),
    path("download/<slug:table>.csv", summaries.summary_download, name="summary-download"),
    path("entries.csv", summaries.entries_download, {"file_format": "csv"}, name="entries-csv"),
    path("entries.xlsx", summaries.entries_download, {"file_format": "xlsx"}, name="entries-xlsx"),
    path("forecasts/", summaries.forecast_summary, name="forecasts"),
    path("forecasts.csv", summaries.forecast_download, name="forecasts-csv"),
    path("targets/", summaries.target_list, name="targets"),
    path("targets/new/", summaries.target_set, name="target-set"),
    path("our/", councils.our_savings, name="our-savings"),
    path("sign-off/", returns.awaiting_sign_off, name="awaiting-sign-off"),
    path("returns/due/", returns.returns_due, name="returns-due"),
    path("councils/<int:pk>/", councils.council_savings, name="council"),
    path("councils/<int:pk>/returns/new/", returns.return_enter, name="return-enter"),
    path("councils/<int:pk>/returns/upload/", returns.return_upload, name="return-upload"),
    path(
        "councils/<int:pk>/returns/<int:year>/<int:quarter>/check/",
        returns.return_check,
        name="return-check",
    ),
    path("councils/<int:pk>/forecasts/new/", councils.forecast_record, name="forecast-record"),
    path("councils/<int:pk>/benefits/new/", councils.benefit_record, name="benefit-record"),
    path(
        "returns/template.csv",
        returns.template_download,
        {"kind": "csv"},
        name="return-template-csv",
    ),
    path(
        "returns/template.xlsx",
        returns.template_download,
        {"kind": "xlsx"},
        name="return-template-xlsx",
    ),
    path("returns/<int:pk>/", returns.return_detail, name="return-detail"),
    path("returns/drafts/<int:pk>/discard/", returns.draft_discard, name="draft-discard"),
    path("returns/<int:pk>/sign-off/", returns.return_sign_off, name="return-sign-off"),
]
