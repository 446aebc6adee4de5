"""A URL configuration for tests only: the real one plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from onestory.urls import handler403, handler404, handler500
from onestory.urls import urlpatterns as real_urlpatterns


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the test")


urlpatterns = [
    *real_urlpatterns,
    path("test-only/forbidden/", forbidden),
    path("test-only/broken/", broken),
]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
