from django.urls import path

from onestory.families import views

app_name = "families"
urlpatterns = [
    path("families/", views.family_list, name="list"),
    path("families/<uuid:uuid>/", views.family_detail, name="detail"),
    path("families/<uuid:uuid>/members/add/", views.member_add, name="member_add"),
    path("families/<uuid:uuid>/members/find/", views.member_find, name="member_find"),
    path(
        "families/<uuid:uuid>/members/ask/<uuid:person>/",
        views.member_ask,
        name="member_ask",
    ),
    path("families/joining/<int:pk>/", views.join_request, name="join_request"),
    path(
        "families/<uuid:uuid>/members/add/<uuid:person>/",
        views.member_add_existing,
        name="member_add_existing",
    ),
    path("families/<uuid:uuid>/members/<int:pk>/end/", views.member_end, name="member_end"),
    path(
        "families/<uuid:family>/episodes/<slug:kind>/add/",
        views.episode_add,
        name="family_episode_add",
    ),
    path(
        "families/<uuid:family>/episodes/<slug:kind>/<int:pk>/edit/",
        views.episode_edit,
        name="family_episode_edit",
    ),
    path("people/<uuid:uuid>/", views.person_detail, name="person"),
    path("people/<uuid:uuid>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person>/episodes/<slug:kind>/add/", views.episode_add, name="episode_add"),
    path(
        "people/<uuid:person>/episodes/<slug:kind>/<int:pk>/edit/",
        views.episode_edit,
        name="episode_edit",
    ),
]
