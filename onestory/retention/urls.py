from django.urls import URLPattern, URLResolver, path

from onestory.retention import views

app_name = "retention"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.review, name="review"),
    path("families/<uuid:uuid>/", views.family, name="family"),
    path("families/<uuid:uuid>/holds/", views.place_hold, name="place_hold"),
    path("families/<uuid:uuid>/dispose/", views.request_disposal, name="request_disposal"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/lift/", views.lift_hold, name="lift_hold"),
    path("disposals/", views.disposals, name="disposals"),
    path("disposals/<int:pk>/", views.disposal, name="disposal"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:record_type>/", views.rule, name="rule"),
]
