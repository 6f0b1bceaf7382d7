"""A person's downloads, in the ``downloads`` namespace."""

from django.urls import path

from . import download_views

app_name = "downloads"

urlpatterns = [
    path("", download_views.download_list, name="list"),
    path("<int:pk>/", download_views.download_detail, name="detail"),
    path("<int:pk>/file/", download_views.download_file, name="file"),
    path("<int:pk>/retry/", download_views.download_retry, name="retry"),
]
