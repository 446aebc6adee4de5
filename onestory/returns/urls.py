from django.urls import URLPattern, URLResolver, include, path

from onestory.returns import views

app_name = "returns"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<slug:return_name>/<int:year>/make/", views.make, name="make"),
    path("<slug:return_name>/<int:year>/check/", views.check, name="check"),
    path("checks/<uuid:uuid>/", views.check_detail, name="check_detail"),
    # Ofsted's Annex A (onestory/returns/annex_a/, its own access table).
    path("annex-a/", include("onestory.returns.annex_a.urls")),
]
