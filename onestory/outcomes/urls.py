from django.urls import URLPattern, URLResolver, path

from onestory.outcomes import views

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard_page, name="dashboard"),
    path("outcomes.csv", views.dashboard_csv, name="csv"),
    path("report/", views.report_page, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("figures/", views.figures_page, name="figures"),
]
