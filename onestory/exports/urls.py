from django.urls import URLPattern, URLResolver, path

from onestory.exports import views

app_name = "exports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.documents, name="documents"),
    path("<uuid:uuid>/", views.status, name="status"),
    path("<uuid:uuid>/download/", views.download, name="download"),
]
