"""Supervision and reflective practice: 1:1 and group supervision, casework records, personal
supervision, Reflective Practice Groups and their standards (issue 12).
"""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "onestory.supervision"
    verbose_name = "Supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onestory.lib import due
        from onestory.supervision.due import personal_tasks, pod_tasks

        due.register(personal=personal_tasks, pod=pod_tasks)
