from django.urls import path

from . import views

app_name = "projects"

urlpatterns: list = [
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone-detail"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
    path(
        "progress-reports/<int:pk>/",
        views.progress_report_detail,
        name="progress-report-detail",
    ),
]
