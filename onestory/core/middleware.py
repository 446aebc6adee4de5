from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Headers every response carries, errors included (docs/security.md, promise 18).

    It sits first in MIDDLEWARE so that it also sees the responses other middleware builds.
    Django's SecurityMiddleware sends HSTS only over HTTPS; behind a TLS-terminating proxy that
    is every request in production.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Case data must never sit in a shared computer's cache or the back button.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
