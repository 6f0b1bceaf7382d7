from django.urls import path

from . import views

app_name = "partnership"

urlpatterns: list = [
    path("meetings/", views.meetings, name="meetings"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("sub-regions/<int:pk>/", views.sub_region_detail, name="sub-region-detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/change/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_item_add, name="agenda-item-add"),
    path("agenda-items/<int:pk>/report/", views.agenda_item_report, name="agenda-item-report"),
    path("meetings/<int:pk>/declarations/add/", views.declaration_add, name="declaration-add"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision-add"),
    path("meetings/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("meetings/<int:pk>/minutes/draft/", views.minutes_draft, name="minutes-draft"),
    path("meetings/<int:pk>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path("actions/<int:pk>/done/", views.action_complete, name="action-complete"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action-reopen"),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("<slug:slug>/open-data/", views.publish_grants, name="publish-grants"),
    path(
        "<slug:slug>/open-data/stop/", views.stop_publishing_grants, name="stop-publishing-grants"
    ),
    path("<slug:slug>/meetings/", views.meeting_list, name="meeting-list"),
    path("<slug:slug>/meetings/add/", views.meeting_create, name="meeting-create"),
    path("<slug:slug>/actions/", views.outstanding_action_list, name="outstanding-actions"),
]
