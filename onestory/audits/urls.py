"""Practitioner-led audit: cycles, samples, audit conversations, grades, moderation, actions and
learning (issue 13).
"""

from django.urls import URLPattern, URLResolver, path

from onestory.audits import views

app_name = "audits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("learning/", views.learning_page, name="learning"),
    path("domains/", views.domains, name="domains"),
    path("domains/add/", views.domain_edit, name="domain_add"),
    path("domains/<int:pk>/change/", views.domain_edit, name="domain_change"),
    path("cycles/open/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/report/", views.cycle_report, name="report"),
    path("cycles/<int:pk>/report/pdf/", views.cycle_report_pdf, name="report_pdf"),
    path("cycles/<int:pk>/children/<uuid:child>/", views.child_in_cycle, name="child"),
    path("audits/<int:pk>/", views.audit, name="audit"),
    path("audits/<int:pk>/assign/", views.assign, name="assign"),
    path("audits/<int:pk>/moderate/", views.moderate_audit, name="moderate"),
    path("audits/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
