"""Settings as production runs them, checked in a fresh process: settings are read
once at start-up, so the test process's own settings cannot be re-used."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


# Variables the tests set themselves, and DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests'
# conftest sets it in this process, production never has it, and the deployment
# checklist rightly refuses it.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "CACHE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "OIDC_RP_CLIENT_ID",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    # Only axes' W006, silenced in the settings with its reason.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_production_pages_carry_the_security_headers():
    # /healthz renders no template, so needs no collected static files; whether it
    # finds the database and broker of this environment (200 or 503) does not matter.
    result = _manage(
        "shell",
        "-c",
        "from django.test import Client; "
        "response = Client().get('/healthz', secure=True, HTTP_HOST='portal.example.org'); "
        "[print(f'{name}: {value}') for name, value in response.headers.items()]",
        SECRET_KEY=secrets.token_urlsafe(50),
        **{**PRODUCTION, "CACHE_URL": "redis://127.0.0.1:6379/2"},
    )

    assert result.returncode == 0, result.stderr
    headers = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]


def _mail_settings(**env: str) -> subprocess.CompletedProcess:
    return _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)",
        **env,
    )


def test_smtp_is_configured_from_the_environment():
    result = _mail_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_USE_TLS="false",
        EMAIL_USE_SSL="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "465",
        "False",
        "True",
    ]


def test_gov_uk_notify_refuses_to_start_without_its_key_and_template():
    result = _mail_settings(EMAIL_BACKEND="django_gov_notify.backends.NotifyEmailBackend")

    assert result.returncode != 0
    assert "GOV.UK Notify needs GOVUK_NOTIFY_API_KEY" in result.stderr


def test_tls_and_ssl_cannot_both_be_asked_for():
    result = _mail_settings(EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")

    assert result.returncode != 0
    assert "Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both" in result.stderr


def test_single_sign_on_refuses_to_start_without_the_providers_addresses():
    result = _manage(
        "check",
        OIDC_RP_CLIENT_ID="portal",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://login.example.org/authorize",
    )

    assert result.returncode != 0
    assert (
        "Single sign-on (OIDC_RP_CLIENT_ID) also needs OIDC_OP_TOKEN_ENDPOINT, "
        "OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT" in result.stderr
    )
