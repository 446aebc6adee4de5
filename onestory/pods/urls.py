from django.urls import path

from onestory.pods import views

app_name = "pods"
urlpatterns = [
    path("", views.pod_list, name="list"),
    path("attention/", views.attention_page, name="attention"),
    path("<int:pk>/", views.pod_detail, name="detail"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:membership>/change/", views.member_change, name="member_change"),
    path("<int:pk>/members/<int:membership>/end/", views.member_end, name="member_end"),
    path("<int:pk>/members/<int:membership>/cover/", views.cover_caseload, name="cover_caseload"),
    path("<int:pk>/cover/<int:cover>/change/", views.cover_change, name="cover_change"),
    path(
        "<int:pk>/families/<uuid:family>/allocate/",
        views.family_allocate,
        name="family_allocate",
    ),
    path(
        "<int:pk>/families/<uuid:family>/transfer/",
        views.family_transfer,
        name="family_transfer",
    ),
    path(
        "<int:pk>/families/<uuid:family>/children/<uuid:child>/allocate/",
        views.child_allocate,
        name="child_allocate",
    ),
    path(
        "<int:pk>/families/<uuid:family>/children/<uuid:child>/cover/",
        views.child_cover,
        name="child_cover",
    ),
]
