"""Pre-proceedings and family group decision making, reached through the family."""

from django.urls import path

from onestory.preproceedings import views

app_name = "preproceedings"
urlpatterns = [
    path("", views.open_list, name="open"),
    path("families/<uuid:uuid>/", views.family, name="family"),
    path("families/<uuid:uuid>/start/", views.start, name="start"),
    path("families/<uuid:uuid>/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("families/<uuid:uuid>/<int:pk>/fgdm/", views.fgdm, name="fgdm"),
    path("families/<uuid:uuid>/<int:pk>/outcome/", views.outcome, name="outcome"),
]
