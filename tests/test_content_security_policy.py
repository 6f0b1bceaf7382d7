"""The headers every page carries (docs/adr/0017), and the rule that keeps the
Content-Security-Policy strict: no template served as a page has an inline script or
style. The browser tests show the pages working under it."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Read by mail clients and by WeasyPrint, never by a browser under the policy.
NOT_PAGES = ("emails", "pdf")
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=", re.IGNORECASE)


def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy + ";"
    assert "style-src 'self';" in policy + ";"
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_no_page_template_has_an_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in NOT_PAGES
        for match in INLINE.finditer(path.read_text())
    ]

    assert not found, "\n".join(found)


def test_the_api_docs_alone_allow_swagger_uis_data_images(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))

    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    assert "img-src 'self' data:" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert b'<script src="/api/v1/docs/?script="></script>' in page.content
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "img-src 'self';" in client.get("/").headers["Content-Security-Policy"] + ";"
