from django.urls import path

from . import views

app_name = "projects"

urlpatterns: list = [
    # Lists
    path("", views.project_list, name="project-list"),
    path("mine/", views.my_projects, name="my-projects"),
    path(
        "milestones/awaiting-verification/",
        views.milestones_awaiting_verification,
        name="milestones-awaiting-verification",
    ),
    path("progress-reports/late/", views.late_progress_reports, name="late-progress-reports"),
    # A project and what hangs off it
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/history/", views.project_history, name="project-history"),
    path("<int:pk>/risks/add/", views.risk_add, name="risk-add"),
    path(
        "<int:pk>/progress-reports/<int:year>/<int:quarter>/",
        views.progress_report_edit,
        name="progress-report-edit",
    ),
    path("<int:pk>/change-requests/add/", views.change_request_add, name="change-request-add"),
    path("<int:pk>/close/", views.project_close, name="project-close"),
    path("<int:pk>/repayments/add/", views.repayment_add, name="repayment-add"),
    path("<int:pk>/clawbacks/add/", views.clawback_add, name="clawback-add"),
    # Milestones
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone-detail"),
    path("milestones/<int:pk>/log/", views.milestone_log, name="milestone-log"),
    path("milestones/<int:pk>/reprofile/", views.milestone_reprofile, name="milestone-reprofile"),
    path("milestones/<int:pk>/verify/", views.milestone_verify, name="milestone-verify"),
    path("milestones/<int:pk>/return/", views.milestone_return, name="milestone-return"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    # Grant payments and the schedule finance works from
    path("payments/schedule/", views.payment_schedule, name="payment-schedule"),
    path("payments/schedule.csv", views.payment_schedule_csv, name="payment-schedule-csv"),
    path("payments/schedule.xlsx", views.payment_schedule_xlsx, name="payment-schedule-xlsx"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
    path("payments/<int:pk>/approve/", views.payment_approve, name="payment-approve"),
    path("payments/<int:pk>/withhold/", views.payment_withhold, name="payment-withhold"),
    path("payments/<int:pk>/release/", views.payment_release, name="payment-release"),
    path("payments/<int:pk>/record/", views.payment_record, name="payment-record"),
    # Progress reports and risks
    path(
        "progress-reports/<int:pk>/",
        views.progress_report_detail,
        name="progress-report-detail",
    ),
    path(
        "progress-reports/<int:pk>/submit/",
        views.progress_report_submit,
        name="progress-report-submit",
    ),
    path(
        "progress-reports/<int:pk>/correct/",
        views.progress_report_correct,
        name="progress-report-correct",
    ),
    path("risks/<int:pk>/", views.risk_edit, name="risk-edit"),
    # Change requests, repayments and clawback
    path("change-requests/<int:pk>/", views.change_request_detail, name="change-request-detail"),
    path(
        "change-requests/<int:pk>/decide/",
        views.change_request_decide,
        name="change-request-decide",
    ),
    path("repayments/<int:pk>/record/", views.repayment_record, name="repayment-record"),
    path("clawbacks/<int:pk>/record/", views.clawback_record, name="clawback-record"),
]
