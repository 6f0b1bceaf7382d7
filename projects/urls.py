from django.urls import path

from .views import milestone_pages, payment_pages, project_pages, report_pages, variation_pages

app_name = "projects"

urlpatterns: list = [
    # Lists
    path("", project_pages.project_list, name="project-list"),
    path("mine/", project_pages.my_projects, name="my-projects"),
    path(
        "milestones/awaiting-verification/",
        project_pages.milestones_awaiting_verification,
        name="milestones-awaiting-verification",
    ),
    path(
        "change-requests/awaiting-decision/",
        project_pages.change_requests_awaiting_decision,
        name="change-requests-awaiting-decision",
    ),
    path(
        "progress-reports/late/", project_pages.late_progress_reports, name="late-progress-reports"
    ),
    path("milestones/due/", project_pages.milestones_due, name="milestones-due"),
    path("milestones/returned/", project_pages.milestones_returned, name="milestones-returned"),
    path("progress-reports/due/", project_pages.progress_reports_due, name="progress-reports-due"),
    path("repayments/overdue/", project_pages.repayments_to_chase, name="repayments-overdue"),
    # A project and what hangs off it
    path("<int:pk>/", project_pages.project_detail, name="project-detail"),
    path("<int:pk>/history/", project_pages.project_history, name="project-history"),
    path("<int:pk>/milestones/add/", milestone_pages.milestone_add, name="milestone-add"),
    path("<int:pk>/risks/add/", report_pages.risk_add, name="risk-add"),
    path(
        "<int:pk>/progress-reports/<int:year>/<int:quarter>/",
        report_pages.progress_report_edit,
        name="progress-report-edit",
    ),
    path(
        "<int:pk>/change-requests/add/",
        variation_pages.change_request_add,
        name="change-request-add",
    ),
    path("<int:pk>/close/", variation_pages.project_close, name="project-close"),
    path("<int:pk>/repayments/add/", variation_pages.repayment_add, name="repayment-add"),
    path("<int:pk>/clawbacks/add/", variation_pages.clawback_add, name="clawback-add"),
    # Milestones
    path("milestones/<int:pk>/", milestone_pages.milestone_detail, name="milestone-detail"),
    path("milestones/<int:pk>/log/", milestone_pages.milestone_log, name="milestone-log"),
    path(
        "milestones/<int:pk>/reprofile/",
        milestone_pages.milestone_reprofile,
        name="milestone-reprofile",
    ),
    path("milestones/<int:pk>/verify/", milestone_pages.milestone_verify, name="milestone-verify"),
    path("milestones/<int:pk>/return/", milestone_pages.milestone_return, name="milestone-return"),
    path("evidence/<int:pk>/", milestone_pages.evidence_download, name="evidence-download"),
    # Grant payments and the schedule finance works from
    path("payments/schedule/", payment_pages.payment_schedule, name="payment-schedule"),
    path(
        "payments/schedule.csv",
        payment_pages.payment_schedule_download,
        {"file_format": "csv"},
        name="payment-schedule-csv",
    ),
    path(
        "payments/schedule.xlsx",
        payment_pages.payment_schedule_download,
        {"file_format": "xlsx"},
        name="payment-schedule-xlsx",
    ),
    path("payments/<int:pk>/", payment_pages.payment_detail, name="payment-detail"),
    path("payments/<int:pk>/approve/", payment_pages.payment_approve, name="payment-approve"),
    path("payments/<int:pk>/withhold/", payment_pages.payment_withhold, name="payment-withhold"),
    path("payments/<int:pk>/release/", payment_pages.payment_release, name="payment-release"),
    path("payments/<int:pk>/record/", payment_pages.payment_record, name="payment-record"),
    # Progress reports and risks
    path(
        "progress-reports/<int:pk>/",
        report_pages.progress_report_detail,
        name="progress-report-detail",
    ),
    path(
        "progress-reports/<int:pk>/submit/",
        report_pages.progress_report_submit,
        name="progress-report-submit",
    ),
    path(
        "progress-reports/<int:pk>/correct/",
        report_pages.progress_report_correct,
        name="progress-report-correct",
    ),
    path("risks/<int:pk>/", report_pages.risk_edit, name="risk-edit"),
    # Change requests, repayments and clawback
    path(
        "change-requests/<int:pk>/",
        variation_pages.change_request_detail,
        name="change-request-detail",
    ),
    path(
        "change-requests/<int:pk>/decide/",
        variation_pages.change_request_decide,
        name="change-request-decide",
    ),
    path("repayments/<int:pk>/record/", variation_pages.repayment_record, name="repayment-record"),
    path("clawbacks/<int:pk>/record/", variation_pages.clawback_record, name="clawback-record"),
]
