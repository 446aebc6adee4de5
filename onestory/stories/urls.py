from django.urls import path

from onestory.stories import views

app_name = "stories"
family = "families/<uuid:uuid>/story/"
entry = family + "<uuid:entry>/"
urlpatterns = [
    path(family, views.family_story, name="timeline"),
    path(family + "new/", views.entry_new, name="new"),
    path(family + "copy/", views.family_copy, name="copy"),
    path(family + "copy/<uuid:copy>/", views.family_copy_status, name="copy_status"),
    path(family + "copy/<uuid:copy>/download/", views.family_copy_download, name="copy_download"),
    path(entry, views.entry_detail, name="entry"),
    path(entry + "save/", views.entry_save, name="save"),
    path(entry + "autosave/", views.entry_autosave, name="autosave"),
    path(entry + "finalise/", views.entry_finalise, name="finalise"),
    path(entry + "amend/", views.entry_amend, name="amend"),
    path(entry + "sign-off/", views.entry_sign_off, name="sign_off"),
    path("people/<uuid:uuid>/story/", views.child_story, name="child"),
    path("stories/help/", views.writing_help, name="help"),
    path("stories/search/", views.search, name="search"),
    path("due/", views.due_mine, name="due"),
    path("due/pods/<int:pod>/", views.due_pod, name="due_pod"),
]
