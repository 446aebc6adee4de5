"""The public page families use without signing in (/feedback/)."""

from django.urls import URLPattern, URLResolver, path

from onestory.feedback import public_views as views

app_name = "public_feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.start, name="start"),
    path("what/", views.kind, name="kind"),
    path("who/", views.who, name="who"),
    path("about/", views.about, name="about"),
    path("reply/", views.reply, name="reply"),
    path("check/", views.check, name="check"),
    path("sent/", views.done, name="done"),
]
