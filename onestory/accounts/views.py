"""The admin's own sign-in page, replaced: there is one way in (docs/security.md, promise 14;
docs/decisions/0011-admin-and-mfa-per-session.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the request asks for, if it stays on this site; otherwise `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """Signs no one in, whatever is posted: strangers go to One Story's sign-in (password and
    MFA), keeping a safe `next`; an administrator already signed in goes on; anyone else
    signed in is refused, rather than sent round between the two sign-in pages."""
    next_url = safe_next(request, reverse("admin:index"))
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if request.user.is_active and request.user.is_staff:
        return redirect(next_url)
    raise PermissionDenied("The administration pages are for system administrators.")
