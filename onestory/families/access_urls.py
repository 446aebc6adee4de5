from django.urls import path

from onestory.families import access_views as views

app_name = "access"
urlpatterns = [
    path("search/", views.people_search, name="search"),
    path("access/mine/", views.my_access, name="mine"),
    path("access/emergency/", views.emergency_review_list, name="emergency_review_list"),
    path("access/emergency/<int:pk>/", views.emergency_review, name="emergency_review"),
    path("families/<uuid:uuid>/emergency/", views.emergency_request, name="emergency_request"),
    path("families/<uuid:uuid>/access-log/", views.family_access_log, name="family_access_log"),
    path("families/<uuid:uuid>/history/", views.family_history, name="family_history"),
    path("people/<uuid:uuid>/history/", views.person_history, name="person_history"),
    path("people/<uuid:uuid>/access-log/", views.person_access_log, name="person_access_log"),
    path("people/<uuid:uuid>/subject-access/", views.subject_access, name="subject_access"),
    path("alerts/<int:pk>/dismiss/", views.dismiss_alert, name="dismiss_alert"),
]
