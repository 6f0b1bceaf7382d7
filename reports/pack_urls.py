"""Board pack pages, in the ``reports`` namespace once ``reports/urls.py`` adds
``*pack_urls.urlpatterns`` to its own."""

from django.urls import path

from . import pack_views

urlpatterns = [
    path("meetings/<int:meeting_pk>/board-packs/", pack_views.meeting_packs, name="pack-list"),
    path("board-packs/<int:pk>/", pack_views.pack_detail, name="pack-detail"),
    path("board-packs/<int:pk>/download/", pack_views.pack_download, name="pack-download"),
    path("board-packs/<int:pk>/retry/", pack_views.pack_retry, name="pack-retry"),
]
