from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("partnerships/", include("partnership.urls")),
    path("programmes/", include("programmes.urls")),
    path("bids/", include("bids.urls")),
    path("projects/", include("projects.urls")),
    path("savings/", include("savings.urls")),
    path("", include("reports.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
