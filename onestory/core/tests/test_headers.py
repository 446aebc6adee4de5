"""docs/security.md, promise 18: every response carries the security headers, errors included."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from onestory.test import Cast, signed_in

pytestmark = pytest.mark.urls("onestory.core.tests.urls_for_errors")


def assert_security_headers(response, *, authenticated: bool) -> None:
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp + ";"), csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if authenticated:
        assert "no-store" in response["Cache-Control"]
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        assert nonce, csp
        html = response.content.decode()
        # Every script carries this response's nonce, and none is inline.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts
        for attributes, body in scripts:
            assert f'nonce="{nonce.group(1)}"' in attributes
            assert "src=" in attributes and body.strip() == ""


def test_200(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, authenticated=True)


@pytest.mark.django_db
def test_sign_in_page(client: Client) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, authenticated=False)


def test_403(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/test-only/forbidden/", secure=True)
    assert response.status_code == 403
    assert "You cannot do that" in response.text
    assert_security_headers(response, authenticated=True)


def test_404(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert_security_headers(response, authenticated=True)


def test_500(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.raise_request_exception = False
    response = client.get("/test-only/broken/", secure=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "deliberate failure" not in response.text
    assert "Traceback" not in response.text
    assert_security_headers(response, authenticated=True)


@pytest.mark.django_db
def test_health_check_carries_headers_too(client: Client) -> None:
    response = client.get("/healthz", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, authenticated=False)
