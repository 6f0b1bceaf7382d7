from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.healthchecks import healthz
from partnership import sign_in_views
from reports.views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", sign_in_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/set-up/", sign_in_views.two_factor_set_up, name="two-factor-set-up"),
    path("accounts/two-factor/", sign_in_views.two_factor_verify, name="two-factor-verify"),
    path("accounts/api-tokens/", include("partnership.api_token_urls")),
    # No trailing slash: SECURE_REDIRECT_EXEMPT matches "healthz" exactly, so
    # container health checks over plain HTTP are not redirected to HTTPS.
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
    path("partnerships/", include("partnership.urls")),
    path("downloads/", include("partnership.download_urls")),
    path("notifications/", include("partnership.notification_urls")),
    path("programmes/", include("programmes.urls")),
    path("bids/", include("bids.urls")),
    # Deciding a bid makes its project, so the page lives in projects, beside the bid's.
    path("bids/", include("projects.bid_decision_urls")),
    path("projects/", include("projects.urls")),
    path("savings/", include("savings.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("reports.urls")),
]
