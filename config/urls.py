from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.healthchecks import healthz
from partnership import sign_in_views, single_sign_on, statement_views
from reports.views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", sign_in_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", sign_in_views.account, name="account"),
    # Single sign-on, answering only when it is set up; mozilla-django-oidc's names.
    path("accounts/sso/", single_sign_on.start, name="oidc_authentication_init"),
    path("accounts/sso/callback/", single_sign_on.callback, name="oidc_authentication_callback"),
    path("accounts/two-factor/set-up/", sign_in_views.two_factor_set_up, name="two-factor-set-up"),
    path("accounts/two-factor/", sign_in_views.two_factor_verify, name="two-factor-verify"),
    path("accounts/api-tokens/", include("partnership.api_token_urls")),
    # No trailing slash: SECURE_REDIRECT_EXEMPT matches "healthz" exactly, so
    # container health checks over plain HTTP are not redirected to HTTPS.
    path("healthz", healthz, name="healthz"),
    path("accessibility/", statement_views.accessibility_statement, name="accessibility-statement"),
    path("privacy/", statement_views.privacy_notice, name="privacy-notice"),
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
