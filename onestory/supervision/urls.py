"""Supervision and reflective practice: 1:1 and group supervision, casework records, personal
supervision, Reflective Practice Groups and their standards (issue 12).
"""

from django.urls import path

from onestory.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("arrangements/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("sessions/<int:pk>/", views.session_page, name="session"),
    path("sessions/<int:pk>/record/", views.record, name="record"),
    path("sessions/<int:pk>/personal/", views.personal, name="personal"),
    path("casework/<int:pk>/", views.casework, name="casework"),
    path("casework/<int:pk>/finalise/", views.casework_finalise, name="casework_finalise"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("pods/<int:pk>/", views.pod, name="pod"),
    path("pods/<int:pk>/discussed/", views.pod_discussed, name="pod_discussed"),
    path("pods/<int:pk>/group/", views.group_new, name="group_new"),
    path("rpgs/", views.rpg_list, name="rpgs"),
    path("rpgs/new/", views.rpg_new, name="rpg_new"),
    path("rpgs/<int:pk>/", views.rpg, name="rpg"),
    path("standards/", views.standards, name="standards"),
]
