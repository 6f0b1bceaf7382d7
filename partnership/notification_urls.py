"""A person's notifications, in the ``notifications`` namespace."""

from django.urls import path

from . import notification_views

app_name = "notifications"

urlpatterns = [
    path("", notification_views.notification_list, name="list"),
    path("<int:pk>/", notification_views.notification_open, name="open"),
    path("read/", notification_views.notifications_mark_all_read, name="mark-all-read"),
    path("settings/", notification_views.notification_settings, name="settings"),
]
