"""Included by onestory/returns/urls.py: `path("annex-a/", include(...))`."""

from django.urls import URLPattern, path

from onestory.returns.annex_a import views

app_name = "annex_a"
urlpatterns: list[URLPattern] = [path("", views.make, name="make")]
