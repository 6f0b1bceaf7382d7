"""Partnership Portal settings: one module, driven by environment variables.

Local use needs none of them (SQLite, in-process Celery, DEBUG on). Production sets
SECRET_KEY, DEBUG=false, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL; a missing
secret with DEBUG off fails at start-up rather than running with a known key.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "partnership.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "partnership",
    "programmes",
    "bids",
    "projects",
    "savings",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnership.sign_in_middleware.SessionKeptWhileActive",
    # Before any view runs, so no page (nor one kept in the cache) reaches a session
    # that still owes its two-factor code.
    "partnership.sign_in_middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnership.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it, so the first request
        # after the database restarts connects afresh rather than failing.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read pages are kept in the cache until a record changes (partnership/page_cache.py),
# so every web process must share it: Redis in production. Local use has one process
# and keeps it in memory. Not the broker's Redis database: clearing a cache empties
# its whole database.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "portal",
            # A cache that does not answer is passed by (page_cache), so it must not
            # hold a page up for long: a refused connection fails at once, a silent one
            # in half a second.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif not DEBUG:
    raise ImproperlyConfigured(
        "CACHE_URL must be set when DEBUG is off: every web process must share the cache "
        "that keeps read pages, or one would serve a page another has seen change"
    )

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on through a council's OpenID Connect provider (Microsoft Entra ID or
# similar), only when OIDC_RP_CLIENT_ID is set (docs/adr/0017). It signs in users the
# portal already has, found by e-mail; it never makes users or roles, and the portal
# still asks for its own code where the user's roles require one.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
PORTAL_SINGLE_SIGN_ON = bool(OIDC_RP_CLIENT_ID)
if PORTAL_SINGLE_SIGN_ON:
    _oidc_required = [
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ]
    _oidc_missing = [name for name in _oidc_required if not os.environ.get(name)]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"Single sign-on (OIDC_RP_CLIENT_ID) also needs {', '.join(_oidc_missing)}"
        )
    OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ["OIDC_OP_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_USE_PKCE = True
    AUTHENTICATION_BACKENDS.append("partnership.single_sign_on.ExistingUserBackend")
# The button's words on the sign-in page, e.g. "Sign in with your council's Microsoft account".
PORTAL_SINGLE_SIGN_ON_LABEL = os.environ.get(
    "PORTAL_SINGLE_SIGN_ON_LABEL", "Sign in with your council account"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in hardening (docs/adr/0016). Programme managers, finance and administrators
# must sign in with a code from an authenticator app; off only to try the demo
# without one.
PORTAL_REQUIRE_2FA = env_bool("PORTAL_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Partnership Portal"
# Five wrong passwords for a username lock it for 15 minutes, from any address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# By address too would lock everyone out behind a proxy whose address axes sees, and
# cookies and user agents play no part in a lockout by username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Signed out after 30 minutes without a request: a request moves the session's expiry
# on (partnership.sign_in_middleware.SessionKeptWhileActive, at most once a minute).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 30 * 60))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files: outside static/ and never at a public address, sent
# only by views that check permission (partnership.private_files).
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
# Where `manage.py backup` writes its folders (partnership.backups); ignored by git.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
# A download of more rows than this is written in the background (partnership.downloads)
# rather than while the reader waits on a web worker.
DOWNLOAD_IN_BACKGROUND_OVER = int(os.environ.get("DOWNLOAD_IN_BACKGROUND_OVER", "5000"))
STORAGES = {
    "default": {"BACKEND": "partnership.private_files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"

# Celery: with no broker configured, tasks run in the web process (local use, tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# A job's outcome is recorded on its own row (partnership.jobs) and never read from
# Celery, so sending a task needs the broker alone.
CELERY_TASK_IGNORE_RESULT = True
# A broker that does not answer fails the request's enqueue within seconds (the job is
# then marked failed, to be tried again) rather than holding the page: two seconds to
# connect, tried three times.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged once it has finished, so a worker killed in the middle of one
# leaves its message with the broker: a lost pool process's task is put back at once
# (reject on worker lost); a whole worker's, Redis gives to another worker once the
# visibility timeout has passed since it was taken (docs/adr/0019). The timeout must
# be longer than any task runs (a download: 31 minutes) plus its retry countdown, or
# a task still running would be given to a second worker as well.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 40 * 60)),
    # A broker that takes connections but never answers would otherwise hold the
    # request that sends a task for ever.
    "socket_timeout": 5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "projects-delivery-reminders": {
        "task": "projects.tasks.send_delivery_reminders",
        # Mondays at 07:00, London time (CELERY_TIMEZONE)
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "partnership-daily-notifications": {
        "task": "partnership.tasks.email_daily_notifications",
        # Every day at 07:00, London time: the summary of the day before.
        "schedule": crontab(minute=0, hour=7),
    },
    "partnership-sweep-held-uploads": {
        "task": "partnership.tasks.sweep_held_uploads",
        "schedule": crontab(minute=30, hour=3),
    },
}

# E-mail: printed to the console unless a backend is named. For a mail server, name
# django.core.mail.backends.smtp.EmailBackend and set EMAIL_HOST and the rest; for
# GOV.UK Notify, django_gov_notify.backends.NotifyEmailBackend with its API key and the
# ID of a template that sends ((subject)) and ((body)) (README, "Sending e-mail").
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")
if EMAIL_BACKEND == "django_gov_notify.backends.NotifyEmailBackend" and not (
    GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID
):
    raise ImproperlyConfigured(
        "GOV.UK Notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID"
    )
# The portal's own address, for links in e-mails sent outside a request.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://localhost:8000")

# The API reads what the pages read, as the signed-in user (docs/adr/0012): signed in
# by a personal API token (docs/adr/0022) or the browser's session. The token comes
# first, so that a request without either is answered 401 with the scheme to use.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnership.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "partnership.api.pagination.PortalPagination",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
    # A service's refusal (PortalError) answers 400 with the page's message.
    "EXCEPTION_HANDLER": "partnership.api.writes.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        # Writes only (partnership.api.writes.WriteThrottle), per user: "120/minute".
        "api-write": os.environ.get("API_WRITE_RATE", "120/minute"),
        # Wrong or revoked tokens from one address (partnership.api.authentication).
        "token_failures": "10/min",
    },
}
# Webhooks (docs/adr/0022): each delivery is tried again after 30 s, 1, 2, 4... minutes,
# up to WEBHOOK_MAX_RETRIES times, waiting at most an hour between tries.
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_RETRY_BACKOFF = int(os.environ.get("WEBHOOK_RETRY_BACKOFF", "30"))
WEBHOOK_MAX_RETRIES = int(os.environ.get("WEBHOOK_MAX_RETRIES", "8"))
WEBHOOK_RETRY_BACKOFF_MAX = 60 * 60
# Endpoints must be https://, except http://127.0.0.1 or localhost while developing.
WEBHOOK_ALLOW_LOCAL_HTTP = DEBUG

SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership Portal API",
    "DESCRIPTION": (
        "What the signed-in user may see on the portal's pages, and the writes they "
        "may make there, through the same rules and with the same messages: money as "
        "decimal strings in pounds, dates in ISO 8601. Sign in with a personal API token "
        "(Authorization: Bearer), made on the portal's API tokens page, or the browser's "
        "session; writes signed in by the session send its CSRF token (X-CSRFToken). An "
        "Idempotency-Key header makes a retry harmless."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from the sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies apart from responses, so that an upload is binary in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that several fields share, each named once.
    "ENUM_NAME_OVERRIDES": {
        "RagEnum": "projects.models.Rag",
        "SavingsEntryStatusEnum": "savings.models.SavingsEntry.Status",
    },
}

# Headers on every response (docs/adr/0017). Scripts and styles come only from the
# portal's own static files: no inline script, <style> or style="" anywhere, so the
# policy needs no 'unsafe-inline' and no nonce (a nonce would be stale in a page kept
# by page_cache). The API docs alone widen it (config/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The browser features a page may use: none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
