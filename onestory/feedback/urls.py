"""The staff pages: the log of compliments and complaints, its stages and reports."""

from django.urls import URLPattern, URLResolver, path

from onestory.feedback import views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.log, name="log"),
    path("new/", views.add, name="add"),
    path("reports/", views.reports, name="reports"),
    path("<uuid:uuid>/", views.item, name="item"),
    path("<uuid:uuid>/stages/new/", views.stage_start, name="stage_start"),
    path("<uuid:uuid>/stages/<int:number>/extend/", views.extend, name="extend"),
    path("<uuid:uuid>/stages/<int:number>/response/", views.answer, name="respond"),
]
