from django.urls import path

from . import views

app_name = "partnership"

urlpatterns: list = [
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("sub-regions/<int:pk>/", views.sub_region_detail, name="sub-region-detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
]
